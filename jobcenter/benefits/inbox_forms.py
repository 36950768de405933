"""Forms of the benefits officer's inbox: accept, reject, send partshøring."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d"),
    )


class AcceptForm(forms.Form):
    justification = forms.CharField(
        label=_("Begrundelse (står i afgørelsesbrevet)"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 4}),
    )
    consultation = forms.ChoiceField(
        label=_("Partshøring"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    consultation_exemption = forms.CharField(
        label=_("Eller: partshøring undlades efter forvaltningslovens § 19, stk. 2, nr. 1"),
        help_text=_(
            "Kun når afgørelsen alene bygger på borgerens egne oplysninger. Skriv hvilke, og hvordan borgeren gav dem."
        ),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 2}),
    )
    contact_on = _date(_("Borgeren henvendte sig til jobcentret den"), required=False)
    contact_not_yet = forms.BooleanField(label=_("Ikke endnu"), required=False)
    guidance_given = forms.BooleanField(
        label=_("Borgeren var skriftligt vejledt om konsekvensen af at udeblive (i indkaldelsen)"), required=False
    )

    def __init__(self, *args: Any, consultations: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultation"].choices = [("", _("Ingen")), *(consultations or [])]  # type: ignore[attr-defined]


class RejectForm(forms.Form):
    # Not required here: the action refuses an empty reason with its own message.
    reason = forms.CharField(
        label=_("Begrundelse for afvisning"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 2}),
    )


class ProposalConsultationForm(forms.Form):
    deadline = _date(_("Svarfrist"))

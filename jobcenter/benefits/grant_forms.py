"""Forms for decisions and consultations (partshøring)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenter.benefits.models import KINDS_WITHOUT_FACTS, DecisionKind


def _date() -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d"))


class DecisionForm(forms.Form):
    """The decision itself; the household's facts are the calculation page's labelled forms
    (benefits/forms.py: HouseholdForm, AdultForm, ChildFormSet), not JSON."""

    kind = forms.ChoiceField(
        label=_("Afgørelsens art"),
        # A sanction is decided from its task in the inbox, where its conditions are checked.
        choices=[(value, label) for value, label in DecisionKind.choices if value != DecisionKind.SANCTION],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    effective_from = forms.DateField(
        label=_("Gælder fra"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d"),
        error_messages={"required": _("Skriv datoen, afgørelsen gælder fra."), "invalid": _("Skriv en gyldig dato.")},
    )
    effective_to = forms.DateField(
        label=_("Gælder til og med"),
        required=False,
        help_text=_("Tom: indtil videre."),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Skriv en gyldig dato.")},
    )
    consultation = forms.ChoiceField(
        label=_("Partshøring"),
        required=False,
        help_text=_("Skal vælges ved en nedsættelse eller en standsning."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    has_nemkonto = forms.BooleanField(
        label=_("Borgeren har NemKonto"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-checkbox"}),
    )
    justification = forms.CharField(
        label=_("Begrundelse"),
        help_text=_("Står i brevet til borgeren: hvorfor afgørelsen er truffet, og de hovedhensyn, den bygger på."),
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 4}),
        error_messages={"required": _("Skriv en begrundelse for afgørelsen.")},
    )
    legal_basis = forms.CharField(
        label=_("Lovgrundlag"),
        required=False,
        max_length=1000,
        help_text=_(
            "Paragrafferne for beregningen kommer med i brevet af sig selv. "
            "Skriv de regler, afgørelsen i øvrigt bygger på; ved en standsning skal det udfyldes."
        ),
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 2}),
    )

    def __init__(self, *args: Any, consultations: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultation"].choices = [("", _("Ingen")), *(consultations or [])]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("effective_from"), cleaned.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("Slutdatoen ligger før startdatoen."))
        return cleaned

    @property
    def needs_facts(self) -> bool:
        return self.cleaned_data.get("kind") not in KINDS_WITHOUT_FACTS


class ConsultationForm(forms.Form):
    intended_kind = forms.ChoiceField(
        label=_("Påtænkt afgørelse"),
        choices=[
            (DecisionKind.REDUCTION.value, DecisionKind.REDUCTION.label),
            (DecisionKind.STOP.value, DecisionKind.STOP.label),
            (DecisionKind.SANCTION.value, DecisionKind.SANCTION.label),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    subject = forms.CharField(
        label=_("Hvad borgeren høres om"), widget=forms.Textarea(attrs={"class": "form-input", "rows": 3})
    )
    deadline = _date()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deadline"].label = _("Svarfrist")


class ReplyForm(forms.Form):
    received_on = _date()
    summary = forms.CharField(
        label=_("Borgerens svar"), widget=forms.Textarea(attrs={"class": "form-input", "rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].label = _("Svar modtaget")

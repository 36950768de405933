"""Forms for decisions and consultations (partshøring)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenter.benefits.models import DecisionKind


def _date() -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d"))


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Afgørelsens art"),
        # A sanction is decided from its task in the inbox, where its conditions are checked.
        choices=[(value, label) for value, label in DecisionKind.choices if value != DecisionKind.SANCTION],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    effective_from = _date()
    effective_to = forms.DateField(
        label=_("Gælder til og med"),
        required=False,
        help_text=_("Tom: indtil videre."),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d"),
    )
    justification = forms.CharField(
        label=_("Begrundelse"), widget=forms.Textarea(attrs={"class": "form-input", "rows": 3})
    )
    facts = forms.CharField(
        label=_("Husstandens oplysninger (JSON)"),
        required=False,
        help_text=_("Som i Beregn ydelse: husstanden, som reglerne tager den. Tom ved standsning."),
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 12, "spellcheck": "false"}),
    )
    consultation = forms.ChoiceField(
        label=_("Partshøring"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    has_nemkonto = forms.BooleanField(label=_("Borgeren har NemKonto"), required=False)

    def __init__(self, *args: Any, consultations: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].label = _("Gælder fra")
        self.fields["consultation"].choices = [("", _("Ingen")), *(consultations or [])]  # type: ignore[attr-defined]

    def clean_facts(self) -> Any:
        text = self.cleaned_data["facts"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Ikke gyldig JSON (linje %(line)s, kolonne %(column)s).")
                % {"line": error.lineno, "column": error.colno}
            ) from None


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

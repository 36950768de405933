"""The form that starts a trial run."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenter.benefits.periods import parse_month

_INPUT = {"class": "form-input"}


class RunStartForm(forms.Form):
    month = forms.CharField(
        label=_("Måned"), help_text=_("ÅÅÅÅ-MM, fx 2025-10"), max_length=7, widget=forms.TextInput(attrs=_INPUT)
    )

    def clean_month(self) -> datetime.date:
        try:
            return parse_month(self.cleaned_data["month"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


# --- Claims (tilbagebetalingskrav) -------------------------------------------------------------


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d")
    )


def _text(label: Any, rows: int = 3) -> forms.CharField:
    # Not required here: the action refuses a blank text with its own Danish message, and writes nothing.
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"class": "form-input", "rows": rows})
    )


class ClaimConsultationForm(forms.Form):
    subject = _text(_("Hvad borgeren høres om"))
    deadline = _date(_("Svarfrist"))


class ClaimReplyForm(forms.Form):
    received_on = _date(_("Svar modtaget"))
    summary = _text(_("Borgerens svar"))


class ClaimDecisionForm(forms.Form):
    justification = _text(_("Begrundelse"), rows=4)
    legal_basis = forms.CharField(
        label=_("Lovgrundlag"),
        required=False,
        max_length=400,
        help_text=_("Paragraffen, kravet bygger på. Systemet kender ikke reglerne for tilbagebetaling."),
        widget=forms.TextInput(attrs={"class": "form-input"}),
    )
    offset_per_month = forms.DecimalField(
        label=_("Modregning pr. måned (kr.)"),
        max_digits=12,
        decimal_places=2,
        localize=True,  # Danish: 1.500,50
        help_text=_(
            "Fx 1.500,50. Trækkes i de kommende udbetalinger, højst månedens udbetaling, indtil kravet er betalt."
        ),
        widget=forms.TextInput(attrs={"class": "form-input", "inputmode": "decimal"}),
    )

    def clean_offset_per_month(self) -> int:
        """Kroner as typed, in øre (exact: a decimal with at most two places)."""
        return int(self.cleaned_data["offset_per_month"] * 100)


class ClaimWaiveForm(forms.Form):
    reason = _text(_("Begrundelse for eftergivelse"))

"""The form that starts a trial run."""

from __future__ import annotations

import datetime

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

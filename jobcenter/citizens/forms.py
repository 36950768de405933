from django import forms
from django.utils.translation import gettext_lazy as _


class CitizenSearchForm(forms.Form):
    query = forms.CharField(
        label=_("CPR-nummer eller navn"),
        max_length=100,
        help_text=_("Fx 010190-1234 eller Jensen"),
        widget=forms.TextInput(attrs={"class": "form-input", "autocomplete": "off", "autofocus": True}),
    )


class CitizenRegisterForm(forms.Form):
    cpr = forms.CharField(
        label=_("CPR-nummer"),
        max_length=11,
        help_text=_("Navn, adresse og husstand hentes fra CPR."),
        widget=forms.TextInput(attrs={"class": "form-input", "autocomplete": "off", "autofocus": True}),
    )

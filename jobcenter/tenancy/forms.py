"""The administrator's forms: a new user, another role, a new API token."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenter.tenancy.models import Municipality
from jobcenter.tenancy.roles import Role

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


def _role_field(label: _StrOrPromise) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(role.value, role.label) for role in Role],
        help_text=_("Administratorrollen får først virkning, når en anden administrator har godkendt den."),
        error_messages={"invalid_choice": _("Vælg en af rollerne på listen.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class MunicipalityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class UserCreateForm(forms.Form):
    first_name = forms.CharField(
        label=_("Fornavn"), max_length=150, widget=forms.TextInput(attrs={"class": "form-input", "autocomplete": "off"})
    )
    last_name = forms.CharField(
        label=_("Efternavn"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-input", "autocomplete": "off"}),
    )
    username = forms.CharField(
        label=_("Brugernavn"),
        max_length=150,
        help_text=_(
            "Logger brugeren ind med kommunens fælles login (MitID Erhverv), "
            "skal brugernavnet være den e-mailadresse, som det login oplyser."
        ),
        widget=forms.TextInput(attrs={"class": "form-input", "autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"class": "form-input", "autocomplete": "off"})
    )
    role = _role_field(_("Rolle"))
    municipalities = MunicipalityChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        error_messages={
            "required": _("Vælg den kommune, brugeren arbejder i."),
            "invalid_choice": _("Du kan kun oprette brugere i de kommuner, du selv arbejder for."),
            "invalid_pk_value": _("Du kan kun oprette brugere i de kommuner, du selv arbejder for."),
        },
    )
    password = forms.CharField(
        label=_("Første adgangskode"),
        required=False,
        strip=False,
        help_text=_(
            "Mindst 12 tegn. Giv den til brugeren på en sikker måde. "
            "Lad feltet være tomt, hvis brugeren kun logger ind via kommunens login."
        ),
        widget=forms.PasswordInput(attrs={"class": "form-input", "autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Gentag adgangskoden"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-input", "autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipalities"]
        field.queryset = Municipality.objects.filter(pk__in=[m.pk for m in municipalities]).order_by("name")  # type: ignore[attr-defined]
        if len(municipalities) == 1:
            self.initial.setdefault("municipalities", [municipalities[0].pk])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password", "") != cleaned.get("password_again", ""):
            self.add_error("password_again", _("De to adgangskoder er ikke ens."))
        return cleaned


class RoleForm(forms.Form):
    role = _role_field(_("Ny rolle"))


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nøglens navn"),
        max_length=100,
        help_text=_("Hvilket system bruger nøglen, fx Lønsystem."),
        error_messages={"required": _("Giv nøglen et navn, så den kan kendes igen, fx systemets navn.")},
        widget=forms.TextInput(attrs={"class": "form-input", "autocomplete": "off"}),
    )

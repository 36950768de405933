"""The benefits officer's forms: a household to calculate, and a rate table to import.

Amounts are entered in kroner (as people read them) and leave the form as
integer øre (as the rules and everything else take them).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenter.rules.inputs import FIRST_MONTH

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"

UNKNOWN, YES, NO = "", "ja", "nej"
TRI_STATE_CHOICES = [(UNKNOWN, _("Ikke oplyst")), (YES, _("Ja")), (NO, _("Nej"))]
PARENTS_CHOICES = [("a1", _("Voksen 1")), ("a2", _("Voksen 2")), ("both", _("Begge voksne"))]
RELATIONSHIP_CHOICES = [("married", _("Gift")), ("cohabiting", _("Samlevende"))]


def example_households() -> dict[str, dict[str, Any]]:
    """The example households shipped with the system, by file stem."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(EXAMPLES_DIR.glob("household-*.json"))
    }


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d")


def _flag(label: str | _StrPromise) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, widget=forms.CheckboxInput(attrs={"class": "form-checkbox"}))


def _tri_state(label: str | _StrPromise, help_text: str | _StrPromise = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=TRI_STATE_CHOICES,
        required=False,
        coerce=lambda value: {YES: True, NO: False}.get(value),
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def _kroner(label: str | _StrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"class": "form-input input-width-s", "inputmode": "decimal"}),
    )


def _kroner_to_ore(value: Decimal | None) -> int:
    return int((value or Decimal(0)) * 100)


def _ore_to_kroner(value: int | None) -> Decimal | None:
    return None if not value else Decimal(value) / 100


class HouseholdForm(forms.Form):
    """Whether the household has two adults, and how they live together (the rules' `relationship`)."""

    has_second_adult = _flag(_("Husstanden har to voksne (gift eller samlevende)"))
    relationship = forms.ChoiceField(
        label=_("De voksne er"),
        choices=[("", "—"), *RELATIONSHIP_CHOICES],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("has_second_adult") and not cleaned.get("relationship"):
            self.add_error("relationship", _("Vælg om de voksne er gift eller samlevende."))
        return cleaned


class CalculationForm(HouseholdForm):
    month = forms.CharField(
        label=_("Måned"),
        help_text=_("Fra januar 2023, fx 2025-08"),
        widget=forms.TextInput(attrs={"type": "month", "class": "form-input input-width-s", "pattern": r"\d{4}-\d{2}"}),
    )
    field_order = ["month", "has_second_adult", "relationship"]

    def clean_month(self) -> str:
        value = self.cleaned_data["month"].strip()
        try:
            year, month = value.split("-")
            first_day = date(int(year), int(month), 1)
        except ValueError:
            raise forms.ValidationError(_("Skriv måneden som ÅÅÅÅ-MM, fx 2025-08.")) from None
        if first_day < FIRST_MONTH:
            raise forms.ValidationError(_("Reglerne dækker måneder fra januar 2023."))
        return f"{first_day:%Y-%m}"


class AdultForm(forms.Form):
    """The facts about one adult that LAS §§ 16-25 ask for."""

    name = forms.CharField(
        label=_("Navn (valgfrit)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-input"}),
    )
    birth_date = forms.DateField(label=_("Fødselsdato"), required=False, widget=_date_widget())
    applies_for_help = _flag(_("Søger eller modtager kontanthjælp"))
    lives_with_parents = _tri_state(_("Bor hos sine forældre (hjemmeboende)"))
    is_aktivitetsparat = _tri_state(_("Visiteret aktivitetsparat"))
    meets_residence_and_employment_requirement = _tri_state(
        _("Opfylder opholds- og beskæftigelseskravet"), _("Fra 1. juli 2025; ellers mindstesats")
    )
    has_full_time_work_2_5_of_last_10_years = _tri_state(
        _("Har 2½ års fuldtidsarbejde inden for de seneste 10 år"), _("Fra 1. juli 2025, for 25-29-årige")
    )
    has_vocational_education = _tri_state(
        _("Har en erhvervskompetencegivende uddannelse"), _("Før 1. juli 2025, for under 30-årige")
    )
    transitional_supplement_entitled = _tri_state(
        _("Har ret til midlertidigt tilpasningstillæg"), _("1. juli 2025 - 30. juni 2027, for under 30-årige")
    )
    months_on_help = forms.IntegerField(
        label=_("Måneder i træk med kontanthjælp (denne måned medregnet)"),
        required=False,
        min_value=1,
        max_value=1200,
        widget=forms.NumberInput(attrs={"class": "form-input input-width-xs"}),
    )
    is_pregnant_past_week_12 = _flag(_("Gravid efter 12. svangerskabsuge"))
    has_mental_illness = _flag(_("Har en psykisk lidelse (LAS § 23, stk. 2, nr. 4-5)"))
    receives_ekstra_boernetilskud = _flag(_("Modtager ekstra børnetilskud"))
    work_income_kroner = _kroner(_("Arbejdsindtægt i måneden (kr.)"))
    work_hours = forms.DecimalField(
        label=_("Arbejdstimer i måneden"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(744),
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"class": "form-input input-width-xs", "inputmode": "decimal"}),
    )
    other_income_kroner = _kroner(_("Anden indtægt i måneden (kr.)"))
    child_maintenance_paid_kroner = _kroner(_("Betalt børnebidrag i måneden (kr.)"))

    TRI_STATE_FIELDS = (
        "lives_with_parents",
        "is_aktivitetsparat",
        "meets_residence_and_employment_requirement",
        "has_full_time_work_2_5_of_last_10_years",
        "has_vocational_education",
        "transitional_supplement_entitled",
    )
    FLAG_FIELDS = (
        "applies_for_help",
        "is_pregnant_past_week_12",
        "has_mental_illness",
        "receives_ekstra_boernetilskud",
    )
    MONEY_FIELDS = {
        "work_income_kroner": "work_income_ore",
        "other_income_kroner": "other_income_ore",
        "child_maintenance_paid_kroner": "child_maintenance_paid_ore",
    }

    def to_adult(self, person_id: str) -> dict[str, Any]:
        """The adult as the rules take it (AdultInput); unknown facts are left out."""
        data = self.cleaned_data
        adult: dict[str, Any] = {
            "id": person_id,
            "birth_date": data["birth_date"].isoformat() if data.get("birth_date") else None,
        }
        if data.get("name"):
            adult["name"] = data["name"]
        for name in self.FLAG_FIELDS:
            adult[name] = bool(data.get(name))
        for name in self.TRI_STATE_FIELDS:
            if data.get(name) is not None:
                adult[name] = data[name]
        if data.get("months_on_help"):
            adult["months_on_help"] = data["months_on_help"]
        for form_name, input_name in self.MONEY_FIELDS.items():
            adult[input_name] = _kroner_to_ore(data.get(form_name))
        adult["work_hours"] = str(data.get("work_hours") or 0)
        return adult

    @classmethod
    def initial_from_adult(cls, adult: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {"name": adult.get("name") or "", "birth_date": adult.get("birth_date")}
        for name in cls.FLAG_FIELDS:
            initial[name] = bool(adult.get(name))
        for name in cls.TRI_STATE_FIELDS:
            value = adult.get(name)
            initial[name] = UNKNOWN if value is None else (YES if value else NO)
        initial["months_on_help"] = adult.get("months_on_help")
        for form_name, input_name in cls.MONEY_FIELDS.items():
            initial[form_name] = _ore_to_kroner(adult.get(input_name))
        hours = Decimal(str(adult.get("work_hours") or 0))
        initial["work_hours"] = hours or None
        return initial


class ChildForm(forms.Form):
    birth_date = forms.DateField(label=_("Barnets fødselsdato"), required=False, widget=_date_widget())
    parents = forms.ChoiceField(
        label=_("Har forældremyndighed og bor hos"),
        choices=PARENTS_CHOICES,
        initial="a1",
        widget=forms.Select(attrs={"class": "form-select"}),
    )


ChildFormSet = forms.formset_factory(ChildForm, extra=0, min_num=4, max_num=10, validate_max=True)


def household_from_forms(
    household_form: HouseholdForm, first: AdultForm, second: AdultForm, children: Any
) -> dict[str, Any]:
    """The household (HouseholdInput shape) the forms describe. The forms must be valid."""
    two_adults = bool(household_form.cleaned_data.get("has_second_adult"))
    household: dict[str, Any] = {
        "id": "beregning",
        "adults": [first.to_adult("a1")] + ([second.to_adult("a2")] if two_adults else []),
        "children": [],
    }
    if two_adults:
        household["relationship"] = household_form.cleaned_data["relationship"]
    for index, child in enumerate(form for form in children.forms if form.cleaned_data.get("birth_date")):
        parents = child.cleaned_data["parents"]
        parent_ids = ["a1", "a2"] if parents == "both" else [parents]
        household["children"].append(
            {
                "id": f"c{index + 1}",
                "birth_date": child.cleaned_data["birth_date"].isoformat(),
                "parent_ids": parent_ids,
            }
        )
    return household


def initial_from_example(example: dict[str, Any]) -> dict[str, Any]:
    """Initial data for every form, from an example household file."""
    adults = example.get("adults", [])
    by_id = {adult["id"]: ("a1" if index == 0 else "a2") for index, adult in enumerate(adults)}
    children = []
    for child in example.get("children", []):
        parents = [by_id.get(parent, "a1") for parent in child.get("parent_ids", [])]
        children.append(
            {"birth_date": child["birth_date"], "parents": "both" if len(set(parents)) == 2 else parents[0]}
        )
    return {
        "household": {
            "month": example.get("_month", ""),
            "has_second_adult": len(adults) == 2,
            "relationship": example.get("relationship") or "",
        },
        "a1": AdultForm.initial_from_adult(adults[0]) if adults else {},
        "a2": AdultForm.initial_from_adult(adults[1]) if len(adults) > 1 else {},
        "children": children,
    }


class RateTableUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Satstabel (YAML eller CSV)"),
        help_text=_(
            "Formatet er beskrevet i docs/rules.md. Tabellen får først virkning, når en anden person godkender den."
        ),
        widget=forms.ClearableFileInput(attrs={"class": "form-file-input", "accept": ".yaml,.yml,.csv"}),
    )
    title = forms.CharField(
        label=_("Titel (kun for CSV)"),
        required=False,
        max_length=200,
        help_text=_("Fx Satsregulering 2026. En YAML-fil har sin titel i filen."),
        widget=forms.TextInput(attrs={"class": "form-input"}),
    )


class RateTableDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Begrundelse"),
        required=False,
        max_length=2000,
        help_text=_("Skal udfyldes ved afvisning."),
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 3}),
    )

"""The input of a calculation: households of facts, as pydantic models.

``HouseholdInput.model_json_schema()`` is the JSON Schema the command line
prints. Every model forbids unknown fields, so a misspelt fact is an error
rather than a silently ignored default. Facts that only some months' law
needs are optional here and required, with an error naming the field, when
the month is known (see :func:`jobcenter.rules.columns.check_facts_for_month`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FIRST_MONTH = date(2023, 1, 1)

PersonId = Annotated[
    str,
    Field(min_length=1, max_length=64, description="Identifier, unique within the household (not a CPR number)."),
]
Ore = Annotated[int, Field(ge=0, le=10**12, description="Amount in øre (1 kr. = 100 øre).")]


class ChildInput(BaseModel):
    """A child in the custody of one or both adults (forsørgelsespligt, living with them)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"id": "c1", "birth_date": "2019-04-02", "parent_ids": ["a1"]}]},
    )

    id: PersonId
    birth_date: date = Field(description="The child's date of birth.")
    parent_ids: list[PersonId] = Field(
        min_length=1,
        max_length=2,
        description="Ids of the adults in this household who have the child in custody.",
    )


class AdultInput(BaseModel):
    """An adult of the household: the applicant, or a spouse/cohabitant."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": "a1",
                    "name": "Anna",
                    "birth_date": "1994-03-15",
                    "applies_for_help": True,
                    "lives_with_parents": False,
                    "is_aktivitetsparat": False,
                    "meets_residence_and_employment_requirement": True,
                    "has_full_time_work_2_5_of_last_10_years": True,
                    "months_on_help": 4,
                    "transitional_supplement_entitled": False,
                    "work_income_ore": 400000,
                    "work_hours": "40",
                }
            ]
        },
    )

    id: PersonId
    name: str | None = Field(default=None, max_length=200, description="Display name for the breakdown (optional).")
    birth_date: date = Field(description="Date of birth; age is taken on the first day of the month.")
    applies_for_help: bool = Field(
        description=(
            "True for a person who applies for or receives kontanthjælp. False for a "
            "spouse/cohabitant who does not: only his or her income counts."
        )
    )
    lives_with_parents: bool | None = Field(
        default=None,
        description="Lives with one or both parents (hjemmeboende). Required for applicants.",
    )
    is_aktivitetsparat: bool | None = Field(
        default=None,
        description="Visiteret som aktivitetsparat (rather than jobparat/uddannelsesparat). Required for applicants.",
    )
    is_pregnant_past_week_12: bool = Field(
        default=False, description="Pregnant and past the 12th week (old law groups)."
    )
    has_mental_illness: bool = Field(
        default=False,
        description="Has a mental illness as meant in LAS § 23, stk. 2, nr. 4-5 / § 25, stk. 3, nr. 4-5 (old law).",
    )
    receives_ekstra_boernetilskud: bool = Field(
        default=False, description="Entitled to ekstra børnetilskud (single provider)."
    )
    has_vocational_education: bool | None = Field(
        default=None,
        description=(
            "Has a vocational education (erhvervskompetencegivende uddannelse). Before 1 July 2025 "
            "an applicant under 30 gets kontanthjælp with it, uddannelseshjælp without it; "
            "required then."
        ),
    )
    meets_residence_and_employment_requirement: bool | None = Field(
        default=None,
        description=(
            "Meets the residence and employment requirement (opholds- og beskæftigelseskravet); "
            "otherwise mindstesats. Required for applicants from 1 July 2025."
        ),
    )
    has_full_time_work_2_5_of_last_10_years: bool | None = Field(
        default=None,
        description=(
            "Has 2½ years of full-time work in the last 10 years (forhøjet sats at 25-29). "
            "Required from 1 July 2025 for applicants aged 25-29."
        ),
    )
    months_on_help: int | None = Field(
        default=None,
        ge=1,
        le=1200,
        description=(
            "Consecutive months with kontanthjælp, this month included (fritidstillæg from the "
            "3rd month). Required from 1 July 2025 for applicants with children in custody."
        ),
    )
    transitional_supplement_entitled: bool | None = Field(
        default=None,
        description=(
            "Entitled to the midlertidigt tilpasningstillæg (1 July 2025 - 30 June 2027, under 30). "
            "Required for applicants under 30 in that period."
        ),
    )
    work_income_ore: Ore = Field(default=0, description="The month's work income as LAS deducts it, in øre.")
    work_hours: Decimal = Field(
        default=Decimal(0),
        ge=0,
        le=744,
        max_digits=5,
        decimal_places=2,
        description="Hours worked in the month (at most 2 decimals); before 1 July 2025 each gives a disregard.",
    )
    other_income_ore: Ore = Field(default=0, description="Other income deducted krone for krone, in øre.")
    child_maintenance_paid_ore: Ore = Field(
        default=0,
        description="Child maintenance paid this month for a child not living with the person (bidragspligt), in øre.",
    )

    @model_validator(mode="after")
    def _applicant_facts_are_stated(self) -> AdultInput:
        if self.applies_for_help:
            missing = [name for name in ("lives_with_parents", "is_aktivitetsparat") if getattr(self, name) is None]
            if missing:
                raise ValueError(f"required for a person who applies for help: {', '.join(missing)}")
        return self


class HouseholdInput(BaseModel):
    """A household: one adult, or two who are married or cohabiting, and their children."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": "household-1",
                    "adults": [
                        {
                            "id": "a1",
                            "birth_date": "1990-05-01",
                            "applies_for_help": True,
                            "lives_with_parents": False,
                            "is_aktivitetsparat": False,
                            "meets_residence_and_employment_requirement": True,
                            "months_on_help": 5,
                        }
                    ],
                    "children": [{"id": "c1", "birth_date": "2018-02-01", "parent_ids": ["a1"]}],
                }
            ]
        },
    )

    id: str = Field(min_length=1, max_length=64, description="Identifier of the household (e.g. the case id).")
    relationship: Literal["married", "cohabiting"] | None = Field(
        default=None, description="How the two adults live together. Required when there are two adults."
    )
    adults: list[AdultInput] = Field(min_length=1, max_length=2, description="One or two adults.")
    children: list[ChildInput] = Field(default_factory=list, description="Children in the adults' custody.")

    @model_validator(mode="after")
    def _household_is_consistent(self) -> HouseholdInput:
        ids = [adult.id for adult in self.adults] + [child.id for child in self.children]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"ids must be unique within the household: {', '.join(duplicates)}")
        if len(self.adults) == 2 and self.relationship is None:
            raise ValueError("relationship is required when there are two adults")
        if len(self.adults) == 1 and self.relationship is not None:
            raise ValueError("relationship must be empty when there is one adult")
        if not any(adult.applies_for_help for adult in self.adults):
            raise ValueError("at least one adult must apply for help")
        adults = {adult.id: adult for adult in self.adults}
        for index, child in enumerate(self.children):
            for parent_id in child.parent_ids:
                parent = adults.get(parent_id)
                if parent is None:
                    raise ValueError(f"children.{index}.parent_ids: '{parent_id}' is not an adult of this household")
                if child.birth_date <= parent.birth_date:
                    raise ValueError(
                        f"children.{index}.birth_date: the child ({child.birth_date}) is not younger "
                        f"than its parent '{parent_id}' ({parent.birth_date})"
                    )
        for index, adult in enumerate(self.adults):
            if adult.receives_ekstra_boernetilskud and not any(adult.id in child.parent_ids for child in self.children):
                raise ValueError(
                    f"adults.{index}.receives_ekstra_boernetilskud: requires a child in the adult's custody"
                )
        return self


class CalculationRequest(BaseModel):
    """A month and the households to calculate it for (the CLI's/API's request)."""

    model_config = ConfigDict(extra="forbid")

    month: date = Field(description="The month, as 'YYYY-MM' or any date in it; from 2023-01.")
    households: list[HouseholdInput]

    @field_validator("month", mode="before")
    @classmethod
    def _month_from_text(cls, value: object) -> object:
        if isinstance(value, str) and len(value) == 7:
            return f"{value}-01"
        return value

    @field_validator("month")
    @classmethod
    def _month_is_supported(cls, value: date) -> date:
        value = value.replace(day=1)
        if value < FIRST_MONTH:
            raise ValueError("months before 2023-01 are not supported by these rules")
        return value

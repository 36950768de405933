"""Households as columns: one numpy array per fact, one row per adult.

This is what the simulation is built from. Payment runs can build it
directly from database rows (:meth:`HouseholdColumns.from_arrays`), skipping
a million pydantic objects; the pydantic path (:meth:`from_households`)
is for single cases, the API and tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from jobcenter.rules.errors import FieldProblem, InputError
from jobcenter.rules.inputs import HouseholdInput

NEW_LAW_START = date(2025, 7, 1)
TRANSITIONAL_END = date(2027, 7, 1)

UNKNOWN = -1  # in tri-state int8 columns: -1 not stated, 0 false, 1 true


@dataclass
class HouseholdColumns:
    """Facts of many households, column-wise; rows are adults, grouped by household.

    Tri-state facts (``int8``) use -1 for "not stated". Money is int64 øre,
    hours are int64 hundredths of an hour.
    """

    household_ids: npt.NDArray[Any]  # object (str), one per household
    household_index: npt.NDArray[np.int64]  # per adult: row of its household
    position: npt.NDArray[np.int32]  # per adult: 0 or 1 within the household
    adult_ids: npt.NDArray[Any]  # object (str)
    adult_names: npt.NDArray[Any]  # object (str or None)
    birth_date: npt.NDArray[np.datetime64]
    applies_for_help: npt.NDArray[np.bool_]
    lives_with_parents: npt.NDArray[np.int8]
    is_aktivitetsparat: npt.NDArray[np.int8]
    is_pregnant_past_week_12: npt.NDArray[np.bool_]
    has_mental_illness: npt.NDArray[np.bool_]
    receives_ekstra_boernetilskud: npt.NDArray[np.bool_]
    has_vocational_education: npt.NDArray[np.int8]
    meets_residence_and_employment_requirement: npt.NDArray[np.int8]
    has_full_time_work_2_5_of_last_10_years: npt.NDArray[np.int8]
    months_on_help: npt.NDArray[np.int32]  # -1 not stated
    transitional_supplement_entitled: npt.NDArray[np.int8]
    children_in_custody: npt.NDArray[np.int32]
    youngest_child_birth_date: npt.NDArray[np.datetime64]  # NaT without children
    work_income: npt.NDArray[np.int64]
    work_hours_hundredths: npt.NDArray[np.int64]
    other_income: npt.NDArray[np.int64]
    child_maintenance_paid: npt.NDArray[np.int64]
    number_of_children: npt.NDArray[np.int32]  # per household

    @property
    def adult_count(self) -> int:
        return int(self.household_index.shape[0])

    @property
    def household_count(self) -> int:
        return int(self.household_ids.shape[0])

    @classmethod
    def from_arrays(cls, **columns: Any) -> HouseholdColumns:
        """Build from ready arrays (e.g. a payment run's query), checking shapes."""
        names = {field.name for field in fields(cls)}
        unknown = sorted(set(columns) - names)
        missing = sorted(names - set(columns))
        if unknown or missing:
            raise TypeError(f"unknown columns {unknown}, missing columns {missing}")
        result = cls(**columns)
        result.check_shapes()
        return result

    def check_shapes(self) -> None:
        adults = self.adult_count
        households = self.household_count
        for field in fields(self):
            length = getattr(self, field.name).shape[0]
            expected = households if field.name in ("household_ids", "number_of_children") else adults
            if length != expected:
                raise ValueError(f"column {field.name} has {length} rows, expected {expected}")
        if adults and (np.diff(self.household_index) < 0).any():
            raise ValueError("adults must be grouped by household (household_index ascending)")

    def subset(self, household_rows: Sequence[int] | npt.NDArray[np.integer[Any]]) -> HouseholdColumns:
        """The columns of some households (rows in ascending order), renumbered."""
        rows = np.asarray(household_rows, dtype=np.int64)
        keep = np.isin(self.household_index, rows)
        renumber = np.full(self.household_count, -1, dtype=np.int64)
        renumber[rows] = np.arange(rows.shape[0])
        values: dict[str, Any] = {}
        for field in fields(self):
            column = getattr(self, field.name)
            if field.name in ("household_ids", "number_of_children"):
                values[field.name] = column[rows]
            elif field.name == "household_index":
                values[field.name] = renumber[column[keep]]
            else:
                values[field.name] = column[keep]
        return HouseholdColumns(**values)

    @classmethod
    def from_households(cls, households: Sequence[HouseholdInput]) -> HouseholdColumns:
        """Flatten validated households into columns."""
        rows: dict[str, list[Any]] = {field.name: [] for field in fields(cls)}
        tri = _tri_state
        for household_row, household in enumerate(households):
            rows["household_ids"].append(household.id)
            rows["number_of_children"].append(len(household.children))
            for position, adult in enumerate(household.adults):
                own_children = [c for c in household.children if adult.id in c.parent_ids]
                rows["household_index"].append(household_row)
                rows["position"].append(position)
                rows["adult_ids"].append(adult.id)
                rows["adult_names"].append(adult.name)
                rows["birth_date"].append(adult.birth_date)
                rows["applies_for_help"].append(adult.applies_for_help)
                rows["lives_with_parents"].append(tri(adult.lives_with_parents))
                rows["is_aktivitetsparat"].append(tri(adult.is_aktivitetsparat))
                rows["is_pregnant_past_week_12"].append(adult.is_pregnant_past_week_12)
                rows["has_mental_illness"].append(adult.has_mental_illness)
                rows["receives_ekstra_boernetilskud"].append(adult.receives_ekstra_boernetilskud)
                rows["has_vocational_education"].append(tri(adult.has_vocational_education))
                rows["meets_residence_and_employment_requirement"].append(
                    tri(adult.meets_residence_and_employment_requirement)
                )
                rows["has_full_time_work_2_5_of_last_10_years"].append(
                    tri(adult.has_full_time_work_2_5_of_last_10_years)
                )
                rows["months_on_help"].append(UNKNOWN if adult.months_on_help is None else adult.months_on_help)
                rows["transitional_supplement_entitled"].append(tri(adult.transitional_supplement_entitled))
                rows["children_in_custody"].append(len(own_children))
                rows["youngest_child_birth_date"].append(max((c.birth_date for c in own_children), default=None))
                rows["work_income"].append(adult.work_income_ore)
                rows["work_hours_hundredths"].append(int(adult.work_hours * 100))
                rows["other_income"].append(adult.other_income_ore)
                rows["child_maintenance_paid"].append(adult.child_maintenance_paid_ore)
        return cls(
            household_ids=np.array(rows["household_ids"], dtype=object),
            household_index=np.array(rows["household_index"], dtype=np.int64),
            position=np.array(rows["position"], dtype=np.int32),
            adult_ids=np.array(rows["adult_ids"], dtype=object),
            adult_names=np.array(rows["adult_names"], dtype=object),
            birth_date=np.array(rows["birth_date"], dtype="datetime64[D]"),
            applies_for_help=np.array(rows["applies_for_help"], dtype=bool),
            lives_with_parents=np.array(rows["lives_with_parents"], dtype=np.int8),
            is_aktivitetsparat=np.array(rows["is_aktivitetsparat"], dtype=np.int8),
            is_pregnant_past_week_12=np.array(rows["is_pregnant_past_week_12"], dtype=bool),
            has_mental_illness=np.array(rows["has_mental_illness"], dtype=bool),
            receives_ekstra_boernetilskud=np.array(rows["receives_ekstra_boernetilskud"], dtype=bool),
            has_vocational_education=np.array(rows["has_vocational_education"], dtype=np.int8),
            meets_residence_and_employment_requirement=np.array(
                rows["meets_residence_and_employment_requirement"], dtype=np.int8
            ),
            has_full_time_work_2_5_of_last_10_years=np.array(
                rows["has_full_time_work_2_5_of_last_10_years"], dtype=np.int8
            ),
            months_on_help=np.array(rows["months_on_help"], dtype=np.int32),
            transitional_supplement_entitled=np.array(rows["transitional_supplement_entitled"], dtype=np.int8),
            children_in_custody=np.array(rows["children_in_custody"], dtype=np.int32),
            youngest_child_birth_date=np.array(
                [np.datetime64("NaT") if d is None else d for d in rows["youngest_child_birth_date"]],
                dtype="datetime64[D]",
            ),
            work_income=np.array(rows["work_income"], dtype=np.int64),
            work_hours_hundredths=np.array(rows["work_hours_hundredths"], dtype=np.int64),
            other_income=np.array(rows["other_income"], dtype=np.int64),
            child_maintenance_paid=np.array(rows["child_maintenance_paid"], dtype=np.int64),
            number_of_children=np.array(rows["number_of_children"], dtype=np.int32),
        )


def _tri_state(value: bool | None) -> int:
    return UNKNOWN if value is None else int(value)


def age_on(birth_dates: npt.NDArray[np.datetime64], on: date) -> npt.NDArray[np.int64]:
    """Whole years of age on ``on`` (same rule as the OpenFisca ``age`` variable)."""
    birth = birth_dates.astype("datetime64[D]")
    birth_year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    birth_month_start = birth.astype("datetime64[M]")
    birth_month = birth_month_start.astype(np.int64) % 12 + 1
    birth_day = (birth - birth_month_start.astype("datetime64[D]")).astype(np.int64) + 1
    not_yet = (birth_month > on.month) | ((birth_month == on.month) & (birth_day > on.day))
    return on.year - birth_year - not_yet


def check_facts_for_month(columns: HouseholdColumns, month: date) -> None:
    """Raise InputError naming each fact the month's law needs but was not stated.

    Vectorised: the checks are array masks; only the (few) failing rows are
    turned into messages.
    """
    month_end = (np.datetime64(month, "M") + 1).astype("datetime64[D]") - 1
    applies = columns.applies_for_help
    age = age_on(columns.birth_date, month)
    under_30 = age < 30
    checks: list[tuple[npt.NDArray[np.bool_], str, str]] = [
        (
            columns.birth_date > month_end,
            "birth_date",
            f"the person is not born by the end of {month:%Y-%m}",
        ),
        (
            columns.youngest_child_birth_date > month_end,
            "children",
            f"a child in custody is not born by the end of {month:%Y-%m}",
        ),
        (applies & (columns.lives_with_parents == UNKNOWN), "lives_with_parents", "required for an applicant"),
        (applies & (columns.is_aktivitetsparat == UNKNOWN), "is_aktivitetsparat", "required for an applicant"),
    ]
    if month < NEW_LAW_START:
        checks.append(
            (
                applies & under_30 & (columns.has_vocational_education == UNKNOWN),
                "has_vocational_education",
                f"required for an applicant under 30 in {month:%Y-%m} "
                "(before 1 July 2025: kontanthjælp or uddannelseshjælp, LAS §§ 23 and 25)",
            )
        )
    else:
        checks += [
            (
                applies & (columns.meets_residence_and_employment_requirement == UNKNOWN),
                "meets_residence_and_employment_requirement",
                f"required for an applicant in {month:%Y-%m} (mindstesats, LAS §§ 16-20)",
            ),
            (
                applies & (age >= 25) & under_30 & (columns.has_full_time_work_2_5_of_last_10_years == UNKNOWN),
                "has_full_time_work_2_5_of_last_10_years",
                f"required for an applicant aged 25-29 in {month:%Y-%m} (grundsats or forhøjet sats)",
            ),
            (
                applies & (columns.children_in_custody > 0) & (columns.months_on_help == UNKNOWN),
                "months_on_help",
                f"required for an applicant with children in {month:%Y-%m} (fritidstillæg from the 3rd month)",
            ),
        ]
        if month < TRANSITIONAL_END:
            checks.append(
                (
                    applies & under_30 & (columns.transitional_supplement_entitled == UNKNOWN),
                    "transitional_supplement_entitled",
                    f"required for an applicant under 30 in {month:%Y-%m} "
                    "(midlertidigt tilpasningstillæg, 1 July 2025 - 30 June 2027)",
                )
            )
    problems: list[FieldProblem] = []
    for mask, field, message in checks:
        for row in np.flatnonzero(mask)[:50]:
            problems.append(FieldProblem(_location(columns, int(row), field), message))
    if problems:
        raise InputError(problems)


def _location(columns: HouseholdColumns, row: int, field: str) -> tuple[str | int, ...]:
    household = int(columns.household_index[row])
    return ("households", household, "adults", int(columns.position[row]), field)

"""The benefits side's one door to the rules: facts in, breakdowns out.

Everything that calls `jobcenter.rules` (the CLI, the API, later the payment
runs) goes through here, so that input errors and unknown rates are turned
into the same clear Danish messages everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError as PydanticValidationError

from jobcenter.benefits.queries import approved_rate_tables
from jobcenter.rules import (
    CalculationRequest,
    HouseholdColumns,
    HouseholdInput,
    HouseholdResult,
    InputError,
    MissingParameterError,
    RateTable,
    calculate_month,
)
from jobcenter.rules.api import MonthResult


@dataclass(frozen=True)
class InputProblem:
    field: str
    message: str


class CalculationRefused(Exception):
    """The calculation was not made; `problems` say why, per field."""

    def __init__(self, message: str, problems: list[InputProblem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def households_from_document(document: Any) -> list[Any]:
    """A file holds one household, a list of them, or {"households": [...]}.

    Top-level keys that begin with "_" are comments (the examples in
    jobcenter/benefits/examples use `_comment` and `_month`) and are left out.
    """
    if isinstance(document, dict) and "households" in document:
        document = document["households"]
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        raise CalculationRefused('Filen skal indeholde en husstand, en liste af husstande eller {"households": [...]}.')
    return [
        {key: value for key, value in item.items() if not str(key).startswith("_")} if isinstance(item, dict) else item
        for item in document
    ]


def calculate(households: list[Any], month: str, rate_tables: list[RateTable] | None = None) -> list[HouseholdResult]:
    """Validate the households and compute `month` for all of them in one call.

    The rates are the package's own plus every approved rate table
    (`rate_tables`, read from the database when not given): a table that is
    only imported, not yet approved by a second person, has no effect.
    """
    try:
        request = CalculationRequest.model_validate({"month": month, "households": households})
    except PydanticValidationError as error:
        problems = [InputProblem(".".join(str(part) for part in item["loc"]), item["msg"]) for item in error.errors()]
        raise CalculationRefused("Oplysningerne om husstanden er ikke gyldige.", problems) from None
    with _refusals_in_danish():
        if rate_tables is None:
            rate_tables = approved_rate_tables()
        result = calculate_month(request.households, request.month, extra_parameters=rate_tables or None)
    return list(result)


@contextmanager
def _refusals_in_danish() -> Iterator[None]:
    """The rules' InputError and MissingParameterError as CalculationRefused, in Danish."""
    try:
        yield
    except InputError as error:
        problems = [InputProblem(problem.field, problem.msg) for problem in error.problems]
        raise CalculationRefused("Der mangler oplysninger, som reglerne for måneden kræver.", problems) from None
    except MissingParameterError as error:
        raise CalculationRefused(
            f"Satsen '{error.parameter}' er ikke kendt og godkendt for {error.month}. "
            "Beregningen afvises i stedet for at gætte; satstabellen for perioden skal importeres og godkendes.",
            [InputProblem("month", f"ingen godkendt sats for {error.parameter}")],
        ) from None


def input_schema() -> dict[str, Any]:
    """The JSON Schema of one household, as the CLI and the API take it."""
    return HouseholdInput.model_json_schema()


def columns_from_stored_facts(households: Sequence[dict[str, Any]]) -> HouseholdColumns:
    """Columns straight from stored facts (HouseholdInput.model_dump(mode="json") of a
    decision), without building pydantic models: the payment run's fast path.

    The facts were validated as HouseholdInput when the decision was made; the
    month-dependent checks still run in calculate_month.
    """
    rows: list[int] = []
    positions: list[int] = []
    adults: list[dict[str, Any]] = []
    custody: list[list[str]] = []
    for row, household in enumerate(households):
        children = household["children"]
        for position, adult in enumerate(household["adults"]):
            rows.append(row)
            positions.append(position)
            adults.append(adult)
            custody.append([c["birth_date"] for c in children if adult["id"] in c["parent_ids"]] if children else [])
    # One pass over the adults for all the facts (C-level itemgetter), then one array per fact.
    values = dict(zip(_ADULT_FACTS, zip(*map(itemgetter(*_ADULT_FACTS), adults), strict=True), strict=True))

    def tri(name: str) -> npt.NDArray[np.int8]:
        # yes / no / not stated as 1 / 0 / -1, mapped in C (a validated fact is True, False or None)
        return np.fromiter(map(_TRI_STATE.__getitem__, values[name]), dtype=np.int8, count=len(adults))

    hours = values["work_hours"]
    return HouseholdColumns.from_arrays(
        household_ids=np.array([h["id"] for h in households], dtype=object),
        household_index=np.array(rows, dtype=np.int64),
        position=np.array(positions, dtype=np.int32),
        adult_ids=np.array(values["id"], dtype=object),
        adult_names=np.array(values["name"], dtype=object),
        birth_date=np.array(values["birth_date"], dtype="datetime64[D]"),
        applies_for_help=np.array(values["applies_for_help"], dtype=bool),
        lives_with_parents=tri("lives_with_parents"),
        is_aktivitetsparat=tri("is_aktivitetsparat"),
        is_pregnant_past_week_12=np.array(values["is_pregnant_past_week_12"], dtype=bool),
        has_mental_illness=np.array(values["has_mental_illness"], dtype=bool),
        receives_ekstra_boernetilskud=np.array(values["receives_ekstra_boernetilskud"], dtype=bool),
        has_vocational_education=tri("has_vocational_education"),
        meets_residence_and_employment_requirement=tri("meets_residence_and_employment_requirement"),
        has_full_time_work_2_5_of_last_10_years=tri("has_full_time_work_2_5_of_last_10_years"),
        months_on_help=np.array([-1 if v is None else v for v in values["months_on_help"]], dtype=np.int32),
        transitional_supplement_entitled=tri("transitional_supplement_entitled"),
        children_in_custody=np.array([len(dates) for dates in custody], dtype=np.int32),
        youngest_child_birth_date=np.array(
            [max(dates) if dates else "NaT" for dates in custody], dtype="datetime64[D]"
        ),
        work_income=np.array(values["work_income_ore"], dtype=np.int64),
        work_hours_hundredths=np.array(
            [0 if value in ("0", "0.00") else int(Decimal(value) * 100) for value in hours], dtype=np.int64
        ),
        other_income=np.array(values["other_income_ore"], dtype=np.int64),
        child_maintenance_paid=np.array(values["child_maintenance_paid_ore"], dtype=np.int64),
        number_of_children=np.array([len(h["children"]) for h in households], dtype=np.int32),
    )


_TRI_STATE = {None: -1, False: 0, True: 1}

_ADULT_FACTS = (
    "id",
    "name",
    "birth_date",
    "applies_for_help",
    "lives_with_parents",
    "is_aktivitetsparat",
    "is_pregnant_past_week_12",
    "has_mental_illness",
    "receives_ekstra_boernetilskud",
    "has_vocational_education",
    "meets_residence_and_employment_requirement",
    "has_full_time_work_2_5_of_last_10_years",
    "months_on_help",
    "transitional_supplement_entitled",
    "work_income_ore",
    "work_hours",
    "other_income_ore",
    "child_maintenance_paid_ore",
)


def calculate_stored(
    households: Sequence[dict[str, Any]], month: str, rate_tables: list[RateTable] | None = None
) -> MonthResult:
    """The rules' result for stored, already validated facts, in ONE call: the totals as arrays,
    each household's breakdown built on demand (`result[i]`). Refusals as `calculate`."""
    with _refusals_in_danish():
        if rate_tables is None:
            rate_tables = approved_rate_tables()
        return calculate_month(columns_from_stored_facts(households), month, extra_parameters=rate_tables or None)


def validated_facts(facts: Any) -> dict[str, Any]:
    """A household's facts as a decision stores them: validated, defaults filled in."""
    try:
        household = HouseholdInput.model_validate(facts)
    except PydanticValidationError as error:
        problems = [InputProblem(".".join(str(part) for part in item["loc"]), item["msg"]) for item in error.errors()]
        raise CalculationRefused("Oplysningerne om husstanden er ikke gyldige.", problems) from None
    return household.model_dump(mode="json")

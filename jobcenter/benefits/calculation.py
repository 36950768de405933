"""The benefits side's one door to the rules: facts in, breakdowns out.

Everything that calls `jobcenter.rules` (the CLI, the API, later the payment
runs) goes through here, so that input errors and unknown rates are turned
into the same clear Danish messages everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from jobcenter.benefits.queries import approved_rate_tables
from jobcenter.rules import (
    CalculationRequest,
    HouseholdInput,
    HouseholdResult,
    InputError,
    MissingParameterError,
    RateTable,
    calculate_month,
)


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
    try:
        if rate_tables is None:
            rate_tables = approved_rate_tables()
        result = calculate_month(request.households, request.month, extra_parameters=rate_tables or None)
    except InputError as error:
        problems = [InputProblem(problem.field, problem.msg) for problem in error.problems]
        raise CalculationRefused("Der mangler oplysninger, som reglerne for måneden kræver.", problems) from None
    except MissingParameterError as error:
        raise CalculationRefused(
            f"Satsen '{error.parameter}' er ikke kendt og godkendt for {error.month}. "
            "Beregningen afvises i stedet for at gætte; satstabellen for perioden skal importeres og godkendes.",
            [InputProblem("month", f"ingen godkendt sats for {error.parameter}")],
        ) from None
    return list(result)


def input_schema() -> dict[str, Any]:
    """The JSON Schema of one household, as the CLI and the API take it."""
    return HouseholdInput.model_json_schema()

"""Rate tables: new or corrected parameter values, imported by administrators.

The yearly satsregulering (and any correction) arrives as a rate table in
YAML or CSV. The Django side stores it and has a second person approve it;
this module only parses, validates and applies it, purely.

Format (YAML)::

    title: Satsregulering 2026
    entries:
      - parameter: new_law.base_rates.grundsats   # a leaf of parameters/
        effective_from: 2026-01-01
        valid_until: 2026-12-31        # optional, see below
        value: 7466                    # kr. for currency-DKK; null = "not found"
        unit: currency-DKK             # must equal the parameter's unit
        reference: LAS § 17            # the paragraph
        source_url: https://bm.dk/...  # where the figure was read
        source_title: Satser for 2026
        source_kind: official          # official | secondary | derived
        derived_from: null             # required when source_kind is derived

CSV: one header row with the same field names (``title`` is given to
:func:`parse_rate_table`); an empty cell is "not given".

``valid_until`` (inclusive): when omitted, a parameter with
``validity: calendar_year`` (a yearly rate) holds until 31 December of the
year it takes effect, and ``until_amended`` parameters (fixed in the law's
text) hold until the next value. A yearly rate may not run past 31
December: next year's rate is a new entry.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

import yaml
from openfisca_core.parameters import Parameter, ParameterAtInstant
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jobcenter.rules.errors import FieldProblem, RateTableError
from jobcenter.rules.parameters import CALENDAR_YEAR, check_parameter_validity, get_parameter

FIELDS = (
    "parameter",
    "effective_from",
    "valid_until",
    "value",
    "unit",
    "reference",
    "source_url",
    "source_title",
    "source_kind",
    "derived_from",
)


class RateTableEntry(BaseModel):
    """One dated value of one parameter, with its paragraph and source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    parameter: str = Field(
        min_length=1, description="Dotted name of a parameter leaf, e.g. new_law.base_rates.grundsats."
    )
    effective_from: date = Field(description="First day the value applies.")
    valid_until: date | None = Field(default=None, description="Last day the value applies (inclusive).")
    value: Decimal | bool | None = Field(
        description="The value: kroner for currency-DKK, a share (0.65) for /1; null records 'not found'."
    )
    unit: str = Field(min_length=1, description="The parameter's unit, repeated as a check.")
    reference: str = Field(min_length=1, description="The paragraph, e.g. 'LAS § 17, stk. 2'.")
    source_url: str = Field(min_length=1, pattern=r"^https?://", description="Address of the source.")
    source_title: str = Field(min_length=1, description="Title of the source document or page.")
    source_kind: Literal["official", "secondary", "derived"]
    derived_from: str | None = Field(default=None, description="How a derived value was computed.")

    @model_validator(mode="after")
    def _consistent(self) -> RateTableEntry:
        if self.valid_until is not None and self.valid_until < self.effective_from:
            raise ValueError("valid_until is before effective_from")
        if self.source_kind == "derived" and not self.derived_from:
            raise ValueError("derived_from is required when source_kind is 'derived'")
        return self


class RateTable(BaseModel):
    """A set of parameter values to apply together (one import)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    entries: list[RateTableEntry] = Field(min_length=1)


def parse_rate_table(text: str, format: Literal["yaml", "csv"] = "yaml", title: str | None = None) -> RateTable:
    """Parse and validate the table's shape; RateTableError names each bad field.

    This checks the table on its own. :func:`validate_rate_table` checks it
    against the parameters (names, units, values, dates).
    """
    if format == "yaml":
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise RateTableError([FieldProblem(("yaml",), f"not valid YAML: {error}")]) from None
        if not isinstance(data, dict):
            raise RateTableError([FieldProblem((), "expected a mapping with 'title' and 'entries'")])
        loc_prefix: tuple[str | int, ...] = ()
    elif format == "csv":
        reader = csv.DictReader(io.StringIO(text))
        header = reader.fieldnames or []
        unknown = [name for name in header if name not in FIELDS]
        missing = [name for name in FIELDS if name not in header and name not in ("valid_until", "derived_from")]
        if unknown or missing:
            problems = [FieldProblem(("header", name), "unknown column") for name in unknown]
            problems += [FieldProblem(("header", name), "missing column") for name in missing]
            raise RateTableError(problems)
        rows = [{key: (value if value != "" else None) for key, value in row.items()} for row in reader]
        data = {"title": title or "CSV rate table", "entries": rows}
        loc_prefix = ()
    else:
        raise ValueError(f"unknown format {format!r}")
    try:
        return RateTable.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(item["loc"])
            if format == "csv" and len(loc) >= 2 and loc[0] == "entries":
                # CSV: row 1 is the header, so entry 0 is row 2.
                loc = ("row", int(loc[1]) + 2, *loc[2:])
            problems.append(FieldProblem(loc_prefix + loc, item["msg"]))
        raise RateTableError(problems) from None


def _check_value(entry: RateTableEntry, unit: str) -> str | None:
    value = entry.value
    if value is None:
        return None
    if unit == "bool":
        return None if isinstance(value, bool) else "must be true or false"
    if isinstance(value, bool):
        return "must be a number"
    if value < 0:
        return "must not be negative"
    if unit == "currency-DKK":
        return None if (value * 100) == (value * 100).to_integral_value() else "must be whole øre (at most 2 decimals)"
    if unit == "/1":
        if value > 1:
            return "a share must be between 0 and 1 (65 % is 0.65)"
        return None if (value * 10000) == (value * 10000).to_integral_value() else "at most 4 decimals"
    return None if value == value.to_integral_value() else "must be a whole number"


def validate_rate_table(table: RateTable, system: TaxBenefitSystem) -> None:
    """Check each entry against the parameters; RateTableError names the field."""
    problems: list[FieldProblem] = []
    spans: dict[str, list[tuple[date, date | None, int]]] = {}
    for index, entry in enumerate(table.entries):
        loc: tuple[str | int, ...] = ("entries", index)
        try:
            parameter = get_parameter(system.parameters, entry.parameter)
        except KeyError:
            problems.append(FieldProblem((*loc, "parameter"), f"unknown parameter '{entry.parameter}'"))
            continue
        unit = str(parameter.metadata.get("unit"))
        if entry.unit != unit:
            problems.append(
                FieldProblem((*loc, "unit"), f"'{entry.unit}' does not match the parameter's unit '{unit}'")
            )
            continue
        message = _check_value(entry, unit)
        if message:
            problems.append(FieldProblem((*loc, "value"), message))
        until = effective_until(entry, parameter)
        yearly = parameter.metadata.get("validity") == CALENDAR_YEAR
        if yearly and until is not None and until.year != entry.effective_from.year:
            problems.append(
                FieldProblem(
                    (*loc, "valid_until"),
                    "a yearly rate (satsregulering) holds within one calendar year; "
                    "give next year's value as a new entry",
                )
            )
        for other_start, other_until, other_index in spans.get(entry.parameter, []):
            if (other_until is None or entry.effective_from <= other_until) and (until is None or other_start <= until):
                problems.append(
                    FieldProblem(
                        (*loc, "effective_from"),
                        f"overlaps entry {other_index} for the same parameter",
                    )
                )
        spans.setdefault(entry.parameter, []).append((entry.effective_from, until, index))
    if problems:
        raise RateTableError(problems)


def effective_until(entry: RateTableEntry, parameter: Parameter) -> date | None:
    """The entry's last day: as given, else 31 December for a yearly rate."""
    if entry.valid_until is not None:
        return entry.valid_until
    if parameter.metadata.get("validity") == CALENDAR_YEAR:
        return date(entry.effective_from.year, 12, 31)
    return None


def apply_rate_tables(system: TaxBenefitSystem, tables: Sequence[RateTable]) -> TaxBenefitSystem:
    """Lay the tables' values over ``system``'s parameters (in place) and return it.

    Each entry replaces whatever held between its first and last day; after
    its last day, the value that held before (or nothing: null) resumes.
    """
    for table in tables:
        validate_rate_table(table, system)
        for entry in table.entries:
            parameter = get_parameter(system.parameters, entry.parameter)
            _set_value(parameter, entry, effective_until(entry, parameter))
    system._parameters_at_instant_cache = {}  # type: ignore[attr-defined]
    problems = check_parameter_validity(system.parameters)
    if problems:
        raise RateTableError([FieldProblem(("entries",), problem) for problem in problems])
    return system


def _plain(value: Decimal | bool | None) -> Any:
    if value is None or isinstance(value, bool):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def _set_value(parameter: Parameter, entry: RateTableEntry, until: date | None) -> None:
    start = entry.effective_from.isoformat()
    stop = (until + timedelta(days=1)).isoformat() if until is not None else None
    entries = list(reversed(parameter.values_list))  # oldest first
    resumed = None
    if stop is not None:
        before_stop = [e for e in entries if e.instant_str < stop]
        resumed = before_stop[-1] if before_stop else None
        if any(e.instant_str == stop for e in entries):
            resumed = None  # something already starts exactly at stop
    kept = [e for e in entries if e.instant_str < start or (stop is not None and e.instant_str >= stop)]
    metadata = {
        "source_kind": entry.source_kind,
        "source_url": entry.source_url,
        "source_title": entry.source_title,
        "reference": entry.reference,
        "imported_from": "rate table",
    }
    if entry.derived_from:
        metadata["derived_from"] = entry.derived_from
    new = ParameterAtInstant(parameter.name, start, data={"value": _plain(entry.value), "metadata": metadata})
    kept.append(new)
    if stop is not None and not any(e.instant_str == stop for e in kept):
        if resumed is not None:
            copy = resumed.clone()
            copy.instant_str = stop
            kept.append(copy)
        else:
            kept.append(
                ParameterAtInstant(
                    parameter.name, stop, data={"value": None, "metadata": {"note": "after the imported value"}}
                )
            )
    parameter.values_list = sorted(kept, key=lambda e: e.instant_str, reverse=True)

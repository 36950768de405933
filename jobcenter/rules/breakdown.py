"""The result of a calculation and its breakdown ("why this amount?").

The same structure feeds pages, letters, the API and payment runs: small
frozen dataclasses with ``to_dict()`` for JSON, and :func:`render_text` for
a Danish plain-text explanation. Every line names the rule in Danish, the
paragraph, the amount in øre and the parameter values used with their
sources; a person's lines sum exactly to the person's total, and the
persons' totals to the household's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jobcenter.rules.money import format_kroner
from jobcenter.rules.parameters import ParameterValue

DANISH_MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip


@dataclass(frozen=True)
class BreakdownLine:
    """One line: a rate or tillæg (positive) or a deduction (negative)."""

    rule: str
    reference: str
    amount_ore: int
    parameters: tuple[ParameterValue, ...] = ()
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "reference": self.reference,
            "amount_ore": self.amount_ore,
            "detail": self.detail,
            "parameters": [parameter.to_dict() for parameter in self.parameters],
        }


@dataclass(frozen=True)
class PersonResult:
    """The help to one adult for the month, with its lines."""

    person_id: str
    name: str | None
    receives_help: bool
    rate: str
    total_ore: int
    lines: tuple[BreakdownLine, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "receives_help": self.receives_help,
            "rate": self.rate,
            "total_ore": self.total_ore,
            "note": self.note,
            "lines": [line.to_dict() for line in self.lines],
        }


@dataclass(frozen=True)
class HouseholdResult:
    """The help to one household for one month."""

    household_id: str
    month: str  # "YYYY-MM"
    law: str  # Danish: which rules applied
    total_ore: int
    persons: tuple[PersonResult, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "household_id": self.household_id,
            "month": self.month,
            "law": self.law,
            "total_ore": self.total_ore,
            "persons": [person.to_dict() for person in self.persons],
        }


def month_in_danish(month: str) -> str:
    year, number = month.split("-")
    return f"{DANISH_MONTHS[int(number) - 1]} {year}"


def parameter_source_text(parameter: ParameterValue) -> str:
    kind = {"official": "officiel", "secondary": "sekundær", "derived": "afledt"}.get(
        parameter.source_kind or "", parameter.source_kind or "ukendt"
    )
    where = parameter.source_title or ""
    if parameter.source_url:
        where = f"{where} ({parameter.source_url})" if where else parameter.source_url
    until = f" til {parameter.valid_until}" if parameter.valid_until else ""
    return f"gælder fra {parameter.effective_from}{until}; kilde ({kind}): {where}"


def parameter_value_text(parameter: ParameterValue) -> str:
    value = parameter.value
    if parameter.unit == "currency-DKK" and value is not None:
        from jobcenter.rules.money import kroner_to_ore

        return format_kroner(kroner_to_ore(value))  # type: ignore[arg-type]
    if parameter.unit == "/1" and value is not None:
        return f"{float(value) * 100:g} %".replace(".", ",")
    return str(value)


def render_text(result: HouseholdResult) -> str:
    """A plain-text explanation in Danish, for caseworker and citizen."""
    width = 52
    lines = [
        f"Beregning af hjælp for {month_in_danish(result.month)}",
        f"Husstand: {result.household_id}",
        f"Regler: {result.law}",
        "",
    ]
    for person in result.persons:
        heading = person.name or person.person_id
        lines.append(f"{heading} – {person.rate}")
        if person.note:
            lines.append(f"  {person.note}")
        for line in person.lines:
            lines.append(f"  {line.rule:<{width}}{format_kroner(line.amount_ore):>16}")
            lines.append(f"    {line.reference}")
            if line.detail:
                lines.append(f"    {line.detail}")
        if person.receives_help:
            lines.append(f"  {'I alt':<{width}}{format_kroner(person.total_ore):>16}")
        lines.append("")
    lines.append(f"{'Husstandens hjælp i alt':<{width + 2}}{format_kroner(result.total_ore):>16}")
    used: dict[tuple[str, str], ParameterValue] = {}
    for person in result.persons:
        for line in person.lines:
            for parameter in line.parameters:
                used[(parameter.name, parameter.effective_from)] = parameter
    if used:
        lines += ["", "Satser og beløb brugt:"]
        for parameter in used.values():
            lines.append(f"  {parameter.description}: {parameter_value_text(parameter)} ({parameter.reference})")
            lines.append(f"    {parameter_source_text(parameter)}")
    return "\n".join(lines) + "\n"

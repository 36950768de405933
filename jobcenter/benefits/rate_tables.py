"""Reading an uploaded rate table and checking it, with Danish messages.

The rules package parses and validates tables (jobcenter/rules/rate_tables.py)
in its own, English, terms. This module is the benefits office's side of it:
it turns each problem into a Danish line that names the row or entry and the
field, and checks a table together with the tables already approved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jobcenter.benefits.queries import approved_rate_tables
from jobcenter.rules import FieldProblem, RateTable, RateTableError, tax_benefit_system
from jobcenter.rules import parse_rate_table as parse_rules_rate_table
from jobcenter.rules import validate_rate_table as validate_rules_rate_table
from jobcenter.rules.api import base_tax_benefit_system


@dataclass(frozen=True)
class RateTableProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class RateTableRefused(Exception):
    """The rate table was not imported, approved or rejected; `problems` say why."""

    def __init__(self, message: str, problems: Sequence[RateTableProblem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


# The rules package's messages (and pydantic's), in Danish. A message not
# listed is shown as it is rather than hidden.
_DANISH_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"^not valid YAML", "filen er ikke gyldig YAML"),
    (r"^expected a mapping", "filen skal have felterne 'title' og 'entries'"),
    (r"^unknown column", "ukendt kolonne"),
    (r"^missing column", "kolonnen mangler"),
    (r"^Field required", "skal udfyldes"),
    (r"^Extra inputs are not permitted", "ukendt felt"),
    (r"^Input should be a valid date", "skal være en dato (ÅÅÅÅ-MM-DD)"),
    (r"^Input should be a valid decimal", "skal være et tal"),
    (r"^Input should be 'official', 'secondary' or 'derived'", "skal være official, secondary eller derived"),
    (r"^String should match pattern", "skal være en adresse, der begynder med http:// eller https://"),
    (r"^String should have at least 1 character", "skal udfyldes"),
    (r"^List should have at least 1 item", "tabellen skal have mindst én sats"),
    (r"^Value error, valid_until is before effective_from", "slutdatoen ligger før startdatoen"),
    (r"^Value error, derived_from is required", "derived_from skal udfyldes, når kilden er afledt (derived)"),
    (r"^must be true or false", "skal være true eller false"),
    (r"^must be a number", "skal være et tal"),
    (r"^must not be negative", "må ikke være negativ"),
    (r"^must be whole øre", "skal være hele øre (højst 2 decimaler)"),
    (r"^a share must be between 0 and 1", "en andel skal ligge mellem 0 og 1 (65 % skrives 0.65)"),
    (r"^at most 4 decimals", "højst 4 decimaler"),
    (r"^must be a whole number", "skal være et helt tal"),
    (r"^unknown parameter '(?P<name>[^']*)'", "ukendt parameter '{name}'"),
    (r"^'(?P<given>[^']*)' does not match the parameter's unit '(?P<unit>[^']*)'", "enheden skal være '{unit}'"),
    (r"^a yearly rate", "en årlig sats gælder inden for ét kalenderår; næste års sats er en ny linje"),
    (r"^overlaps entry (?P<index>\d+)", "overlapper en anden linje for samme parameter"),
)


def danish_message(message: str) -> str:
    for pattern, danish in _DANISH_MESSAGES:
        match = re.match(pattern, message)
        if match:
            return danish.format(**match.groupdict())
    return message


def _where(loc: tuple[str | int, ...]) -> str:
    """'række 3, value' for CSV, 'sats 1, value' for YAML (counted from 1)."""
    if len(loc) >= 2 and loc[0] == "row":
        return ", ".join([_("række %(row)s") % {"row": loc[1]}, *(str(part) for part in loc[2:])])
    if len(loc) >= 2 and loc[0] == "entries" and isinstance(loc[1], int):
        return ", ".join([_("sats %(number)s") % {"number": loc[1] + 1}, *(str(part) for part in loc[2:])])
    if loc in ((), ("yaml",)):
        return ""  # the file as a whole
    if len(loc) == 2 and loc[0] == "header":
        return _("kolonne '%(name)s'") % {"name": loc[1]}
    return ".".join(str(part) for part in loc)


def problems_in_danish(problems: Sequence[FieldProblem]) -> list[RateTableProblem]:
    return [RateTableProblem(_where(problem.loc), danish_message(problem.msg)) for problem in problems]


def read_rate_table(text: str, file_format: str, *, title: str | None = None) -> RateTable:
    """Parse and validate an uploaded table against the parameters; RateTableRefused if not valid."""
    if not text.strip():
        raise RateTableRefused(_("Filen er tom."))
    try:
        table = parse_rules_rate_table(text, "csv" if file_format == "csv" else "yaml", title=title)
        validate_rules_rate_table(table, base_tax_benefit_system())
    except RateTableError as error:
        raise RateTableRefused(_("Satstabellen er ikke gyldig."), problems_in_danish(error.problems)) from None
    return table


def check_against_approved(table: RateTable) -> None:
    """The table must also fit on top of every table already approved."""
    try:
        # Builds (and caches, by content) the system every calculation will use once the table is approved.
        tax_benefit_system([*approved_rate_tables(), table])
    except RateTableError as error:
        raise RateTableRefused(
            _("Satstabellen passer ikke sammen med de godkendte satstabeller."), problems_in_danish(error.problems)
        ) from None

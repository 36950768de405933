"""Errors raised by the rules package.

Each error says what is wrong in words a benefits officer can act on: the
parameter and the month, or the field of the input.
"""

from __future__ import annotations

from dataclasses import dataclass


class RulesError(Exception):
    """Base class for every error the rules package raises on purpose."""


class MissingParameterError(RulesError):
    """A calculation needs a rate that is not known for the month.

    Raised instead of guessing: a rate that the sources do not give (or
    that has not yet been imported and approved) is absent, and a result
    that depends on it is refused.
    """

    def __init__(
        self,
        parameter: str,
        month: str,
        *,
        affected: int = 0,
        household_ids: tuple[str, ...] = (),
        person_indices: tuple[int, ...] = (),
    ) -> None:
        self.parameter = parameter
        self.person_indices = person_indices
        self.month = month
        self.affected = affected
        self.household_ids = household_ids
        super().__init__(self._message())

    def _message(self) -> str:
        message = (
            f"Parameter '{self.parameter}' has no known value for {self.month}; "
            "the calculation is refused rather than guessed. "
            "Import and approve the rate table for that period."
        )
        if self.affected:
            message += f" Persons needing it: {self.affected}."
        if self.household_ids:
            shown = ", ".join(self.household_ids[:5])
            more = "" if len(self.household_ids) <= 5 else f" (+{len(self.household_ids) - 5} more)"
            message += f" Households: {shown}{more}."
        return message

    def with_households(self, household_ids: tuple[str, ...]) -> MissingParameterError:
        """Return a copy naming the households that needed the parameter."""
        return MissingParameterError(self.parameter, self.month, affected=self.affected, household_ids=household_ids)


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field of the input, located like pydantic does."""

    loc: tuple[str | int, ...]
    msg: str

    @property
    def field(self) -> str:
        """The location as a dotted path, e.g. ``households.0.adults.1.birth_date``."""
        return ".".join(str(part) for part in self.loc)


class InputError(RulesError, ValueError):
    """The facts given are incomplete or inconsistent for the month asked.

    Pydantic validates each household on its own; this error covers what
    only becomes clear with the month (a fact the month's law needs).
    """

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        lines = [f"{problem.field}: {problem.msg}" for problem in problems[:20]]
        if len(problems) > 20:
            lines.append(f"... and {len(problems) - 20} more")
        super().__init__(f"{len(problems)} input problem(s):\n" + "\n".join(lines))

    def errors(self) -> list[dict[str, object]]:
        """The problems in pydantic's error-list shape, for APIs."""
        return [{"loc": problem.loc, "msg": problem.msg} for problem in self.problems]


class RateTableError(RulesError, ValueError):
    """A rate table (satsregulering) to import is malformed or inconsistent."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        lines = [f"{problem.field}: {problem.msg}" for problem in problems]
        super().__init__("Rate table rejected:\n" + "\n".join(lines))

    def errors(self) -> list[dict[str, object]]:
        return [{"loc": problem.loc, "msg": problem.msg} for problem in self.problems]

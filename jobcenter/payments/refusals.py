"""What the payment run's modules share: the refusal (nothing written) and the progress callbacks."""

from __future__ import annotations

from collections.abc import Callable

from jobcenter.benefits.calculation import CalculationRefused

Progress = Callable[[str, int, int], None]
ChunkHook = Callable[[int], None]


class PaymentRunRefused(Exception):
    """The run was not started, approved or released; nothing was written."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class ReleaseInterrupted(PaymentRunRefused):
    """A release worker stopped before its share was paid; what was committed stands, nothing twice."""


def quiet(phase: str, done: int, total: int) -> None:
    return None


def problems_of(refused: CalculationRefused) -> list[str]:
    return [f"{problem.field}: {problem.message}" for problem in refused.problems]

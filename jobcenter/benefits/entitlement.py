"""What grants are owed for a month: the one place that turns decision versions, the month's
income and sanctions into day segments, the rules' breakdown per segment and the prorated amount.

A batch API: `month_entitlements` computes every segment of every grant it is given in ONE call
to the rules (the national payment run gives it a million grants); the single-grant callers (the
inbox's consequence preview, the decision page's preview) give it a batch of one. The payment run's
trial, its corrections for earlier months, the consequence preview and, through what the run stores,
the specification letters all have their amounts from here, so they agree to the øre.

The breakdowns are not built unless asked for (`Entitlements.breakdown`): the rules' result keeps
them as arrays (`jobcenter.rules.api.MonthResult`), and the run stores those arrays once per run
(`stored_breakdowns`/`breakdowns_from_store`), so a letter prints the breakdown that paid without
running the rules again.

Who has been paid what is the payments app's knowledge. Benefits never imports it: the payments
app registers a `PaidLedger` at start (`register_paid_ledger`), which the consequence preview and
the marking of paid months for recalculation ask.
"""

from __future__ import annotations

import calendar
import datetime
import io
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from jobcenter.benefits.calculation import calculate_stored
from jobcenter.benefits.periods import Version, segments_in_month
from jobcenter.rules import HouseholdResult, divide_round_half_up
from jobcenter.rules.api import MonthResult
from jobcenter.rules.columns import HouseholdColumns

Income = tuple[int, Any]  # (work income in øre, hours) as the income register reported them


def prorate(full_month_ore: npt.NDArray[np.int64], days: npt.NDArray[np.int64], days_in_month: int) -> Any:
    """A part of a month is paid by calendar days: full amount x days / days in the month,
    rounded to whole øre, half away from zero (the one rounding rule, rules/money.py).
    The basis is listed for legal review in docs/payments.md."""
    return divide_round_half_up(full_month_ore * days, days_in_month)


def with_income(facts: dict[str, Any], income: Income | None) -> dict[str, Any]:
    """The applicant's (first adult's) work income and hours as the income register reported them."""
    if income is None:
        return facts
    first = {**facts["adults"][0], "work_income_ore": int(income[0]), "work_hours": str(income[1])}
    return {**facts, "adults": [first, *facts["adults"][1:]]}


def days_in(month: datetime.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


@dataclass(frozen=True)
class EntitledSegment:
    """Days of the month governed by one decision version, with the help for a full month under
    it and the prorated amount for its days; `row` is its household in the month's rules result."""

    version: int
    days: int
    full_month_ore: int
    amount_ore: int
    row: int


@dataclass
class Entitlements:
    """Every given grant's help for one month. Grants without help in the month are absent
    (their amount and days are 0)."""

    month: datetime.date
    days_in_month: int
    amount: dict[uuid.UUID, int] = field(default_factory=dict)
    days: dict[uuid.UUID, int] = field(default_factory=dict)
    full_month: dict[uuid.UUID, int] = field(default_factory=dict)  # the last segment's full month
    # Per grant, its segments' places in the arrays below (consecutive: first, stop).
    places: dict[uuid.UUID, tuple[int, int]] = field(default_factory=dict)
    segment_version: list[int] = field(default_factory=list)
    segment_days: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    segment_full_ore: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    segment_amount_ore: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    result: MonthResult | None = None

    def segments(self, grant_id: uuid.UUID) -> list[EntitledSegment]:
        first, stop = self.places.get(grant_id, (0, 0))
        return [
            EntitledSegment(
                version=self.segment_version[row],
                days=int(self.segment_days[row]),
                full_month_ore=int(self.segment_full_ore[row]),
                amount_ore=int(self.segment_amount_ore[row]),
                row=row,
            )
            for row in range(first, stop)
        ]

    def breakdown(self, row: int) -> HouseholdResult:
        """The rules' breakdown of one segment's household (built from the result's arrays)."""
        if self.result is None:
            raise IndexError(row)
        return self.result[row]


def month_entitlements(
    versions: Mapping[uuid.UUID, Sequence[Version]],
    incomes: Mapping[uuid.UUID, Income | None],
    month: datetime.date,
) -> Entitlements:
    """Each grant's segments, days, full-month and prorated amounts for `month`, every segment of
    every grant in ONE call to the rules. `incomes` is the month's income per grant (its citizen's
    latest report; absent or None for none). CalculationRefused as `calculate` when the rules refuse."""
    entitled = Entitlements(month=month, days_in_month=days_in(month))
    owners: list[uuid.UUID] = []  # the grants with help in the month, each once
    owner_of_segment: list[int] = []  # per segment, its grant's place in `owners` (a grant's segments in a row)
    days: list[int] = []
    households: list[dict[str, Any]] = []
    for grant_id, grant_versions in versions.items():
        segments = segments_in_month(grant_versions, month)
        if not segments:
            continue
        income = incomes.get(grant_id)
        owner = len(owners)
        owners.append(grant_id)
        entitled.places[grant_id] = (len(days), len(days) + len(segments))
        for segment in segments:
            owner_of_segment.append(owner)
            days.append(segment.days)
            households.append(with_income(segment.version.facts, income))
            entitled.segment_version.append(segment.version.version)
    if not owners:
        return entitled
    result = calculate_stored(households, f"{month:%Y-%m}")
    full = result.household_total_ore
    segment_days = np.asarray(days, dtype=np.int64)
    prorated = np.asarray(prorate(full, segment_days, entitled.days_in_month), dtype=np.int64)
    # Sums per grant over its consecutive segments (exact integer sums), and the last segment's full month.
    where = np.asarray(owner_of_segment, dtype=np.int64)
    new_owner = np.empty(len(where), dtype=bool)
    new_owner[0] = True
    np.not_equal(where[1:], where[:-1], out=new_owner[1:])
    starts = np.flatnonzero(new_owner)
    lasts = np.append(starts[1:] - 1, len(where) - 1)
    entitled.amount = dict(zip(owners, np.add.reduceat(prorated, starts).tolist(), strict=True))
    entitled.days = dict(zip(owners, np.add.reduceat(segment_days, starts).tolist(), strict=True))
    entitled.full_month = dict(zip(owners, full[lasts].tolist(), strict=True))
    entitled.segment_days = segment_days
    entitled.segment_full_ore = np.asarray(full, dtype=np.int64)
    entitled.segment_amount_ore = prorated
    entitled.result = result
    return entitled


# -- The breakdowns as a run stores them ------------------------------------------------------

_COLUMN_FIELDS = list(HouseholdColumns.__dataclass_fields__)
_HOUSEHOLD_COLUMNS = ("household_ids", "number_of_children")  # one row per household; the others per adult
_TEXT_COLUMNS = ("household_ids", "adult_ids", "adult_names")
BREAKDOWN_BLOCK = 1000  # households per stored block: a letter reads one block, not the run's whole result


def stored_breakdowns(result: MonthResult, first: int, stop: int) -> bytes:
    """Households `first` to `stop` of the month's rules result as bytes (numpy's .npz, nothing
    pickled): their facts' columns and the rules' arrays, from which `breakdowns_from_store` builds
    each breakdown again without running the rules."""
    adult_first, adult_stop = (int(i) for i in np.searchsorted(result.columns.household_index, [first, stop]))
    arrays: dict[str, Any] = {}
    for name in _COLUMN_FIELDS:
        value = getattr(result.columns, name)
        value = value[first:stop] if name in _HOUSEHOLD_COLUMNS else value[adult_first:adult_stop]
        if name == "household_index":
            value = value - first
        if name in _TEXT_COLUMNS:
            # As one JSON text (fixed-width unicode arrays would pad every name to the longest).
            value = np.frombuffer(json.dumps([None if v is None else str(v) for v in value]).encode(), np.uint8)
        arrays[f"column.{name}"] = value
    for name, value in result.arrays.items():
        arrays[f"array.{name}"] = value[adult_first:adult_stop]
    arrays["meta.month"] = np.frombuffer(f"{result.month:%Y-%m}".encode(), np.uint8)
    arrays["meta.additions"] = np.frombuffer(json.dumps(list(result.additions)).encode(), np.uint8)
    out = io.BytesIO()
    np.savez(out, **arrays)
    return out.getvalue()


def breakdowns_from_store(data: bytes) -> MonthResult:
    """A block stored by `stored_breakdowns`: `result[row - first]` is a segment's breakdown.

    The rates' descriptions printed beside the lines are the approved ones for the month, as when
    the run computed it (an approved rate table is not changed afterwards)."""
    from jobcenter.benefits.queries import approved_rate_tables
    from jobcenter.rules.api import NEW_LAW_START, tax_benefit_system

    columns: dict[str, Any] = {}
    arrays: dict[str, Any] = {}
    with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as stored:
        for key in stored.files:
            kind, _, name = key.partition(".")
            if kind == "column":
                value = stored[key]
                if name in _TEXT_COLUMNS:
                    value = np.array(json.loads(value.tobytes().decode()), dtype=object)
                columns[name] = value
            elif kind == "array":
                arrays[name] = stored[key]
        month = datetime.date.fromisoformat(stored["meta.month"].tobytes().decode() + "-01")
        additions = tuple(json.loads(stored["meta.additions"].tobytes().decode()))
    system = tax_benefit_system(approved_rate_tables() or None)
    return MonthResult(month, month >= NEW_LAW_START, HouseholdColumns(**columns), arrays, system, additions)


# -- What was paid: the payments app's knowledge, asked through a registered ledger ----------------


class PaidLedger(Protocol):
    def booked(self, grant_months: set[tuple[uuid.UUID, datetime.date]]) -> dict[tuple[uuid.UUID, datetime.date], int]:
        """What was booked for each (grant, month): the month's payment plus corrections for it since."""

    def paid_months(
        self, grant_id: uuid.UUID, first: datetime.date, last: datetime.date | None, *, bound: bool = True
    ) -> list[datetime.date]:
        """The grant's months from `first` (to `last`, when given) that are paid or, with `bound`,
        whose run is approved and so will pay the figures computed before."""


class _NothingPaid:
    def booked(self, grant_months: set[tuple[uuid.UUID, datetime.date]]) -> dict[tuple[uuid.UUID, datetime.date], int]:
        return dict.fromkeys(grant_months, 0)

    def paid_months(
        self, grant_id: uuid.UUID, first: datetime.date, last: datetime.date | None, *, bound: bool = True
    ) -> list[datetime.date]:
        return []


_ledger: list[PaidLedger] = [_NothingPaid()]


def register_paid_ledger(ledger: PaidLedger) -> None:
    """Called by the payments app at start (payments/apps.py)."""
    _ledger[0] = ledger


def paid_ledger() -> PaidLedger:
    return _ledger[0]

"""What grants are owed for a month: the one place that turns decision versions, the month's
income and sanctions into day segments, the rules' breakdown per segment and the prorated amount.

A batch API: `month_entitlements` computes every segment of every grant it is given in ONE call
to the rules (the national payment run gives it a million grants); the single-grant callers (the
inbox's consequence preview, the decision page's preview) give it a batch of one. The payment run's
trial, its corrections for earlier months, the consequence preview and, through what the run stores,
the specification letters all have their amounts from here, so they agree to the øre.

The breakdowns are not built unless asked for: the rules' result keeps them as arrays
(`Entitlements.result`, a `jobcenter.rules.api.MonthResult`), and the run stores those arrays once
per run (`stored_breakdowns`/`breakdowns_from_store`), so a letter prints the breakdown that paid
without running the rules again.

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
from typing import Any, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from jobcenter.benefits.calculation import calculate_stored
from jobcenter.benefits.periods import Version, segments_in_month
from jobcenter.rules import divide_round_half_up
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


class Owed(NamedTuple):
    """One grant's help for the month."""

    amount_ore: int  # prorated, summed over the segments
    days: int
    full_month_ore: int  # the last segment's help for a full month
    # Its day segments as a run's line stores them: [decision version, days, full month, amount,
    # share, row] each; (share, row) is the segment's household in the month's rules result.
    segments: list[list[int]]


NOTHING_OWED = Owed(0, 0, 0, [])


@dataclass
class Entitlements:
    """Every given grant's help for one month; a grant without help in the month is absent (owes nothing)."""

    month: datetime.date
    days_in_month: int
    owed: dict[uuid.UUID, Owed] = field(default_factory=dict)
    result: MonthResult | None = None  # the rules' result: `result[row]` is a segment's breakdown

    def of(self, grant_id: uuid.UUID) -> Owed:
        return self.owed.get(grant_id, NOTHING_OWED)

    @property
    def amount(self) -> dict[uuid.UUID, int]:
        return {grant_id: owed.amount_ore for grant_id, owed in self.owed.items()}


def month_entitlements(
    versions: Mapping[uuid.UUID, Sequence[Version]],
    citizens: Mapping[uuid.UUID, uuid.UUID],
    incomes: Mapping[uuid.UUID, Income],
    month: datetime.date,
    *,
    share: int = 0,
) -> Entitlements:
    """Each grant's segments, days, full-month and prorated amounts for `month`, every segment of
    every grant in ONE call to the rules. `citizens` is each grant's citizen and `incomes` the
    month's latest income report per citizen (none: no income). `share` tags the segments with
    the part of a parallel run they belong to. CalculationRefused as `calculate` when refused."""
    entitled = Entitlements(month=month, days_in_month=days_in(month))
    owners: list[uuid.UUID] = []  # the grants with help in the month, each once
    owner_of_segment: list[int] = []  # per segment, its grant's place in `owners` (a grant's segments in a row)
    days: list[int] = []
    versions_used: list[int] = []
    households: list[dict[str, Any]] = []
    for grant_id, grant_versions in versions.items():
        segments = segments_in_month(grant_versions, month)
        if not segments:
            continue
        income = incomes.get(citizens[grant_id])
        owner = len(owners)
        owners.append(grant_id)
        for segment in segments:
            owner_of_segment.append(owner)
            days.append(segment.days)
            versions_used.append(segment.version.version)
            households.append(with_income(segment.version.facts, income))
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
    rows = [
        [version, day_count, full_ore, amount_ore, share, row]
        for row, (version, day_count, full_ore, amount_ore) in enumerate(
            zip(versions_used, days, full.tolist(), prorated.tolist(), strict=True)
        )
    ]
    # One dict for the grants (a national run looks each grant up once: a UUID's hash is not cheap).
    entitled.owed = dict(
        zip(
            owners,
            map(
                Owed,
                np.add.reduceat(prorated, starts).tolist(),
                np.add.reduceat(segment_days, starts).tolist(),
                full[lasts].tolist(),
                [rows[first : last + 1] for first, last in zip(starts.tolist(), lasts.tolist(), strict=True)],
            ),
            strict=True,
        )
    )
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

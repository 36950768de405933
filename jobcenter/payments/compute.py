"""The trial run's arithmetic: every grant of a municipality for a month, in one call to the rules.

Reads the decisions, the income and what was paid before; returns the lines
the run will pay, with what its letters print. The amounts are benefits/entitlement.py's.
Writes nothing (payments/actions.py does).
"""

from __future__ import annotations

import datetime
import gc
import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from jobcenter.benefits.actions import latest_income
from jobcenter.benefits.entitlement import BREAKDOWN_BLOCK, Entitlements, month_entitlements, stored_breakdowns
from jobcenter.benefits.models import Decision, Grant, RecalculationMark
from jobcenter.benefits.periods import Version, month_end, month_start, previous_month
from jobcenter.payments.claims import offset_for, open_claims
from jobcenter.payments.ledger import fetch_batches
from jobcenter.payments.models import Payment, PaymentCorrection

# Outliers shown on the run's page for a second look before approval.
OUTLIER_CHANGE_SHARE = 0.2  # more than 20 % up or down from last month ...
OUTLIER_CHANGE_MIN_ORE = 100_000  # ... and at least 1.000 kr.
OUTLIER_MAX_ORE = 3_000_000  # more than 30.000 kr. in one payment


@dataclass(slots=True)  # a national trial holds a million of them
class Line:
    grant_id: uuid.UUID
    citizen_id: uuid.UUID
    days: int
    full_month_ore: int
    regular_ore: int
    correction_ore: int
    amount_ore: int
    claim_ore: int
    previous_ore: int | None
    outlier: str
    corrections: list[dict[str, Any]] = field(default_factory=list)
    offset_ore: int = 0  # deducted for decided claims (payments/claims.py); amount_ore is net - offset
    # The month's day segments as paid: [decision version, days, full month, amount, share, row] each;
    # (share, row) is the segment's breakdown in the run's stored blocks (PaymentRunBreakdowns).
    segments: list[list[int]] = field(default_factory=list)


@dataclass
class Trial:
    lines: list[Line]
    without_nemkonto: list[uuid.UUID]  # citizens with something to pay and no NemKonto
    # The month's breakdowns, stored once for the run: (first row, block) per BREAKDOWN_BLOCK households.
    breakdowns: list[tuple[int, bytes]] = field(default_factory=list)


@dataclass(frozen=True)
class TrialTotals:
    """A trial's counts and sums, as the run stores them; the totals of shares add up."""

    grant_count: int = 0
    payment_count: int = 0
    total_ore: int = 0
    regular_total_ore: int = 0
    correction_total_ore: int = 0
    claim_total_ore: int = 0
    offset_total_ore: int = 0
    outlier_count: int = 0

    @classmethod
    def of(cls, lines: list[Line]) -> TrialTotals:
        return cls(
            grant_count=len(lines),
            payment_count=sum(1 for line in lines if line.amount_ore > 0),
            total_ore=sum(line.amount_ore for line in lines),
            regular_total_ore=sum(line.regular_ore for line in lines),
            correction_total_ore=sum(line.correction_ore for line in lines),
            claim_total_ore=sum(line.claim_ore for line in lines),
            offset_total_ore=sum(line.offset_ore for line in lines),
            outlier_count=sum(1 for line in lines if line.outlier),
        )

    def __add__(self, other: TrialTotals) -> TrialTotals:
        return TrialTotals(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def citizen_share(share: int, shares: int, path: str = "citizen_id") -> dict[str, uuid.UUID]:
    """Query filters for the `share`-th of `shares` equal ranges of citizen ids (all of them for one share).

    A parallel trial splits the work by citizen, not by grant, so that each citizen's grants, income,
    claims and offsets are all in one share. Citizen ids are random (uuid4), so the ranges are about
    equally full."""
    filters = {}
    if share > 0:
        filters[f"{path}__gte"] = uuid.UUID(int=(share << 128) // shares)
    if share < shares - 1:
        filters[f"{path}__lt"] = uuid.UUID(int=((share + 1) << 128) // shares)
    return filters


def _versions_by_grant(municipality_id: int, share: int = 0, shares: int = 1) -> dict[uuid.UUID, list[Version]]:
    # The facts as text, parsed here: the JSON field's converter costs several times more per row.
    rows = Decision.objects.filter(
        grant__municipality_id=municipality_id, **citizen_share(share, shares, "grant__citizen_id")
    ).values_list("grant_id", "version", "kind", "effective_from", "effective_to", Cast("facts", TextField()))
    versions: dict[uuid.UUID, list[Version]] = defaultdict(list)
    for batch in fetch_batches(rows):
        # One json.loads per batch, not per decision: within one call the parser shares the key
        # strings, so a million households take far less memory and time (docs/benchmarks.md).
        # A decision without facts (a stop) is null in the array.
        facts = json.loads("[" + ",".join([row[5] or "null" for row in batch]) + "]")
        for (grant_id, number, kind, start, end, _text), household in zip(batch, facts, strict=True):
            versions[grant_id].append(Version(number, kind, start, end, household))
    return versions


def paid_for_months(grant_months: set[tuple[uuid.UUID, datetime.date]]) -> dict[tuple[uuid.UUID, datetime.date], int]:
    """What was booked for each (grant, month): the month's payment plus corrections for it since."""
    grants = {grant for grant, _ in grant_months}
    paid: dict[tuple[uuid.UUID, datetime.date], int] = defaultdict(int)
    for grant_id, month, regular in Payment.objects.filter(grant_id__in=grants).values_list(
        "grant_id", "month", "regular_ore"
    ):
        paid[(grant_id, month)] += regular
    for grant_id, month, difference in PaymentCorrection.objects.filter(grant_id__in=grants).values_list(
        "grant_id", "for_month", "difference_ore"
    ):
        paid[(grant_id, month)] += difference
    return {key: paid.get(key, 0) for key in grant_months}


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Python's cycle collector paused for a bulk step of a run.

    A national run holds millions of small containers (the decisions' facts, the lines); the
    collector walks all of them again and again while they are built, which made reading a
    million decisions take half as long again (docs/benchmarks.md). What a run builds has no
    reference cycles, so reference counting frees it; the collector runs again afterwards. The
    pause is the whole process's: another thread meanwhile frees its cycles only afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compute_trial(
    municipality_id: int,
    month: datetime.date,
    progress: Callable[[str, int, int], None] | None = None,
    share: int = 0,
    shares: int = 1,
) -> Trial:
    """Every grant active in `month`, plus every grant with an earlier month to recalculate; of
    the citizens in `share` of `shares` (citizen_share), for a trial computed by several processes.

    Read in one transaction: the decisions stream from a server-side cursor, which outside a
    transaction PostgreSQL would first copy whole (WITH HOLD)."""
    with transaction.atomic(), without_cyclic_gc():
        return _compute_trial(municipality_id, month, progress, share, shares)


def breakdown_blocks(entitled: Entitlements) -> list[tuple[int, bytes]]:
    if entitled.result is None:
        return []
    count = len(entitled.result)
    return [
        (first, stored_breakdowns(entitled.result, first, min(first + BREAKDOWN_BLOCK, count)))
        for first in range(0, count, BREAKDOWN_BLOCK)
    ]


def _compute_trial(
    municipality_id: int,
    month: datetime.date,
    progress: Callable[[str, int, int], None] | None,
    share: int,
    shares: int,
) -> Trial:
    say = progress or (lambda phase, done, total: None)
    first, last = month_start(month), month_end(month)
    grants = Grant.objects.filter(municipality_id=municipality_id, **citizen_share(share, shares))
    active: dict[uuid.UUID, uuid.UUID] = {}
    has_nemkonto: set[uuid.UUID] = set()
    rows = grants.values_list("id", "citizen_id", "has_nemkonto", "effective_from", "effective_to")
    for batch in fetch_batches(rows):
        for grant_id, citizen_id, nemkonto, start, end in batch:
            if nemkonto:
                has_nemkonto.add(grant_id)
            if start <= last and (end is None or end >= first):
                active[grant_id] = citizen_id
    open_marks = list(
        RecalculationMark.objects.filter(
            grant__municipality_id=municipality_id,
            resolution__isnull=True,
            month__lt=first,
            **citizen_share(share, shares, "grant__citizen_id"),
        ).values_list("id", "grant_id", "month", "reason", "grant__citizen_id")
    )
    citizens = dict(active)
    citizens.update({grant_id: citizen_id for _id, grant_id, _month, _reason, citizen_id in open_marks})
    say("beregner", 0, len(citizens))
    versions = _versions_by_grant(municipality_id, share, shares)
    entitled = month_entitlements(
        {g: versions[g] for g in active if g in versions},
        citizens,
        latest_income(first, municipality_id),
        first,
        share=share,
    )
    say("beregner", len(active), len(citizens))

    # Corrections: per earlier month, the grants to recalculate, in one call per month.
    marks_by_key: dict[tuple[uuid.UUID, datetime.date], list[tuple[int, str]]] = defaultdict(list)
    for mark_id, grant_id, mark_month, reason, _citizen in open_marks:
        marks_by_key[(grant_id, mark_month)].append((mark_id, reason))
    paid = paid_for_months(set(marks_by_key))
    corrections: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for correction_month in sorted({m for _, m in marks_by_key}):
        keys = [g for g, m in marks_by_key if m == correction_month]
        should = month_entitlements(
            {g: versions.get(g, []) for g in keys},
            citizens,
            latest_income(correction_month, municipality_id),
            correction_month,
        ).amount
        for grant_id in keys:
            marks = marks_by_key[(grant_id, correction_month)]
            should_ore = should.get(grant_id, 0)
            paid_ore = paid[(grant_id, correction_month)]
            corrections[grant_id].append(
                {
                    "month": f"{correction_month:%Y-%m}",
                    "should_ore": should_ore,
                    "paid_ore": paid_ore,
                    "difference_ore": should_ore - paid_ore,
                    "reason": "; ".join(sorted({reason for _id, reason in marks}))[:400],
                    "marks": [mark_id for mark_id, _reason in marks],
                }
            )
    previous = dict(
        Payment.objects.filter(
            grant__municipality_id=municipality_id,
            month=previous_month(first),
            **citizen_share(share, shares, "grant__citizen_id"),
        ).values_list("grant_id", "amount_ore")
    )
    claims = open_claims(municipality_id)  # decided claims' balances, one query
    lines: list[Line] = []
    without_nemkonto: list[uuid.UUID] = []
    for grant_id, citizen_id in citizens.items():
        grant_corrections = corrections.get(grant_id, [])
        owed = entitled.of(grant_id)
        regular_ore = owed.amount_ore
        correction_ore = sum(c["difference_ore"] for c in grant_corrections)
        net = regular_ore + correction_ore
        amount_ore, claim_ore = (net, 0) if net >= 0 else (0, -net)
        offset_ore = offset_for(claims.get(citizen_id), amount_ore)
        amount_ore -= offset_ore
        before = previous.get(grant_id)
        if amount_ore > 0 and grant_id not in has_nemkonto:
            without_nemkonto.append(citizen_id)
        lines.append(
            Line(
                grant_id=grant_id,
                citizen_id=citizen_id,
                days=owed.days,
                full_month_ore=owed.full_month_ore,
                regular_ore=regular_ore,
                correction_ore=correction_ore,
                amount_ore=amount_ore,
                claim_ore=claim_ore,
                previous_ore=before,
                outlier=_outlier(amount_ore, claim_ore, before, grant_corrections),
                corrections=grant_corrections,
                offset_ore=offset_ore,
                segments=owed.segments,
            )
        )
    say("beregnet", len(citizens), len(citizens))
    return Trial(lines, without_nemkonto, breakdown_blocks(entitled))


def _outlier(amount_ore: int, claim_ore: int, before: int | None, corrections: list[dict[str, Any]]) -> str:
    reasons = []
    if claim_ore:
        reasons.append("Tilbagebetalingskrav: efterreguleringen overstiger månedens hjælp")
    if amount_ore > OUTLIER_MAX_ORE:
        reasons.append("Over 30.000 kr.")
    if before is None and amount_ore:
        reasons.append("Første udbetaling")
    elif before is not None:
        change = amount_ore - before
        if abs(change) >= OUTLIER_CHANGE_MIN_ORE and abs(change) > OUTLIER_CHANGE_SHARE * max(before, 1):
            reasons.append("Mere end 20 % ændring fra sidste måned")
    if corrections:
        reasons.append("Efterregulering af tidligere måneder")
    return "; ".join(reasons)[:200]

"""What a proposed decision version would do to one grant's payments: the month's new amount and
the corrections for months already paid. Reads only. The amounts are the payment run's own
(benefits/entitlement.month_entitlements, called with a batch of one grant); what was paid comes
from the payments app through the registered ledger (entitlement.paid_ledger)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from jobcenter.benefits.calculation import CalculationRefused
from jobcenter.benefits.entitlement import month_entitlements, paid_ledger
from jobcenter.benefits.models import Grant, IncomeReport
from jobcenter.benefits.periods import Version, month_start, next_month


@dataclass(frozen=True)
class MonthConsequence:
    month: datetime.date
    days_before: int
    amount_before_ore: int
    days_after: int
    amount_after_ore: int
    # What was booked for the month (payment plus corrections); None when the month is not paid yet.
    paid_ore: int | None

    @property
    def correction_ore(self) -> int | None:
        """Should minus paid, for a month already paid: what the next run pays (+) or claims back (−)."""
        return None if self.paid_ore is None else self.amount_after_ore - self.paid_ore

    @property
    def change_ore(self) -> int:
        return self.amount_after_ore - self.amount_before_ore


@dataclass(frozen=True)
class Consequence:
    months: list[MonthConsequence] = field(default_factory=list)
    # Set when the amounts cannot be computed (e.g. a month without approved rates): shown instead.
    refused: str = ""

    @property
    def total_correction_ore(self) -> int:
        return sum(m.correction_ore or 0 for m in self.months)


def grant_versions(grant: Grant) -> list[Version]:
    rows = grant.decisions.values_list("version", "kind", "effective_from", "effective_to", "facts")
    return [Version(number, kind, start, end, facts) for number, kind, start, end, facts in rows]


def grant_month_amount(grant: Grant, versions: list[Version], month: datetime.date) -> tuple[int, int]:
    """(prorated amount in øre, days with help) of one grant for `month`, as the run computes it."""
    income = IncomeReport.objects.filter(citizen_id=grant.citizen_id, month=month).order_by("received_at", "id").last()
    incomes = {} if income is None else {grant.citizen_id: (income.work_income_ore, income.work_hours)}
    owed = month_entitlements({grant.pk: versions}, {grant.pk: grant.citizen_id}, incomes, month).of(grant.pk)
    return owed.amount_ore, owed.days


def consequence_of(
    grant: Grant,
    *,
    kind: str,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    facts: object = None,
) -> Consequence:
    """The months a new version (`kind` from `effective_from`) changes: the month it takes effect
    in, and every later month already paid (a stop, a change) or, for a sanction, the months of its
    period. For each: days and amount before and after, what was paid, and the correction."""
    versions = grant_versions(grant)
    proposed = Version(max((v.version for v in versions), default=0) + 1, kind, effective_from, effective_to, facts)
    first = month_start(effective_from)
    ledger = paid_ledger()
    paid_months = set(ledger.paid_months(grant.pk, first, None, bound=False))
    last = month_start(effective_to) if kind == "sanktion" and effective_to else None
    months = {first} | {m for m in paid_months if last is None or m <= last}
    if last is not None:
        month = first
        while month <= last:
            months.add(month)
            month = next_month(month)
    paid = ledger.booked({(grant.pk, m) for m in paid_months})
    result = []
    try:
        for month in sorted(months):
            before, days_before = grant_month_amount(grant, versions, month)
            after, days_after = grant_month_amount(grant, [*versions, proposed], month)
            result.append(
                MonthConsequence(
                    month=month,
                    days_before=days_before,
                    amount_before_ore=before,
                    days_after=days_after,
                    amount_after_ore=after,
                    paid_ore=paid[(grant.pk, month)] if month in paid_months else None,
                )
            )
    except CalculationRefused as refused:
        return Consequence(refused=refused.message)
    return Consequence(result)

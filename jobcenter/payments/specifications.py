"""The payment specification letters of a released run: one per payment, printed from what paid.

For each payment the figures come from the run's line (days, full-month amount,
month's help, corrections with their reasons, amount, claim) and the payment
itself, and the breakdown is the rules' own for the same household facts and
month. If the breakdown does not give exactly what was paid, the letter is
refused — logged, stored with its reason and counted on the run's page — and
never sent. At most one letter per payment, ever: `PaymentSpecification` is
unique per payment and is written in the letter's transaction.
"""

from __future__ import annotations

import calendar
import logging
import uuid
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.benefits.calculation import CalculationRefused, calculate
from jobcenter.benefits.models import Decision, IncomeReport
from jobcenter.benefits.periods import Segment, Version, segments_in_month
from jobcenter.citizens.models import Citizen
from jobcenter.letters.actions import (
    LetterRefused,
    PaidCorrection,
    PaidMonth,
    PaidSegment,
    check_paid_month,
    do_issue_paid_month_specification,
)
from jobcenter.payments.compute import _with_income
from jobcenter.payments.models import (
    ClaimOffset,
    Payment,
    PaymentCorrection,
    PaymentRun,
    PaymentRunLine,
    PaymentSpecification,
)
from jobcenter.rules import HouseholdResult, divide_round_half_up

logger = logging.getLogger(__name__)

SUBJECT_TYPE = "payments.payment"


def payments_needing_letters(run: PaymentRun) -> QuerySet[Payment]:
    """The run's payments the citizen must be told about: money paid, a claim, or a correction."""
    corrected = PaymentCorrection.objects.filter(payment=OuterRef("pk"))
    # A month kept back in full against a claim (paid 0) must be explained too.
    offset = ClaimOffset.objects.filter(payment=OuterRef("pk"))
    return Payment.objects.filter(run=run).filter(
        Q(amount_ore__gt=0) | Q(claim_ore__gt=0) | Exists(corrected) | Exists(offset)
    )


def specification_progress(run: PaymentRun) -> dict[str, int]:
    """How far the run's letters are: issued, refused, and how many there will be in all."""
    specifications = PaymentSpecification.objects.filter(run=run)
    return {
        "issued": specifications.filter(letter__isnull=False).count(),
        "refused": specifications.exclude(refused="").count(),
        "total": payments_needing_letters(run).count(),
    }


def specification_refusals(run: PaymentRun, limit: int = 50) -> list[tuple[uuid.UUID, str]]:
    """(grant id, reason) of the run's refused letters, for a person to look into."""
    refused = PaymentSpecification.objects.filter(run=run).exclude(refused="").order_by("id")
    return list(refused.values_list("payment__grant_id", "refused")[:limit])


class SpecificationMismatch(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _versions(grant_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Version]]:
    versions: dict[uuid.UUID, list[Version]] = defaultdict(list)
    rows = Decision.objects.filter(grant_id__in=grant_ids).values_list(
        "grant_id", "version", "kind", "effective_from", "effective_to", "facts"
    )
    for grant_id, number, kind, start, end, facts in rows:
        versions[grant_id].append(Version(number, kind, start, end, facts))
    return versions


def _incomes(run: PaymentRun, citizen_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[int, Any]]:
    """The latest income report per citizen for the month, as the trial read it (compute.latest_income)."""
    latest: dict[uuid.UUID, tuple[int, Any]] = {}
    rows = (
        IncomeReport.objects.filter(month=run.month, citizen_id__in=citizen_ids)
        .order_by("received_at", "id")
        .values_list("citizen_id", "work_income_ore", "work_hours")
    )
    for citizen_id, income, hours in rows:
        latest[citizen_id] = (income, hours)
    return latest


def _breakdowns(households: list[dict[str, Any]], month: str) -> list[HouseholdResult | CalculationRefused]:
    """The rules' breakdown of every household in one call; one by one only if the call is refused."""
    try:
        return list(calculate(households, month))
    except CalculationRefused:
        results: list[HouseholdResult | CalculationRefused] = []
        for household in households:
            try:
                results.append(calculate([household], month)[0])
            except CalculationRefused as refused:
                results.append(refused)
        return results


def paid_months(run: PaymentRun, payments: list[Payment]) -> dict[uuid.UUID, PaidMonth | SpecificationMismatch]:
    """Each payment's figures with its breakdowns, or why they do not agree with what was paid."""
    grant_ids = [payment.grant_id for payment in payments]
    lines = {line.grant_id: line for line in PaymentRunLine.objects.filter(run=run, grant_id__in=grant_ids)}
    offsets: dict[uuid.UUID, int] = defaultdict(int)
    for payment_id, amount in ClaimOffset.objects.filter(payment__in=payments).values_list("payment_id", "amount_ore"):
        offsets[payment_id] += amount
    versions = _versions(grant_ids)
    incomes = _incomes(run, [line.citizen_id for line in lines.values()])
    month = f"{run.month:%Y-%m}"
    days_in_month = calendar.monthrange(run.month.year, run.month.month)[1]
    segments: dict[uuid.UUID, list[Segment]] = {}
    households: list[dict[str, Any]] = []
    for payment in payments:
        line = lines.get(payment.grant_id)
        if line is None:
            continue
        segments[payment.pk] = segments_in_month(versions.get(payment.grant_id, []), run.month)
        income = incomes.get(line.citizen_id)
        households.extend(_with_income(segment.version.facts, income) for segment in segments[payment.pk])
    results = iter(_breakdowns(households, month) if households else [])
    figures: dict[uuid.UUID, PaidMonth | SpecificationMismatch] = {}
    for payment in payments:
        line = lines.get(payment.grant_id)
        if line is None:
            figures[payment.pk] = SpecificationMismatch("Kørslen har ingen linje for bevillingen.")
            continue
        breakdowns = [next(results) for _segment in segments[payment.pk]]
        figures[payment.pk] = _paid_month(
            run, payment, line, segments[payment.pk], breakdowns, days_in_month, offsets[payment.pk]
        )
    return figures


def _paid_month(
    run: PaymentRun,
    payment: Payment,
    line: PaymentRunLine,
    segments: list[Segment],
    breakdowns: list[HouseholdResult | CalculationRefused],
    days_in_month: int,
    offset_ore: int,
) -> PaidMonth | SpecificationMismatch:
    for breakdown in breakdowns:
        if isinstance(breakdown, CalculationRefused):
            return SpecificationMismatch(f"Beregningen blev afvist: {breakdown.message}")
    results = [b for b in breakdowns if isinstance(b, HouseholdResult)]
    # The payment is what the run line said; a payment that differs from its line is not specified.
    if (payment.regular_ore, payment.correction_ore, payment.amount_ore, payment.claim_ore) != (
        line.regular_ore,
        line.correction_ore,
        line.amount_ore,
        line.claim_ore,
    ):
        return SpecificationMismatch("Udbetalingen svarer ikke til kørslens linje.")
    if offset_ore != line.offset_ore:
        return SpecificationMismatch(
            f"Modregningen i tilbagebetalingskrav er {offset_ore} øre; kørslens linje siger {line.offset_ore} øre."
        )
    if sum(segment.days for segment in segments) != line.days:
        return SpecificationMismatch(
            f"Beregningen giver {sum(s.days for s in segments)} dage; kørslen betalte for {line.days}."
        )
    if results and results[-1].total_ore != line.full_month_ore:
        return SpecificationMismatch(
            f"Beregningen giver {results[-1].total_ore} øre for en hel måned; kørslen regnede med "
            f"{line.full_month_ore} øre."
        )
    paid_segments = tuple(
        PaidSegment(
            result=result,
            days=segment.days,
            # The trial's proration (compute.prorate), the one rounding rule.
            amount_ore=int(divide_round_half_up(result.total_ore * segment.days, days_in_month)),
        )
        for segment, result in zip(segments, results, strict=True)
    )
    paid = PaidMonth(
        month=f"{run.month:%Y-%m}",
        payment_date=run.payment_date,
        days_in_month=days_in_month,
        segments=paid_segments,
        regular_ore=payment.regular_ore,
        corrections=tuple(
            PaidCorrection(
                month=correction["month"],
                should_ore=correction["should_ore"],
                paid_ore=correction["paid_ore"],
                difference_ore=correction["difference_ore"],
                reason=correction["reason"],
            )
            for correction in line.corrections
        ),
        correction_ore=payment.correction_ore,
        amount_ore=payment.amount_ore,
        claim_ore=payment.claim_ore,
        offset_ore=offset_ore,
    )
    try:
        check_paid_month(paid)
    except LetterRefused as refused:
        return SpecificationMismatch(refused.message)
    return paid


def do_issue_specification(run: PaymentRun, payment: Payment, citizen: Citizen, paid: PaidMonth) -> bool:
    """The letter and its PaymentSpecification in one transaction; False if the payment already has one."""
    try:
        with transaction.atomic():
            letter = do_issue_paid_month_specification(
                run.released_by, citizen=citizen, paid=paid, subject_type=SUBJECT_TYPE, subject_id=str(payment.pk)
            )
            PaymentSpecification.objects.create(payment=payment, run=run, letter=letter)
    except IntegrityError:
        return False  # another worker specified it first; its letter is the only one
    except LetterRefused as refused:
        # The letters app's own checks refused it: keep that as the refusal, so no retry loops on it.
        do_refuse_specification(run, payment, refused.message)
        return False
    return True


def do_refuse_specification(run: PaymentRun, payment: Payment, reason: str) -> bool:
    """Keep why the letter was not made, loudly: logged (no CPR number) and counted on the run's page."""
    logger.error("payment specification refused: run %s payment %s: %s", run.pk, payment.pk, reason)
    try:
        with transaction.atomic():
            specification = PaymentSpecification.objects.create(
                payment=payment, run=run, refused=reason[:500] or "Afvist."
            )
            record(
                None,
                AuditAction.CREATE,
                obj=specification,
                municipality=run.municipality,
                username="system",
                detail={"run": str(run.pk), "payment": str(payment.pk), "refused": reason[:500]},
            )
    except IntegrityError:
        return False
    return True

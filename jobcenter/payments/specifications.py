"""The payment specification letters of a released run: one per payment, printed from what paid.

For each payment the figures come from what the run stored when it computed the
trial that paid: the line's day segments (decision version, days, full-month and
prorated amounts), its corrections with their reasons, amount and claim, and each
segment's breakdown from the run's stored breakdowns (PaymentRunBreakdowns,
benefits/entitlement.py). Nothing is read from the decisions or the income again
and the rules are not run again. If the stored figures do not add up to what was
paid, the letter is refused — logged, stored with its reason and counted on the
run's page — and never sent. At most one letter per payment, ever: `PaymentSpecification` is
unique per payment and is written in the letter's transaction.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.benefits.entitlement import BREAKDOWN_BLOCK, breakdowns_from_store, days_in
from jobcenter.citizens.models import Citizen
from jobcenter.letters.actions import (
    LetterRefused,
    PaidCorrection,
    PaidMonth,
    PaidSegment,
    check_paid_month,
    do_issue_paid_month_specification,
)
from jobcenter.payments.models import (
    ClaimOffset,
    Payment,
    PaymentCorrection,
    PaymentRun,
    PaymentRunBreakdowns,
    PaymentRunLine,
    PaymentSpecification,
)
from jobcenter.rules import HouseholdResult
from jobcenter.rules.api import MonthResult

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


def paid_months(run: PaymentRun, payments: list[Payment]) -> dict[uuid.UUID, PaidMonth | SpecificationMismatch]:
    """Each payment's figures with its breakdowns as the run stored them, or why they do not agree
    with what was paid."""
    grant_ids = [payment.grant_id for payment in payments]
    lines = {line.grant_id: line for line in PaymentRunLine.objects.filter(run=run, grant_id__in=grant_ids)}
    offsets: dict[uuid.UUID, int] = defaultdict(int)
    for payment_id, amount in ClaimOffset.objects.filter(payment__in=payments).values_list("payment_id", "amount_ore"):
        offsets[payment_id] += amount
    blocks = _StoredBreakdowns(run)
    days_in_month = days_in(run.month)
    figures: dict[uuid.UUID, PaidMonth | SpecificationMismatch] = {}
    for payment in payments:
        line = lines.get(payment.grant_id)
        if line is None:
            figures[payment.pk] = SpecificationMismatch("Kørslen har ingen linje for bevillingen.")
            continue
        figures[payment.pk] = _paid_month(run, payment, line, blocks, days_in_month, offsets[payment.pk])
    return figures


class _StoredBreakdowns:
    """The run's stored breakdown blocks, each read once per chunk of letters."""

    def __init__(self, run: PaymentRun) -> None:
        self.run = run
        self.blocks: dict[tuple[int, int], MonthResult | None] = {}

    def breakdown(self, share: int, row: int) -> HouseholdResult | None:
        first = row - row % BREAKDOWN_BLOCK
        if (share, first) not in self.blocks:
            data = (
                PaymentRunBreakdowns.objects.filter(run=self.run, share=share, first_row=first)
                .values_list("data", flat=True)
                .first()
            )
            self.blocks[(share, first)] = None if data is None else breakdowns_from_store(data)
        block = self.blocks[(share, first)]
        if block is None or not 0 <= row - first < len(block):
            return None
        return block[row - first]


def _paid_month(
    run: PaymentRun,
    payment: Payment,
    line: PaymentRunLine,
    blocks: _StoredBreakdowns,
    days_in_month: int,
    offset_ore: int,
) -> PaidMonth | SpecificationMismatch:
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
    paid_segments = []
    for _version, days, full_month_ore, amount_ore, share, row in line.segments:
        breakdown = blocks.breakdown(share, row)
        if breakdown is None:
            return SpecificationMismatch("Kørslen har ikke gemt beregningen for en del af måneden.")
        if breakdown.total_ore != full_month_ore:
            return SpecificationMismatch(
                f"Den gemte beregning giver {breakdown.total_ore} øre for en hel måned; kørslen regnede med "
                f"{full_month_ore} øre."
            )
        paid_segments.append(PaidSegment(result=breakdown, days=days, amount_ore=amount_ore))
    if sum(segment.days for segment in paid_segments) != line.days:
        return SpecificationMismatch(
            f"Periodernes dage giver {sum(s.days for s in paid_segments)} dage; kørslen betalte for {line.days}."
        )
    paid = PaidMonth(
        month=f"{run.month:%Y-%m}",
        payment_date=run.payment_date,
        days_in_month=days_in_month,
        segments=tuple(paid_segments),
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

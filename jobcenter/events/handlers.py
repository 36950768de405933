"""National reporting: grants decided, payments released, interviews held and offers started, to DFDG.

Each handler turns one outbox event into reports to Det Fælles Datagrundlag
(integration "dfdg") with a stable idempotency key, so a delivery repeated
after an outage or a stopped worker is counted once by the service. The event
names the citizen by id; the CPR number the report needs is read from the
citizen at sending time and never stored in the outbox.

`DfdgUnavailable` is an ordinary exception to the dispatcher (retry with
backoff); `DfdgRejected` becomes `EventRejected` with the service's reason
(dead-letter list). What each report contains is in docs/integrations.md.
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from jobcenter.events.actions import publish
from jobcenter.events.models import OutboxEvent
from jobcenter.events.registry import EventRejected, handlers_for, handles, idempotency_key
from jobcenter.events.types import (
    GrantDecided,
    InterviewHeld,
    MalformedEvent,
    OfferStarted,
    OutboxMessage,
    PaymentReportBatch,
    PaymentRunReleased,
    parse_payload,
)
from jobcenter.integrations.dfdg import DfdgRejected, DfdgReport, ReportKind, get_dfdg_client

DFDG = "dfdg"
M = TypeVar("M", bound=OutboxMessage)
DEFAULT_PAYMENT_PAGE_SIZE = 500


def payment_page_size() -> int:
    return int(getattr(settings, "JOBCENTER_DFDG_PAYMENT_PAGE_SIZE", DEFAULT_PAYMENT_PAGE_SIZE))


def _message(event: OutboxEvent, kind: type[M]) -> M:
    try:
        message = parse_payload(
            event.event_type, event.payload, municipality_id=event.municipality_id, occurred_at=event.occurred_at
        )
    except MalformedEvent as malformed:
        raise EventRejected(f"Hændelsen er ugyldig: {malformed}.") from None
    if not isinstance(message, kind):
        raise EventRejected(f"Hændelsen er af typen {event.event_type!r}, ikke {kind.event_type!r}.")
    return message


def _send(report: DfdgReport) -> None:
    try:
        get_dfdg_client().report(report)
    except DfdgRejected as rejected:
        raise EventRejected(rejected.message) from None


def _citizen_report(
    event: OutboxEvent, handler_name: str, kind: ReportKind, occurred_on: Any, details: dict[str, Any]
) -> DfdgReport:
    from jobcenter.citizens.models import Citizen

    citizen = (
        Citizen.objects.select_related("municipality").filter(pk=event.citizen_id).first()
        if event.citizen_id is not None
        else None
    )
    if citizen is None:
        raise EventRejected("Hændelsen gælder en borger, der ikke findes i kommunen.")
    (handler,) = [h for h in handlers_for(event.event_type) if h.name == handler_name]
    return DfdgReport(
        kind=kind,
        municipality_code=citizen.municipality.code,
        citizen_cpr=citizen.cpr,
        occurred_on=occurred_on,
        idempotency_key=idempotency_key(event, handler),
        details=details,
    )


@handles(InterviewHeld.event_type, name="dfdg.interview_held", integration=DFDG)
def report_interview_held(event: OutboxEvent) -> None:
    message = _message(event, InterviewHeld)
    details = {
        "interviewId": str(message.interview_id),
        "caseId": str(message.case_id),
        "form": message.form,
        "targetGroup": message.target_group,
    }
    _send(_citizen_report(event, "dfdg.interview_held", ReportKind.INTERVIEW_HELD, message.held_on, details))


@handles(OfferStarted.event_type, name="dfdg.offer_started", integration=DFDG)
def report_offer_started(event: OutboxEvent) -> None:
    message = _message(event, OfferStarted)
    details = {
        "offerId": str(message.offer_id),
        "caseId": str(message.case_id),
        "offerKind": message.kind,
        "startsOn": message.starts_on.isoformat(),
        "endsOn": message.ends_on.isoformat(),
    }
    _send(_citizen_report(event, "dfdg.offer_started", ReportKind.OFFER_STARTED, message.starts_on, details))


@handles(GrantDecided.event_type, name="dfdg.grant_decided", integration=DFDG)
def report_grant_decided(event: OutboxEvent) -> None:
    message = _message(event, GrantDecided)
    details = {
        "grantId": str(message.grant_id),
        "decisionId": str(message.decision_id),
        "version": message.version,
        "decisionKind": message.kind,
        "effectiveFrom": message.effective_from.isoformat(),
        "effectiveTo": message.effective_to.isoformat() if message.effective_to else None,
    }
    occurred_on = timezone.localtime(message.occurred_at).date()
    _send(_citizen_report(event, "dfdg.grant_decided", ReportKind.GRANT_DECIDED, occurred_on, details))


@handles(PaymentRunReleased.event_type, name="dfdg.payment_run_released", integration=DFDG)
def split_payment_run(event: OutboxEvent) -> None:
    """A released run becomes pages of payments, each page its own outbox event and delivery.

    A run of a million payments is then a few thousand small, independently
    retried deliveries instead of one that restarts from the beginning.
    """
    from jobcenter.payments.models import Payment

    message = _message(event, PaymentRunReleased)
    size = payment_page_size()
    # Counted here, not taken from the event: every payment row of the run is reported, whatever the trial counted.
    count = Payment.objects.filter(run_id=message.run_id, run__municipality_id=event.municipality_id).count()
    for page in range(math.ceil(count / size)):
        publish(
            PaymentReportBatch(
                municipality_id=event.municipality_id,
                occurred_at=event.occurred_at,
                run_id=message.run_id,
                page=page,
                page_size=size,
            )
        )


@handles(PaymentReportBatch.event_type, name="dfdg.payment_batch", integration=DFDG)
def report_payment_batch(event: OutboxEvent) -> None:
    """Report one page of a released run's payments; each payment's key is its own id, so never twice."""
    from jobcenter.payments.models import Payment, PaymentRun

    message = _message(event, PaymentReportBatch)
    run = PaymentRun.objects.select_related("municipality").filter(pk=message.run_id).first()
    if run is None or run.municipality_id != event.municipality_id:
        raise EventRejected("Hændelsen gælder en udbetalingskørsel, der ikke findes i kommunen.")
    start = message.page * message.page_size
    payments = (
        Payment.objects.filter(run=run)
        .order_by("pk")
        # What was kept back against a decided claim (modregning): amount = regular + correction - offset.
        .annotate(offset_ore=Coalesce(Sum("offsets__amount_ore"), 0))
        .values(
            "pk",
            "month",
            "amount_ore",
            "regular_ore",
            "correction_ore",
            "claim_ore",
            "offset_ore",
            "grant_id",
            "grant__citizen__cpr",
        )
    )[start : start + message.page_size]
    client = get_dfdg_client()
    for payment in payments:
        report = DfdgReport(
            kind=ReportKind.PAYMENT_RELEASED,
            municipality_code=run.municipality.code,
            citizen_cpr=payment["grant__citizen__cpr"],
            occurred_on=run.payment_date,
            idempotency_key=f"payment:{payment['pk']}",
            details={
                "runId": str(run.pk),
                "paymentId": str(payment["pk"]),
                "grantId": str(payment["grant_id"]),
                "month": payment["month"].isoformat(),
                "amountOre": payment["amount_ore"],
                "regularOre": payment["regular_ore"],
                "correctionOre": payment["correction_ore"],
                "claimOre": payment["claim_ore"],
                "offsetOre": payment["offset_ore"],
            },
        )
        try:
            client.report(report)
        except DfdgRejected as rejected:
            raise EventRejected(f"Udbetaling {payment['pk']}: {rejected.message}") from None

"""The outbox's dispatcher: routes new events to their handlers and delivers them.

Two steps, each safe to run in several workers at once:

1. **Routing.** An event not yet routed is checked (a known type, a payload that
   matches it, a citizen of the event's municipality). A good event gets one
   `EventDelivery` per registered handler; a bad one gets a dead delivery under
   the name `ROUTING` with the reason, so it shows on the dead-letter list and
   blocks nothing.
2. **Delivery.** A pending delivery whose time has come runs its handler inside
   a transaction that also marks it done (the processed-event key). A handler
   does not run while an earlier event of the same citizen still waits for the
   same handler, so each handler sees a citizen's events in order; a dead
   delivery stops blocking. `EventRejected` dead-letters at once; any other
   exception is retried with exponential backoff and dead-lettered after
   `max_attempts()`.

Rows are taken with `select_for_update(skip_locked=True)`: on PostgreSQL two
workers never run the same delivery at once, and a worker skips what another
holds. Delivery is at least once: a worker stopped after a national service
accepted a report but before the commit delivers it again, with the same
idempotency key, and the service counts it once.
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from jobcenter.audit.redaction import redact_cpr
from jobcenter.events.models import ROUTING, DeliveryFailure, DeliveryStatus, EventDelivery, OutboxEvent
from jobcenter.events.registry import _HANDLERS as REGISTERED
from jobcenter.events.registry import EventRejected, handlers_for
from jobcenter.events.types import MalformedEvent, parse_payload

if TYPE_CHECKING:
    from jobcenter.events.registry import Handler

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 20
MAX_BACKOFF = datetime.timedelta(hours=1)
FIRST_BACKOFF = datetime.timedelta(seconds=30)
BATCH = 100

# Called inside a delivery's transaction after its handler returned, before the commit.
# The fault tests use it to stop the worker in the middle of delivering.
AfterHandler = Callable[[EventDelivery], None]


def max_attempts() -> int:
    return int(getattr(settings, "JOBCENTER_OUTBOX_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def backoff(attempt: int) -> datetime.timedelta:
    """30 s after the first failure, then doubling, at most an hour apart."""
    return min(FIRST_BACKOFF * 2 ** (attempt - 1), MAX_BACKOFF)


@dataclass
class DispatchResult:
    routed: int = 0
    rejected: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0

    @property
    def worked(self) -> int:
        return self.routed + self.rejected + self.delivered + self.failed + self.dead


def _reason(error: BaseException) -> str:
    """A failure's reason for the dead-letter list: the error's Danish message if it has one, never a CPR."""
    message = getattr(error, "message", "") or getattr(error, "reason", "") or str(error)
    text = f"{type(error).__name__}: {message}" if not getattr(error, "message", "") else str(message)
    return redact_cpr(text)[:2000]


# --- Routing ------------------------------------------------------------------------------------


def _check(event: OutboxEvent) -> None:
    """Raise EventRejected if the event can never be handled."""
    try:
        message = parse_payload(
            event.event_type, event.payload, municipality_id=event.municipality_id, occurred_at=event.occurred_at
        )
    except MalformedEvent as malformed:
        raise EventRejected(f"Hændelsen er ugyldig: {malformed}.") from None
    citizen_id = message.about_citizen_id
    if citizen_id is None:
        return
    from jobcenter.citizens.models import Citizen

    if (
        event.citizen_id != citizen_id
        or not Citizen.objects.filter(pk=citizen_id, municipality_id=event.municipality_id).exists()
    ):
        raise EventRejected("Hændelsen gælder en borger, der ikke findes i kommunen.")


def route_events(limit: int = 500, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Write the deliveries of up to `limit` new events; returns (routed, rejected)."""
    moment = now or timezone.now()
    with transaction.atomic():
        events = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(routed_at__isnull=True)
            .order_by("created_at", "id")[:limit]
        )
        good: list[OutboxEvent] = []
        bad: list[tuple[OutboxEvent, str]] = []
        for event in events:
            try:
                _check(event)
            except EventRejected as rejected_event:
                bad.append((event, rejected_event.reason))
            else:
                good.append(event)
        deliveries = [
            EventDelivery(
                event=event,
                municipality_id=event.municipality_id,
                citizen_id=event.citizen_id,
                event_created_at=event.created_at,
                handler=h.name,
                integration=h.integration,
                next_attempt_at=moment,
            )
            for event in good
            for h in handlers_for(event.event_type)
        ]
        EventDelivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=500)
        with_handlers = {d.event_id for d in deliveries}
        OutboxEvent.objects.filter(pk__in=[e.pk for e in good if e.pk in with_handlers]).update(routed_at=moment)
        OutboxEvent.objects.filter(pk__in=[e.pk for e in good if e.pk not in with_handlers]).update(
            routed_at=moment, dispatched_at=moment
        )
        for event, reason in bad:
            dead = EventDelivery.objects.create(
                event=event,
                municipality_id=event.municipality_id,
                citizen_id=event.citizen_id,
                event_created_at=event.created_at,
                handler=ROUTING,
                status=DeliveryStatus.DEAD,
                attempts=1,
                next_attempt_at=moment,
                last_attempt_at=moment,
                dead_at=moment,
                last_error=reason,
            )
            DeliveryFailure.objects.create(
                delivery=dead,
                integration="",
                municipality_id=event.municipality_id,
                failed_at=moment,
                error=reason,
                final=True,
            )
            OutboxEvent.objects.filter(pk=event.pk).update(routed_at=moment, dispatched_at=moment)
    return len(good), len(bad)


def _reroute(delivery: EventDelivery, now: datetime.datetime) -> None:
    """A retried routing failure: check the event again; if it is good now, write its deliveries."""
    event = delivery.event
    _check(event)  # raises EventRejected again if it is still bad
    EventDelivery.objects.bulk_create(
        [
            EventDelivery(
                event=event,
                municipality_id=event.municipality_id,
                citizen_id=event.citizen_id,
                event_created_at=event.created_at,
                handler=h.name,
                integration=h.integration,
                next_attempt_at=now,
            )
            for h in handlers_for(event.event_type)
        ],
        ignore_conflicts=True,
    )


# --- Delivery -----------------------------------------------------------------------------------


def due_deliveries(now: datetime.datetime) -> Q:
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)


def _candidates(now: datetime.datetime, limit: int) -> list[int]:
    """Due deliveries that no earlier event of the same citizen holds back, oldest event first."""
    earlier_pending = EventDelivery.objects.filter(
        handler=OuterRef("handler"),
        citizen_id=OuterRef("citizen_id"),
        status=DeliveryStatus.PENDING,
    ).filter(
        Q(event_created_at__lt=OuterRef("event_created_at"))
        | Q(event_created_at=OuterRef("event_created_at"), event_id__lt=OuterRef("event_id"))
    )
    earlier_unrouted = OutboxEvent.objects.filter(
        routed_at__isnull=True, citizen_id=OuterRef("citizen_id"), created_at__lte=OuterRef("event_created_at")
    )
    return list(
        EventDelivery.objects.filter(due_deliveries(now))
        .exclude(Exists(earlier_pending))
        .exclude(Exists(earlier_unrouted))
        .order_by("event_created_at", "event_id", "handler")
        .values_list("pk", flat=True)[:limit]
    )


def _finish_event_if_done(event_id: uuid.UUID, now: datetime.datetime) -> None:
    pending = EventDelivery.objects.filter(event_id=OuterRef("pk"), status=DeliveryStatus.PENDING)
    OutboxEvent.objects.filter(pk=event_id, dispatched_at__isnull=True).exclude(Exists(pending)).update(
        dispatched_at=now
    )


def deliver_one(delivery_id: int, now: datetime.datetime, after_handler: AfterHandler | None = None) -> str:
    """Run one delivery's handler; returns what happened ("done", "retry", "dead", "skipped")."""
    with transaction.atomic():
        delivery = (
            EventDelivery.objects.select_for_update(skip_locked=True)
            .filter(due_deliveries(now), pk=delivery_id)
            .select_related("event")
            .first()
        )
        if delivery is None:
            return "skipped"  # another worker has it, or finished it
        delivery.attempts += 1
        delivery.last_attempt_at = now
        handler: Handler | None = REGISTERED.get(delivery.handler)
        try:
            # A savepoint: a failing handler's writes roll back, the failure is still recorded.
            with transaction.atomic():
                if delivery.handler == ROUTING:
                    _reroute(delivery, now)
                elif handler is None or handler.event_type != delivery.event.event_type:
                    raise EventRejected(f"Ingen modtager ved navn {delivery.handler!r} er registreret.")
                else:
                    handler.function(delivery.event)
                if after_handler is not None:
                    after_handler(delivery)
        except EventRejected as rejected:
            outcome = _fail(delivery, rejected.reason, now, final=True)
        except Exception as error:  # any other error is a temporary fault: retry with backoff
            logger.warning(
                "event handler %s failed (attempt %s): %s", delivery.handler, delivery.attempts, _reason(error)
            )
            outcome = _fail(delivery, _reason(error), now, final=delivery.attempts >= max_attempts())
        else:
            delivery.status = DeliveryStatus.DONE
            delivery.done_at = now
            delivery.save(update_fields=["status", "done_at", "attempts", "last_attempt_at"])
            outcome = "done"
        _finish_event_if_done(delivery.event_id, now)
    return outcome


def _fail(delivery: EventDelivery, reason: str, now: datetime.datetime, *, final: bool) -> str:
    delivery.last_error = reason
    if final:
        delivery.status = DeliveryStatus.DEAD
        delivery.dead_at = now
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["status", "dead_at", "next_attempt_at", "attempts", "last_attempt_at", "last_error"])
    DeliveryFailure.objects.create(
        delivery=delivery,
        integration=delivery.integration,
        municipality_id=delivery.municipality_id,
        failed_at=now,
        error=reason,
        final=final,
    )
    return "dead" if final else "retry"


def dispatch(
    *,
    now: datetime.datetime | None = None,
    time_budget: float | None = None,
    max_deliveries: int | None = None,
    after_handler: AfterHandler | None = None,
) -> DispatchResult:
    """Route and deliver until nothing is due (or the time budget or delivery count is spent)."""
    result = DispatchResult()
    started = time.monotonic()
    fixed_now = now
    while True:
        moment = fixed_now or timezone.now()
        routed, rejected = route_events(now=moment)
        result.routed += routed
        result.rejected += rejected
        candidates = _candidates(moment, BATCH)
        progressed = bool(routed or rejected)
        for delivery_id in candidates:
            if max_deliveries is not None and result.delivered + result.failed + result.dead >= max_deliveries:
                return result
            if time_budget is not None and time.monotonic() - started > time_budget:
                return result
            outcome = deliver_one(delivery_id, fixed_now or timezone.now(), after_handler)
            progressed = progressed or outcome != "skipped"
            if outcome == "done":
                result.delivered += 1
            elif outcome == "retry":
                result.failed += 1
            elif outcome == "dead":
                result.dead += 1
        if not progressed:
            return result  # nothing due, or all of it held by another worker
        if time_budget is not None and time.monotonic() - started > time_budget:
            return result


def next_due() -> datetime.datetime | None:
    """When the earliest pending delivery is due, or None when nothing waits."""
    first = (
        EventDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if OutboxEvent.objects.filter(routed_at__isnull=True).exists():
        return timezone.now()
    return first

"""Publishing domain events to the outbox (only ever inside the transaction of the change),
and retrying a dead-lettered delivery from the operations page."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.audit.redaction import CPR_PATTERN
from jobcenter.events.models import (
    ROUTING,
    BackgroundTask,
    BackgroundTaskState,
    DeliveryStatus,
    EventDelivery,
    OutboxEvent,
)
from jobcenter.events.types import OutboxMessage
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.models import User
from jobcenter.tenancy.roles import Permission


class OutsideTransaction(RuntimeError):
    """publish() was called outside transaction.atomic: the event could outlive a rolled-back change."""


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _contains_cpr(value: Any) -> bool:
    if isinstance(value, str):
        # An id's hex digits can hold ten decimal digits in a row; an id is not a CPR number.
        return not _is_uuid(value) and bool(CPR_PATTERN.search(value))
    if isinstance(value, dict):
        return any(_contains_cpr(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_contains_cpr(item) for item in value)
    return False


def publish(event: OutboxMessage) -> OutboxEvent:
    """Write `event` to the outbox in the caller's transaction.

    Refuses to run outside one: an event written on its own could report a
    change that then rolls back, and the benefits side would act on a fiction.
    """
    if not connection.in_atomic_block:
        raise OutsideTransaction("publish() must run inside the transaction of the change it reports")
    payload = event.payload()
    if _contains_cpr(payload):
        raise ValueError("an event payload must name people by id, never by CPR number")
    row = OutboxEvent.objects.create(
        municipality_id=event.municipality_id,
        event_type=event.event_type,
        citizen_id=event.about_citizen_id,
        payload=payload,
        occurred_at=event.occurred_at,
    )
    # Wake the dispatcher once the change has committed (events/tasks.py).
    from jobcenter.events.tasks import wake_dispatcher

    transaction.on_commit(wake_dispatcher)
    return row


class RetryRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def do_retry_dead_letter(user: User, delivery_id: int | str) -> EventDelivery:
    """Put a dead-lettered delivery back in the queue, from its first attempt; audited.

    Only for a municipality the user works for; another municipality's delivery is "not found".
    """
    require_permission(user, Permission.OPERATIONS_RETRY)
    try:
        delivery = (
            EventDelivery.objects.select_for_update()
            .filter(municipality__in=user.municipalities.all())
            .get(pk=int(delivery_id))
        )
    except (EventDelivery.DoesNotExist, ValueError):
        raise Http404 from None
    if delivery.status != DeliveryStatus.DEAD:
        raise RetryRefused(_("Leveringen er ikke på listen over døde breve og kan ikke sendes igen."))
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.dead_at = None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "dead_at"])
    OutboxEvent.objects.filter(pk=delivery.event_id).update(dispatched_at=None)
    record(
        user,
        AuditAction.UPDATE,
        obj=delivery,
        municipality=delivery.municipality,
        detail={
            "retry": "dead_letter",
            "handler": delivery.handler,
            "event": str(delivery.event_id),
            "routing": delivery.handler == ROUTING,
            "last_error": delivery.last_error,
        },
    )
    from jobcenter.events.tasks import wake_dispatcher

    transaction.on_commit(wake_dispatcher)
    return delivery


@transaction.atomic
def do_rerun_background_task(user: User, job_id: int | str) -> BackgroundTask:
    """Queue a failed (or retrying) background task again from its first attempt; audited.

    Only a job of a municipality the user works for, or of none (the dispatcher); another
    municipality's job is "not found". Every task is safe to run twice (events/background.py).
    """
    from django.db.models import Q

    from jobcenter.events.background import run_again

    require_permission(user, Permission.OPERATIONS_RETRY)
    try:
        job = (
            BackgroundTask.objects.select_for_update()
            .filter(Q(municipality__in=user.municipalities.all()) | Q(municipality__isnull=True))
            .get(pk=int(job_id))
        )
    except (BackgroundTask.DoesNotExist, ValueError):
        raise Http404 from None
    if job.state not in (BackgroundTaskState.FAILED, BackgroundTaskState.RETRYING):
        raise RetryRefused(_("Opgaven er ikke fejlet og kan ikke sættes i gang igen herfra."))
    last_error, attempts = job.last_error, job.attempts
    run_again(job)
    record(
        user,
        AuditAction.UPDATE,
        obj=job,
        municipality=job.municipality,
        detail={"retry": "background_task", "task": job.task_path, "attempts": attempts, "last_error": last_error},
    )
    return job

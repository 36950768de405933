"""Publishing domain events to the outbox: only ever inside the transaction of the change."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection

from jobcenter.audit.redaction import CPR_PATTERN
from jobcenter.events.models import OutboxEvent
from jobcenter.events.types import DomainEvent


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


def publish(event: DomainEvent) -> OutboxEvent:
    """Write `event` to the outbox in the caller's transaction.

    Refuses to run outside one: an event written on its own could report a
    change that then rolls back, and the benefits side would act on a fiction.
    """
    if not connection.in_atomic_block:
        raise OutsideTransaction("publish() must run inside the transaction of the change it reports")
    payload = event.payload()
    if _contains_cpr(payload):
        raise ValueError("an event payload must name people by id, never by CPR number")
    return OutboxEvent.objects.create(
        municipality_id=event.municipality_id,
        event_type=event.event_type,
        citizen_id=event.citizen_id,
        payload=payload,
        occurred_at=event.occurred_at,
    )

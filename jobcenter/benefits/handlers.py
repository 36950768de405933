"""The benefits side's answers to the jobcentre's events: proposals and tasks in the benefits
officer's inbox (docs/inbox.md). A handler never changes a payment: only the officer's decision does.

Each handler runs inside the dispatcher's transaction and is idempotent on its own: one proposal
per event (a unique constraint on the event), so a second delivery finds it and does nothing.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import IntegrityError, transaction

from jobcenter.audit.actions import record
from jobcenter.audit.models import AuditAction
from jobcenter.benefits.models import DecisionKind, Grant, Proposal, ProposalKind
from jobcenter.citizens.models import Citizen
from jobcenter.events.models import OutboxEvent
from jobcenter.events.registry import EventRejected, handles


def _field(event: OutboxEvent, name: str, parse: Any) -> Any:
    payload = event.payload if isinstance(event.payload, dict) else {}
    if name not in payload:
        raise EventRejected(f"{event.event_type}: the payload has no {name!r}")
    try:
        return parse(payload[name])
    except (TypeError, ValueError):
        raise EventRejected(f"{event.event_type}: {name!r} is not valid") from None


def _date(value: Any) -> datetime.date:
    if not isinstance(value, str):
        raise TypeError(value)
    return datetime.date.fromisoformat(value)


def _datetime(value: Any) -> datetime.datetime:
    if not isinstance(value, str):
        raise TypeError(value)
    return datetime.datetime.fromisoformat(value)


def _uuid(value: Any) -> uuid.UUID:
    if not isinstance(value, str):
        raise TypeError(value)
    return uuid.UUID(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(value)
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _citizen(event: OutboxEvent) -> Citizen:
    citizen_id = _field(event, "citizen_id", _uuid)
    citizen = Citizen.objects.filter(pk=citizen_id, municipality_id=event.municipality_id).first()
    if citizen is None:
        raise EventRejected(f"{event.event_type}: no citizen {citizen_id} in the event's municipality")
    return citizen


def _grant(citizen: Citizen) -> Grant | None:
    return Grant.objects.select_related("latest_decision").filter(citizen=citizen).first()


def _propose(
    event: OutboxEvent, kind: ProposalKind, citizen: Citizen, grant: Grant, effective_from: datetime.date
) -> Proposal | None:
    if Proposal.objects.filter(event=event).exists():
        return None  # delivered again: the proposal exists already
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                municipality_id=event.municipality_id,
                kind=kind,
                event=event,
                citizen=citizen,
                grant=grant,
                effective_from=effective_from,
                facts=event.payload,
            )
    except IntegrityError:
        # Delivered twice at the same moment: the other delivery made it.
        if Proposal.objects.filter(event=event).exists():
            return None
        raise
    record(
        None,
        AuditAction.CREATE,
        obj=proposal,
        municipality=citizen.municipality,
        username="system",
        detail={"kind": str(kind), "event": str(event.pk), "citizen": str(citizen.pk)},
    )
    return proposal


def _helped_on_or_after(grant: Grant, day: datetime.date) -> bool:
    """The grant gives help on `day` or later (its period has not ended before it)."""
    return grant.effective_to is None or grant.effective_to >= day


@handles("employment_started", name="benefits.stop_proposal")
def propose_stop(event: OutboxEvent) -> None:
    """A job start: propose stopping the grant from the start date (the officer decides)."""
    start = _field(event, "start_date", _date)
    _field(event, "employer", _text)
    citizen = _citizen(event)
    grant = _grant(citizen)
    # No grant, or one that has already ended before the job starts: nothing to stop.
    if grant is None or not _helped_on_or_after(grant, start):
        return
    _propose(event, ProposalKind.STOP, citizen, grant, start)


@handles("availability_changed", name="benefits.availability_proposal")
def propose_for_availability(event: OutboxEvent) -> None:
    """Not available: propose stopping the help from that day (pause), for the officer to assess.
    Available again: propose resuming it, but only if the help is stopped at that day; otherwise
    there is nothing to resume and nothing is proposed."""
    available = _field(event, "available", _bool)
    effective_from = _field(event, "effective_from", _date)
    _field(event, "reason", _text)
    citizen = _citizen(event)
    grant = _grant(citizen)
    if grant is None:
        return
    if not available:
        if _helped_on_or_after(grant, effective_from):
            _propose(event, ProposalKind.PAUSE, citizen, grant, effective_from)
        return
    latest = grant.latest_decision
    if latest is not None and latest.kind == DecisionKind.STOP and latest.effective_from <= effective_from:
        _propose(event, ProposalKind.RESUME, citizen, grant, effective_from)


@handles("interview_missed", name="benefits.sanction_task")
def propose_sanction_assessment(event: OutboxEvent) -> None:
    """A missed interview: a task to assess a sanction (LAS § 37). Nothing is deducted until decided."""
    scheduled_at = _field(event, "scheduled_at", _datetime)
    _field(event, "interview_id", _uuid)
    citizen = _citizen(event)
    grant = _grant(citizen)
    if grant is None:
        return
    from django.utils import timezone

    missed_on = timezone.localdate(scheduled_at) if timezone.is_aware(scheduled_at) else scheduled_at.date()
    if grant.effective_from > missed_on or not _helped_on_or_after(grant, missed_on):
        return  # no help on the day: nothing to deduct
    _propose(event, ProposalKind.SANCTION, citizen, grant, missed_on)

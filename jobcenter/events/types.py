"""The domain events the apps publish; handlers act on them (events/registry.py).

Each is a frozen dataclass; `payload()` is what the outbox stores: plain JSON,
people named by internal id, never by CPR number. `parse_payload()` turns a
stored payload back into its dataclass and refuses one that does not match
its type, which is how the dispatcher recognises a malformed event.
"""

from __future__ import annotations

import dataclasses
import datetime
import types
import typing
import uuid
from typing import Any, ClassVar


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


# Not in the payload: the outbox row has its own columns for them.
ENVELOPE_FIELDS = frozenset({"municipality_id", "occurred_at"})


@dataclasses.dataclass(frozen=True, kw_only=True)
class OutboxMessage:
    """Anything written to the outbox: a municipality, a moment, and (usually) a citizen."""

    event_type: ClassVar[str] = ""

    municipality_id: int
    occurred_at: datetime.datetime

    @property
    def about_citizen_id(self) -> uuid.UUID | None:
        """The citizen the event is about; events of one citizen are handled in order."""
        value = getattr(self, "citizen_id", None)
        return value if isinstance(value, uuid.UUID) else None

    def payload(self) -> dict[str, Any]:
        return {
            f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name not in ENVELOPE_FIELDS
        }


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent(OutboxMessage):
    """An event in a citizen's case."""

    citizen_id: uuid.UUID
    case_id: uuid.UUID


@dataclasses.dataclass(frozen=True, kw_only=True)
class InterviewMissed(DomainEvent):
    """The citizen did not come to a job interview (udeblivelse)."""

    event_type: ClassVar[str] = "interview_missed"

    interview_id: uuid.UUID
    scheduled_at: datetime.datetime


@dataclasses.dataclass(frozen=True, kw_only=True)
class EmploymentStarted(DomainEvent):
    """The citizen starts a job: the benefits side must stop or reduce payments."""

    event_type: ClassVar[str] = "employment_started"

    start_date: datetime.date
    employer: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class AvailabilityChanged(DomainEvent):
    """The citizen is no longer (or again) available to the labour market (rådighed)."""

    event_type: ClassVar[str] = "availability_changed"

    available: bool
    effective_from: datetime.date
    reason: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class InterviewHeld(DomainEvent):
    """A job interview was held (reported to DFDG)."""

    event_type: ClassVar[str] = "interview_held"

    interview_id: uuid.UUID
    held_on: datetime.date
    form: str
    target_group: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class OfferStarted(DomainEvent):
    """An offer (tilbud) started (reported to DFDG)."""

    event_type: ClassVar[str] = "offer_started"

    offer_id: uuid.UUID
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date


@dataclasses.dataclass(frozen=True, kw_only=True)
class GrantDecided(OutboxMessage):
    """A decision on a citizen's grant was recorded (reported to DFDG)."""

    event_type: ClassVar[str] = "grant_decided"

    citizen_id: uuid.UUID
    grant_id: uuid.UUID
    decision_id: uuid.UUID
    version: int
    kind: str
    effective_from: datetime.date
    effective_to: datetime.date | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class PaymentRunReleased(OutboxMessage):
    """A municipality's payment run was released: one event per run, never one per payment."""

    event_type: ClassVar[str] = "payment_run_released"

    run_id: uuid.UUID
    month: datetime.date
    payment_date: datetime.date
    payment_count: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class PaymentReportBatch(OutboxMessage):
    """One page of a released run's payments to report to DFDG (published by the run's handler)."""

    event_type: ClassVar[str] = "payment_report_batch"

    run_id: uuid.UUID
    page: int
    page_size: int


EVENT_TYPES: dict[str, type[OutboxMessage]] = {
    cls.event_type: cls
    for cls in (
        InterviewMissed,
        EmploymentStarted,
        AvailabilityChanged,
        InterviewHeld,
        OfferStarted,
        GrantDecided,
        PaymentRunReleased,
        PaymentReportBatch,
    )
}


class MalformedEvent(ValueError):
    """A stored event whose type is unknown or whose payload does not match its type."""


def _parsed(name: str, hint: Any, value: Any) -> Any:
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if value is None:
        if type(None) in options:
            return None
        raise MalformedEvent(f"feltet {name!r} mangler en værdi")
    for option in options:
        if option is type(None):
            continue
        try:
            if option is uuid.UUID and isinstance(value, str):
                return uuid.UUID(value)
            if option is datetime.datetime and isinstance(value, str):
                parsed = datetime.datetime.fromisoformat(value)
                if parsed.tzinfo is None:
                    raise ValueError(value)
                return parsed
            if option is datetime.date and isinstance(value, str):
                return datetime.date.fromisoformat(value)
        except ValueError:
            continue
        if option is bool and isinstance(value, bool):
            return value
        if option is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if option is str and isinstance(value, str):
            return value
    raise MalformedEvent(f"feltet {name!r} har en ugyldig værdi")


def parse_payload(
    event_type: str, payload: Any, *, municipality_id: int, occurred_at: datetime.datetime
) -> OutboxMessage:
    """The event `payload` describes, or MalformedEvent with a Danish reason."""
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise MalformedEvent(f"ukendt hændelsestype {event_type!r}")
    if not isinstance(payload, dict):
        raise MalformedEvent("indholdet er ikke et JSON-objekt")
    hints = typing.get_type_hints(cls)
    expected = {f.name for f in dataclasses.fields(cls)} - ENVELOPE_FIELDS
    missing = sorted(expected - payload.keys())
    if missing:
        raise MalformedEvent(f"indholdet mangler {', '.join(missing)}")
    unexpected = sorted(payload.keys() - expected)
    if unexpected:
        raise MalformedEvent(f"indholdet har ukendte felter: {', '.join(unexpected)}")
    values = {name: _parsed(name, hints[name], payload[name]) for name in sorted(expected)}
    return cls(municipality_id=municipality_id, occurred_at=occurred_at, **values)

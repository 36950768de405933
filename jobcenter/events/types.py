"""The domain events the case side publishes. The benefits side acts on them (issue 6).

Each is a frozen dataclass; `payload()` is what the outbox stores: plain JSON,
people named by internal id, never by CPR number.
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from typing import Any, ClassVar


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent:
    event_type: ClassVar[str] = ""

    municipality_id: int
    citizen_id: uuid.UUID
    case_id: uuid.UUID
    occurred_at: datetime.datetime

    def payload(self) -> dict[str, Any]:
        skip = {"municipality_id", "occurred_at"}
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name not in skip}


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

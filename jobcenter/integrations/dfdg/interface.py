"""Reporting to Det Fælles Datagrundlag (DFDG), STAR's national employment database.

Jobcentres report what they do (interviews held, offers started) and what
the benefits office decides and pays (grants, payments). A report is sent
once per ``idempotency_key``: the service deduplicates by the key, so a
retry after a timeout, a dispatcher restart or an outage never counts twice.

Two kinds of failure, because the outbox treats them differently:

- :class:`DfdgUnavailable`: the service could not take the report now
  (down, timing out, 5xx). Try again later with the same key.
- :class:`DfdgRejected`: the service read the report and refused it (4xx).
  Retrying the same report will not help; it goes to the dead-letter list
  with the reason.

Errors carry a Danish ``message`` without CPR numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from jobcenter.integrations import IntegrationError
from jobcenter.integrations.cpr.interface import InvalidCprNumber, valid_cpr_or_error


class ReportKind(StrEnum):
    GRANT_DECIDED = "grant_decided"
    PAYMENT_RELEASED = "payment_released"
    INTERVIEW_HELD = "interview_held"
    OFFER_STARTED = "offer_started"


@dataclass(frozen=True)
class DfdgReport:
    kind: ReportKind
    municipality_code: str  # the four-digit kommunekode, e.g. "0461"
    citizen_cpr: str
    occurred_on: date
    idempotency_key: str
    details: dict[str, Any] = field(default_factory=dict)  # JSON-ready facts of the report


@dataclass(frozen=True)
class DfdgReceipt:
    report_id: str  # the service's id for the report
    accepted_at: datetime  # timezone-aware
    duplicate: bool  # True: the key had been reported before; nothing new was stored


class DfdgError(IntegrationError):
    default_message = "Indberetningen til Det Fælles Datagrundlag mislykkedes."


class DfdgUnavailable(DfdgError):
    default_message = "Det Fælles Datagrundlag svarer ikke lige nu. Indberetningen sendes igen senere."


class DfdgRejected(DfdgError):
    default_message = "Det Fælles Datagrundlag afviste indberetningen."


class DfdgClient(Protocol):
    def report(self, report: DfdgReport) -> DfdgReceipt:
        """Deliver the report once per ``idempotency_key``; raises DfdgUnavailable or DfdgRejected."""
        ...


def checked_report(report: DfdgReport) -> str:
    """The citizen's compact CPR number, after checking the report is complete; else :class:`DfdgRejected`."""
    try:
        cpr = valid_cpr_or_error(report.citizen_cpr)
    except InvalidCprNumber:
        raise DfdgRejected("Indberetningen har et ugyldigt CPR-nummer og er afvist.") from None
    if not (len(report.municipality_code) == 4 and report.municipality_code.isdigit()):
        raise DfdgRejected("Indberetningen har en ugyldig kommunekode og er afvist.")
    if not report.idempotency_key.strip():
        raise DfdgRejected("Indberetningen mangler en idempotensnøgle og er afvist.")
    try:
        ReportKind(report.kind)
    except ValueError:
        raise DfdgRejected("Indberetningen er af en ukendt type og er afvist.") from None
    return cpr

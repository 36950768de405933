"""HTTP client for DFDG reporting (a skeleton: our own JSON stand-in for STAR's service).

The real service needs a municipal agreement, a certificate and STAR's
schemas, which this project does not have yet; this client speaks a small
JSON format of our own so the behaviour callers rely on is real and tested:

``POST {base_url}/reports`` with header ``Idempotency-Key: <key>`` and body
``{"kind", "municipalityCode", "cpr", "occurredOn", "details"}``:

- 201: accepted; 200: accepted before under the same key (duplicate);
- 400/409/422: :class:`DfdgRejected` (the report itself is wrong);
- any other status, a timeout, a refused connection: :class:`DfdgUnavailable`.

Retrying with backoff is the outbox dispatcher's job, not the client's: one
call is one attempt, so an outage never blocks the worker.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jobcenter.integrations import ServiceUnreachable, http_base_url_and_timeout, post_json
from jobcenter.integrations.dfdg.interface import (
    DfdgReceipt,
    DfdgRejected,
    DfdgReport,
    DfdgUnavailable,
    ReportKind,
    checked_report,
)

DEFAULT_TIMEOUT_SECONDS = 10.0
REJECTING_STATUSES = frozenset({400, 409, 422})


def report_to_wire(report: DfdgReport) -> dict[str, Any]:
    return {
        "kind": str(report.kind),
        "municipalityCode": report.municipality_code,
        "cpr": report.citizen_cpr,
        "occurredOn": report.occurred_on.isoformat(),
        "details": report.details,
    }


def report_from_wire(data: Any, idempotency_key: str) -> DfdgReport:
    """Parse the wire format; a missing or malformed field raises ValueError (or KeyError/TypeError)."""
    return DfdgReport(
        kind=ReportKind(data["kind"]),
        municipality_code=str(data["municipalityCode"]),
        citizen_cpr=str(data["cpr"]),
        occurred_on=date.fromisoformat(data["occurredOn"]),
        idempotency_key=idempotency_key,
        details=dict(data.get("details") or {}),
    )


def receipt_to_wire(receipt: DfdgReceipt) -> dict[str, Any]:
    return {"reportId": receipt.report_id, "acceptedAt": receipt.accepted_at.isoformat()}


class HttpDfdgClient:
    def __init__(self, base_url: str, *, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.url = base_url.rstrip("/") + "/reports"
        self.timeout_seconds = timeout_seconds

    def report(self, report: DfdgReport) -> DfdgReceipt:
        checked_report(report)
        try:
            answer = post_json(
                self.url,
                report_to_wire(report),
                timeout=self.timeout_seconds,
                headers={"Idempotency-Key": report.idempotency_key},
            )
        except ServiceUnreachable:
            raise DfdgUnavailable() from None
        if answer.status in (200, 201):
            try:
                return DfdgReceipt(
                    report_id=str(answer.body["reportId"]),
                    accepted_at=datetime.fromisoformat(answer.body["acceptedAt"]),
                    duplicate=answer.status == 200,
                )
            except (KeyError, TypeError, ValueError):
                raise DfdgUnavailable("Det Fælles Datagrundlag gav et svar, der ikke kunne læses.") from None
        if answer.status in REJECTING_STATUSES:
            raise DfdgRejected()
        raise DfdgUnavailable()


def http_dfdg_client_from_settings() -> HttpDfdgClient:
    """The HTTP client configured by ``JOBCENTER_DFDG_BASE_URL`` and ``JOBCENTER_DFDG_TIMEOUT_SECONDS``."""
    base_url, timeout = http_base_url_and_timeout("JOBCENTER_DFDG", DEFAULT_TIMEOUT_SECONDS)
    return HttpDfdgClient(base_url, timeout_seconds=timeout)

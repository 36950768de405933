"""The outbox's metrics for monitoring: JSON, and Prometheus' text format (bearer token or session)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from jobcenter.events.queries import outbox_metrics, prometheus_text
from jobcenter.tenancy.access import require_permission
from jobcenter.tenancy.roles import Permission

router = Router(tags=["Drift"])


class OutboxMetricsOut(Schema):
    events_waiting: int
    oldest_undelivered_age_seconds: float | None
    deliveries_pending: int
    dead_letters: int
    failures_per_integration: dict[str, int]
    window_hours: int


@router.get(
    "/outbox", response=OutboxMetricsOut, url_name="operations-outbox", summary="Udgående hændelser: kø og fejl"
)
def outbox(request: HttpRequest) -> OutboxMetricsOut:
    user = request.auth  # type: ignore[attr-defined]
    require_permission(user, Permission.OPERATIONS_VIEW)
    metrics = outbox_metrics(user)
    return OutboxMetricsOut(**metrics.__dict__)


@router.get("/metrics", url_name="operations-metrics", summary="Målinger i Prometheus' tekstformat", response=str)
def metrics(request: HttpRequest) -> HttpResponse:
    user = request.auth  # type: ignore[attr-defined]
    require_permission(user, Permission.OPERATIONS_VIEW)
    return HttpResponse(prometheus_text(outbox_metrics(user)), content_type="text/plain; version=0.0.4; charset=utf-8")

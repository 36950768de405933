"""What the operations page and the metrics endpoint show of the outbox.

No personal data: event types, handlers, municipalities, times and reasons
(reasons never hold a CPR number, see dispatcher._reason). Limited to the
municipalities the user works for; `None` (the command line) sees all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min
from django.utils import timezone

from jobcenter.events.models import DeliveryFailure, DeliveryStatus, EventDelivery, OutboxEvent
from jobcenter.tenancy.models import User

FAILURE_WINDOW = datetime.timedelta(hours=24)
LOCAL = "intern"  # the label of handlers that talk to no national service
DEAD_LETTER_PAGE = 200


@dataclass
class OutboxMetrics:
    events_waiting: int
    oldest_undelivered_age_seconds: float | None
    deliveries_pending: int
    dead_letters: int
    failures_per_integration: dict[str, int] = field(default_factory=dict)
    window_hours: int = int(FAILURE_WINDOW.total_seconds() // 3600)


def _scoped(queryset: Any, user: User | None) -> Any:
    return queryset if user is None else queryset.filter(municipality__in=user.municipalities.all())


def outbox_metrics(user: User | None, now: datetime.datetime | None = None) -> OutboxMetrics:
    now = now or timezone.now()
    waiting = _scoped(OutboxEvent.objects.filter(dispatched_at__isnull=True), user)
    oldest = waiting.aggregate(oldest=Min("created_at"))["oldest"]
    failures = (
        _scoped(DeliveryFailure.objects.filter(failed_at__gte=now - FAILURE_WINDOW), user)
        .values("integration")
        .annotate(count=Count("id"))
        .order_by("integration")
    )
    deliveries = _scoped(EventDelivery.objects.all(), user)
    return OutboxMetrics(
        events_waiting=waiting.count(),
        oldest_undelivered_age_seconds=(now - oldest).total_seconds() if oldest else None,
        deliveries_pending=deliveries.filter(status=DeliveryStatus.PENDING).count(),
        dead_letters=deliveries.filter(status=DeliveryStatus.DEAD).count(),
        failures_per_integration={row["integration"] or LOCAL: row["count"] for row in failures},
    )


def dead_letters(user: User | None) -> list[EventDelivery]:
    """The dead-letter list, newest first (at most DEAD_LETTER_PAGE rows)."""
    return list(
        _scoped(EventDelivery.objects.filter(status=DeliveryStatus.DEAD), user)
        .select_related("event", "municipality")
        .order_by("-dead_at", "-id")[:DEAD_LETTER_PAGE]
    )


def prometheus_text(metrics: OutboxMetrics) -> str:
    """The metrics in Prometheus' text exposition format."""
    lines = [
        "# HELP jobcenter_outbox_events_waiting Events not yet delivered to all their handlers.",
        "# TYPE jobcenter_outbox_events_waiting gauge",
        f"jobcenter_outbox_events_waiting {metrics.events_waiting}",
        "# HELP jobcenter_outbox_oldest_undelivered_age_seconds Age of the oldest undelivered event.",
        "# TYPE jobcenter_outbox_oldest_undelivered_age_seconds gauge",
        f"jobcenter_outbox_oldest_undelivered_age_seconds {metrics.oldest_undelivered_age_seconds or 0:.0f}",
        "# HELP jobcenter_outbox_deliveries_pending Handler deliveries waiting (due or in backoff).",
        "# TYPE jobcenter_outbox_deliveries_pending gauge",
        f"jobcenter_outbox_deliveries_pending {metrics.deliveries_pending}",
        "# HELP jobcenter_outbox_dead_letters Deliveries on the dead-letter list.",
        "# TYPE jobcenter_outbox_dead_letters gauge",
        f"jobcenter_outbox_dead_letters {metrics.dead_letters}",
        f"# HELP jobcenter_outbox_failures Failed delivery attempts in the last {metrics.window_hours} hours.",
        "# TYPE jobcenter_outbox_failures gauge",
    ]
    lines += [
        f'jobcenter_outbox_failures{{integration="{name}"}} {count}'
        for name, count in sorted(metrics.failures_per_integration.items())
    ]
    return "\n".join(lines) + "\n"

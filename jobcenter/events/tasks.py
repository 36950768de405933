"""The dispatcher on the worker: woken after each commit that published events, and re-enqueued while work waits."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from jobcenter.audit.context import work_context
from jobcenter.events import dispatcher
from jobcenter.events.background import background_task

# One run works at most this long, then hands over to a fresh task (other tasks get a turn).
TIME_BUDGET_SECONDS = 50.0
# While deliveries wait (for a retry, or behind an earlier event), the sweep looks again at least this often.
SWEEP_INTERVAL = datetime.timedelta(minutes=1)
TASK_PATH = "jobcenter.events.tasks.dispatch_events"


@background_task(describe=lambda: ("Afsendelse af udgående hændelser", None))
def dispatch_events() -> dict[str, Any]:
    """Route and deliver the outbox; enqueue the next run while anything waits. Safe to run twice:
    a delivery and its done-mark commit together (events/dispatcher.py)."""
    with work_context("task:dispatch_events"):
        result = dispatcher.dispatch(time_budget=TIME_BUDGET_SECONDS)
        due = dispatcher.next_due()
        if due is not None:
            schedule_dispatcher(min(max(due, timezone.now()), timezone.now() + SWEEP_INTERVAL))
        return {
            "routed": result.routed,
            "rejected": result.rejected,
            "delivered": result.delivered,
            "failed": result.failed,
            "dead": result.dead,
        }


def schedule_dispatcher(run_after: datetime.datetime | None = None) -> bool:
    """Enqueue a dispatcher run for `run_after` (now by default) unless one is already queued by then."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    when = run_after or timezone.now()
    queued = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")
    if queued.filter(Q(run_after__lte=when) | Q(run_after=get_date_max())).exists():
        return False
    if run_after is None or run_after <= timezone.now():
        dispatch_events.enqueue()
    else:
        dispatch_events.using(run_after=run_after).enqueue()
    return True


def wake_dispatcher() -> None:
    """Called after the commit of a transaction that published an event (events/actions.py)."""
    schedule_dispatcher()

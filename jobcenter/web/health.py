"""Is the system alive, and can it work? Used by the load balancer and the operations page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str  # for machines (/readyz)
    # For the operations page, in Danish; the detail when empty.
    text: str = ""
    # False: the check's failure is reported, but the process still serves (/readyz stays 200).
    blocks: bool = True


def _ping_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_database() -> Check:
    try:
        _ping_database()
    except DatabaseError as error:
        return Check("database", False, type(error).__name__)
    return Check("database", True, connection.vendor)


def check_task_queue() -> Check:
    """The queue is a table in the database: reachable when it can be read."""
    from django_tasks_db.models import DBTaskResult

    try:
        waiting = DBTaskResult.objects.ready().count()
    except DatabaseError as error:
        return Check("task_queue", False, type(error).__name__)
    return Check(
        "task_queue", True, f"{waiting} waiting", ngettext("%(n)d venter", "%(n)d venter", waiting) % {"n": waiting}
    )


def check_background_tasks() -> Check:
    """Tasks failed for good, or running silent past their lease (their worker died): the system
    serves, but work waits for a person (events/background.py). Reported, not blocking: a letter
    that could not be sent must not take the web servers out of the load balancer."""
    from jobcenter.events.background import health_counts

    try:
        counts = health_counts()
    except DatabaseError as error:
        return Check("background_tasks", False, type(error).__name__, blocks=False)
    failed, stale, retrying = counts["failed"], counts["stale"], counts["retrying"]
    text = _("%(failed)d fejlet, %(stale)d gået i stå, %(retrying)d prøves igen") % {
        "failed": failed,
        "stale": stale,
        "retrying": retrying,
    }
    detail = f"{failed} failed, {stale} stale, {retrying} retrying"
    return Check("background_tasks", not (failed or stale), detail, text, blocks=False)


def readiness() -> list[Check]:
    return [check_database(), check_task_queue(), check_background_tasks()]

"""Is the system alive, and can it work? Used by the load balancer and the operations page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DatabaseError, connection


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


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
    return Check("task_queue", True, f"{waiting} waiting")


def readiness() -> list[Check]:
    return [check_database(), check_task_queue()]

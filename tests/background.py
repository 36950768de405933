"""Helpers for the background-task tests: a clock that can be moved on, and a worker that dies."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.signals import task_started
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


class Clock:
    """Moves the whole system's clock (django.utils.timezone.now) on, as time passing would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = datetime.timedelta()
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)

    def passes(self, **delta: float) -> None:
        self.offset += datetime.timedelta(**delta)


class WorkerKilled(BaseException):
    """Stands for kill -9: not an Exception, so nothing in the task catches it or records it."""


def run_worker() -> None:
    """The worker (db_worker) runs every task that is due, then stops.

    It runs in the test's own process and connection. Between tasks a real worker closes a connection
    that is not in autocommit; inside the test's transaction that would close the test's connection on
    PostgreSQL (SQLite's in-memory test database ignores it), so here the worker keeps it."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)


def run_on_a_worker_that_dies(result: DBTaskResult, call: Callable[..., Any]) -> None:
    """What the worker does with a queued task, until `call` is killed: it claims the task, says it
    started it, and runs it. What the task committed stays; the queue still says RUNNING."""
    result.claim("worker-killed")
    task_started.send(sender=DatabaseBackend, task_result=result.task_result)
    with pytest.raises(WorkerKilled):
        call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])

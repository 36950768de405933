"""Every task on the worker runs through `background_task`: retried with backoff when it fails,
watched while it runs, and shown on the operations page when it failed for good or its worker died.

- **Retry**: a task that raises is queued again after 30 s, 1, 2, 4 … minutes (at most an hour
  apart), up to `JOBCENTER_TASK_MAX_ATTEMPTS` attempts in a row; then it is *failed* and waits
  for a person (the operations page's "Kør igen"). Every task here is safe to run twice (each
  says why in its docstring), which is what makes retrying it safe.
- **Lease**: a running attempt is alive while it is heard from: by its start (short tasks get
  `lease`, 15 minutes by default) or by `heartbeat()`, which long tasks (a release, the
  specification letters) call as they work and which renews the lease
  (`JOBCENTER_TASK_LEASE_SECONDS`). An attempt not heard from when its lease ran out lost its
  worker (`kill -9`, a crash, a machine gone): `recover_stale()` marks it failed and retries it
  like any failure. The watch task (`watch_background_tasks`) runs it every minute on the worker.
- **Shown**: `BackgroundTask` (events/models.py) keeps one row per job; the operations page,
  `/readyz` and the metrics read it through `problems()`.

What a job is: a task and its arguments (`key`), so the attempts of "deliver letter X" add up
while "deliver letter Y" has its own. Rows are written only when a job fails, and, for tasks with
`heartbeat=True`, while they run; a job that succeeds first time costs one indexed read.
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task
from django_tasks.signals import task_finished, task_started

from jobcenter.audit.redaction import redact_cpr
from jobcenter.events.models import BackgroundTask, BackgroundTaskState

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

DEFAULT_LEASE = datetime.timedelta(minutes=15)
MAX_BACKOFF = datetime.timedelta(hours=1)
WATCH_INTERVAL = datetime.timedelta(minutes=1)
WATCH_PATH = "jobcenter.events.background.watch_background_tasks"
WORKER_LOST = "jobcenter.events.background.WorkerLost"


class WorkerLost(Exception):
    """The attempt's worker stopped mid-task (killed, crashed, its machine gone)."""


@dataclass(frozen=True)
class Policy:
    task_path: str
    describe: Callable[..., tuple[str, Any]]
    key: Callable[..., str] | None
    lease: datetime.timedelta
    heartbeat: bool

    def key_for(self, args: list[Any], kwargs: dict[str, Any]) -> str:
        if self.key is not None:
            return self.key(*args, **kwargs)[:200]
        arguments = json.dumps({"args": args, "kwargs": kwargs}, sort_keys=True, default=str)
        return f"{self.task_path}:{hashlib.sha256(arguments.encode()).hexdigest()[:32]}"

    def label_for(self, args: list[Any], kwargs: dict[str, Any]) -> tuple[str, Any]:
        """The job in Danish for the operations page, and its municipality (or None): never a CPR number."""
        try:
            label, municipality_id = self.describe(*args, **kwargs)
        except Exception:  # the label must never stop the recording of a failure
            logger.exception("background task %s: no label", self.task_path)
            return "Baggrundsopgave", None
        return redact_cpr(label)[:300], municipality_id


@dataclass
class _Attempt:
    policy: Policy
    key: str
    result_id: str
    last_beat: float


_policies: dict[str, Policy] = {}
_tasks: dict[str, Task[Any, Any]] = {}
# The task result (django_tasks_db) the worker is running in this context, set by its signal.
_current_result: contextvars.ContextVar[str] = contextvars.ContextVar("background_task_result", default="")
_attempt: contextvars.ContextVar[_Attempt | None] = contextvars.ContextVar("background_task_attempt", default=None)


def max_attempts() -> int:
    return int(getattr(settings, "JOBCENTER_TASK_MAX_ATTEMPTS", 5))


def heartbeat_lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "JOBCENTER_TASK_LEASE_SECONDS", 120)))


def backoff(attempt: int) -> datetime.timedelta:
    """After the n-th failure in a row: 30 s, then doubling, at most an hour apart."""
    first = datetime.timedelta(seconds=int(getattr(settings, "JOBCENTER_TASK_RETRY_SECONDS", 30)))
    return min(first * 2 ** (attempt - 1), MAX_BACKOFF)


def background_task(
    *,
    describe: Callable[..., tuple[str, Any]],
    key: Callable[..., str] | None = None,
    lease: datetime.timedelta = DEFAULT_LEASE,
    heartbeat: bool = False,
) -> Callable[[Callable[P, T]], Task[P, T]]:
    """Make `function` a task (django-tasks) that is retried, watched and shown.

    `describe(*args, **kwargs)` names the job in Danish and gives its municipality's id (or None);
    `key(*args, **kwargs)` names the job when its attempts should add up across other arguments
    (e.g. a release pressed by two people); `heartbeat=True` for long tasks that call `heartbeat()`.
    """

    def decorate(function: Callable[P, T]) -> Task[P, T]:
        path = f"{function.__module__}.{function.__qualname__}"
        policy = Policy(
            task_path=path,
            describe=describe,
            key=key,
            lease=heartbeat_lease() if heartbeat else lease,
            heartbeat=heartbeat,
        )

        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            arguments, keywords = list(args), dict(kwargs)
            attempt = _Attempt(policy, policy.key_for(arguments, keywords), _current_result.get(), time.monotonic())
            token = _attempt.set(attempt)
            try:
                if policy.heartbeat:
                    _record_start(attempt, arguments, keywords)
                result = function(*args, **kwargs)
            except Exception as error:
                _record_failure_safely(policy, arguments, keywords, _reason(error), attempt.result_id)
                raise
            finally:
                _attempt.reset(token)
            _record_success(attempt)
            return result

        wrapped: Task[P, T] = task()(run)
        _policies[path] = policy
        _tasks[path] = wrapped
        return wrapped

    return decorate


def heartbeat() -> None:
    """The running task is alive: renew its lease (at most every quarter of the lease, so cheap to
    call per letter or per chunk). Does nothing outside a task with `heartbeat=True`."""
    attempt = _attempt.get()
    if attempt is None or not attempt.policy.heartbeat:
        return
    lease = attempt.policy.lease
    if time.monotonic() - attempt.last_beat < lease.total_seconds() / 4:
        return
    attempt.last_beat = time.monotonic()
    now = timezone.now()
    BackgroundTask.objects.filter(key=attempt.key).update(heartbeat_at=now, lease_until=now + lease)


def _reason(error: BaseException) -> str:
    message = getattr(error, "message", "") or str(error)
    return redact_cpr(f"{type(error).__name__}: {message}" if message else type(error).__name__)[:2000]


def _record_start(attempt: _Attempt, args: list[Any], kwargs: dict[str, Any]) -> None:
    now = timezone.now()
    label, municipality_id = attempt.policy.label_for(args, kwargs)
    live = {
        "state": BackgroundTaskState.RUNNING,
        "result_id": attempt.result_id,
        "started_at": now,
        "heartbeat_at": now,
        "lease_until": now + attempt.policy.lease,
        "next_attempt_at": None,
        "label": label,
        "municipality_id": municipality_id,
    }
    BackgroundTask.objects.update_or_create(
        key=attempt.key,
        defaults=live,
        create_defaults={
            **live,
            "task_path": attempt.policy.task_path,
            "args_kwargs": {"args": args, "kwargs": kwargs},
            "max_attempts": max_attempts(),
        },
    )


def _record_success(attempt: _Attempt) -> None:
    unfinished = BackgroundTask.objects.filter(key=attempt.key).exclude(state=BackgroundTaskState.DONE)
    if attempt.policy.heartbeat or unfinished.exists():
        unfinished.update(
            state=BackgroundTaskState.DONE,
            attempts=0,
            lease_until=None,
            next_attempt_at=None,
            updated_at=timezone.now(),
        )


def _record_failure_safely(
    policy: Policy, args: list[Any], kwargs: dict[str, Any], reason: str, result_id: str
) -> None:
    try:
        record_failure(policy, args, kwargs, reason, result_id)
    except DatabaseError:
        # The database itself is gone: nothing can be written, and /readyz says so.
        logger.exception("background task %s failed and could not be recorded", policy.task_path)


def record_failure(
    policy: Policy, args: list[Any], kwargs: dict[str, Any], reason: str, result_id: str = ""
) -> BackgroundTask:
    """Count a failed attempt of the job; queue the next one after its backoff, or give up."""
    now = timezone.now()
    key = policy.key_for(args, kwargs)
    label, municipality_id = policy.label_for(args, kwargs)
    with transaction.atomic():
        row = BackgroundTask.objects.select_for_update().filter(key=key).first()
        if row is None:
            row = BackgroundTask(key=key, task_path=policy.task_path)
        row.args_kwargs = {"args": args, "kwargs": kwargs}
        row.label, row.municipality_id = label, municipality_id
        row.attempts += 1
        row.max_attempts = max_attempts()
        row.last_error = reason
        row.failed_at = now
        row.result_id = result_id
        row.heartbeat_at = row.lease_until = None
        the_task = _tasks[policy.task_path]
        retry = row.attempts < row.max_attempts and the_task.get_backend().supports_defer
        row.state = BackgroundTaskState.RETRYING if retry else BackgroundTaskState.FAILED
        row.next_attempt_at = now + backoff(row.attempts) if retry else None
        row.save()
        if retry:
            the_task.using(run_after=row.next_attempt_at).enqueue(*args, **kwargs)
    log = logger.warning if retry else logger.error
    log("background task %s failed (attempt %d of %d): %s", label, row.attempts, row.max_attempts, reason)
    return row


def policy_for(task_path: str) -> Policy | None:
    """The policy of a task by its path; imports the task's module if this process has not yet."""
    if task_path not in _policies and task_path.startswith("jobcenter."):
        try:
            import_string(task_path)
        except ImportError:
            return None
    return _policies.get(task_path)


def run_again(row: BackgroundTask) -> None:
    """Queue a job again from its first attempt (the operations page's button; the caller audits)."""
    policy = policy_for(row.task_path)
    if policy is None:
        raise LookupError(row.task_path)
    args, kwargs = row.args_kwargs.get("args", []), row.args_kwargs.get("kwargs", {})
    row.state = BackgroundTaskState.RETRYING
    row.attempts = 0
    row.next_attempt_at = timezone.now()
    row.save(update_fields=["state", "attempts", "next_attempt_at", "updated_at"])
    _tasks[policy.task_path].enqueue(*args, **kwargs)


# --- Attempts whose worker died ---------------------------------------------------------------


@dataclass(frozen=True)
class StaleAttempt:
    result_id: str
    task_path: str
    args: list[Any]
    kwargs: dict[str, Any]
    key: str
    silent_since: datetime.datetime
    superseded: bool  # a later attempt of the same job has started since


def stale_attempts(now: datetime.datetime | None = None) -> list[StaleAttempt]:
    """Attempts the queue says are running whose lease has run out (read only)."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    found = []
    for result in DBTaskResult.objects.filter(status="RUNNING").order_by("started_at"):
        policy = policy_for(result.task_path)
        args, kwargs = result.args_kwargs.get("args", []), result.args_kwargs.get("kwargs", {})
        started = result.started_at or result.enqueued_at
        key = policy.key_for(args, kwargs) if policy else result.task_path
        row = BackgroundTask.objects.filter(key=key).first() if policy else None
        heard, alive_until = started, started + (policy.lease if policy else DEFAULT_LEASE)
        superseded = False
        if row is not None and row.result_id == str(result.id) and row.state == BackgroundTaskState.RUNNING:
            heard = row.heartbeat_at or started
            alive_until = row.lease_until or alive_until
        elif row is not None and row.result_id and row.started_at is not None:
            superseded = row.started_at > started
        if alive_until < now:
            found.append(StaleAttempt(str(result.id), result.task_path, args, kwargs, key, heard, superseded))
    return found


def recover_stale(now: datetime.datetime | None = None) -> int:
    """Mark every stale attempt failed in the queue and count it as a failure of its job (retried
    after its backoff, or failed for good). Safe to run in several places at once: each stale
    attempt is taken by one of them. Returns how many were recovered."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    recovered = 0
    for stale in stale_attempts(now):
        with transaction.atomic():
            taken = DBTaskResult.objects.filter(pk=stale.result_id, status="RUNNING").update(
                status="FAILED", finished_at=now, exception_class_path=WORKER_LOST, traceback=worker_lost(stale)
            )
            policy = _policies.get(stale.task_path)
            if taken and policy is not None and not stale.superseded:
                record_failure(policy, stale.args, stale.kwargs, worker_lost(stale), stale.result_id)
        recovered += taken
    return recovered


def worker_lost(stale: StaleAttempt) -> str:
    silent = timezone.localtime(stale.silent_since).strftime("%d-%m-%Y %H:%M")
    return (
        "Baggrundsprocessen stoppede midt i opgaven (den blev standset eller gik ned) "
        f"og har ikke meldt sig siden {silent}."
    )


@dataclass(frozen=True)
class Problem:
    """A job that needs a person's eye, for the operations page."""

    label: str
    state: str  # failed, retrying or stale
    attempts: int
    max_attempts: int
    error: str
    when: datetime.datetime | None
    next_attempt_at: datetime.datetime | None
    job_id: int | None
    municipality_id: Any


def problems(municipalities: Any = None) -> list[Problem]:
    """Jobs failed for good, waiting for a retry, or running silent past their lease, newest first.
    `municipalities` limits them to those (and to jobs of no municipality); None: all."""
    from django.db.models import Q

    stale = {attempt.key: attempt for attempt in stale_attempts() if not attempt.superseded}
    rows = BackgroundTask.objects.filter(
        Q(state__in=[BackgroundTaskState.FAILED, BackgroundTaskState.RETRYING]) | Q(key__in=stale)
    )
    if municipalities is not None:
        rows = rows.filter(Q(municipality__in=municipalities) | Q(municipality__isnull=True))
    found = []
    for row in rows.order_by("-updated_at")[:200]:
        attempt = stale.pop(row.key, None)
        found.append(
            Problem(
                label=row.label,
                state="stale" if attempt else str(row.state),
                attempts=row.attempts,
                max_attempts=row.max_attempts,
                error=worker_lost(attempt) if attempt else row.last_error,
                when=attempt.silent_since if attempt else row.failed_at,
                next_attempt_at=None if attempt else row.next_attempt_at,
                job_id=row.pk,
                municipality_id=row.municipality_id,
            )
        )
    for attempt in stale.values():  # short tasks write no row until they fail
        policy = _policies.get(attempt.task_path)
        label, municipality_id = policy.label_for(attempt.args, attempt.kwargs) if policy else ("Baggrundsopgave", None)
        outside = municipalities is not None and municipality_id is not None
        if outside and not municipalities.filter(pk=municipality_id).exists():
            continue
        found.append(
            Problem(
                label,
                "stale",
                0,
                max_attempts(),
                worker_lost(attempt),
                attempt.silent_since,
                None,
                None,
                municipality_id,
            )
        )
    return found


def health_counts(now: datetime.datetime | None = None) -> dict[str, int]:
    """For /readyz, from indexed rows only (the queue's RUNNING rows are not indexed, and /readyz is
    asked every few seconds): jobs failed for good; jobs stalled (a running attempt past its lease,
    or a retry overdue by several minutes: no worker is taking the queue); jobs waiting to retry."""
    from django.db.models import Q

    now = now or timezone.now()
    overdue = now - 5 * WATCH_INTERVAL
    counts = BackgroundTask.objects.filter(
        state__in=[BackgroundTaskState.FAILED, BackgroundTaskState.RETRYING, BackgroundTaskState.RUNNING]
    ).aggregate(
        failed=Count("id", filter=Q(state=BackgroundTaskState.FAILED)),
        stale=Count(
            "id",
            filter=Q(state=BackgroundTaskState.RUNNING, lease_until__lt=now)
            | Q(state=BackgroundTaskState.RETRYING, next_attempt_at__lt=overdue),
        ),
        retrying=Count("id", filter=Q(state=BackgroundTaskState.RETRYING)),
    )
    return {name: int(value or 0) for name, value in counts.items()}


def is_stalled(row: BackgroundTask | None, since: datetime.datetime | None = None) -> bool:
    """The job's latest attempt (begun after `since`) failed for good, or went silent past its lease."""
    if row is None or (since is not None and (row.started_at or row.updated_at) < since):
        return False
    if row.state == BackgroundTaskState.FAILED:
        return True
    return row.state == BackgroundTaskState.RUNNING and row.lease_until is not None and row.lease_until < timezone.now()


def job(key: str) -> BackgroundTask | None:
    return BackgroundTask.objects.filter(key=key).first()


# --- The watch: recovers stale attempts every minute, on the worker ---------------------------


def schedule_watch(run_after: datetime.datetime | None = None) -> bool:
    """Queue the watch for `run_after` (now by default) unless one is already queued by then."""
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult, get_date_max

    when = run_after or timezone.now()
    queued = DBTaskResult.objects.filter(task_path=WATCH_PATH, status="READY")
    if queued.filter(Q(run_after__lte=when) | Q(run_after=get_date_max())).exists():
        return False
    if run_after is None or run_after <= timezone.now():
        watch_background_tasks.enqueue()
    else:
        watch_background_tasks.using(run_after=run_after).enqueue()
    return True


@background_task(describe=lambda: ("Opsyn med baggrundsopgaver", None), lease=datetime.timedelta(minutes=5))
def watch_background_tasks() -> int:
    """Recover the attempts whose worker died, then look again in a minute. Safe to run twice."""
    recovered = recover_stale()
    schedule_watch(timezone.now() + WATCH_INTERVAL)
    return recovered


_last_watch_check = 0.0


def _on_task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """The worker begins a task: remember which, and make sure the watch is queued (checked at most
    once a minute per worker, so a worker restarted after a crash starts watching by itself)."""
    global _last_watch_check
    _current_result.set(str(task_result.id))
    from django_tasks_db.backend import DatabaseBackend

    # The worker sends the backend itself; other senders send its class.
    backend = sender if isinstance(sender, type) else type(sender)
    if not issubclass(backend, DatabaseBackend):
        return
    if time.monotonic() - _last_watch_check < WATCH_INTERVAL.total_seconds():
        return
    _last_watch_check = time.monotonic()
    try:
        schedule_watch(timezone.now() + WATCH_INTERVAL)
    except DatabaseError:
        logger.exception("could not queue the background-task watch")


def _on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _current_result.set("")


task_started.connect(_on_task_started, dispatch_uid="jobcenter.events.background.started")
task_finished.connect(_on_task_finished, dispatch_uid="jobcenter.events.background.finished")

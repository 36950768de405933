"""Background tasks are retried with backoff, a task whose worker died is found and run again, and
what failed for good is shown on the operations page and in /readyz (issue 14, review item 1)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobcenter.audit.models import AuditEntry
from jobcenter.cases.actions import do_send_summons
from jobcenter.events.background import recover_stale, watch_background_tasks
from jobcenter.events.models import BackgroundTask, BackgroundTaskState
from jobcenter.events.tasks import dispatch_events
from jobcenter.integrations.digital_post.fake import FakeDigitalPostClient
from jobcenter.letters.models import DeliveryStatus
from jobcenter.letters.queries import current_status
from jobcenter.tenancy.roles import Role
from jobcenter.web.tasks import ping
from tests.background import Clock, run_worker

LETTER_TASK = "jobcenter.letters.tasks.deliver_letter"


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def operations(make_user, odense):
    return make_user(Role.OPERATIONS, odense)


def digital_post_breaks(monkeypatch):
    def broken(self, letter):
        raise RuntimeError("forbindelsen blev nulstillet")

    real = FakeDigitalPostClient.send
    monkeypatch.setattr(FakeDigitalPostClient, "send", broken)
    return lambda: monkeypatch.setattr(FakeDigitalPostClient, "send", real)


def test_a_letter_task_that_raises_is_retried_with_growing_backoff_then_shown_and_run_again_by_operations(
    transactional_db, odense_interview, operations, client_for, clock, monkeypatch, settings
):
    settings.JOBCENTER_TASK_MAX_ATTEMPTS = 3
    digital_post_answers_again = digital_post_breaks(monkeypatch)
    summons = do_send_summons(acting_user=None, interview=odense_interview)  # its commit queues the delivery
    delays = []
    for _attempt in range(3):
        run_worker()
        job = BackgroundTask.objects.get(task_path=LETTER_TASK)
        if job.next_attempt_at:
            delays.append(job.next_attempt_at - job.failed_at)
            clock.passes(seconds=delays[-1].total_seconds())
    assert delays == [datetime.timedelta(seconds=30), datetime.timedelta(seconds=60)]
    assert DBTaskResult.objects.filter(task_path=LETTER_TASK, status="FAILED").count() == 3
    assert not DBTaskResult.objects.filter(task_path=LETTER_TASK, status="READY").exists()
    job = BackgroundTask.objects.get(task_path=LETTER_TASK)
    assert (job.state, job.attempts, job.municipality.code) == (BackgroundTaskState.FAILED, 3, "0461")

    client = client_for(operations)
    page = client.get(reverse("web:operations")).content.decode()
    assert "Afsendelse af brevet »Indkaldelse til jobsamtale" in page
    assert "Fejlet" in page and "3 af 3" in page
    assert "RuntimeError: forbindelsen blev nulstillet" in page
    assert "Kør igen" in page
    ready = client.get("/readyz")
    assert ready.status_code == 200  # the web still serves
    assert ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["background_tasks"] == {"ok": False, "detail": "1 failed, 0 stale, 0 retrying"}

    digital_post_answers_again()
    response = client.post(reverse("web:operations-rerun-task", args=[job.pk]))
    assert response.status_code == 302
    assert AuditEntry.objects.get(user=operations, object_id=str(job.pk)).detail["retry"] == "background_task"
    run_worker()
    assert current_status(summons.letter) == DeliveryStatus.SENT
    assert BackgroundTask.objects.get(pk=job.pk).state == BackgroundTaskState.DONE
    assert "Ingen fejlede eller standsede opgaver." in client.get(reverse("web:operations")).content.decode()
    assert client.get("/readyz").json()["status"] == "ok"


def test_the_dispatcher_that_raises_is_queued_again_after_its_backoff(db, monkeypatch):
    from jobcenter.events import dispatcher

    def locked(**kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(dispatcher, "dispatch", locked)
    with pytest.raises(RuntimeError):
        dispatch_events.call()
    job = BackgroundTask.objects.get(task_path="jobcenter.events.tasks.dispatch_events")
    assert (job.state, job.attempts, job.label) == ("retrying", 1, "Afsendelse af udgående hændelser")
    retry = DBTaskResult.objects.get(task_path="jobcenter.events.tasks.dispatch_events", status="READY")
    assert retry.run_after == job.next_attempt_at
    monkeypatch.undo()
    dispatch_events.call()  # the next attempt succeeds: the job is done and counts from nought again
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 0)


def test_a_task_whose_worker_was_killed_is_shown_as_stalled_then_found_by_the_watch_and_run_again(
    db, operations, client_for, clock
):
    queued = DBTaskResult.objects.get(id=ping.enqueue().id)
    queued.claim("worker-killed")  # the worker took the task, and was killed (kill -9) before it finished
    client = client_for(operations)
    assert "Ingen fejlede" in client.get(reverse("web:operations")).content.decode()  # alive for all we know

    clock.passes(minutes=16)  # a short task's lease is 15 minutes
    page = client.get(reverse("web:operations")).content.decode()
    assert "Gået i stå" in page and "Prøveopgave fra driftssiden" in page
    assert "Startes automatisk igen" in page

    watch_background_tasks.call()
    queued.refresh_from_db()
    assert (queued.status, queued.exception_class_path) == ("FAILED", "jobcenter.events.background.WorkerLost")
    job = BackgroundTask.objects.get(task_path="jobcenter.web.tasks.ping")
    assert (job.state, job.attempts) == ("retrying", 1)
    assert "stoppede midt i opgaven" in job.last_error
    assert recover_stale() == 0  # taken once, however many watches run
    clock.passes(seconds=30)
    run_worker()
    assert DBTaskResult.objects.filter(task_path="jobcenter.web.tasks.ping", status="SUCCESSFUL").count() == 1
    assert BackgroundTask.objects.get(pk=job.pk).state == "done"


def test_operations_of_aarhus_neither_see_nor_run_again_an_odense_task(
    db, odense_interview, make_user, aarhus, client_for, monkeypatch, settings
):
    settings.JOBCENTER_TASK_MAX_ATTEMPTS = 1
    digital_post_breaks(monkeypatch)
    from jobcenter.letters.tasks import deliver_letter

    summons = do_send_summons(acting_user=None, interview=odense_interview)
    with pytest.raises(RuntimeError):
        deliver_letter.call(str(summons.letter_id))
    job = BackgroundTask.objects.get(task_path=LETTER_TASK)
    aarhus_operations = make_user(Role.OPERATIONS, aarhus)
    client = client_for(aarhus_operations)
    assert "Indkaldelse" not in client.get(reverse("web:operations")).content.decode()
    assert client.post(reverse("web:operations-rerun-task", args=[job.pk])).status_code == 404
    assert BackgroundTask.objects.get(pk=job.pk).state == "failed"


def test_readyz_says_when_a_retry_is_long_overdue_because_no_worker_takes_the_queue(db, client, clock):
    from jobcenter.events.background import policy_for, record_failure

    record_failure(policy_for("jobcenter.events.tasks.dispatch_events"), [], {}, "RuntimeError: afbrudt")
    assert client.get("/readyz").json()["checks"]["background_tasks"] == {
        "ok": True,
        "detail": "0 failed, 0 stale, 1 retrying",
    }
    clock.passes(minutes=10)  # the retry was due after 30 s; nothing took it
    body = client.get("/readyz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["background_tasks"] == {"ok": False, "detail": "0 failed, 1 stale, 1 retrying"}

"""A release or the specification letters whose worker died (kill -9) are found by their lease:
the run page offers to resume and resuming pays exactly once; the letters go on by themselves
(issue 14, review item 2)."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobcenter.events.background import watch_background_tasks
from jobcenter.events.models import BackgroundTask
from jobcenter.payments.models import Payment, PaymentSpecification, RunStatus
from jobcenter.payments.release import do_release_run
from jobcenter.tenancy.models import Municipality
from tests.background import Clock, WorkerKilled, run_on_a_worker_that_dies, run_worker
from tests.payments.helpers import approved_run, citizens

RELEASE = "jobcenter.payments.tasks.release_run"
LETTERS = "jobcenter.payments.tasks.issue_specifications"


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def killed_after(calls: int, real):
    """A heartbeat that beats `calls` times, then the worker is gone (kill -9)."""
    beats = []

    def beat():
        beats.append(1)
        if len(beats) > calls:
            raise WorkerKilled
        real()

    return beat


def test_a_release_whose_worker_died_shows_resume_once_its_lease_ran_out_and_resuming_pays_exactly_once(
    client_for,
    odense_benefits_officer,
    odense_team_lead,
    django_capture_on_commit_callbacks,
    clock,
    monkeypatch,
    settings,
):
    import jobcenter.payments.tasks as payment_tasks

    settings.JOBCENTER_PAYMENT_CHUNK_SIZE = 1
    people = citizens(Municipality.objects.get(code="0461"), 3)
    run = approved_run(odense_benefits_officer, odense_team_lead, people)
    client = client_for(odense_benefits_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:run-release", args=[run.pk]))
    # The worker writes the file, starts paying, pays the first chunk (a heartbeat each), then dies.
    real_heartbeat = payment_tasks.heartbeat
    monkeypatch.setattr(payment_tasks, "heartbeat", killed_after(2, real_heartbeat))
    run_on_a_worker_that_dies(DBTaskResult.objects.get(task_path=RELEASE), payment_tasks.release_run.call)
    monkeypatch.setattr(payment_tasks, "heartbeat", real_heartbeat)
    run.refresh_from_db()
    assert (run.status, Payment.objects.count(), run.release_error) == (RunStatus.RELEASING, 1, "")

    page = client.get(reverse("payments:run", args=[run.pk])).content.decode()
    assert 'data-testid="release-stalled"' not in page  # within its lease it may still be working
    assert "Genoptag udbetalingen" not in page and 'data-testid="run-release"' not in page

    clock.passes(minutes=3)  # the lease (two minutes) ran out: nobody renewed it
    page = client.get(reverse("payments:run", args=[run.pk])).content.decode()
    assert 'data-testid="release-stalled"' in page
    assert page.count('data-testid="run-resume"') == 1  # "Genoptag udbetalingen", once
    assert 'data-testid="run-release"' not in page
    assert "hx-get" not in page  # the page stops polling a release that does not move
    progress = client.get(reverse("payments:run-progress", args=[run.pk])).content.decode()
    assert 'data-testid="run-resume"' in progress
    health = client.get("/readyz").json()
    assert (health["status"], health["checks"]["background_tasks"]["detail"]) == (
        "degraded",
        "0 failed, 1 stale, 0 retrying",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payments:run-release", args=[run.pk]))
    assert response.status_code == 302
    page = client.get(reverse("payments:run", args=[run.pk])).content.decode()
    assert 'data-testid="release-stalled"' not in page  # queued again: the old attempt no longer counts
    # The watch also finds the dead attempt and retries it: the resumed release and the retry both run.
    watch_background_tasks.call()
    clock.passes(minutes=1)
    run_worker()
    run.refresh_from_db()
    assert run.status == RunStatus.RELEASED
    paid = Payment.objects.values("grant").annotate(times=Count("id"))
    assert sorted(row["times"] for row in paid) == [1, 1, 1]  # every grant paid, and paid once
    assert BackgroundTask.objects.get(task_path=RELEASE).state == "done"
    assert "Genoptag udbetalingen" not in client.get(reverse("payments:run", args=[run.pk])).content.decode()


def test_specification_letters_stopped_half_way_by_a_dead_worker_are_picked_up_again_by_themselves(
    odense_benefits_officer, odense_team_lead, django_capture_on_commit_callbacks, clock, monkeypatch, settings
):
    import jobcenter.payments.tasks as payment_tasks

    settings.JOBCENTER_TASK_LEASE_SECONDS = 120
    people = citizens(Municipality.objects.get(code="0461"), 3)
    run = approved_run(odense_benefits_officer, odense_team_lead, people)
    with django_capture_on_commit_callbacks(execute=True):
        do_release_run(odense_benefits_officer, run.pk)  # its commit queues the letters
    # The worker makes the first letter, and dies in the middle of the second.
    real_heartbeat = payment_tasks.heartbeat
    monkeypatch.setattr(payment_tasks, "heartbeat", killed_after(1, real_heartbeat))
    run_on_a_worker_that_dies(DBTaskResult.objects.get(task_path=LETTERS), payment_tasks.issue_specifications.call)
    monkeypatch.setattr(payment_tasks, "heartbeat", real_heartbeat)
    assert PaymentSpecification.objects.count() == 1
    assert not DBTaskResult.objects.filter(task_path=LETTERS, status="READY").exists()  # nothing would go on

    clock.passes(minutes=3)
    watch_background_tasks.call()  # the watch runs every minute on the worker
    clock.passes(minutes=1)
    run_worker()
    assert PaymentSpecification.objects.count() == Payment.objects.count() == 3
    assert sorted(PaymentSpecification.objects.values_list("payment", flat=True)) == sorted(
        Payment.objects.values_list("pk", flat=True)
    )
    assert BackgroundTask.objects.get(task_path=LETTERS).state == "done"

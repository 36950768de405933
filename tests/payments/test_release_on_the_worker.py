"""The run page's release button queues the release for the worker; the page follows it; refusals show at once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobcenter.payments.actions import do_start_trial_run
from jobcenter.payments.models import Payment, RunStatus
from jobcenter.payments.tasks import issue_specifications, release_run
from jobcenter.tenancy.roles import Role
from tests.payments.helpers import OCTOBER_2025, approved_run, grant


def queued_release() -> DBTaskResult:
    (task,) = DBTaskResult.objects.filter(task_path="jobcenter.payments.tasks.release_run")
    return task


def test_the_release_button_queues_the_release_and_pays_nothing_in_the_request(
    client_for, odense_benefits_officer, odense_team_lead, odense_citizen, django_capture_on_commit_callbacks
):
    run = approved_run(odense_benefits_officer, odense_team_lead, [odense_citizen])
    client = client_for(odense_benefits_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payments:run-release", args=[run.pk]))
    assert response.status_code == 302
    assert not Payment.objects.exists()
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    assert run.release_queued_by == odense_benefits_officer
    assert queued_release().args_kwargs["args"] == [str(odense_benefits_officer.pk), str(run.pk)]
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="release-queued"' in page
    assert "hx-get" in page  # the page polls while the worker has not finished
    assert 'data-testid="run-release"' not in page  # no second press while it waits


def test_running_the_workers_task_pays_as_the_user_who_pressed_the_button(
    client_for, odense_benefits_officer, odense_team_lead, odense_citizen, django_capture_on_commit_callbacks
):
    run = approved_run(odense_benefits_officer, odense_team_lead, [odense_citizen])
    client = client_for(odense_benefits_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:run-release", args=[run.pk]))
    assert release_run.call(*queued_release().args_kwargs["args"]) == RunStatus.RELEASED
    run.refresh_from_db()
    assert run.status == RunStatus.RELEASED
    assert run.released_by == odense_benefits_officer
    assert Payment.objects.get().amount_ore == 1_359_000
    progress = client.get(reverse("payments:run-progress", args=[run.pk])).content.decode()
    assert "1 af 1 bevillinger udbetalt" in progress
    # Paid; the page keeps polling while the worker makes the specification letters.
    assert "Specifikationer: 0 af 1 dannet" in progress and "hx-get" in progress
    issue_specifications.call(str(run.pk))
    progress = client.get(reverse("payments:run-progress", args=[run.pk])).content.decode()
    assert "Specifikationer: 1 af 1 dannet" in progress
    assert "hx-get" not in progress  # all done: the polling stops
    # A second run of the task (a retry, a second worker) pays nothing twice.
    assert release_run.call(str(odense_benefits_officer.pk), str(run.pk)) == RunStatus.RELEASED
    assert Payment.objects.count() == 1


def test_a_run_not_yet_approved_is_refused_on_the_page_and_nothing_is_queued(
    client_for, odense_benefits_officer, odense_citizen, django_capture_on_commit_callbacks
):
    grant(odense_benefits_officer, odense_citizen)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(odense_benefits_officer).post(reverse("payments:run-release", args=[run.pk]))
    assert response.status_code == 422
    assert "Den skal først godkendes af en anden person" in response.content.decode()
    assert callbacks == []
    assert not DBTaskResult.objects.exists()
    run.refresh_from_db()
    assert run.release_queued_at is None


def test_a_user_without_the_payment_permission_is_refused_and_nothing_is_queued(
    client_for, odense_benefits_officer, odense_team_lead, odense_caseworker, odense_citizen
):
    run = approved_run(odense_benefits_officer, odense_team_lead, [odense_citizen])
    response = client_for(odense_caseworker).post(reverse("payments:run-release", args=[run.pk]))
    assert response.status_code == 403
    assert not DBTaskResult.objects.exists()


def test_a_release_the_worker_refuses_is_explained_on_the_page(
    client_for, odense_benefits_officer, odense_team_lead, odense_citizen, django_capture_on_commit_callbacks
):
    run = approved_run(odense_benefits_officer, odense_team_lead, [odense_citizen])
    client = client_for(odense_benefits_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:run-release", args=[run.pk]))
    # Between the press and the worker, the user lost the right to release runs.
    odense_benefits_officer.role = Role.CASEWORKER
    odense_benefits_officer.save(update_fields=["role"])
    assert release_run.call(*queued_release().args_kwargs["args"]) == "refused"
    assert not Payment.objects.exists()
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    assert "har ikke længere adgang" in run.release_error
    page = client_for(odense_team_lead).get(reverse("payments:run", args=[run.pk])).content.decode()
    assert 'data-testid="release-error"' in page
    assert "har ikke længere adgang" in page
    assert 'data-testid="run-release"' in page  # it can be pressed again once the cause is fixed
    assert datetime.date(2025, 10, 1) == run.month


def test_a_release_that_stops_unexpectedly_is_shown_on_the_page_and_can_be_run_again(
    client_for,
    odense_benefits_officer,
    odense_team_lead,
    odense_citizen,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from jobcenter.integrations.nemkonto.fake import FakePaymentService

    run = approved_run(odense_benefits_officer, odense_team_lead, [odense_citizen])
    client = client_for(odense_benefits_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:run-release", args=[run.pk]))
    args = queued_release().args_kwargs["args"]

    def down(self, name, path):
        raise ConnectionError("NemKonto svarer ikke")

    monkeypatch.setattr(FakePaymentService, "submit", down)
    with pytest.raises(ConnectionError):
        release_run.call(*args)
    run.refresh_from_db()
    assert "stoppede uventet" in run.release_error  # the page does not wait for ever
    page = client_for(odense_team_lead).get(reverse("payments:run", args=[run.pk])).content.decode()
    assert 'data-testid="release-error"' in page
    monkeypatch.undo()
    assert release_run.call(*args) == RunStatus.RELEASED  # run again: it finishes, and pays once
    assert Payment.objects.count() == 1


def test_the_api_queues_the_release_answers_202_and_the_run_is_followed_with_get(
    client_for, odense_benefits_officer, odense_team_lead, odense_citizen, django_capture_on_commit_callbacks
):
    run = approved_run(odense_benefits_officer, odense_team_lead, [odense_citizen])
    client = client_for(odense_benefits_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("api:payments-run-release", kwargs={"run_id": run.pk}))
    assert response.status_code == 202 and response.json()["status"] == RunStatus.APPROVED
    assert not Payment.objects.exists()  # nothing is paid inside the request
    assert release_run.call(*queued_release().args_kwargs["args"]) == RunStatus.RELEASED
    followed = client.get(reverse("api:payments-run", kwargs={"run_id": run.pk})).json()
    assert followed["status"] == RunStatus.RELEASED and followed["progress_done"] == 1


def test_the_api_refuses_releasing_a_run_not_yet_approved_at_once_and_queues_nothing(
    client_for, odense_benefits_officer, odense_citizen
):
    grant(odense_benefits_officer, odense_citizen)
    run = do_start_trial_run(odense_benefits_officer, OCTOBER_2025)
    response = client_for(odense_benefits_officer).post(reverse("api:payments-run-release", kwargs={"run_id": run.pk}))
    assert response.status_code == 422 and "skal først godkendes" in response.json()["detail"]
    assert not DBTaskResult.objects.filter(task_path="jobcenter.payments.tasks.release_run").exists()

"""Operations sees a task that failed for good and runs it again; a benefits officer finds a release
whose worker died and resumes it (issue 14, review items 1 and 2). Screenshots at 1280 and 390 px."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from jobcenter.events.background import policy_for, record_failure
from jobcenter.payments.models import Payment, RunStatus
from jobcenter.tenancy.models import Municipality, User
from jobcenter.tenancy.roles import Role
from tests.background import Clock, WorkerKilled, run_on_a_worker_that_dies
from tests.browser.test_benefits_pages import log_in, make_user
from tests.payments.helpers import approved_run, citizens


def both_widths(page: Page, path) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=path.with_name(path.stem + "-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=path.with_name(path.stem + "-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_operations_sees_a_failed_letter_task_and_runs_it_again(live_server, transactional_db, page: Page, artifacts):
    make_user("drift-odense", Role.OPERATIONS)
    policy = policy_for("jobcenter.events.tasks.dispatch_events")
    for _attempt in range(5):
        record_failure(policy, [], {}, "RuntimeError: database is locked")
    log_in(page, live_server.url, "drift-odense")
    page.goto(live_server.url + reverse("web:operations"))
    tasks = page.get_by_test_id("background-tasks")
    expect(tasks).to_contain_text("Afsendelse af udgående hændelser")
    expect(tasks).to_contain_text("Fejlet")
    expect(tasks).to_contain_text("5 af 5")
    both_widths(page, artifacts / "operations-failed-task.png")
    tasks.get_by_role("button", name="Kør igen").click()
    expect(page.get_by_text("Opgaven er sat i kø igen")).to_be_visible()
    expect(page.get_by_test_id("background-tasks")).to_contain_text("Prøves igen")


def test_a_release_whose_worker_died_is_resumed_from_the_run_page(
    live_server, transactional_db, page: Page, artifacts, monkeypatch, settings
):
    import jobcenter.payments.tasks as payment_tasks

    clock = Clock(monkeypatch)
    settings.JOBCENTER_PAYMENT_CHUNK_SIZE = 1
    make_user("ydelse-odense", Role.BENEFITS_OFFICER)
    make_user("teamleder-odense", Role.TEAM_LEAD)
    officer, lead = User.objects.get(username="ydelse-odense"), User.objects.get(username="teamleder-odense")
    run = approved_run(officer, lead, citizens(Municipality.objects.get(code="0461"), 3))
    log_in(page, live_server.url, "ydelse-odense")
    page.goto(live_server.url + reverse("payments:run", args=[run.pk]))
    page.get_by_role("link", name="Udbetal …").click()
    page.get_by_test_id("confirm-release").click()
    expect(page.get_by_test_id("release-queued")).to_be_visible()

    beats = []
    real_heartbeat = payment_tasks.heartbeat

    def dies_after_the_first_chunk():
        beats.append(1)
        if len(beats) > 2:
            raise WorkerKilled
        real_heartbeat()

    monkeypatch.setattr(payment_tasks, "heartbeat", dies_after_the_first_chunk)
    queued = DBTaskResult.objects.get(task_path="jobcenter.payments.tasks.release_run")
    run_on_a_worker_that_dies(queued, payment_tasks.release_run.call)
    monkeypatch.setattr(payment_tasks, "heartbeat", real_heartbeat)
    clock.passes(minutes=3)
    page.reload()
    expect(page.get_by_test_id("release-stalled")).to_be_visible()
    expect(page.locator("#run-progress-bar")).to_have_attribute("value", "1")
    both_widths(page, artifacts / "payments-release-stalled.png")

    page.get_by_role("button", name="Genoptag udbetalingen").click()
    expect(page.get_by_test_id("release-stalled")).to_have_count(0)
    queued = DBTaskResult.objects.filter(task_path="jobcenter.payments.tasks.release_run", status="READY").get()
    payment_tasks.release_run.call(*queued.args_kwargs["args"])
    expect(page.get_by_test_id("run-status")).to_have_text("Udbetalt")
    run.refresh_from_db()
    assert run.status == RunStatus.RELEASED
    assert Payment.objects.filter(run=run).count() == 3


pytestmark = pytest.mark.browser

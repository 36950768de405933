"""A benefits officer starts a trial run, a team lead inspects and approves it, the officer releases it."""

from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from jobcenter.citizens.actions import do_register_citizen
from jobcenter.payments.tasks import release_run
from jobcenter.tenancy.models import Municipality, User
from jobcenter.tenancy.roles import Role
from tests.browser.test_benefits_pages import log_in, make_user
from tests.payments.helpers import grant


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log af").click()


def test_a_run_is_tried_inspected_approved_by_another_person_and_released(
    live_server, transactional_db, page: Page, artifacts
):
    make_user("ydelse-odense", Role.BENEFITS_OFFICER)
    make_user("teamleder-odense", Role.TEAM_LEAD)
    officer = User.objects.get(username="ydelse-odense")
    citizen = do_register_citizen(
        acting_user=None,
        municipality=Municipality.objects.get(code="0461"),
        cpr="0101801234",
        first_name="Karen",
        last_name="Odensen",
    )
    grant(officer, citizen)

    log_in(page, live_server.url, "ydelse-odense")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Udbetalinger").click()
    page.get_by_label("Måned").fill("2025-10")
    page.get_by_role("button", name="Beregn prøvekørsel").click()
    expect(page.get_by_test_id("run-status")).to_have_text("Prøvekørsel")
    expect(page.get_by_test_id("run-total")).to_have_text("13.590,00 kr.")
    expect(page.get_by_test_id("needs-second-person")).to_be_visible()
    expect(page.get_by_test_id("run-lines")).to_contain_text("Karen Odensen")
    page.screenshot(path=artifacts / "payments-01-trial.png", full_page=True)
    run_url = page.url
    log_out(page)

    log_in(page, live_server.url, "teamleder-odense")
    page.goto(run_url)
    expect(page.get_by_test_id("run-outliers")).to_contain_text("Første udbetaling")
    page.get_by_role("button", name="Godkend kørslen").click()
    expect(page.get_by_test_id("run-status")).to_have_text("Godkendt")
    log_out(page)

    log_in(page, live_server.url, "ydelse-odense")
    page.goto(run_url)
    page.get_by_role("link", name="Udbetal …").focus()
    page.keyboard.press("Enter")
    # Asked first: the total, the number of payments and the payment day; nothing is paid yet.
    expect(page.get_by_test_id("release-total")).to_have_text("13.590,00 kr.")
    expect(page.get_by_test_id("release-count")).to_have_text("1")
    expect(page.get_by_test_id("release-day")).to_contain_text("oktober 2025")
    assert not DBTaskResult.objects.filter(task_path="jobcenter.payments.tasks.release_run").exists()
    page.screenshot(path=artifacts / "payments-015-release-confirm.png", full_page=True)
    page.get_by_test_id("confirm-release").click()
    # The release is queued for the worker; the page polls and shows it when the worker has paid.
    expect(page.get_by_test_id("release-queued")).to_be_visible()
    (queued,) = DBTaskResult.objects.filter(task_path="jobcenter.payments.tasks.release_run")
    release_run.call(*queued.args_kwargs["args"])
    expect(page.get_by_test_id("run-status")).to_have_text("Udbetalt")
    expect(page.locator("#run-progress-bar")).to_have_attribute("value", "1")
    page.screenshot(path=artifacts / "payments-02-released.png", full_page=True)

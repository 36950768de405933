"""A team lead finds a citizen and reads the overview, on a desk screen and on a phone; the full CPR
number is shown only on request."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from jobcenter.cases.actions import do_open_case, do_plan_interview
from jobcenter.citizens.actions import do_register_citizen
from jobcenter.citizens.models import Citizen
from jobcenter.tenancy.models import Municipality, User
from jobcenter.tenancy.roles import Role
from tests.browser.test_benefits_pages import log_in, make_user
from tests.conftest import TARGET_GROUP
from tests.payments.helpers import OCTOBER_2025, grant
from tests.payments.test_claims import release


def karen_odensen() -> Citizen:
    return do_register_citizen(
        acting_user=None,
        municipality=Municipality.objects.get(code="0461"),
        cpr="0101801234",
        first_name="Karen",
        last_name="Odensen",
    )


def test_a_team_lead_reads_a_citizen_in_one_place_at_1280_and_390_px(
    live_server, transactional_db, page: Page, artifacts
):
    make_user("ydelse-odense", Role.BENEFITS_OFFICER)
    make_user("teamleder-odense", Role.TEAM_LEAD)
    officer = User.objects.get(username="ydelse-odense")
    lead = User.objects.get(username="teamleder-odense")
    citizen = karen_odensen()
    grant(officer, citizen)
    release(officer, lead, OCTOBER_2025)
    case = do_open_case(
        acting_user=None,
        citizen=citizen,
        target_group_code=TARGET_GROUP,
        opened_on=timezone.localdate() - datetime.timedelta(days=30),
        caseworker=lead,
    )
    when = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(days=3)
    do_plan_interview(acting_user=None, case=case, scheduled_at=when, form="fremmoede")

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "teamleder-odense")
    page.goto(f"{live_server.url}/borgere/")
    page.get_by_label("CPR-nummer eller navn").fill("Odensen")
    page.get_by_role("button", name="Søg").click()
    expect(page.get_by_test_id("citizen-results")).to_contain_text("010180-****")
    page.get_by_role("link", name="Karen Odensen").click()

    expect(page.get_by_role("heading", name="Karen Odensen", exact=True)).to_be_visible()
    expect(page.get_by_test_id("citizen-cpr")).to_have_text("010180-****")
    sections = page.get_by_test_id("overview-sections")
    expect(sections.get_by_test_id("count-cases")).to_have_text("1")
    expect(sections.get_by_test_id("count-interviews")).to_have_text("1")
    expect(sections.get_by_test_id("count-payments")).to_have_text("1")
    expect(page.get_by_test_id("citizen-payments")).to_contain_text("13.590,00 kr.")
    page.screenshot(path=artifacts / "citizen-overview-1280.png", full_page=True)

    overview_url = page.url
    page.get_by_role("button", name="Vis fuldt CPR-nummer").click()
    expect(page.get_by_test_id("citizen-cpr")).to_have_text("010180-1234")
    assert "0101801234" not in page.url and "1234" not in page.url

    page.get_by_test_id("statement-link").click()
    expect(page.get_by_test_id("statement")).to_contain_text("Udbetalt til dig")
    expect(page.get_by_test_id("statement")).not_to_contain_text("payable:citizen:")
    page.screenshot(path=artifacts / "citizen-statement-1280.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(overview_url)
    expect(page.get_by_role("heading", name="Karen Odensen", exact=True)).to_be_visible()
    expect(page.get_by_test_id("citizen-cpr")).to_have_text("010180-****")  # shown once, not kept
    expect(page.get_by_role("button", name="Vis fuldt CPR-nummer")).to_be_visible()
    page.screenshot(path=artifacts / "citizen-overview-390.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the overview scrolls sideways on a phone ({width} px)"


def test_an_auditor_finds_all_activity_on_a_citizen_by_cpr_number_without_it_in_a_url(
    live_server, transactional_db, page: Page, artifacts
):
    make_user("sagsbehandler-odense", Role.CASEWORKER)
    make_user("revisor-odense", Role.AUDITOR)
    caseworker = User.objects.get(username="sagsbehandler-odense")
    citizen = karen_odensen()
    case = do_open_case(
        acting_user=caseworker,
        citizen=citizen,
        target_group_code=TARGET_GROUP,
        opened_on=timezone.localdate(),
        caseworker=caseworker,
    )

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "revisor-odense")
    page.goto(f"{live_server.url}/revisionsspor/")
    page.get_by_label("Borgerens CPR-nummer").fill("010180-1234")
    page.get_by_role("button", name="Søg").click()
    expect(page.get_by_test_id("audit-subject")).to_contain_text("Karen Odensen")
    expect(page.get_by_test_id("audit-subject")).to_contain_text("010180-****")
    expect(page.get_by_test_id("audit-results")).to_contain_text(str(case.pk))
    expect(page.get_by_label("Borgerens CPR-nummer")).to_have_value("")  # not echoed
    assert "1234" not in page.url
    page.screenshot(path=artifacts / "audit-citizen-activity-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=artifacts / "audit-citizen-activity-390.png", full_page=True)

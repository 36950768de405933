"""The team's day in the browser, at desk width (1280 px) and phone width (390 px): the team lead's start page,
the team overview and an assignment; the caseworker's start page, an overdue case, the summons preview, and
closing a case with a reason (asked first) and reopening it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jobcenter.cases.actions import do_open_case, do_plan_interview
from jobcenter.citizens.actions import do_register_citizen
from jobcenter.tenancy.actions import do_create_user, do_load_municipalities
from jobcenter.tenancy.models import Municipality
from jobcenter.tenancy.roles import Role
from tests.conftest import PASSWORD, TARGET_GROUP

WIDTHS = {"desk": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def make_team():
    do_load_municipalities()
    odense = Municipality.objects.get(code="0461")

    def user(username, role, first, last):
        return do_create_user(
            acting_user=None,
            username=username,
            role=role,
            municipalities=[odense],
            password=PASSWORD,
            first_name=first,
            last_name=last,
        )

    caseworker = user("odense-sagsbehandler", Role.CASEWORKER, "Sanne", "Sagsbehandler")
    user("odense-teamleder", Role.TEAM_LEAD, "Tina", "Teamleder")
    user("odense-kollega", Role.CASEWORKER, "Kim", "Kollega")
    today = timezone.localdate()
    cases = {}
    for cpr, first, last, days_ago, worker in (
        ("0101901234", "Karen", "Odensen", 60, caseworker),
        ("0202902345", "Ole", "Andersen", 2, caseworker),
        ("0303903456", "Ib", "Uden", 45, None),
    ):
        citizen = do_register_citizen(acting_user=None, municipality=odense, cpr=cpr, first_name=first, last_name=last)
        cases[first] = do_open_case(
            acting_user=None,
            citizen=citizen,
            target_group_code=TARGET_GROUP,
            opened_on=today - datetime.timedelta(days=days_ago),
            caseworker=worker,
        )
    when = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(10)))
    do_plan_interview(acting_user=None, case=cases["Ole"], scheduled_at=when, form="fremmoede", location="Jobcentret")
    return cases


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_test_id("start-heading")).to_be_visible()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_team_lead_sees_the_teams_work_and_assigns_a_case(
    live_server, transactional_db, page: Page, artifacts, width
):
    make_team()
    page.set_viewport_size(WIDTHS[width])
    log_in(page, live_server.url, "odense-teamleder")
    expect(page.get_by_test_id("start-team-unassigned")).to_have_text("1")
    expect(page.get_by_test_id("panel-alarms")).to_be_visible()
    expect(page.get_by_test_id("panel-runs")).to_be_visible()
    page.screenshot(path=artifacts / f"30-team-lead-start-{width}.png", full_page=True)

    page.get_by_test_id("panel-team").get_by_role("link", name="Sager uden sagsbehandler").click()
    expect(page.get_by_test_id("worklist")).to_contain_text("Ib Uden")
    expect(page.get_by_test_id("caseload")).to_contain_text("Sanne Sagsbehandler")
    page.get_by_role("checkbox", name="Vælg sagen for Ib Uden").check()
    page.get_by_label("Giv de valgte sager til").select_option(label="Kim Kollega")
    page.screenshot(path=artifacts / f"31-team-overview-assign-{width}.png", full_page=True)
    page.get_by_role("button", name="Giv de valgte sager videre").click()
    expect(page.get_by_text("1 sag er givet til Kim Kollega.")).to_be_visible()

    page.goto(f"{live_server.url}/teamoverblik/")  # the menu folds away on a phone
    first_row = page.get_by_test_id("worklist-row").first
    expect(first_row.get_by_test_id("flag-overdue")).to_be_visible()
    expect(page.get_by_test_id("worklist")).to_contain_text("Kim Kollega")
    page.screenshot(path=artifacts / f"32-team-overview-after-{width}.png", full_page=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_caseworker_sees_their_deadlines_previews_a_summons_and_closes_and_reopens_a_case(
    live_server, transactional_db, page: Page, artifacts, width
):
    cases = make_team()
    page.set_viewport_size(WIDTHS[width])
    log_in(page, live_server.url, "odense-sagsbehandler")
    expect(page.get_by_test_id("start-my-open")).to_have_text("2")
    expect(page.get_by_test_id("start-my-overdue")).to_have_text("1")
    menu = page.locator('nav[aria-label="Hovedmenu"]')  # folded away, but present, on a phone
    expect(menu).to_contain_text("Arbejdsliste")
    expect(menu).not_to_contain_text("Indbakke")
    page.screenshot(path=artifacts / f"33-caseworker-start-{width}.png", full_page=True)

    page.get_by_test_id("start-deadlines").get_by_role("link", name="Karen Odensen").click()
    expect(page.get_by_test_id("case-overdue")).to_be_visible()
    page.screenshot(path=artifacts / f"34-case-overdue-{width}.png", full_page=True)

    # The summons: the letter is shown before it is sent.
    page.goto(f"{live_server.url}/sager/{cases['Ole'].pk}/")
    page.get_by_test_id("interviews").get_by_role("link").first.click()
    page.get_by_test_id("summons-start").click()
    expect(page.get_by_test_id("summons-preview")).to_contain_text("Du er indkaldt til en jobsamtale")
    page.screenshot(path=artifacts / f"35-summons-preview-{width}.png", full_page=True)
    page.get_by_test_id("confirm-summons").click()
    expect(page.get_by_test_id("summons-status")).to_be_visible()

    # Closing asks first, takes a reason, and can be undone.
    page.goto(f"{live_server.url}/sager/{cases['Karen'].pk}/")
    page.get_by_test_id("close-case").click()
    expect(page.get_by_test_id("close-consequences")).to_contain_text("Sagen kan genåbnes")
    page.get_by_test_id("confirm-close").click()
    expect(page.get_by_text("Skriv en begrundelse for at lukke sagen.")).to_be_visible()
    page.get_by_label("Hvorfor lukkes sagen?").fill("Karen er flyttet til Aarhus.")
    page.screenshot(path=artifacts / f"36-close-confirm-{width}.png", full_page=True)
    page.get_by_test_id("confirm-close").click()
    expect(page.get_by_test_id("journal-entry").first).to_contain_text("Karen er flyttet til Aarhus.")
    page.get_by_label("Hvorfor genåbnes sagen?").fill("Flytningen blev opgivet.")
    page.get_by_role("button", name="Genåbn sagen").click()
    expect(page.get_by_test_id("journal-entry").first).to_contain_text("Flytningen blev opgivet.")
    expect(page.get_by_test_id("close-case")).to_be_visible()
    page.screenshot(path=artifacts / f"37-case-reopened-{width}.png", full_page=True)

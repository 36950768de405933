"""A benefits officer finds a stop proposal from a job start in the inbox, sees its consequence and
the letter, and accepts it: the decision and the letter in one step."""

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from jobcenter.benefits.handlers import propose_stop
from jobcenter.benefits.models import Grant, Proposal, ProposalStatus
from jobcenter.cases.actions import do_open_case, do_record_interview_outcome
from jobcenter.citizens.actions import do_register_citizen
from jobcenter.events.models import OutboxEvent
from jobcenter.letters.models import Letter
from jobcenter.tenancy.models import Municipality, User
from jobcenter.tenancy.roles import Role
from tests.browser.test_benefits_pages import log_in, make_user
from tests.cases.interviews import summoned_interview
from tests.conftest import TARGET_GROUP
from tests.payments.helpers import grant


def test_an_officer_accepts_a_stop_proposal_from_the_inbox(live_server, transactional_db, page: Page, artifacts):
    make_user("ydelse-odense", Role.BENEFITS_OFFICER)
    make_user("sagsbehandler-odense", Role.CASEWORKER)
    officer = User.objects.get(username="ydelse-odense")
    citizen = do_register_citizen(
        acting_user=None,
        municipality=Municipality.objects.get(code="0461"),
        cpr="0101801234",
        first_name="Karen",
        last_name="Odensen",
    )
    grant(officer, citizen)
    case = do_open_case(
        acting_user=None,
        citizen=citizen,
        target_group_code=TARGET_GROUP,
        opened_on=datetime.date(2025, 9, 1),
        caseworker=User.objects.get(username="sagsbehandler-odense"),
    )
    interview = summoned_interview(case, at=timezone.make_aware(datetime.datetime(2025, 11, 3, 9, 0)))
    do_record_interview_outcome(
        acting_user=None,
        interview=interview,
        outcome="held",
        held_form="fremmoede",
        employment_start=datetime.date(2025, 11, 16),
        employer="Bageriet ApS",
    )
    propose_stop(OutboxEvent.objects.get(event_type="employment_started"))

    log_in(page, live_server.url, "ydelse-odense")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Indbakke").click()
    expect(page.get_by_test_id("inbox-counts")).to_contain_text("Standsning ved jobstart: 1")
    proposal = page.get_by_test_id("proposal")
    expect(proposal).to_contain_text("Bageriet ApS")
    # November 2025 after the stop: 15 of 30 days of 13.590,00 kr.
    expect(proposal.get_by_test_id("new-amount")).to_have_text("6.795,00 kr. (15 dage)")
    page.screenshot(path=artifacts / "inbox-01-list.png", full_page=True)

    proposal.get_by_role("link", name="Standsning ved jobstart: Karen Odensen").click()
    expect(page.get_by_test_id("letter-preview")).to_be_visible()
    # Accepting without partshøring or the § 19-exemption is refused; nothing is decided.
    page.get_by_role("button", name="Acceptér og send afgørelsen").click()
    expect(page.get_by_test_id("refused")).to_contain_text("kræver partshøring")
    page.get_by_label("Eller: partshøring undlades efter forvaltningslovens § 19, stk. 2, nr. 1").fill(
        "Borgeren fortalte selv om jobbet ved samtalen den 3. november."
    )
    page.get_by_role("button", name="Acceptér og send afgørelsen").click()
    expect(page.get_by_test_id("proposal-status")).to_contain_text("Accepteret")
    expect(page.get_by_test_id("proposal-decision")).to_contain_text("Borgeren fortalte selv om jobbet")
    expect(page.get_by_test_id("proposal-decision")).to_contain_text("Afgørelse: Din kontanthjælp standses")
    page.screenshot(path=artifacts / "inbox-02-accepted.png", full_page=True)

    accepted = Proposal.objects.get()
    assert accepted.status == ProposalStatus.ACCEPTED
    assert Grant.objects.get().effective_to == datetime.date(2025, 11, 15)
    assert Letter.objects.filter(pk=accepted.letter_id).exists()

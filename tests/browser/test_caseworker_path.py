"""The caseworker's day in the browser: find a citizen, plan an interview, record it, see it in the
journal and the worklist update. And a draft that survives a reload, a closed tab and a dropped line."""

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from jobcenter.cases.actions import do_open_case
from jobcenter.citizens.actions import do_register_citizen
from jobcenter.tenancy.actions import do_create_user, do_load_municipalities
from jobcenter.tenancy.models import Municipality
from jobcenter.tenancy.roles import Role
from tests.conftest import PASSWORD, TARGET_GROUP


def make_caseworker_with_a_case():
    do_load_municipalities()
    odense = Municipality.objects.get(code="0461")
    caseworker = do_create_user(
        acting_user=None,
        username="odense-sagsbehandler",
        role=Role.CASEWORKER,
        municipalities=[odense],
        password=PASSWORD,
        first_name="Sanne",
        last_name="Sagsbehandler",
    )
    citizen = do_register_citizen(
        acting_user=None, municipality=odense, cpr="0101901234", first_name="Karen", last_name="Odensen"
    )
    return do_open_case(
        acting_user=None,
        citizen=citizen,
        target_group_code=TARGET_GROUP,
        opened_on=timezone.localdate() - datetime.timedelta(days=30),
        caseworker=caseworker,
    )


def log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Brugernavn").fill("odense-sagsbehandler")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_test_id("start-heading")).to_be_visible()


def test_a_caseworker_finds_a_citizen_plans_and_records_an_interview_and_the_worklist_updates(
    live_server, transactional_db, page: Page, artifacts
):
    make_caseworker_with_a_case()
    base = live_server.url
    log_in(page, base)

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Arbejdsliste").click()
    expect(page.get_by_test_id("count-overdue")).to_have_text("1")
    expect(page.get_by_test_id("worklist")).to_contain_text("Karen Odensen")
    page.screenshot(path=artifacts / "10-worklist-before.png", full_page=True)

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Borgere").click()
    page.get_by_label("CPR-nummer eller navn").fill("Odensen")
    page.get_by_role("button", name="Søg").click()
    page.get_by_role("link", name="Karen Odensen").click()
    expect(page.get_by_role("heading", name="Karen Odensen")).to_be_visible()
    page.screenshot(path=artifacts / "11-citizen.png", full_page=True)

    page.get_by_test_id("citizen-cases").get_by_role("link").first.click()
    page.get_by_role("link", name="Planlæg jobsamtale").click()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Dato").fill(yesterday.isoformat())
    page.get_by_label("Klokkeslæt").fill("08:00")
    page.get_by_label("Form", exact=True).select_option("telefon")
    page.screenshot(path=artifacts / "12-plan-interview.png", full_page=True)
    page.get_by_role("button", name="Planlæg samtalen").click()
    expect(page.get_by_test_id("interview-outcome")).to_have_text("Ikke registreret endnu")

    # Held (or missed) is for an interview Karen was summoned to: refused until the summons is sent.
    page.get_by_role("link", name="Registrér samtalen").click()
    page.get_by_label("Afholdt").check()
    page.get_by_label("Holdt som").select_option("telefon")
    page.get_by_role("button", name="Registrér og skriv i journalen").click()
    expect(page.get_by_role("alert").first).to_contain_text("Borgeren er ikke indkaldt til samtalen")
    page.screenshot(path=artifacts / "13a-outcome-without-summons.png", full_page=True)
    page.go_back()
    page.go_back()
    # Sending asks first and shows the letter (the summons page), then sends.
    page.get_by_test_id("summons-start").click()
    page.get_by_test_id("confirm-summons").click()

    page.get_by_role("link", name="Registrér samtalen").click()
    page.get_by_label("Afholdt").check()
    page.get_by_label("Holdt som").select_option("telefon")
    page.get_by_label("Emner").fill("CV og praktik i ældreplejen")
    page.get_by_label("Aftaler").fill("Karen søger tre job om ugen")
    page.get_by_label("Næste skridt").fill("Ny samtale om fire uger")
    page.screenshot(path=artifacts / "13-record-interview.png", full_page=True)
    page.get_by_role("button", name="Registrér og skriv i journalen").click()

    journal = page.get_by_test_id("journal-entry").first
    expect(journal).to_contain_text("afholdt")
    expect(journal).to_contain_text("CV og praktik i ældreplejen")
    page.screenshot(path=artifacts / "14-journal.png", full_page=True)

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Arbejdsliste").click()
    expect(page.get_by_test_id("count-overdue")).to_have_text("0")
    page.screenshot(path=artifacts / "15-worklist-after.png", full_page=True)


def test_a_draft_survives_a_reload_a_closed_tab_and_a_dropped_connection(
    live_server, transactional_db, page: Page, artifacts
):
    case = make_caseworker_with_a_case()
    base = live_server.url
    log_in(page, base)
    url = f"{base}/sager/{case.pk}/journal/ny/"

    page.goto(url)
    page.get_by_label("Overskrift").fill("Telefonsamtale")
    page.get_by_label("Tekst").fill("Karen ringede og fortalte om sit nye job")
    expect(page.get_by_test_id("draft-status")).to_contain_text("Kladde gemt kl.")
    page.reload()
    expect(page.get_by_label("Tekst")).to_have_value("Karen ringede og fortalte om sit nye job")
    page.screenshot(path=artifacts / "16-draft-after-reload.png", full_page=True)

    # Close the tab; a new one gets the draft back.
    context = page.context
    page.close()
    second = context.new_page()
    second.goto(url)
    expect(second.get_by_label("Tekst")).to_have_value("Karen ringede og fortalte om sit nye job")

    # The line drops while typing: the server never hears it, the browser keeps it.
    context.set_offline(True)
    second.get_by_label("Tekst").fill("Karen ringede og fortalte om sit nye job hos Odense Plejecenter")
    second.wait_for_timeout(1500)
    context.set_offline(False)
    second.close()
    third = context.new_page()
    third.goto(url)
    expect(third.get_by_label("Tekst")).to_have_value("Karen ringede og fortalte om sit nye job hos Odense Plejecenter")
    third.screenshot(path=artifacts / "17-draft-after-offline.png", full_page=True)

    third.get_by_role("button", name="Gem i journalen").click()
    expect(third.get_by_test_id("journal-entry").first).to_contain_text("hos Odense Plejecenter")
    third.goto(url)
    expect(third.get_by_label("Tekst")).to_have_value("")

"""A benefits officer calculates a household on the page; two administrators bring a rate table into force."""

from playwright.sync_api import Page, expect

from jobcenter.tenancy.actions import do_create_user, do_load_municipalities
from jobcenter.tenancy.models import Municipality
from jobcenter.tenancy.roles import Role
from tests.benefits.rate_table_samples import RATE_TABLE_2026_YAML
from tests.conftest import PASSWORD


def make_user(username: str, role: Role) -> None:
    if not Municipality.objects.exists():
        do_load_municipalities()
    do_create_user(
        acting_user=None,
        username=username,
        role=role,
        municipalities=[Municipality.objects.get(code="0461")],
        password=PASSWORD,
        first_name=username.split("-")[0].title(),
        last_name="Test",
    )


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def test_a_benefits_officer_picks_an_example_and_sees_each_amount_with_its_paragraph(
    live_server, transactional_db, page: Page, artifacts
):
    make_user("ydelse-odense", Role.BENEFITS_OFFICER)
    log_in(page, live_server.url, "ydelse-odense")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Beregn ydelse").click()
    expect(page.get_by_role("heading", name="Beregn kontanthjælp")).to_be_visible()

    page.get_by_label("Start fra et eksempel").select_option("household-single-provider-2025")
    page.get_by_role("button", name="Hent eksempel").click()
    expect(page.get_by_label("Måned", exact=True)).to_have_value("2025-10")
    page.get_by_role("button", name="Beregn", exact=True).click()

    result = page.get_by_test_id("calculation-result")
    expect(result).to_contain_text("Husstandens hjælp i alt: 14.329,50 kr.")
    expect(result).to_contain_text("LAS § 19")
    page.screenshot(path=artifacts / "benefits-01-calculation.png", full_page=True)

    # A fact the month needs, left out: the field says so, no result is shown.
    page.get_by_label("Opfylder opholds- og beskæftigelseskravet").first.select_option("")
    page.get_by_role("button", name="Beregn", exact=True).click()
    expect(page.get_by_test_id("calculation-refused")).to_contain_text("Beregningen er ikke lavet")
    expect(page.get_by_text("skal oplyses for den valgte måned")).to_be_visible()
    expect(page.get_by_test_id("calculation-result")).to_have_count(0)


def test_a_rate_table_takes_effect_when_a_second_administrator_approves_it(
    live_server, transactional_db, page: Page, artifacts, tmp_path
):
    make_user("anna-admin", Role.ADMINISTRATOR)
    make_user("bent-admin", Role.ADMINISTRATOR)
    table = tmp_path / "satser-2026.yaml"
    table.write_text(RATE_TABLE_2026_YAML, encoding="utf-8")

    log_in(page, live_server.url, "anna-admin")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Satstabeller").click()
    page.get_by_label("Satstabel (YAML eller CSV)").set_input_files(table)
    page.get_by_role("button", name="Importér").click()
    expect(page.get_by_test_id("rate-table-status")).to_have_text("Afventer godkendelse")
    expect(page.get_by_test_id("needs-second-person")).to_be_visible()
    detail_url = page.url
    page.get_by_role("button", name="Log af").click()

    log_in(page, live_server.url, "bent-admin")
    page.goto(detail_url)
    expect(page.get_by_test_id("rate-table-entries")).to_contain_text("new_law.base_rates.forhoejet_sats")
    page.get_by_label("Begrundelse").fill("Kontrolleret mod satsbekendtgørelsen")
    page.get_by_role("button", name="Godkend").click()
    expect(page.get_by_test_id("rate-table-status")).to_have_text("Godkendt")
    page.screenshot(path=artifacts / "benefits-02-rate-table-approved.png", full_page=True)

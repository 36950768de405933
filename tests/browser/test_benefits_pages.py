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


def test_a_benefits_officer_previews_a_decision_and_its_letter_then_records_it(
    live_server, transactional_db, page: Page, artifacts
):
    """The decision form (issue 13): labelled facts, the amount before and after, the draft letter, at 1280 and
    390 px; nothing is written before »Registrér«, and then the decision and its letter are one step."""
    from jobcenter.benefits.models import Decision
    from jobcenter.citizens.actions import do_register_citizen
    from jobcenter.letters.models import Letter
    from jobcenter.tenancy.models import User
    from tests.payments.helpers import grant

    make_user("ydelse-odense", Role.BENEFITS_OFFICER)
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
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/ydelser/borgere/{citizen.pk}/afgoerelse/")
        expect(page.get_by_label("Fødselsdato").first).to_have_value("1980-01-01")  # the latest decision's facts
        checkbox = page.get_by_label("Borgeren har NemKonto")
        expect(checkbox).to_be_checked()
        page.get_by_label("Afgørelsens art").select_option("aendring")
        page.get_by_label("Gælder fra").fill("2025-11-01")
        page.get_by_label("Arbejdsindtægt i måneden (kr.)").first.fill("4000")
        page.get_by_label("Arbejdstimer i måneden").first.fill("30")
        page.get_by_label("Begrundelse").fill("Du har fået arbejde ved siden af hjælpen. Indtægten trækkes fra.")
        page.get_by_role("button", name="Forhåndsvis beløb og brev").click()
        preview = page.get_by_test_id("decision-preview")
        expect(preview).to_contain_text("Forhåndsvisning – intet er gemt endnu")
        expect(page.get_by_test_id("amount-before-after")).to_contain_text("november 2025")
        expect(page.get_by_test_id("amount-before-after")).to_contain_text("13.590,00 kr.")
        letter = page.frame_locator('[data-testid="letter-preview"]')
        expect(letter.get_by_role("heading", name="UDKAST – Afgørelse: Din kontanthjælp ændres")).to_be_visible()
        expect(letter.get_by_text("Sådan klager du")).to_be_visible()
        page.screenshot(path=artifacts / f"decision-01-preview-{width}.png", full_page=True)
        assert Decision.objects.count() == 1 and Letter.objects.count() == 1  # only the grant and its letter

    # A bad input: the page says why, in Danish, and writes nothing.
    page.get_by_label("Gælder til og med").fill("2025-10-15")
    page.get_by_role("button", name="Forhåndsvis beløb og brev").click()
    expect(page.get_by_text("Slutdatoen ligger før startdatoen.").first).to_be_visible()
    page.screenshot(path=artifacts / "decision-02-refused-390.png", full_page=True)
    page.get_by_label("Gælder til og med").fill("")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Registrér afgørelsen og send brevet").click()
    expect(page.get_by_text("Afgørelsen er registreret, og brevet er sendt til borgeren.")).to_be_visible()
    page.screenshot(path=artifacts / "decision-03-recorded.png", full_page=True)
    decision = Decision.objects.get(version=2)
    issued = Letter.objects.get(subject_id=str(decision.pk))
    (artifacts / "decision-letter.pdf").write_bytes(bytes(issued.pdf))

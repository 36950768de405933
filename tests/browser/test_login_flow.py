from playwright.sync_api import Page, expect

from jobcenter.tenancy.actions import do_create_user, do_load_municipalities
from jobcenter.tenancy.models import Municipality
from jobcenter.tenancy.roles import Role
from tests.conftest import PASSWORD


def make_caseworker() -> None:
    do_load_municipalities()
    do_create_user(
        acting_user=None,
        username="odense-sagsbehandler",
        role=Role.CASEWORKER,
        municipalities=[Municipality.objects.get(code="0461")],
        password=PASSWORD,
        first_name="Sanne",
        last_name="Sagsbehandler",
    )


def test_a_caseworker_logs_in_sees_the_danish_start_page_and_logs_out(
    live_server, transactional_db, page: Page, artifacts
):
    make_caseworker()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    page.get_by_label("Brugernavn").fill("odense-sagsbehandler")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.screenshot(path=artifacts / "01-login.png", full_page=True)
    page.get_by_role("button", name="Log ind").click()

    expect(page.get_by_test_id("start-heading")).to_have_text("Velkommen, Sanne Sagsbehandler")
    expect(page.locator("main")).to_contain_text("Sagsbehandler i Odense Kommune")
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_contain_text("Borgere")
    assert page.locator("html").get_attribute("lang") == "da"
    page.screenshot(path=artifacts / "02-start-caseworker.png", full_page=True)

    page.get_by_role("button", name="Log af").click()
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    page.goto(f"{live_server.url}/start/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/start/")
    page.screenshot(path=artifacts / "03-logged-out.png", full_page=True)


def test_a_wrong_password_does_not_log_in(live_server, transactional_db, page: Page, artifacts):
    make_caseworker()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill("odense-sagsbehandler")
    page.get_by_label("Adgangskode").fill("ikke-den-rigtige")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_test_id("login-error")).to_contain_text("Forkert brugernavn eller adgangskode")
    expect(page).to_have_url(f"{live_server.url}/login/")
    page.screenshot(path=artifacts / "04-wrong-password.png", full_page=True)

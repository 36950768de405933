"""Issue 14: an administrator creates a caseworker, issues and revokes a key, deactivates and
reactivates her, and asks for the administrator role, which a second administrator approves.
At 1280 px and at 390 px (a phone), with screenshots to test-artifacts/."""

from playwright.sync_api import Page, expect

from jobcenter.tenancy.models import ApiToken, User
from jobcenter.tenancy.roles import Role
from tests.browser.test_benefits_pages import log_in, make_user

NEW_PASSWORD = "grøn-cykel-under-broen-42"


def _fits_the_screen(page: Page) -> None:
    too_wide = page.evaluate(
        """Array.from(document.querySelectorAll('main *'))
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName).slice(0, 5)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), too_wide
    assert not too_wide, too_wide


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Log af").click()
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()


def test_an_administrator_manages_a_user_and_a_second_administrator_approves_the_administrator_role(
    live_server, transactional_db, page: Page, artifacts
):
    make_user("anna-admin", Role.ADMINISTRATOR)
    make_user("bo-admin", Role.ADMINISTRATOR)
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "anna-admin")

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Brugere").click()
    expect(page.get_by_role("heading", name="Brugere", exact=True)).to_be_visible()
    page.get_by_test_id("create-user").click()

    page.get_by_label("Fornavn").fill("Nina")
    page.get_by_label("Efternavn").fill("Nielsen")
    page.get_by_label("Brugernavn").fill("nina")
    page.get_by_label("Rolle").select_option(label="Sagsbehandler")
    expect(page.get_by_label("Odense", exact=True)).to_be_checked()  # the administrator's only municipality
    expect(page.get_by_text("Odense", exact=True)).to_be_visible()
    page.get_by_label("Første adgangskode").fill(NEW_PASSWORD)
    page.get_by_label("Gentag adgangskoden").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="Opret bruger").click()
    expect(page.get_by_text("De to adgangskoder er ikke ens.")).to_be_visible()
    page.screenshot(path=artifacts / "admin-01-create-refused-1280.png", full_page=True)
    page.get_by_label("Første adgangskode").fill(NEW_PASSWORD)
    page.get_by_label("Gentag adgangskoden").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Opret bruger").click()

    expect(page.get_by_role("heading", name="Nina Nielsen")).to_be_visible()
    expect(page.get_by_test_id("user-role")).to_have_text("Sagsbehandler")
    expect(page.get_by_test_id("user-status")).to_have_text("Aktiv")

    page.get_by_label("Nøglens navn").fill("Lønsystem")
    page.get_by_role("button", name="Udsted nøgle").click()
    expect(page.get_by_test_id("issued-token")).to_contain_text("vises kun denne ene gang")
    raw = page.locator(".issued-token").inner_text()
    assert raw.startswith("jc_") and ApiToken.objects.get().prefix == raw[3:11]
    page.screenshot(path=artifacts / "admin-02-token-issued-1280.png", full_page=True)
    page.get_by_role("button", name="Tilbagekald Lønsystem").click()
    expect(page.get_by_text("Nøglen Lønsystem er tilbagekaldt og virker ikke længere.")).to_be_visible()

    page.get_by_test_id("deactivate").click()
    expect(page.get_by_test_id("user-status")).to_have_text("Deaktiveret")
    page.get_by_test_id("reactivate").click()
    expect(page.get_by_test_id("user-status")).to_have_text("Aktiv")

    page.get_by_label("Ny rolle").select_option(label="Administrator")
    page.get_by_role("button", name="Skift rolle").click()
    expect(page.get_by_test_id("needs-second-administrator")).to_be_visible()
    expect(page.get_by_test_id("user-role")).to_have_text("Sagsbehandler")
    page.screenshot(path=artifacts / "admin-03-request-waits-1280.png", full_page=True)

    # Anna cannot deactivate herself: her own page offers no such button.
    page.get_by_role("link", name="Alle brugere").click()
    expect(page.get_by_test_id("pending-requests")).to_contain_text("Nina Nielsen")
    page.screenshot(path=artifacts / "admin-04-users-1280.png", full_page=True)
    page.get_by_role("link", name="Anna Test").click()
    expect(page.get_by_test_id("own-user")).to_be_visible()
    expect(page.get_by_test_id("deactivate")).to_have_count(0)
    _log_out(page)

    # The second administrator, on a phone.
    log_in(page, base, "bo-admin")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/admin/brugere/")
    page.screenshot(path=artifacts / "admin-05-users-390.png", full_page=True)
    _fits_the_screen(page)
    page.get_by_test_id("pending-requests").get_by_role("link", name="Nina Nielsen").click()
    _fits_the_screen(page)
    page.screenshot(path=artifacts / "admin-06-request-390.png", full_page=True)
    page.get_by_role("button", name="Godkend").click()
    expect(page.get_by_text("Anmodningen er godkendt. Brugeren er nu administrator.")).to_be_visible()
    expect(page.get_by_test_id("user-role")).to_have_text("Administrator")
    page.screenshot(path=artifacts / "admin-07-approved-390.png", full_page=True)
    assert User.objects.get(username="nina").role == Role.ADMINISTRATOR
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_out(page)

    # Nina logs in with the password she was given, now as an administrator.
    page.goto(f"{base}/login/")
    page.get_by_label("Brugernavn").fill("nina")
    page.get_by_label("Adgangskode").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_test_id("current-user")).to_contain_text("Administrator")

"""Under the strict Content-Security-Policy the pages still work, and an injected inline script is refused."""

from playwright.sync_api import Page, expect

from tests.browser.test_caseworker_path import log_in
from tests.browser.test_login_flow import make_caseworker


def test_the_language_switch_works_without_inline_script(live_server, transactional_db, page: Page, artifacts):
    make_caseworker()
    log_in(page, live_server.url)
    page.get_by_label("Sprog").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.screenshot(path=artifacts / "csp-language-en.png", full_page=True)
    page.get_by_label("Language").select_option("da")
    expect(page.locator("html")).to_have_attribute("lang", "da")


def test_an_injected_inline_script_is_refused_and_reported(
    live_server, transactional_db, page: Page, csp_violations: list[str]
):
    make_caseworker()
    log_in(page, live_server.url)
    ran = page.evaluate(
        """() => {
            window.injected = false;
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
            return window.injected;
        }"""
    )
    assert ran is False
    page.wait_for_timeout(200)  # the violation event is queued after the refusal
    assert any("script-src" in violation for violation in csp_violations)
    csp_violations.clear()  # expected here; the fixture fails any other test that has one


def test_the_api_documentation_page_runs_under_the_policy(live_server, transactional_db, page: Page):
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_text("Jobcenter API").first).to_be_visible()

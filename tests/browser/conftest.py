"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium),
never a browser Playwright downloads. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("JOBCENTER_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    if os.environ.get("JOBCENTER_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Chromium is required (JOBCENTER_REQUIRE_BROWSER) but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed: apt-get install chromium (CI does)")
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# Every violation of the Content-Security-Policy reaches the console as an error.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("Content Security Policy violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def csp_violations() -> list[str]:
    return []


@pytest.fixture
def page(page, csp_violations: list[str]):  # type: ignore[no-untyped-def]
    """pytest-playwright's page, failing the test on any console error about the Content-Security-Policy
    (an inline script or style the policy refused would silently break a page)."""
    page.add_init_script(_REPORT_CSP_VIOLATIONS)

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        if message.type == "error" and "content security policy" in message.text.lower():
            csp_violations.append(message.text)

    page.on("console", on_console)
    yield page
    assert csp_violations == [], f"Content-Security-Policy violations: {csp_violations}"

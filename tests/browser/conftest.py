"""Playwright fixtures: one Debian Chromium for the browser tests, a fresh phone-sized page per test.

Every page keeps the app's Content-Security-Policy switched on, so these tests also prove
that the pages work without inline scripts or styles; any CSP report in the console fails
the test.
"""

import os
from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import Browser, ConsoleMessage, Page, ViewportSize, sync_playwright

from accounts.models import User
from tests.helpers import PASSWORD, give_mfa, totp_code

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 360, "height": 740}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
# Chromium has worded its CSP reports as "Refused to …" and, more recently, "… violates the
# following Content Security Policy directive …"; the init script below adds its own.
CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy", "Refused to")
# Runs before any page script and outside the page's CSP (Playwright injects it through the
# DevTools protocol), so it reports violations even if Chromium's own wording changes again.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "Content-Security-Policy violation: " + event.violatedDirective + " blocked "
    + (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


# Package scope: started once for all of tests/browser (one browser for the whole run, since
# pytest-django keeps these transactional tests together) and stopped right after them.
# While sync Playwright lives, its asyncio loop counts as running in the main thread, so
# Django's async-safety check would refuse every ORM call, ours and the `world` fixture's:
# DJANGO_ALLOW_ASYNC_UNSAFE switches it off for exactly that span. Set for the whole session
# it would leak into later tests, and into the subprocesses of tests/test_settings.py, whose
# `check --deploy` rightly fails on it (async.E001).
# That running loop also gives Django other connections (asgiref's thread-critical Local keeps
# them per asyncio context then), so a shared world still open on the connection from before
# would hold its rows and locks out of reach: it is rolled back first.
@pytest.fixture(scope="package")
def browser(_shared_world) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"The browser tests need Debian's Chromium at {CHROMIUM} (make chromium).")
    _shared_world.close()
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # Never Playwright's own download: Debian's Chromium, offline.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """CSP reports seen by the current test's page; the `page` fixture fails the test on any."""
    return []


@pytest.fixture
def page(browser: Browser, live_server, csp_violations: list[str]) -> Iterator[Page]:
    # allauth's rate limits count in the (database) cache, which a transactional test does
    # not empty: start every test with a clean slate so that tests cannot affect each other.
    cache.clear()
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        # Chromium would otherwise send its own Accept-Language, and English is on offer.
        locale="nl-BE",
    )
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    context.set_default_timeout(5_000)
    page = context.new_page()

    def record(message: ConsoleMessage) -> None:
        if any(marker in message.text for marker in CSP_MARKERS):
            csp_violations.append(f"{page.url}: {message.text}")

    page.on("console", record)
    yield page
    context.close()
    assert not csp_violations, "The browser reported Content-Security-Policy violations:\n" + "\n".join(
        csp_violations
    )


@pytest.fixture(scope="session")
def _axe() -> Axe:
    return Axe()


@pytest.fixture
def assert_accessible(_axe: Axe) -> Callable[[Page], None]:
    """`assert_accessible(page)` runs axe-core on the page as it is now (WCAG 2.2 AA) and fails
    on any serious or critical violation.

    axe is injected with `page.evaluate`, which the DevTools protocol runs outside the page's
    CSP: the page under test keeps its real policy.
    """

    def check(page: Page) -> None:
        results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        report = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']}\n"
            + "\n".join(f"    at {' '.join(map(str, node['target']))}" for node in v["nodes"])
            for v in blocking
        )
        assert not blocking, f"axe found accessibility violations on {page.url}:\n{report}"

    return check


@pytest.fixture
def log_in(page: Page) -> Callable[[User], None]:
    """`log_in(user)` logs in through the login page, as a person would. Someone who must have
    MFA (a coordinator, staff) has an authenticator app with the test key and types its code."""

    def do_log_in(user: User, password: str = PASSWORD) -> None:
        from accounts.services import requires_mfa

        if requires_mfa(user):
            give_mfa(user)
        page.goto("/accounts/login/")
        page.get_by_label("E-mailadres").fill(user.email)
        page.get_by_label("Wachtwoord").fill(password)
        # Wait for the answer, so that a `goto` right after cannot cut the login short.
        with page.expect_navigation():
            page.get_by_role("button", name="Inloggen").click()
        # A code is valid once (and for one period either side): try the next if it was used.
        for offset in (0, 1, -1):
            if "/accounts/2fa/authenticate/" not in page.url:
                break
            page.locator("input[name=code]").fill(totp_code(offset=offset))
            with page.expect_navigation():
                page.locator("form button[type=submit]").first.click()

    return do_log_in

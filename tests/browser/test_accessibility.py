"""axe-core (WCAG 2.2 AA) on each main page, at phone width, with the real CSP on."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


def test_the_login_page_is_accessible(page: Page, db, assert_accessible):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")

    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_the_group_chooser_is_accessible(page: Page, world, log_in, assert_accessible):
    log_in(world.volunteer_a_and_a2)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kies je groep")

    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_the_group_pages_of_a_coordinator_are_accessible(page: Page, world, log_in, assert_accessible):
    log_in(world.coordinator_a)
    expect(page.get_by_role("heading", name="Leden van de groep")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.goto("/g/brugge/members/")
    expect(page.get_by_role("table")).to_contain_text("Arne Vrijwilliger")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.goto("/g/brugge/members/invite/")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    # Next to the field, and in the summary the form starts with.
    expect(page.locator(".errorlist").get_by_text("Vul een e-mailadres in.")).to_be_visible()
    expect(page.get_by_role("region", name="Nog niet opgeslagen")).to_contain_text("Vul een e-mailadres in.")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_a_csp_violation_is_caught(page: Page, db, csp_violations):
    """The guard in the `page` fixture is not vacuous: an inline style is reported."""
    page.goto("/accounts/login/")
    with page.expect_console_message(lambda message: "Content-Security-Policy violation" in message.text):
        page.evaluate(
            "document.head.append(Object.assign(document.createElement('style'), {textContent: 'p {}'}))"
        )

    assert any("style-src" in violation for violation in csp_violations)
    csp_violations.clear()

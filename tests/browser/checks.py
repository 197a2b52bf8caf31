"""Checks shared by the browser tests."""

import re

from playwright.sync_api import Locator, Page


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways at {widths[1]} px: content is {widths[0]} px"


def assert_page_is_sound(page: Page, assert_accessible, csp_violations: list[str]) -> None:
    """axe finds nothing serious, nothing scrolls sideways at 360 px, and the CSP blocked nothing."""
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    assert not csp_violations, "\n".join(csp_violations)


def summary(page: Page, text: str) -> Locator:
    """The <summary> that reads `text`: it has no ARIA role (and its <details> no accessible
    name), so it is found by its text."""
    return page.locator("summary", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))

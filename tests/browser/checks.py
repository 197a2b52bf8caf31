"""Checks shared by the browser tests."""

from playwright.sync_api import Page


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways at {widths[1]} px: content is {widths[0]} px"

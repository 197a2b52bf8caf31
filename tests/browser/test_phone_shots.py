"""Screenshots at 360 px of the start page, the household page and the visit form (issue #12).

Not a check: run it by name (`-k shots`) with PHONE_SHOTS=<folder> to write the images there."""

import os

import pytest
from playwright.sync_api import Page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.environ.get("PHONE_SHOTS"), reason="PHONE_SHOTS names the folder for the images"
    ),
]


def test_phone_shots(page: Page, live_server, world, log_in):
    folder = os.environ["PHONE_SHOTS"]
    log_in(world.volunteer_a)
    for name, url in [
        ("start", "/g/brugge/"),
        ("household", f"/g/brugge/households/{world.household_a.pk}/"),
        ("visit-form", f"/g/brugge/households/{world.household_a.pk}/visits/new/"),
    ]:
        page.goto(url)
        page.screenshot(path=f"{folder}/{name}.png")
        page.screenshot(path=f"{folder}/{name}-full.png", full_page=True)

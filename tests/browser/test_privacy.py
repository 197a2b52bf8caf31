"""On a phone: a coordinator downloads a family's copy, then erases the household."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from households.models import Household
from tests.browser.checks import assert_page_is_sound
from visits.models import FollowUp

pytestmark = pytest.mark.browser


def test_a_coordinator_downloads_a_familys_copy_and_erases_the_household(
    page: Page, live_server, world, log_in, assert_accessible, csp_violations
):
    FollowUp.objects.filter(pk=world.follow_up_a.pk).update(done_at=timezone.now())
    log_in(world.coordinator_a)
    page.goto(f"/g/brugge/households/{world.household_a.pk}/")
    page.get_by_role("link", name="Inzage voor het gezin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Wat Schakel Brugge over Familie Peeters bijhoudt"
    )
    expect(page.get_by_role("heading", name="Eerst nakijken: vertrouwelijke notities")).to_be_visible()
    assert_page_is_sound(page, assert_accessible, csp_violations)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Downloaden (tekstbestand)").click()
    download = download_info.value
    text = open(download.path(), encoding="utf-8").read()  # noqa: SIM115 - Playwright's temp file
    assert "Familie Peeters" in text and "Gesprek over de huur." in text
    assert "Geheim A" not in text

    page.get_by_role("link", name="Terug naar het gezin").click()
    page.get_by_role("link", name="Vergeet dit gezin").click()
    assert_page_is_sound(page, assert_accessible, csp_violations)
    page.get_by_label("Typ de naam van het gezin om te bevestigen").fill("Familie Peters")
    page.get_by_label("het gezin vraagt het (vergeetrecht)").check()
    page.get_by_role("button", name="Gezin definitief wissen").click()
    expect(page.get_by_text("Typ de naam van het gezin precies zoals hij hier staat.")).to_be_visible()
    page.get_by_label("Typ de naam van het gezin om te bevestigen").fill("Familie Peeters")
    page.get_by_label("het gezin vraagt het (vergeetrecht)").check()
    page.get_by_role("button", name="Gezin definitief wissen").click()

    expect(page.get_by_text("Het gezin is gewist. Alleen de cijfers blijven bewaard.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Geanonimiseerd gezin {world.household_a.pk}")
    assert "Kerkstraat" not in page.content() and "Mieke" not in page.content()
    assert Household.objects.get(pk=world.household_a.pk).anonymised_at is not None
    assert_page_is_sound(page, assert_accessible, csp_violations)

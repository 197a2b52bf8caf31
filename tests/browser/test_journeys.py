"""The main journeys, driven through Chromium at phone size with the real CSP."""

import re

import pytest
from playwright.sync_api import Page, expect

from groups.models import Invitation, Membership
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def test_a_volunteer_logs_in_and_lands_on_the_home_of_their_group(page: Page, live_server, world):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(world.volunteer_a.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    expect(page).to_have_url(f"{live_server.url}/g/brugge/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gezinnen")
    expect(page.get_by_role("banner").get_by_role("link", name="Schakel Brugge")).to_be_visible()
    # A member of one group is offered no other.
    expect(page.get_by_role("link", name="andere groep")).to_have_count(0)


def test_a_member_of_two_groups_chooses_one_after_logging_in(page: Page, live_server, world, log_in):
    log_in(world.volunteer_a_and_a2)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kies je groep")
    page.get_by_role("link", name=re.compile("Schakel Kortrijk")).click()

    expect(page).to_have_url(f"{live_server.url}/g/kortrijk/")
    expect(page.get_by_role("banner").get_by_role("link", name="Schakel Kortrijk")).to_be_visible()
    # The switch to the other group is in sight on every page of the group.
    page.get_by_role("banner").get_by_role("link", name="andere groep").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kies je groep")


def test_a_wrong_password_keeps_you_on_the_login_page_with_a_dutch_message(
    page: Page, live_server, world, log_in
):
    log_in(world.volunteer_a, password="niet-het-juiste-wachtwoord")

    expect(
        page.get_by_text("Het door jou opgegeven e-mailadres en/of wachtwoord is niet correct.")
    ).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def test_the_language_can_be_switched_to_english_and_back(page: Page, live_server, db):
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nl-be")
    expect(page.get_by_label("Taal")).to_have_value("nl-be")

    page.get_by_label("Taal").select_option(label="English")
    page.get_by_role("button", name="Kies taal").click()

    # Assert on the language, not on English wording: the catalogue may not be compiled.
    # For the same reason the way back finds the form by what never gets translated.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    footer = page.get_by_role("contentinfo")
    language = footer.get_by_role("combobox").filter(has=page.get_by_role("option", name="English"))
    expect(language).to_have_value("en")

    language.select_option(label="Nederlands")
    footer.get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl-be")
    expect(page.get_by_label("Taal")).to_have_value("nl-be")


def test_a_coordinator_invites_a_new_volunteer(page: Page, live_server, world, log_in):
    log_in(world.coordinator_a)
    page.goto("/g/brugge/members/invite/")

    page.get_by_label("E-mailadres").fill("nieuw@example.org")
    page.get_by_label("Naam").fill("Nora Nieuw")
    page.get_by_role("radio", name="vrijwilliger").check()
    page.get_by_role("button", name="Uitnodiging versturen").click()

    expect(page).to_have_url(f"{live_server.url}/g/brugge/members/")
    expect(page.get_by_role("status")).to_contain_text("nieuw@example.org is uitgenodigd")
    row = page.get_by_role("row").filter(has_text="Nora Nieuw")
    expect(row).to_contain_text("nieuw@example.org")
    expect(row).to_contain_text("uitgenodigd")
    # Not a member until Nora says yes through the link in her mail.
    assert not world.group_a.memberships.filter(user__email="nieuw@example.org").exists()
    assert Invitation.objects.get(email="nieuw@example.org").role == Membership.Role.VOLUNTEER

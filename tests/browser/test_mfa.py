"""A coordinator without MFA is led through setting it up at their next login, in Chromium at
phone width, with the page's CSP on and an accessibility scan (issue #8.3)."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.helpers import PASSWORD, totp_code

pytestmark = pytest.mark.browser


def test_a_coordinator_sets_up_mfa_at_the_next_login(world, page, assert_accessible):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(world.coordinator_a.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    page.goto(reverse("reports:home", kwargs={"slug": "brugge"}))
    # allauth asks for the password once more before adding a second factor.
    assert "/accounts/reauthenticate/" in page.url
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(reverse("mfa_activate_totp"))
    assert_accessible(page)
    assert page.get_by_role("img", name="QR-code om te scannen met je app").is_visible()
    secret = page.get_by_label("Sleutel om over te typen").input_value()
    page.locator("input[name=code]").fill(totp_code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Aanzetten").click()
    assert Authenticator.objects.filter(user=world.coordinator_a, type="totp").exists()
    # The recovery codes are shown next; then the group opens.
    assert Authenticator.objects.filter(user=world.coordinator_a, type="recovery_codes").exists()
    page.goto(reverse("reports:home", kwargs={"slug": "brugge"}))
    assert page.url.endswith("/g/brugge/")
    assert page.get_by_role("heading", level=1).inner_text() == "Schakel Brugge"

"""A confirmation page offers a way back for who came there by mistake (the 360-px walk: the
logout page had only "Uitloggen")."""

import re

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from tests.helpers import PASSWORD, give_mfa, give_security_key, totp_code

GROUP_HOME = reverse("reports:home", kwargs={"slug": "brugge"})


def back_link(html: str) -> str | None:
    """The href of the page's "Terug" link in its form's actions, None without one."""
    found = re.search(r'<div class="form-actions">.*?<a href="([^"]*)">Terug</a>', html, re.S)
    return found.group(1) if found else None


def test_the_logout_page_leads_back_to_where_you_came_from_on_this_site(world, as_user, subtests):
    client = as_user(world.volunteer_a)
    logout = reverse("account_logout")
    cases = [
        ({"HTTP_REFERER": f"http://testserver{GROUP_HOME}?x=1"}, f"{GROUP_HOME}?x=1"),
        ({"HTTP_REFERER": "https://elders.example/phish"}, reverse("home")),
        ({"HTTP_REFERER": "//elders.example/phish"}, reverse("home")),
        # On this site, but a path a browser reads as another host (the attacker's review).
        ({"HTTP_REFERER": "http://testserver//elders.example/phish"}, reverse("home")),
        ({"HTTP_REFERER": "http://testserver/\\elders.example/phish"}, reverse("home")),
        ({"HTTP_REFERER": "http://testserver/\\/elders.example"}, reverse("home")),
        ({"HTTP_REFERER": "http://testserver/\t/elders.example"}, reverse("home")),
        ({"HTTP_REFERER": f"http://testserver{logout}"}, reverse("home")),
        ({}, reverse("home")),
    ]
    for headers, expected in cases:
        with subtests.test(referer=headers.get("HTTP_REFERER")):
            html = client.get(logout, **headers).content.decode()
            assert "Afmelden" in html
            assert back_link(html) == expected
    assert "_auth_user_id" in client.session  # looking was all


def test_the_mfa_confirmation_pages_have_a_way_back(world, client, subtests):
    give_mfa(world.volunteer_a)
    RecoveryCodes.activate(world.volunteer_a)
    give_security_key(world.volunteer_a)
    key = Authenticator.objects.get(user=world.volunteer_a, type=Authenticator.Type.WEBAUTHN)
    client.post(reverse("account_login"), {"login": world.volunteer_a.email, "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code()}).status_code == 302
    # allauth asks for the password again before these pages.
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    came_from = {"HTTP_REFERER": "http://testserver" + reverse("mfa_index")}
    for name, kwargs in [
        ("mfa_deactivate_totp", {}),
        ("mfa_generate_recovery_codes", {}),
        ("mfa_remove_webauthn", {"pk": key.pk}),
    ]:
        with subtests.test(page=name):
            response = client.get(reverse(name, kwargs=kwargs), **came_from)
            assert response.status_code == 200
            assert back_link(response.content.decode()) == reverse("mfa_index")


def test_the_code_step_at_login_gets_no_back_link(world, client):
    """Its hidden security-key form has no fields and no button of its own: not a confirmation."""
    give_mfa(world.coordinator_a)
    give_security_key(world.coordinator_a)
    client.post(reverse("account_login"), {"login": world.coordinator_a.email, "password": PASSWORD})
    html = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Gebruik een beveiligingssleutel" in html and ">Terug</a>" not in html


def test_the_password_page_can_be_left(world, as_user):
    html = as_user(world.volunteer_a).get(reverse("account_change_password")).content.decode()
    assert f'<a href="{reverse("accounts:security")}">Annuleren</a>' in html

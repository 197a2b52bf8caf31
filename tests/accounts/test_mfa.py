"""MFA with allauth.mfa: required for coordinators, regional staff, Django staff and
superusers; optional for volunteers; resettable by a coordinator (volunteers of their group)
or an admin, and logged (issue #8.3)."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import AccountEvent
from tests.helpers import PASSWORD, give_mfa, give_security_key, totp_code

GROUP_HOME = reverse("reports:home", kwargs={"slug": "brugge"})


def password_login(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def make_regional_staff(world):
    world.region_a.staff.add(world.outsider)
    return world.outsider


def make_django_staff(world):
    world.outsider.is_staff = True
    world.outsider.save()
    return world.outsider


def make_superuser(world):
    world.outsider.is_staff = world.outsider.is_superuser = True
    world.outsider.save()
    return world.outsider


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (lambda w: w.coordinator_a, GROUP_HOME),
        (lambda w: w.coordinator_a, reverse("groups:members", kwargs={"slug": "brugge"})),
        (lambda w: w.volunteer_a_and_a2, GROUP_HOME),  # made coordinator of another group below
        (make_regional_staff, reverse("staff:national")),
        (make_regional_staff, "/"),
        (make_django_staff, reverse("staff:national")),
        (make_django_staff, reverse("admin:index")),
        (make_superuser, reverse("admin:groups_group_changelist")),
    ],
    ids=[
        "coordinator-home",
        "coordinator-members",
        "coordinator-elsewhere",
        "regional-staff",
        "regional-staff-home",
        "django-staff",
        "django-staff-admin",
        "superuser-admin",
    ],
)
def test_who_must_have_mfa_reaches_no_page_before_setting_it_up(world, who, url):
    from groups.models import Membership

    Membership.objects.filter(user=world.volunteer_a_and_a2, group=world.group_a2).update(role="coordinator")
    user = who(world)
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.post(url).status_code in (302, 405)


def test_a_volunteer_needs_no_mfa_but_may_turn_it_on(world):
    client = Client()
    client.force_login(world.volunteer_a)
    assert client.get(GROUP_HOME).status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)


def test_a_coordinator_sets_up_an_authenticator_app_and_then_reaches_the_group(world, client):
    password_login(client, world.coordinator_a)
    response = client.get(GROUP_HOME, follow=True)
    # allauth asks for the password once more before a second factor is added.
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    html = response.content.decode()
    assert "Google Authenticator" in html and "QR-code" in html  # plain Dutch guidance
    secret = client.session[SECRET_SESSION_KEY]
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=world.coordinator_a).exists()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=world.coordinator_a, type="totp").exists()
    assert client.get(GROUP_HOME).status_code == 200


def test_login_asks_for_the_code_and_a_wrong_one_does_not_log_in(world, client):
    give_mfa(world.coordinator_a)
    response = password_login(client, world.coordinator_a)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.coordinator_a.pk
    assert client.get(GROUP_HOME).status_code == 200


def test_a_totp_code_cannot_be_used_twice(world):
    give_mfa(world.coordinator_a)
    code = totp_code()
    first, second = Client(), Client()
    password_login(first, world.coordinator_a)
    first.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" in first.session
    password_login(second, world.coordinator_a)
    second.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in second.session


def test_guessing_codes_is_rate_limited(world, client, settings):
    """Wrong codes count against allauth's `login_failed` limit per account: 5 in 5 minutes in
    production (tests/accounts/test_security.py holds that value), 2 here, for fewer requests."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "10/m/ip,2/5m/key"}
    cache.clear()
    give_mfa(world.coordinator_a)
    password_login(client, world.coordinator_a)
    for _ in range(2):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert "_auth_user_id" not in client.session
    assert "Te veel" in response.content.decode() or response.status_code == 429


def test_a_recovery_code_logs_in_once(world):
    give_mfa(world.coordinator_a)
    code = RecoveryCodes.activate(world.coordinator_a).get_unused_codes()[0]
    first, second = Client(), Client()
    password_login(first, world.coordinator_a)
    first.post(reverse("mfa_authenticate"), {"code": code})
    assert int(first.session["_auth_user_id"]) == world.coordinator_a.pk
    password_login(second, world.coordinator_a)
    second.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in second.session


def test_a_tampered_mfa_form_is_a_message_not_a_500(world, client):
    give_mfa(world.coordinator_a)
    password_login(client, world.coordinator_a)
    for data in ({}, {"code": "x" * 5000}, {"code": ["1", "2"]}):
        assert client.post(reverse("mfa_authenticate"), data).status_code == 200
    assert "_auth_user_id" not in client.session


def test_who_must_have_mfa_cannot_switch_it_off(world, as_user):
    client = as_user(world.coordinator_a)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=world.coordinator_a, type="totp").exists()
    assert response.status_code in (200, 302)


def test_a_coordinator_resets_a_volunteers_mfa_and_it_is_logged(world, as_user):
    give_mfa(world.volunteer_a)
    volunteer = as_user(world.volunteer_a)
    assert volunteer.get(GROUP_HOME).status_code == 200
    membership = world.group_a.memberships.get(user=world.volunteer_a)
    url = reverse("groups:member_mfa_reset", kwargs={"slug": "brugge", "pk": membership.pk})
    response = as_user(world.coordinator_a).post(url)
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=world.volunteer_a).exists()
    event = AccountEvent.objects.get()
    assert (event.user, event.actor, event.kind, event.context) == (
        world.volunteer_a,
        world.coordinator_a,
        "mfa_reset",
        "group:brugge",
    )
    # Logged out everywhere.
    assert volunteer.get(GROUP_HOME).status_code == 302


def test_a_coordinator_cannot_reset_the_mfa_of_someone_who_must_have_it(world, as_user):
    from groups.models import Membership

    # Tine is a volunteer in Brugge but coordinator of Kortrijk: only an admin resets her MFA.
    Membership.objects.filter(user=world.volunteer_a_and_a2, group=world.group_a2).update(role="coordinator")
    give_mfa(world.volunteer_a_and_a2)
    membership = world.group_a.memberships.get(user=world.volunteer_a_and_a2)
    url = reverse("groups:member_mfa_reset", kwargs={"slug": "brugge", "pk": membership.pk})
    assert as_user(world.coordinator_a).post(url).status_code == 403
    assert Authenticator.objects.filter(user=world.volunteer_a_and_a2).exists()
    assert not AccountEvent.objects.exists()


def test_an_admin_resets_anyones_mfa_and_it_is_logged(world, superuser_client):
    give_mfa(world.coordinator_b)
    response = superuser_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_mfa", "_selected_action": [world.coordinator_b.pk]},
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=world.coordinator_b).exists()
    assert AccountEvent.objects.get().kind == "mfa_reset"
    # At the next login the coordinator must set it up again.
    world.coordinator_b.refresh_from_db()  # its session token changed: old sessions ended
    client = Client()
    client.force_login(world.coordinator_b)
    assert client.get(reverse("reports:home", kwargs={"slug": "genk"}))["Location"] == reverse(
        "mfa_activate_totp"
    )


def test_the_security_page_offers_mfa_and_logging_out_everywhere(world, as_user):
    html = as_user(world.volunteer_a).get(reverse("accounts:security")).content.decode()
    assert reverse("mfa_index") in html
    assert reverse("accounts:logout_everywhere") in html
    assert re.search(r"Tweestapsverificatie staat uit", html)


@pytest.mark.parametrize(
    "name",
    ["mfa_index", "mfa_activate_totp", "mfa_add_webauthn", "mfa_list_webauthn", "mfa_view_recovery_codes"],
)
def test_the_mfa_pages_open_for_a_user_with_mfa(world, as_user, name):
    give_mfa(world.coordinator_a)
    RecoveryCodes.activate(world.coordinator_a)
    response = as_user(world.coordinator_a).get(reverse(name))
    # allauth asks for the password again before changes; the page itself opens, in Dutch.
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_reauthenticate"))
    else:
        assert '<html lang="nl-be">' in response.content.decode()


def test_a_coordinator_cannot_reset_the_mfa_of_someone_who_left_the_group(world, as_user):
    """Found by an attacker's review: Arne left Genk and is only in Brugge now; Genk's coordinator
    must not be able to strip his second factor through the old membership."""
    from tests.helpers import make_member

    former = make_member(world.volunteer_a, world.group_b, is_active=False)
    give_mfa(world.volunteer_a)
    url = reverse("groups:member_mfa_reset", kwargs={"slug": "genk", "pk": former.pk})
    assert as_user(world.coordinator_b).post(url).status_code == 403
    assert Authenticator.objects.filter(user=world.volunteer_a).exists()
    assert not AccountEvent.objects.exists()


def test_the_code_page_is_laid_out_as_our_forms(world, client):
    """allauth's MFA pages come through its form and button elements (templates/allauth/
    elements/): our form layout and buttons, the server's Dutch messages, not the browser's."""
    give_mfa(world.coordinator_a)
    password_login(client, world.coordinator_a)
    html = client.get(reverse("mfa_authenticate")).content.decode()
    assert re.search(r'<form method="post" action="[^"]+" class="form" novalidate>', html)
    assert "Typ de code die de app op je gsm nu toont" in html and "alstublieft" not in html
    # In .form-actions, as our own buttons, and named as on the login page.
    assert re.search(
        r'<div class="form-actions">\s*<button class="button" type="submit">\s*Inloggen\s*</button>', html
    )
    refused = client.post(reverse("mfa_authenticate"), {"code": "123456"}).content.decode()
    assert 'class="error-summary"' in refused
    assert "Dat lukte nog niet" in refused and "Nog niet opgeslagen" not in refused


def test_the_password_reset_pages_say_je_and_whom_to_ask(client, db):
    asked = client.get(reverse("account_reset_password")).content.decode()
    assert "Vraag de coördinator van je Welzijnsschakel om hulp." in asked
    sent = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"}, follow=True)
    text = sent.content.decode()
    assert "een link om een nieuw wachtwoord te kiezen" in text
    assert "a.u.b." not in asked + text and "verificatie" not in text


def test_the_code_step_offers_a_security_key_only_to_who_has_one(world, client):
    """allauth offers "Gebruik een beveiligingssleutel" whenever keys are supported; someone
    with only an authenticator app would tap it and get nowhere."""
    give_mfa(world.coordinator_a)
    password_login(client, world.coordinator_a)
    html = client.get(reverse("mfa_authenticate")).content.decode()
    assert "beveiligingssleutel" not in html and "mfa_webauthn_authenticate" not in html
    assert 'form="logout-from-stage"' in html  # the way out stays
    refused = client.post(reverse("mfa_authenticate"), {"code": "123456"}).content.decode()
    assert "beveiligingssleutel" not in refused

    give_security_key(world.coordinator_a)
    html = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Gebruik een beveiligingssleutel" in html and 'id="mfa_webauthn_authenticate"' in html
    assert 'form="logout-from-stage"' in html
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code()}).status_code == 302

"""allauth's MFA pages and our security page read as the rest of Welzijn (the 360-px walk: they
read like a different app): plain Dutch with "je", buttons laid out as ours without list bullets,
a way back on every page, and advice that fits the user's role."""

import re
from html.parser import HTMLParser

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tests.helpers import PASSWORD, give_mfa, give_security_key, totp_code

SECURITY = reverse("accounts:security")
MFA_INDEX = reverse("mfa_index")

# allauth's own Dutch and English words that a volunteer of seventy does not use, and English
# left on a Dutch page. Checked in the text a user reads (not in addresses or ids).
STIFF = [
    "middels",
    "deactiveer",
    "genereer",
    "authenticator",  # "authenticator-app", "Authenticator code"
    "authenticati",  # "Authenticatie"
    "authenticeer",
    "ongespecificeerd",
    "not used",
    "name",
    "passkey",
    "unspecified",
    "recovery",
    "security key",
    "two-factor",
    "aanmeldcode",  # our login page says "een code om in te loggen"
]


class _Page(HTMLParser):
    """The text of <main> a user reads, and every button-like element with its ancestors."""

    VOID = {"input", "br", "hr", "img", "meta", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.buttons: list[list[tuple[str, dict]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag in ("button", "a") and {"button", "button-secondary", "button-danger"} & set(classes):
            self.buttons.append(list(self.stack))
        if tag not in self.VOID:
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if "main" in tags and "script" not in tags and "textarea" not in tags:
            self.text.append(data)


def read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def words(page: _Page) -> str:
    return " ".join(" ".join(page.text).split())


@pytest.fixture
def pages(world, client):
    """Every MFA page of a coordinator with an authenticator app, recovery codes and a security
    key, reached as a user does: the code at login, then the password once more."""
    user = world.coordinator_a
    give_mfa(user)
    RecoveryCodes.activate(user)
    give_security_key(user)
    key = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    found = {"mfa_authenticate": client.get(reverse("mfa_authenticate"))}
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code()}).status_code == 302
    for name in ["account_reauthenticate", "mfa_reauthenticate", "mfa_reauthenticate_webauthn"]:
        found[name] = client.get(reverse(name))
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    for name, kwargs in [
        ("mfa_index", {}),
        ("mfa_deactivate_totp", {}),
        ("mfa_view_recovery_codes", {}),
        ("mfa_generate_recovery_codes", {}),
        ("mfa_download_recovery_codes", {}),
        ("mfa_list_webauthn", {}),
        ("mfa_add_webauthn", {}),
        ("mfa_edit_webauthn", {"pk": key.pk}),
        ("mfa_remove_webauthn", {"pk": key.pk}),
        ("accounts:security", {}),
    ]:
        found[name] = client.get(reverse(name, kwargs=kwargs))
    for name, response in found.items():
        assert response.status_code == 200, name
    return {name: response.content.decode() for name, response in found.items()}


def test_the_mfa_pages_speak_plain_dutch(pages, subtests):
    for name, html in pages.items():
        with subtests.test(page=name):
            text = html if name == "mfa_download_recovery_codes" else words(read(html))
            assert text
            found = [word for word in STIFF if re.search(rf"\b{word}", text, re.I)]
            assert not found, f"{name}: {found} in {text!r}"
    assert "Je gebruikt een app op je gsm voor de code." in words(read(pages["mfa_index"]))
    assert "Uitzetten" in words(read(pages["mfa_deactivate_totp"]))
    assert "Nieuwe herstelcodes maken" in words(read(pages["mfa_generate_recovery_codes"]))
    assert "de app op je gsm" in words(read(pages["mfa_authenticate"]))


def test_the_buttons_have_no_list_bullets(pages, subtests):
    """allauth's panel put each action in a <li> of a <ul> (a bullet before every button); its
    button group is a bare <div>. Both now are our .form-actions."""
    for name, html in pages.items():
        if name == "mfa_download_recovery_codes":
            continue
        with subtests.test(page=name):
            page = read(html)
            in_main = [b for b in page.buttons if any(tag == "main" for tag, _ in b)]
            assert in_main
            assert not [b for b in in_main if any(tag in ("li", "ul", "ol") for tag, _ in b)]
            if name == "accounts:security":
                continue  # our own page: a button per section
            for ancestors in in_main:
                parent_classes = (ancestors[-1][1].get("class") or "").split()
                assert "form-actions" in parent_classes, f"{name}: a button outside .form-actions"


def test_every_page_has_a_way_back(pages, subtests):
    back = {
        "mfa_index": SECURITY,
        "account_reauthenticate": SECURITY,
        "mfa_reauthenticate": SECURITY,
        "mfa_reauthenticate_webauthn": SECURITY,
        "mfa_deactivate_totp": MFA_INDEX,
        "mfa_view_recovery_codes": MFA_INDEX,
        "mfa_generate_recovery_codes": MFA_INDEX,
        "mfa_list_webauthn": MFA_INDEX,
        "mfa_add_webauthn": MFA_INDEX,
        "mfa_edit_webauthn": MFA_INDEX,
        "mfa_remove_webauthn": MFA_INDEX,
        "accounts:security": reverse("reports:home", kwargs={"slug": "brugge"}),
    }
    label = {SECURITY: "Terug naar Beveiliging", MFA_INDEX: "Terug naar Tweestapsverificatie"}
    for name, url in back.items():
        with subtests.test(page=name):
            found = re.search(r'<p class="back-link"><a href="([^"]*)">([^<]*)</a></p>', pages[name])
            assert found, name
            assert found.group(1) == url
            assert found.group(2) == label.get(url, "Terug naar Schakel Brugge")


def test_the_mfa_overview_reads_in_english_too(world, as_user):
    client = as_user(world.volunteer_a)
    give_mfa(world.volunteer_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(MFA_INDEX).content.decode()
    text = words(read(html))
    assert "Back to Security" in text and "You use an app on your phone for the code." in text
    assert "Terug" not in text and "gsm" not in text


def test_the_security_page_without_one_group_leads_to_the_start_page(world, as_user):
    html = as_user(world.volunteer_a_and_a2).get(SECURITY).content.decode()
    assert f'<p class="back-link"><a href="{reverse("home")}">Terug naar het begin</a></p>' in html


def test_a_coordinator_must_keep_their_last_second_factor_and_is_not_offered_to_turn_it_off(world, client):
    give_mfa(world.coordinator_a)
    client.post(reverse("account_login"), {"login": world.coordinator_a.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    text = words(read(client.get(MFA_INDEX).content.decode()))
    assert "Uitzetten" not in text and "Voor jouw rol moet dit aan blijven." in text


def test_a_coordinator_cannot_remove_their_last_security_key(world, client):
    """allauth's removal of a key never asked the MFA adapter (the attacker's second review): a
    coordinator who turned off the app could remove their only key and be back to a password
    alone. The last key is not offered for removal, and a POST removes nothing; with the app
    still on, the key may go."""
    user = world.coordinator_a
    give_mfa(user)
    give_security_key(user)
    key = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    remove = reverse("mfa_remove_webauthn", kwargs={"pk": key.pk})
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code()}).status_code == 302
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    assert remove in client.get(reverse("mfa_list_webauthn")).content.decode()  # the app is still on
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    listing = client.get(reverse("mfa_list_webauthn")).content.decode()
    assert remove not in listing and "Voor jouw rol moet dit aan blijven." in listing
    response = client.post(remove, follow=True)
    assert Authenticator.objects.filter(pk=key.pk).exists()
    assert "laatste manier om in te loggen met een code" in response.content.decode()


def test_a_volunteer_may_remove_their_only_security_key(world, client):
    """Who need not have a second factor may remove every one: the rule is the role's."""
    user = world.volunteer_a
    give_mfa(user)
    give_security_key(user)
    key = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))
    assert client.post(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk})).status_code == 302
    assert not Authenticator.objects.filter(pk=key.pk).exists()


# --- Advice that fits the role ---------------------------------------------------------


def email_advice(client) -> str:
    text = words(read(client.get(SECURITY).content.decode()))
    return text.split("Je e-mailadres", 1)[1]


def test_a_volunteer_asks_their_coordinator_about_their_address(world, as_user):
    assert "Vraag je coördinator" in email_advice(as_user(world.volunteer_a))


def test_a_coordinator_is_not_told_to_ask_their_coordinator(world, as_user):
    advice = email_advice(as_user(world.coordinator_a))
    assert "coördinator" not in advice
    assert "regionale medewerker" in advice


def test_a_coordinator_is_given_their_regions_contact(world, as_user):
    world.region_a.contact_name, world.region_a.contact_email = "Rita Regio", "rita@example.org"
    world.region_a.save()
    html = as_user(world.coordinator_a).get(SECURITY).content.decode()
    assert '<a href="mailto:rita@example.org">Rita Regio</a>' in html
    assert "coördinator" not in email_advice(as_user(world.coordinator_a))


def test_staff_and_admins_are_not_told_to_ask_a_coordinator(world, as_user, superuser_client):
    world.region_a.staff.add(world.volunteer_b)  # regional staff, and a volunteer in Genk
    staff = email_advice(as_user(world.volunteer_b))
    assert "coördinator" not in staff and "Vraag een beheerder" in staff
    admin = superuser_client.get(SECURITY).content.decode()
    assert "coördinator" not in admin.split("Je e-mailadres", 1)[1]
    assert "/admin/accounts/user/" in admin


def test_the_mfa_set_up_tells_a_coordinator_who_can_clear_it(world, as_user, client, subtests):
    """A coordinator cannot clear another coordinator's second factor (groups.views): only an
    admin can."""
    from django.test import Client

    for user, expected, wrong in [
        (world.volunteer_a, "je coördinator of een beheerder", None),
        (world.coordinator_a, "een beheerder van Welzijnsschakels", "je coördinator"),
    ]:
        with subtests.test(user=user.email):
            browser = Client()
            browser.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
            browser.post(reverse("account_reauthenticate"), {"password": PASSWORD})
            response = browser.get(reverse("mfa_activate_totp"))
            assert response.status_code == 200
            text = words(read(response.content.decode()))
            assert expected in text
            if wrong:
                assert wrong not in text


def test_the_first_recovery_codes_are_announced_as_ready_not_as_replacing_old_ones():
    """allauth makes recovery codes as soon as the app is on, and says so with one message for a
    first set and a new one alike: "your old ones no longer work" made a first-timer think
    something was lost (the second walk)."""
    with translation.override("nl-be"):
        text = render_to_string("mfa/messages/recovery_codes_generated.txt", {})
    assert "Je herstelcodes staan klaar." in text
    assert "Je oude werken niet meer" not in text

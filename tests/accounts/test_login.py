"""Logging in: e-mail + password, e-mailed code, password reset, rate limits, no sign-up."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.helpers import PASSWORD


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_member_of_one_group_logs_in_and_lands_on_its_home(world, client):
    response = login(client, "vol-a@example.org", PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:home", kwargs={"slug": "brugge"})
    html = response.content.decode()
    assert "Mijn gezinnen</h1>" in html and ">Schakel Brugge</a>" in html


def test_the_e_mail_address_is_not_case_sensitive(world, client):
    response = login(client, "VOL-A@Example.org", PASSWORD)
    assert response.status_code == 302


def test_a_bad_password_gets_a_dutch_message_and_keeps_the_address(world, client):
    response = login(client, "vol-a@example.org", "fout-wachtwoord")
    assert response.status_code == 200
    html = response.content.decode()
    assert "e-mailadres en/of wachtwoord is niet correct" in html
    assert 'value="vol-a@example.org"' in html
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_rate_limited(world, client):
    for _ in range(5):
        login(client, "vol-a@example.org", "fout-wachtwoord")
    response = login(client, "vol-a@example.org", PASSWORD)
    assert response.status_code == 200
    assert "Te veel inlogpogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_there_is_no_open_sign_up(db, client):
    response = client.post(
        reverse("account_signup"), {"email": "new@example.org", "password1": "een-lang-wachtwoord-123"}
    )
    assert response.status_code == 200
    assert "gesloten" in response.content.decode().lower()
    assert not User.objects.filter(email="new@example.org").exists()


def test_the_login_page_does_not_invite_people_to_sign_up(db, client):
    html = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in html


def test_login_by_e_mailed_code(world, client):
    response = client.post(reverse("account_request_login_code"), {"email": "vol-a@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    found = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", str(mail.outbox[0].body), re.MULTILINE)
    assert found is not None
    code = found.group(1)
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.volunteer_a.pk


def test_logging_in_by_code_says_it_in_the_login_pages_words(world, client):
    """ "Stuur me een code om in te loggen" on the login page leads to pages that say the same,
    not allauth's "aanmeldcode" (the second 360-px walk)."""
    ask = client.get(reverse("account_request_login_code")).content.decode()
    response = client.post(reverse("account_request_login_code"), {"email": "vol-a@example.org"}, follow=True)
    enter = response.content.decode()
    for html in (ask, enter):
        assert "aanmeldcode" not in html.lower()
    assert "Stuur me een code om in te loggen" in ask
    assert "We stuurden een code om in te loggen naar" in enter


def test_a_wrong_login_code_does_not_log_in(world, client):
    response = client.post(reverse("account_request_login_code"), {"email": "vol-a@example.org"})
    response = client.post(response["Location"], {"code": "ZZZZZZ"})
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(world, client):
    client.post(reverse("account_reset_password"), {"email": "vol-a@example.org"})
    assert len(mail.outbox) == 1
    found = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    client.post(form_url, {"password1": "nieuw-en-lang-genoeg-42", "password2": "nieuw-en-lang-genoeg-42"})
    world.volunteer_a.refresh_from_db()
    assert world.volunteer_a.check_password("nieuw-en-lang-genoeg-42")


def test_password_reset_for_an_unknown_address_reveals_nothing(db, client):
    response = client.post(reverse("account_reset_password"), {"email": "onbekend@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1  # allauth tells the address no account exists, to that address only
    assert mail.outbox[0].to == ["onbekend@example.org"]


def test_logout_needs_a_post(world, client):
    client.force_login(world.volunteer_a)
    client.get(reverse("account_logout"))
    assert "_auth_user_id" in client.session
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("email", ["Vol-A@example.org", " vol-a@example.org "])
def test_two_accounts_cannot_share_an_address(world, email):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        User.objects.create_user(email=email, password=PASSWORD)


def test_the_unknown_account_mail_does_not_offer_a_sign_up(db, client):
    client.post(reverse("account_reset_password"), {"email": "onbekend@example.org"})
    body = mail.outbox[0].body
    assert "signup" not in body
    assert "coördinator" in body

from unittest import mock

from django.db import OperationalError
from django.urls import reverse


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch("welzijn.views.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_healthz_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


def test_every_page_carries_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("account_login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_no_inline_script_or_style_in_the_login_page(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert "<script>" not in html
    assert "style=" not in html
    assert "<style" not in html


def test_the_404_page_is_friendly_dutch(client, db):
    response = client.get("/bestaat/niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


def test_the_500_page_is_static_and_dutch(client, db, settings):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_a_tampered_form_gets_a_friendly_csrf_page(world):
    from django.test import Client

    from tests.helpers import give_mfa

    client = Client(enforce_csrf_checks=True)
    give_mfa(world.coordinator_a)
    client.force_login(world.coordinator_a)
    response = client.post(
        reverse("groups:member_invite", kwargs={"slug": "brugge"}), {"email": "x@example.org"}
    )
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()
    assert not world.group_a.memberships.filter(user__email="x@example.org").exists()


def test_english_can_be_chosen(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get(reverse("account_login"))
    assert '<html lang="en">' in page.content.decode()


def test_dutch_is_the_default_language(client, db):
    assert '<html lang="nl-be">' in client.get(reverse("account_login")).content.decode()

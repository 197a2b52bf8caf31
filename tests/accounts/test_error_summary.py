"""The login page and allauth's own pages start a form with errors with the summary (issue #9.5)."""

from django.urls import reverse


def test_a_failed_login_starts_with_the_error_summary(world, as_user):
    response = as_user(None).post(
        reverse("account_login"), {"login": world.volunteer_a.email, "password": "fout-wachtwoord"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in body
    assert body.index('class="error-summary"') < body.index('name="password"')


def test_allauths_own_form_pages_start_with_the_error_summary(world, as_user):
    response = as_user(None).post(reverse("account_reset_password"), {"email": "geen-adres"})
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert 'href="#id_email"' in body


def test_a_form_without_errors_has_no_summary(world, as_user):
    body = as_user(None).get(reverse("account_login")).content.decode()
    assert 'class="error-summary"' not in body

"""Every error is shown, and found (issue #9, item 5): a form that comes back starts with a
summary of all its errors, its formsets' included, each linked to its field."""

import re

from django.urls import reverse

from tests.visits.test_visits import url, visit_data
from visits.models import Signal, Visit


def error_summary(response) -> str:
    html = response.content.decode()
    match = re.search(r'<section class="error-summary".*?</section>', html, re.S)
    assert match, "the page has no error summary"
    return match.group(0)


def test_eleven_signals_come_back_with_a_message_in_the_summary(world, as_user):
    data = visit_data(world, **{"signal-TOTAL_FORMS": "11"})
    for i in range(11):
        data |= {
            f"signal-{i}-institution": "ocmw",
            f"signal-{i}-theme": "income_debt",
            f"signal-{i}-description": f"Signaal {i}",
        }
    response = as_user(world.volunteer_a).post(url("create", pk=world.household_a.pk), data)
    assert response.status_code == 200
    assert "Je kunt ten hoogste 10 signalen tegelijk toevoegen." in error_summary(response)
    assert Visit.objects.count() == 2 and Signal.objects.count() == 1  # the world's own


def test_every_field_error_of_the_form_and_its_formsets_is_linked(world, as_user):
    data = visit_data(
        world,
        date="2999-01-01",
        **{"followup-0-description": "Bellen", "signal-0-description": "Te laat betaald."},
    )
    response = as_user(world.volunteer_a).post(url("create", pk=world.household_a.pk), data)
    summary = error_summary(response)
    assert '<a href="#id_date">Datum: De datum kan niet in de toekomst liggen.</a>' in summary
    assert 'href="#id_followup-0-due_date">Actiepunt 1: ' in summary
    assert 'href="#id_signal-0-institution">Signaal 1: ' in summary
    assert 'href="#id_signal-0-theme">Signaal 1: ' in summary
    # What was typed stays.
    assert "Te laat betaald." in response.content.decode()


def test_a_form_without_errors_has_no_summary(world, as_user):
    response = as_user(world.volunteer_a).get(url("create", pk=world.household_a.pk))
    assert 'class="error-summary"' not in response.content.decode()


def test_the_household_form_and_the_person_forms_have_the_summary_too(world, as_user):
    client = as_user(world.volunteer_a)
    response = client.post(reverse("households:create", kwargs={"slug": "brugge"}), {"postcode": "80"})
    assert 'href="#id_display_name">' in error_summary(response)
    response = client.post(
        reverse("households:person_add", kwargs={"slug": "brugge", "pk": world.household_a.pk}),
        {"new-first_name": "", "new-role": "adult"},
    )
    assert 'href="#id_new-first_name">' in error_summary(response)


def test_a_label_that_is_a_question_gets_no_colon_after_its_question_mark(world, as_user):
    data = visit_data(world, **{"followup-0-due_date": "2026-12-01"})
    response = as_user(world.volunteer_a).post(url("create", pk=world.household_a.pk), data)
    summary = error_summary(response)
    assert "Wat moet er gebeuren? " in summary and "gebeuren?:" not in summary

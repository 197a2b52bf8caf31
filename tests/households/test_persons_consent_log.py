"""Persons and consent on the household page; the append-only access log."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from households.models import AccessLogEntry, Consent, Person
from rls import roles
from rls import scope as rls_scope
from tests.browserless import form_data


def url(name, **kwargs):
    return reverse(f"households:{name}", kwargs={"slug": "brugge", **kwargs})


def add_person(client, world, **data):
    payload = {
        "new-first_name": "Lotte",
        "new-last_name": "Peeters",
        "new-birth_year": "2015",
        "new-role": "child",
    }
    payload.update({f"new-{k}": v for k, v in data.items()})
    return client.post(url("person_add", pk=world.household_a.pk), payload)


def test_a_person_is_added_from_the_household_page(world, as_user):
    response = add_person(as_user(world.volunteer_a), world)
    assert response.status_code == 302
    assert response["Location"] == world.household_a.get_absolute_url() + "#persons"
    person = world.household_a.persons.get(first_name="Lotte")
    assert (person.birth_year, person.role, person.group) == (2015, "child", world.group_a)
    entry = AccessLogEntry.objects.get(action="person_add")
    assert entry.person_id == person.pk and "birth_year" in entry.fields


@pytest.mark.parametrize(
    ("birth_year", "message"),
    [
        (str(timezone.localdate().year + 1), "Het geboortejaar kan niet in de toekomst liggen."),
        ("1899", "Vul een geboortejaar in vanaf 1900."),
        ("negentien", "Vul een jaartal in, bv. 1984."),
    ],
)
def test_a_bad_birth_year_is_explained_on_the_household_page(world, as_user, birth_year, message):
    response = add_person(as_user(world.volunteer_a), world, birth_year=birth_year)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Lotte"' in html  # what was typed stays
    assert "Familie Peeters" in html  # still on the household page
    assert not world.household_a.persons.filter(first_name="Lotte").exists()
    # Nothing was written but the read of the page the errors are shown on.
    assert list(AccessLogEntry.objects.values_list("action", flat=True)) == ["view"]


def test_a_person_without_first_name_is_refused(world, as_user):
    response = add_person(as_user(world.volunteer_a), world, first_name="")
    assert "Vul een voornaam in." in response.content.decode()


def test_a_person_is_edited_and_removed(world, as_user):
    client = as_user(world.volunteer_a)
    prefix = f"p{world.person_a.pk}"
    edit_url = url("person_edit", pk=world.household_a.pk, person_pk=world.person_a.pk)
    data = form_data(client, edit_url)
    data[f"{prefix}-birth_year"] = "1981"
    response = client.post(edit_url, data)
    assert response.status_code == 302
    world.person_a.refresh_from_db()
    assert world.person_a.birth_year == 1981
    assert AccessLogEntry.objects.get(action="person_change").fields == ["birth_year"]
    client.post(url("person_delete", pk=world.household_a.pk, person_pk=world.person_a.pk))
    assert not Person.objects.filter(pk=world.person_a.pk).exists()
    assert AccessLogEntry.objects.filter(action="person_delete", person_id=world.person_a.pk).exists()


def test_an_invalid_person_edit_reopens_that_persons_form_on_the_page(world, as_user):
    prefix = f"p{world.person_a.pk}"
    response = as_user(world.volunteer_a).post(
        url("person_edit", pk=world.household_a.pk, person_pk=world.person_a.pk),
        {f"{prefix}-first_name": "Mieke", f"{prefix}-birth_year": "1800", f"{prefix}-role": "adult"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vul een geboortejaar in vanaf 1900." in html
    assert '<details class="inline-edit" open>' in html
    world.person_a.refresh_from_db()
    assert world.person_a.birth_year == 1980


def test_a_person_of_another_household_cannot_be_reached_through_this_one(world, as_user):
    other = world.household_a.__class__.objects.create(group=world.group_a, display_name="Familie Maes")
    response = as_user(world.volunteer_a).post(url("person_delete", pk=other.pk, person_pk=world.person_a.pk))
    assert response.status_code == 404
    assert Person.objects.filter(pk=world.person_a.pk).exists()


def test_consent_is_recorded_and_the_banner_goes_away(world, as_user):
    client = as_user(world.volunteer_a)
    detail = url("detail", pk=world.household_a.pk)
    assert "nog geen toestemming" in client.get(detail).content.decode()
    response = client.post(
        url("consent_add", pk=world.household_a.pk),
        {
            "consent-status": "given",
            "consent-date": "2026-02-01",
            "consent-method": "written",
            "consent-purpose": "Gegevens bijhouden",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.recorded_by, consent.method, consent.group) == (
        world.volunteer_a,
        "written",
        world.group_a,
    )
    html = client.get(detail).content.decode()
    assert "nog geen toestemming" not in html
    assert "toestemming ingetrokken" not in html


def test_withdrawn_consent_shows_the_banner_again(world, as_user):
    given = Consent.objects.create(
        group=world.group_a,
        household=world.household_a,
        recorded_by=world.volunteer_a,
        date=timezone.localdate().replace(day=1),
    )
    client = as_user(world.coordinator_a)
    client.post(
        url("consent_add", pk=world.household_a.pk),
        {
            "consent-status": "withdrawn",
            "consent-date": timezone.localdate().isoformat(),
            "consent-method": "oral",
            "consent-purpose": "Gegevens bijhouden",
            "consent-based_on": str(given.pk),
        },
    )
    html = client.get(url("detail", pk=world.household_a.pk)).content.decode()
    assert "Het gezin heeft zijn toestemming ingetrokken." in html


def test_consent_in_the_future_is_refused(world, as_user):
    response = as_user(world.volunteer_a).post(
        url("consent_add", pk=world.household_a.pk),
        {
            "consent-status": "given",
            "consent-date": "2999-01-01",
            "consent-method": "oral",
            "consent-purpose": "x",
        },
    )
    assert "De datum kan niet in de toekomst liggen." in response.content.decode()
    assert not Consent.objects.exists()


def test_the_access_log_shows_the_groups_reads_and_filters(world, as_user):
    as_user(world.volunteer_a).get(url("detail", pk=world.household_a.pk))
    as_user(world.coordinator_b).get(
        reverse("households:detail", kwargs={"slug": "genk", "pk": world.household_b.pk})
    )
    client = as_user(world.coordinator_a)
    page = client.get(reverse("households:access_log", kwargs={"slug": "brugge"}))
    entries = list(page.context["page_obj"])
    assert [(e.user, e.household, e.action) for e in entries] == [
        (world.volunteer_a, world.household_a, "view")
    ]
    other = client.get(
        reverse("households:access_log", kwargs={"slug": "brugge"}), {"user": world.coordinator_a.pk}
    )
    assert list(other.context["page_obj"]) == []
    by_household = client.get(
        reverse("households:access_log", kwargs={"slug": "brugge"}), {"household": world.household_a.pk}
    )
    assert len(by_household.context["page_obj"]) == 1


def test_the_access_log_filter_does_not_offer_other_groups_households(world, as_user):
    html = (
        as_user(world.coordinator_a)
        .get(reverse("households:access_log", kwargs={"slug": "brugge"}))
        .content.decode()
    )
    assert "Familie Peeters" in html
    assert "Familie Janssens" not in html


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_change_or_delete_log_rows(world):
    entry = AccessLogEntry.objects.create(
        group=world.group_a, household=world.household_a, user=world.volunteer_a, action="view"
    )
    # The app role may only add and read rows (rls/roles.py) …
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(action="change")
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    # … and even the table's owner is stopped by the trigger.
    with roles.migration_role(), rls_scope.command("test"):
        with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
            AccessLogEntry.objects.filter(pk=entry.pk).update(action="change")
        with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
            AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).action == "view"


def test_admin_reads_of_households_are_logged(world, superuser_client):
    superuser_client.get(reverse("admin:households_household_change", args=[world.household_a.pk]))
    superuser_client.get(reverse("admin:households_household_changelist"))
    superuser_client.get(reverse("admin:households_person_change", args=[world.person_a.pk]))
    rows = list(AccessLogEntry.objects.filter(user=world.outsider).values_list("household_id", "action"))
    assert rows.count((world.household_a.pk, "admin_view")) == 3
    assert (world.household_b.pk, "admin_view") in rows  # listed in the change list


def test_nobody_deletes_log_rows_or_households_in_the_admin(world, superuser_client):
    entry = AccessLogEntry.objects.create(
        group=world.group_a, household=world.household_a, user=world.volunteer_a, action="view"
    )
    assert (
        superuser_client.post(reverse("admin:households_accesslogentry_delete", args=[entry.pk])).status_code
        == 403
    )
    assert (
        superuser_client.get(
            reverse("admin:households_household_delete", args=[world.household_a.pk])
        ).status_code
        == 403
    )
    change = superuser_client.get(reverse("admin:households_accesslogentry_change", args=[entry.pk]))
    assert b'type="submit"' not in change.content or b"_save" not in change.content


def test_the_access_log_page_does_a_fixed_number_of_queries(world, as_user, queries_stay_constant):
    client = as_user(world.coordinator_a)
    client.get(reverse("households:detail", kwargs={"slug": "brugge", "pk": world.household_a.pk}))  # one row

    def grow():
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                group=world.group_a, household=world.household_a, user=world.volunteer_a, action="view"
            )
            for _ in range(120)
        )

    queries_stay_constant(client, reverse("households:access_log", kwargs={"slug": "brugge"}), grow)


def test_the_access_log_names_fields_as_people_do(world, as_user):
    AccessLogEntry.objects.create(
        group=world.group_a,
        household=world.household_a,
        user=world.volunteer_a,
        action="change",
        fields=["phone", "display_name"],
    )
    html = (
        as_user(world.coordinator_a)
        .get(reverse("households:access_log", kwargs={"slug": "brugge"}))
        .content.decode()
    )
    assert "telefoon, naam van het gezin" in html
    assert "display_name" not in html


def test_a_forms_labels_and_help_are_in_the_language_it_was_made_in():
    """welzijn.forms.TextsOnce translates a form's labels and help texts when the form is
    made: each form in its own language, whatever was made before it."""
    from django.utils.translation import override

    from households.forms import PersonForm

    with override("en"):
        english = PersonForm(prefix="new")
    with override("nl-be"):
        dutch = PersonForm(prefix="new")
        html = str(dutch)
    assert (english["first_name"].label, english["birth_year"].help_text) == (
        "First name",
        "Only the year, e.g. 1984.",
    )
    assert (dutch["first_name"].label, dutch["birth_year"].help_text) == (
        "Voornaam",
        "Alleen het jaar, bv. 1984.",
    )
    assert "Voornaam" in html and "First name" not in html

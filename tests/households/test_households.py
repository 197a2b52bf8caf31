"""Creating, finding, editing, closing households; bad input; duplicates; lost updates."""

import pytest
from django.urls import reverse
from django.utils import translation

from households.models import AccessLogEntry, Household

VALID = {
    "display_name": "Familie Çelik",
    "street": "Langestraat",
    "house_number": "5",
    "box": "",
    "postcode": "8000",
    "municipality": "Brugge",
    "phone": "0470 12 34 56",
    "email": "celik@example.org",
    "needs": ["housing", "energy"],
    "languages": ["tr", "nl"],
    "referral_source": "ocmw",
}


def url(name, world=None, **kwargs):
    return reverse(f"households:{name}", kwargs={"slug": "brugge", **kwargs})


def create(client, **data):
    return client.post(url("create"), {**VALID, **data})


def test_a_volunteer_creates_a_household(world, as_user):
    response = create(
        as_user(world.volunteer_a), contact_volunteers=[world.volunteer_a.pk, world.coordinator_a.pk]
    )
    household = Household.objects.get(display_name="Familie Çelik")
    assert response.status_code == 302
    assert response["Location"] == household.get_absolute_url()
    assert household.group == world.group_a
    assert household.needs == ["housing", "energy"]
    assert household.created_by == world.volunteer_a
    assert set(household.contacts.values_list("user_id", flat=True)) == {
        world.volunteer_a.pk,
        world.coordinator_a.pk,
    }
    entry = AccessLogEntry.objects.get(household=household)
    assert entry.action == "create" and entry.user == world.volunteer_a and entry.group == world.group_a
    assert "display_name" in entry.fields and "Çelik" not in " ".join(entry.fields)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"display_name": "  "}, "display_name", "Vul de naam van het gezin in"),
        ({"postcode": "800"}, "postcode", "Een Belgische postcode heeft 4 cijfers"),
        ({"postcode": "0800"}, "postcode", "Een Belgische postcode heeft 4 cijfers"),
        ({"postcode": "80000"}, "postcode", "Een Belgische postcode heeft 4 cijfers"),
        ({"phone": "bel me"}, "phone", "Dit is geen geldig telefoonnummer"),
        ({"email": "celik.example.org"}, "email", "Het moet een @ bevatten"),
        ({"needs": ["wonen-en-meer"]}, "needs", "Selecteer een geldige keuze"),
    ],
)
def test_bad_input_is_named_at_the_field_keeps_what_was_typed_and_saves_nothing(
    world, as_user, data, field, message
):
    before = (Household.objects.count(), AccessLogEntry.objects.count())
    response = create(as_user(world.volunteer_a), **data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert message in html
    assert 'value="Langestraat"' in html  # the rest of what was typed is still there
    assert (Household.objects.count(), AccessLogEntry.objects.count()) == before


def test_a_contact_volunteer_of_another_group_posted_by_hand_is_refused(world, as_user):
    response = create(as_user(world.volunteer_a), contact_volunteers=[world.volunteer_b.pk])
    assert response.status_code == 200
    assert "Kies alleen leden van deze groep." in response.content.decode()
    assert not Household.objects.filter(display_name="Familie Çelik").exists()


def test_other_groups_members_are_not_offered_as_contact(world, as_user):
    html = as_user(world.volunteer_a).get(url("create")).content.decode()
    assert "Arne Vrijwilliger" in html
    assert "Bram Vrijwilliger" not in html and "Bea Coördinator" not in html


def test_a_similar_name_asks_whether_the_household_exists_already(world, as_user):
    client = as_user(world.volunteer_a)
    response = create(client, display_name="Familie Peters", street="", house_number="", postcode="")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bestaat dit gezin al?" in html
    assert url("detail", pk=world.household_a.pk) in html
    assert not Household.objects.filter(display_name="Familie Peters").exists()
    response = create(
        client, display_name="Familie Peters", street="", house_number="", postcode="", confirm_new="on"
    )
    assert response.status_code == 302
    assert Household.objects.filter(display_name="Familie Peters").exists()


def test_the_same_address_asks_too(world, as_user):
    response = create(
        as_user(world.volunteer_a),
        display_name="Gezin Wouters",
        street="kerkstraat",
        house_number="12",
        postcode="8000",
    )
    assert "Bestaat dit gezin al?" in response.content.decode()


def test_a_different_family_goes_through_without_a_warning(world, as_user):
    assert create(as_user(world.volunteer_a)).status_code == 302


def test_households_of_another_group_are_never_offered_as_duplicates(world, as_user):
    response = create(as_user(world.volunteer_a), display_name="Familie Janssens", postcode="3600")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("celik", "Familie Çelik"),
        ("ÇELIK", "Familie Çelik"),
        ("van de walle", "Familie Vandewalle"),
        ("Vandewalle", "Familie Van de Walle"),
        ("Peters", "Familie Peeters"),
    ],
)
def test_search_forgives_accents_spaces_and_spelling(world, as_user, query, expected):
    for name in ["Familie Çelik", "Familie Vandewalle", "Familie Van de Walle", "Familie Maes"]:
        Household.objects.create(group=world.group_a, display_name=name)
    Household.objects.create(group=world.group_b, display_name=expected)  # never shown to group A
    response = as_user(world.volunteer_a).get(url("list"), {"q": query})
    names = [h.display_name for h in response.context["page_obj"]]
    assert expected in names
    assert "Familie Maes" not in names
    assert all(h.group_id == world.group_a.pk for h in response.context["page_obj"])


@pytest.mark.parametrize(
    "query",
    [
        "mieke",
        "Miéke",
        "kerkstr",
        "Kerkstraat",
        "8000",
        "0470 12 34 56",
        "+32 470 123456",
        "0032470/12.34.56",
    ],
)
def test_search_finds_a_first_name_the_street_the_postcode_and_the_phone(world, as_user, query):
    world.household_a.phone = "0470 12 34 56"
    world.household_a.save(update_fields=["phone"])
    # Group B has a Mieke in the same street with the same number: never shown to group A.
    world.household_b.street, world.household_b.phone = "Kerkstraat", "0470123456"
    world.household_b.save(update_fields=["street", "phone"])
    world.household_b.persons.create(group=world.group_b, first_name="Mieke")
    Household.objects.create(
        group=world.group_a, display_name="Familie Maes", street="Markt", postcode="8310"
    )
    response = as_user(world.volunteer_a).get(url("list"), {"q": query})
    assert [h.display_name for h in response.context["page_obj"]] == ["Familie Peeters"]


def test_the_search_does_a_fixed_number_of_queries(world, as_user, queries_stay_constant):
    def grow():
        for i in range(5):
            household = Household.objects.create(
                group=world.group_a, display_name=f"Familie {i}", street="Kerkstraat"
            )
            household.persons.create(group=world.group_a, first_name="Mieke")

    queries_stay_constant(as_user(world.volunteer_a), url("list"), grow, {"q": "mieke"})


def test_filters_by_status_need_and_contact(world, as_user):
    closed = Household.objects.create(group=world.group_a, display_name="Familie Gesloten", status="closed")
    paused = Household.objects.create(
        group=world.group_a, display_name="Familie Pauze", status="paused", needs=["food"]
    )
    client = as_user(world.volunteer_a)

    def names(**params):
        return {h.display_name for h in client.get(url("list"), params).context["page_obj"]}

    assert names() == {"Familie Peeters", paused.display_name}
    assert names(status="closed") == {closed.display_name}
    assert names(status="all") == {"Familie Peeters", paused.display_name, closed.display_name}
    assert names(need="food") == {paused.display_name}
    assert names(need="housing") == {"Familie Peeters"}
    assert names(contact=world.volunteer_a.pk) == {"Familie Peeters"}


def test_a_contact_filter_with_another_groups_member_is_an_error_not_a_leak(world, as_user):
    response = as_user(world.volunteer_a).get(url("list"), {"contact": world.volunteer_b.pk})
    assert response.status_code == 200
    assert "Familie Janssens" not in response.content.decode()


def test_the_detail_page_shows_the_family_and_logs_the_read(world, as_user):
    response = as_user(world.volunteer_a).get(url("detail", pk=world.household_a.pk))
    html = response.content.decode()
    assert "Familie Peeters" in html and "Mieke" in html and "Kerkstraat 12" in html
    assert "Er is nog geen toestemming van het gezin geregistreerd." in html
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.user, entry.household) == ("view", world.volunteer_a, world.household_a)


def test_the_print_version_is_logged_as_a_print(world, as_user):
    response = as_user(world.volunteer_a).get(url("print", pk=world.household_a.pk))
    assert "Mieke" in response.content.decode()
    assert AccessLogEntry.objects.get().action == "print"


def test_an_edit_saves_only_what_changed_and_logs_the_field_names(world, as_user):
    client = as_user(world.volunteer_a)
    form = client.get(url("edit", pk=world.household_a.pk)).context["form"]
    data = _form_data(form)
    data["phone"] = "050 12 34 56"
    response = client.post(url("edit", pk=world.household_a.pk), data)
    assert response.status_code == 302
    world.household_a.refresh_from_db()
    assert world.household_a.phone == "050 12 34 56"
    assert world.household_a.version == 2
    change = AccessLogEntry.objects.get(action="change")
    assert change.fields == ["phone"]


def _form_data(form) -> dict:
    """What a browser would post for this unbound form, hidden initial values included."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, list | tuple):
            value = [str(v) for v in value]
        elif value is None:
            value = ""
        data[name] = value
        if field.show_hidden_initial:
            data[form.add_initial_prefix(name)] = value
    return data


def test_two_people_editing_at_once_do_not_overwrite_each_other(world, as_user):
    anna, arne = as_user(world.coordinator_a), as_user(world.volunteer_a)
    anna_data = _form_data(anna.get(url("edit", pk=world.household_a.pk)).context["form"])
    arne_data = _form_data(arne.get(url("edit", pk=world.household_a.pk)).context["form"])

    anna_data["phone"] = "0470 11 11 11"
    assert anna.post(url("edit", pk=world.household_a.pk), anna_data).status_code == 302

    arne_data["phone"] = "0470 22 22 22"
    arne_data["municipality"] = "Sint-Andries"
    response = arne.post(url("edit", pk=world.household_a.pk), arne_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft dit gezin intussen gewijzigd" in html
    assert "0470 11 11 11" in html  # what Anna saved is shown …
    assert 'value="0470 22 22 22"' in html and 'value="Sint-Andries"' in html  # … and Arne's typing kept
    world.household_a.refresh_from_db()
    assert world.household_a.phone == "0470 11 11 11"
    assert world.household_a.municipality == "Brugge"

    # Arne looked at it and saves again, deliberately: now it goes through.
    rebased = response.context["form"]
    assert 'name="initial-phone" value="0470 11 11 11"' in html  # the page now builds on Anna's save
    again = dict(rebased.data.lists())
    assert arne.post(url("edit", pk=world.household_a.pk), again).status_code == 302
    world.household_a.refresh_from_db()
    assert (world.household_a.phone, world.household_a.municipality) == ("0470 22 22 22", "Sint-Andries")


def test_a_field_only_the_other_person_changed_is_not_undone_by_saving_again(world, as_user):
    anna, arne = as_user(world.coordinator_a), as_user(world.volunteer_a)
    anna_data = _form_data(anna.get(url("edit", pk=world.household_a.pk)).context["form"])
    arne_data = _form_data(arne.get(url("edit", pk=world.household_a.pk)).context["form"])
    anna_data["phone"] = "0470 11 11 11"
    anna_data["needs"] = ["food"]
    anna.post(url("edit", pk=world.household_a.pk), anna_data)

    arne_data["municipality"] = "Sint-Andries"
    conflict = arne.post(url("edit", pk=world.household_a.pk), arne_data)
    assert conflict.status_code == 200
    again = dict(conflict.context["form"].data.lists())
    assert arne.post(url("edit", pk=world.household_a.pk), again).status_code == 302
    world.household_a.refresh_from_db()
    assert world.household_a.phone == "0470 11 11 11"
    assert world.household_a.needs == ["food"]
    assert world.household_a.municipality == "Sint-Andries"


def test_a_coordinator_closes_and_reopens(world, as_user):
    client = as_user(world.coordinator_a)
    response = client.post(
        url("close", pk=world.household_a.pk), {"closed_on": "2026-03-01", "close_reason": "moved"}
    )
    assert response.status_code == 302
    world.household_a.refresh_from_db()
    assert world.household_a.status == "closed" and world.household_a.close_reason == "moved"
    client.post(url("reopen", pk=world.household_a.pk))
    world.household_a.refresh_from_db()
    assert world.household_a.status == "active" and world.household_a.closed_on is None
    assert list(AccessLogEntry.objects.order_by("at", "pk").values_list("action", flat=True)) == [
        "close",
        "reopen",
    ]


def test_closing_needs_a_reason_and_no_future_date(world, as_user):
    response = as_user(world.coordinator_a).post(
        url("close", pk=world.household_a.pk), {"closed_on": "2999-01-01"}
    )
    errors = response.context["form"].errors
    assert "Kies een reden." in errors["close_reason"]
    assert "De datum kan niet in de toekomst liggen." in errors["closed_on"]
    world.household_a.refresh_from_db()
    assert world.household_a.status == "active"


def test_volunteers_see_no_close_button(world, as_user):
    html = as_user(world.volunteer_a).get(url("detail", pk=world.household_a.pk)).content.decode()
    assert url("close", pk=world.household_a.pk) not in html


@pytest.mark.parametrize("url_name", ["list", "detail"])
def test_pages_do_a_fixed_number_of_queries_whatever_the_data_size(
    world, as_user, queries_stay_constant, url_name
):
    from households.models import Consent, HouseholdContact, Person

    client = as_user(world.volunteer_a)
    target = url(url_name, pk=world.household_a.pk) if url_name == "detail" else url(url_name)

    def grow():
        for i in range(30):
            household = Household.objects.create(
                group=world.group_a, display_name=f"Familie Extra {i}", needs=["food"]
            )
            HouseholdContact.objects.create(
                group=world.group_a, household=household, user=world.coordinator_a
            )
            Consent.objects.create(group=world.group_a, household=household, recorded_by=world.volunteer_a)
        for i in range(10):
            Person.objects.create(
                group=world.group_a, household=world.household_a, first_name=f"Kind {i}", birth_year=2010
            )
            Consent.objects.create(
                group=world.group_a, household=world.household_a, recorded_by=world.volunteer_a
            )

    queries_stay_constant(client, target, grow)


def test_a_short_lists_page_with_its_count_in_one_query_is_the_paginators_page(world):
    """households.selectors.page_of_short_list (the household page's visits and activities)
    gives what Paginator.get_page gives, for every kind of page number and list length, in one
    query for a page that exists."""
    from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from households.selectors import page_of_short_list
    from visits.models import Visit

    household = world.household_a
    huge: list[int | float | str | None] = ["100000000000000000000", "9223372036854775807", "1e20", 1e20]
    numbers = [None, "", "1", "2", "3", "4", "0", "-1", "abc", "2.0", 2.0, 2.5, 2, 99, float("inf"), *huge]
    for length in (1, 3, 4, 8):
        existing = Visit.objects.filter(household=household).count()
        Visit.objects.bulk_create(
            Visit(group=household.group, household=household, author=world.volunteer_a, summary=str(i))
            for i in range(length - existing)
        )
        visits = Visit.objects.filter(household=household).order_by("-date", "-created_at", "-pk")
        for number in numbers:
            expected = Paginator(visits, 3).get_page(number)
            try:
                Paginator(visits, 3).validate_number("" if number is None else number)
                a_page = True
            except PageNotAnInteger:
                a_page = True  # the first page
            except EmptyPage:
                a_page = False
            with CaptureQueriesContext(connection) as queries:
                page = page_of_short_list(visits, 3, number)
                shown = [visit.pk for visit in page]
            assert shown == [visit.pk for visit in expected], (length, number)
            assert (page.number, page.paginator.count, page.paginator.num_pages) == (
                expected.number,
                expected.paginator.count,
                expected.paginator.num_pages,
            ), (length, number)
            if a_page:
                assert len(queries) == 1, (length, number)


def test_names_in_other_scripts_are_found_and_punctuation_alone_finds_nothing_special(world, as_user):
    Household.objects.create(group=world.group_a, display_name="عائلة مريم")
    client = as_user(world.volunteer_a)
    found = [h.display_name for h in client.get(url("list"), {"q": "مريم"}).context["page_obj"]]
    assert found == ["عائلة مريم"]
    everything = client.get(url("list")).context["page_obj"].paginator.count
    assert client.get(url("list"), {"q": "--"}).context["page_obj"].paginator.count == everything


def test_the_admin_only_shows_households(world, superuser_client):
    client = superuser_client
    change_url = reverse("admin:households_household_change", args=[world.household_a.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and "Familie Peeters" in page.content.decode()
    client.post(change_url, {"display_name": "Overschreven"})
    world.household_a.refresh_from_db()
    assert world.household_a.display_name == "Familie Peeters"
    assert client.get(reverse("admin:households_person_add")).status_code == 403


def test_a_volunteer_pauses_and_resumes_through_the_edit_form_but_cannot_close_there(world, as_user):
    client = as_user(world.volunteer_a)
    data = _form_data(client.get(url("edit", pk=world.household_a.pk)).context["form"])
    data["status"] = "paused"
    assert client.post(url("edit", pk=world.household_a.pk), data).status_code == 302
    world.household_a.refresh_from_db()
    assert world.household_a.status == "paused"
    data = _form_data(client.get(url("edit", pk=world.household_a.pk)).context["form"])
    data["status"] = "closed"
    response = client.post(url("edit", pk=world.household_a.pk), data)
    assert response.status_code == 200
    world.household_a.refresh_from_db()
    assert world.household_a.status == "paused"


def test_filters_for_no_recent_contact_and_no_active_contact_person(world, as_user):
    from datetime import timedelta

    from django.utils import timezone

    from groups.models import Membership
    from tests.helpers import make_visit

    visited = Household.objects.create(group=world.group_a, display_name="Familie Recent")
    make_visit(visited, world.volunteer_a, date=timezone.localdate() - timedelta(days=3))
    long_ago = Household.objects.create(group=world.group_a, display_name="Familie Lang Geleden")
    make_visit(long_ago, world.volunteer_a, date=timezone.localdate() - timedelta(weeks=10))
    client = as_user(world.volunteer_a)

    def names(**params):
        return {h.display_name for h in client.get(url("list"), params).context["page_obj"]}

    # household_a has only world.visit_a, made today: it has had contact.
    assert names(no_contact_weeks=6) == {"Familie Lang Geleden"}
    assert names(no_contact_weeks=12) == set()
    assert names(without_contact="on") == {"Familie Recent", "Familie Lang Geleden"}
    Membership.objects.filter(user=world.volunteer_a, group=world.group_a).update(is_active=False)
    client = as_user(world.coordinator_a)
    assert "Familie Peeters" in {
        h.display_name for h in client.get(url("list"), {"without_contact": "on"}).context["page_obj"]
    }


def test_a_conflict_on_the_contact_persons_is_shown_not_a_crash(world, as_user):
    anna, arne = as_user(world.coordinator_a), as_user(world.volunteer_a)
    anna_data = _form_data(anna.get(url("edit", pk=world.household_a.pk)).context["form"])
    arne_data = _form_data(arne.get(url("edit", pk=world.household_a.pk)).context["form"])
    anna_data["contact_volunteers"] = [str(world.coordinator_a.pk)]
    assert anna.post(url("edit", pk=world.household_a.pk), anna_data).status_code == 302
    arne_data["phone"] = "0470 99 99 99"
    response = arne.post(url("edit", pk=world.household_a.pk), arne_data)
    assert response.status_code == 200
    assert "Anna Coördinator" in response.content.decode()
    assert (
        AccessLogEntry.objects.filter(user=world.volunteer_a, action="view").count() == 2
    )  # form + conflict


def test_the_admin_has_no_side_doors_to_family_names(world, superuser_client):
    client = superuser_client
    search = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "visits", "model_name": "visit", "field_name": "household", "term": "Peeters"},
    )
    assert "Peeters" not in search.content.decode()
    history = client.get(reverse("admin:households_household_history", args=[world.household_a.pk]))
    assert history.status_code == 403
    AccessLogEntry.objects.create(
        group=world.group_a, household=world.household_a, user=world.volunteer_a, action="view"
    )
    log_list = client.get(reverse("admin:households_accesslogentry_changelist")).content.decode()
    assert "Familie Peeters" not in log_list


def test_choice_labels_of_an_array_keep_its_order_leave_out_old_values_and_follow_the_language():
    household = Household(needs=["work", "no_longer_a_choice", "housing"])
    assert household.get_needs_display() == ["werk", "wonen"]
    with translation.override("en"):
        assert household.get_needs_display() == ["work", "housing"]


def test_a_hand_made_page_number_gives_a_page_not_an_error(world, as_user):
    client = as_user(world.volunteer_a)
    detail = reverse("households:detail", kwargs={"slug": "brugge", "pk": world.household_a.pk})
    for number in ("100000000000000000000", "9223372036854775807", "1e20", "-5", "abc"):
        for name in ("visits_page", "activities_page"):
            assert client.get(detail, {name: number}).status_code == 200, (name, number)

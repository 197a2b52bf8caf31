"""The group's board (kerngroep): who of the families sits on it, from when to when (#15 item 7,
decree criterion 3 "people who took a role … in the group's board")."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from activities.models import BoardSeat
from activities.selectors import activity_figures
from households.models import AccessLogEntry, Household, Person
from privacy.anonymisation import erase_household
from privacy.subject_access import collect


def _url(name, **kwargs):
    return reverse(f"activities:{name}", kwargs={"slug": "brugge", **kwargs})


def _seat(world, person=None, start="2025-01-01", end=None):
    person = person or world.person_a
    return BoardSeat.objects.create(
        group=world.group_a,
        person=person,
        household_id=person.household_id,
        started_on=start,
        ended_on=end,
        created_by=world.coordinator_a,
    )


def _add(client, world, **data):
    page = client.get(_url("board"))
    submission_id = page.context["form"]["submission_id"].value()
    body = {"person": world.person_a.pk, "started_on": "2025-09-01", "submission_id": submission_id} | data
    return client.post(_url("board_add"), body)


def test_a_coordinator_adds_a_seat_it_is_logged_and_sent_twice_saved_once(world, as_user):
    client = as_user(world.coordinator_a)
    page = client.get(_url("board"))
    submission_id = page.context["form"]["submission_id"].value()
    body = {"person": world.person_a.pk, "started_on": "2025-09-01", "submission_id": submission_id}
    assert client.post(_url("board_add"), body).status_code == 302
    # The same form again (a double tap; the receipt is bypassed by another field order).
    assert client.post(_url("board_add"), {**body, "ended_on": ""}).status_code == 302
    seat = BoardSeat.objects.get()
    assert (seat.person, seat.household, seat.started_on, seat.ended_on) == (
        world.person_a,
        world.household_a,
        dt.date(2025, 9, 1),
        None,
    )
    change = AccessLogEntry.objects.get(action="change", fields__contains=["board"])
    assert change.household == world.household_a and change.fields == ["board", f"seat:{seat.pk}", "added"]
    assert change.person_id == world.person_a.pk


def test_bad_input_gets_a_dutch_message_at_the_field_and_saves_nothing(world, as_user):
    client = as_user(world.coordinator_a)
    before = _add(client, world, started_on="2025-09-01", ended_on="2025-08-01")
    assert before.status_code == 200
    assert "Het einde kan niet voor het begin liggen (01/09/2025)." in str(
        before.context["form"].errors["ended_on"]
    )
    person_b = world.household_b.persons.get()
    other_group = _add(client, world, person=person_b.pk)
    assert other_group.context["form"].errors["person"] == ["Kies een gezinslid van deze groep."]
    missing = _add(client, world, started_on="")
    assert missing.context["form"].errors["started_on"] == ["Kies sinds wanneer."]
    assert not BoardSeat.objects.exists()
    # A second seat for someone who is on the board already, on a day of the same period.
    _seat(world, start="2025-01-01")
    overlap = _add(client, world, started_on="2025-06-01")
    assert overlap.context["form"].errors["started_on"] == ["Mieke zit in die periode al in de kerngroep."]
    assert BoardSeat.objects.count() == 1
    assert not AccessLogEntry.objects.filter(action="change", fields__contains=["board"]).exists()


def test_ending_a_seat_once_is_logged_twice_changes_nothing_and_before_the_start_is_refused(world, as_user):
    seat = _seat(world, start="2025-01-01")
    client = as_user(world.coordinator_a)
    refused = client.post(_url("board_end", pk=seat.pk), {"ended_on": "2024-12-31"}, follow=True)
    assert "Het einde kan niet voor het begin liggen (01/01/2025)." in refused.content.decode()
    seat.refresh_from_db()
    assert seat.ended_on is None
    assert client.post(_url("board_end", pk=seat.pk), {"ended_on": "2025-12-31"}).status_code == 302
    again = client.post(_url("board_end", pk=seat.pk), {"ended_on": "2026-03-31"}, follow=True)
    assert "was al beëindigd" in again.content.decode()
    seat.refresh_from_db()
    assert (seat.ended_on, seat.ended_by) == (dt.date(2025, 12, 31), world.coordinator_a)
    ended = AccessLogEntry.objects.filter(action="change", fields__contains=["board", "ended"])
    assert list(ended.values_list("household_id", flat=True)) == [world.household_a.pk]


def test_volunteers_see_the_board_without_the_forms_and_each_family_shown_is_logged(world, as_user):
    _seat(world)
    page = as_user(world.volunteer_a).get(_url("board"))
    body = page.content.decode()
    assert page.status_code == 200 and "Mieke" in body and "Familie Peeters" in body
    assert page.context["form"] is None and 'name="ended_on"' not in body
    reads = AccessLogEntry.objects.filter(action="view", fields=["board"], user=world.volunteer_a)
    assert list(reads.values_list("household_id", flat=True)) == [world.household_a.pk]
    # Another group's board is not there, and their seats are not shown here.
    person_b = world.household_b.persons.get()
    BoardSeat.objects.create(
        group=world.group_b,
        person=person_b,
        household=world.household_b,
        started_on="2025-01-01",
        created_by=world.coordinator_b,
    )
    assert "Jos" not in as_user(world.coordinator_a).get(_url("board")).content.decode()


def test_the_board_page_does_a_fixed_number_of_queries(world, as_user, queries_stay_constant):
    _seat(world)

    def grow():
        for i in range(30):
            household = Household.objects.create(group=world.group_a, display_name=f"Familie {i}")
            person = Person.objects.create(group=world.group_a, household=household, first_name=f"P{i}")
            _seat(world, person=person, start="2024-01-01", end="2024-12-31" if i % 2 else None)

    queries_stay_constant(as_user(world.coordinator_a), _url("board"), grow)


def _figures(world, start, end):
    return activity_figures(
        activities=world.group_a.activities.all(),
        attendances=world.activity_a.attendances.all(),
        visits=world.group_a.visits.none(),
        households=world.group_a.households.none(),
        signals=world.group_a.signals.none(),
        board_seats=world.group_a.board_seats.all(),
        start=start,
        end=end,
    ).values


def test_a_seat_counts_as_a_role_in_every_period_it_overlaps_each_person_once(world):
    maes = Household.objects.create(group=world.group_a, display_name="Familie Maes")
    anna = Person.objects.create(group=world.group_a, household=maes, first_name="Anna")
    _seat(world, person=anna, start="2024-06-01", end="2025-02-28")
    _seat(world, person=anna, start="2025-09-01")  # back on the board: still one person
    year = lambda y: (dt.date(y, 1, 1), dt.date(y, 12, 31))  # noqa: E731
    assert [_figures(world, *year(y))["board_members"] for y in (2023, 2024, 2025, 2026)] == [0, 1, 1, 1]
    assert _figures(world, dt.date(2025, 3, 1), dt.date(2025, 8, 31))["took_a_role"] == 0
    # Mieke helped organise the fixture's activity and sits on the board too: counted once.
    day = world.activity_a.starts_at.date()
    world.activity_a.attendances.update(helped_organise=True)
    _seat(world, start=day.isoformat())
    figures = _figures(world, day, day)
    assert (figures["took_a_role"], figures["board_members"], figures["co_organisers"]) == (2, 2, 1)


def test_the_familys_copy_lists_its_seats_and_erasure_removes_them(world, as_user):
    seat = _seat(world, start="2025-01-01", end="2025-12-31")
    copy = collect(world.household_a)
    assert copy["board_seats"] == [seat]
    text = as_user(world.coordinator_a).get(
        reverse("privacy:copy_download", kwargs={"slug": "brugge", "pk": world.household_a.pk})
    )
    assert "van 1 januari 2025 tot en met 31 december 2025" in text.content.decode()
    world.household_a.follow_ups.update(done_at=world.visit_a.created_at)
    erase_household(
        household=world.household_a,
        author=world.coordinator_a,
        confirm_name="Familie Peeters",
        reason="family_request",
    )
    assert not BoardSeat.objects.exists()


def test_the_household_page_says_who_sits_on_the_board_today_not_who_left(world, as_user):
    """The family's page shows a current seat by its person; an ended or a future seat is not
    shown, and the page makes no query more for it (the seat comes with the persons)."""
    other = Person.objects.create(group=world.group_a, household=world.household_a, first_name="Rik")
    _seat(world, start="2024-03-01")
    _seat(world, person=other, start="2023-01-01", end="2024-01-01")
    page = reverse("households:detail", kwargs={"slug": "brugge", "pk": world.household_a.pk})
    html = as_user(world.volunteer_a).get(page).content.decode()
    assert html.count("in de kerngroep sinds") == 1
    assert "in de kerngroep sinds 1 maart 2024" in html
    later = timezone.localdate() + dt.timedelta(days=3)
    BoardSeat.objects.filter(person=world.person_a).update(started_on=later)
    html = as_user(world.volunteer_a).get(page).content.decode()
    assert "in de kerngroep sinds" not in html


def test_the_add_form_offers_only_the_persons_of_the_families_a_search_finds(world, as_user):
    """A big group's list stays short: `?q=` narrows the persons offered to the households the
    household search finds (a first name finds its family); without it every open household's."""
    other = Household.objects.create(group=world.group_a, display_name="Familie Wouters")
    Person.objects.create(group=world.group_a, household=other, first_name="Rik")
    client = as_user(world.coordinator_a)
    everyone = client.get(_url("board")).context["form"].fields["person"].queryset
    assert {person.first_name for person in everyone} >= {"Mieke", "Rik"}
    found = client.get(_url("board"), {"q": "wouters"})
    assert [person.first_name for person in found.context["form"].fields["person"].queryset] == ["Rik"]
    assert 'value="wouters"' in found.content.decode()
    by_first_name = client.get(_url("board"), {"q": "mieke"}).context["form"].fields["person"].queryset
    assert "Rik" not in {person.first_name for person in by_first_name}
    assert "Mieke" in {person.first_name for person in by_first_name}

"""Mijn actiepunten, the group's follow-ups and signals, and the group visit list."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browserless import form_data
from tests.helpers import make_visit
from visits.models import FollowUp, Signal


def url(name, **kwargs):
    return reverse(f"visits:{name}", kwargs={"slug": "brugge", **kwargs})


def follow_up(world, description, due_in_days, assignee=None, **extra):
    return FollowUp.objects.create(
        group=world.group_a,
        household=world.household_a,
        description=description,
        due_date=timezone.localdate() + timedelta(days=due_in_days),
        assignee=assignee or world.volunteer_a,
        created_by=world.coordinator_a,
        **extra,
    )


def test_my_follow_ups_are_open_ones_overdue_first(world, as_user):
    FollowUp.objects.all().delete()
    later = follow_up(world, "Later", 10)
    overdue = follow_up(world, "Te laat", -3)
    follow_up(world, "Al gedaan", -1, done_at=timezone.now())
    follow_up(world, "Van iemand anders", 1, assignee=world.coordinator_a)
    response = as_user(world.volunteer_a).get(url("follow_up_mine"))
    assert list(response.context["page_obj"]) == [overdue, later]
    assert "te laat" in response.content.decode()


def test_marking_a_follow_up_done_is_one_tap_and_can_be_undone(world, as_user):
    client = as_user(world.volunteer_a)
    response = client.post(
        url("follow_up_done", pk=world.follow_up_a.pk), {"done": "1", "next": url("follow_up_mine")}
    )
    assert response["Location"] == url("follow_up_mine")
    world.follow_up_a.refresh_from_db()
    assert world.follow_up_a.done_by == world.volunteer_a and world.follow_up_a.done_at is not None
    client.post(url("follow_up_done", pk=world.follow_up_a.pk), {"done": "0"})
    world.follow_up_a.refresh_from_db()
    assert world.follow_up_a.done_at is None


def test_an_outside_next_url_is_ignored(world, as_user):
    response = as_user(world.volunteer_a).post(
        url("follow_up_done", pk=world.follow_up_a.pk), {"next": "https://evil.example.org/"}
    )
    assert response["Location"] == url("follow_up_mine")


def test_the_group_list_filters_for_coordinators(world, as_user):
    done = follow_up(world, "Afgerond", -5, done_at=timezone.now())
    overdue = follow_up(world, "Vergeten", -2, assignee=world.coordinator_a)
    client = as_user(world.coordinator_a)

    def shown(**params):
        return set(client.get(url("follow_up_list"), params).context["page_obj"])

    assert done not in shown() and overdue in shown()
    assert shown(state="done") == {done}
    assert overdue in shown(state="overdue") and world.follow_up_a in shown(state="overdue")
    assert shown(assignee=world.coordinator_a.pk) == {overdue}


def test_a_follow_up_is_added_later_from_the_household(world, as_user):
    client = as_user(world.volunteer_a)
    page = client.get(url("follow_up_add", pk=world.household_a.pk))
    assert page.context["form"]["assignee"].value() == world.volunteer_a.pk
    response = client.post(
        url("follow_up_add", pk=world.household_a.pk),
        {"description": "Huisarts bellen", "due_date": "2026-12-24", "assignee": world.coordinator_a.pk},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get(description="Huisarts bellen").group == world.group_a


def test_a_follow_up_needs_a_due_date(world, as_user):
    response = as_user(world.volunteer_a).post(
        url("follow_up_add", pk=world.household_a.pk),
        {"description": "Bellen", "assignee": world.volunteer_a.pk},
    )
    assert "Kies tegen wanneer het moet gebeuren." in response.content.decode()
    assert not FollowUp.objects.filter(description="Bellen").exists()


def test_a_signal_is_added_and_raised(world, as_user):
    client = as_user(world.volunteer_a)
    response = client.post(
        url("signal_add", pk=world.household_a.pk),
        {
            "institution": "utility",
            "theme": "energy",
            "description": "Budgetmeter zonder uitleg geplaatst.",
            "status": "open",
            "noticed_on": "2026-11-02",
        },
    )
    assert response.status_code == 302
    signal = Signal.objects.get(institution="utility")
    data = form_data(client, url("signal_edit", pk=signal.pk))
    data["status"] = "raised"
    response = client.post(url("signal_edit", pk=signal.pk), data)
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == "raised" and signal.raised_on == timezone.localdate()


def test_signals_are_filtered(world, as_user):
    resolved = Signal.objects.create(
        group=world.group_a,
        household=world.household_a,
        institution="school",
        theme="education",
        description="Opgelost",
        status="resolved",
        created_by=world.volunteer_a,
    )
    client = as_user(world.volunteer_a)

    def shown(**params):
        return set(client.get(url("signal_list"), params).context["page_obj"])

    assert shown() == {world.signal_a, resolved}
    assert shown(status="resolved") == {resolved}
    assert shown(institution="ocmw") == {world.signal_a}
    assert shown(theme="education") == {resolved}


def test_the_group_visit_list_filters_by_period_volunteer_kind_and_topic(world, as_user):
    today = timezone.localdate()
    old_call = make_visit(
        world.household_a,
        world.coordinator_a,
        date=today - timedelta(days=40),
        kind="phone",
        topics=["health"],
    )
    client = as_user(world.volunteer_a)

    def shown(**params):
        return set(client.get(url("list"), params).context["page_obj"])

    assert shown() == {world.visit_a, old_call}
    assert shown(date_from=(today - timedelta(days=7)).isoformat()) == {world.visit_a}
    assert shown(date_to=(today - timedelta(days=7)).isoformat()) == {old_call}
    assert shown(volunteer=world.coordinator_a.pk) == {old_call}
    assert shown(kind="phone") == {old_call}
    assert shown(topic="health") == {old_call}


def test_a_period_that_ends_before_it_starts_is_explained(world, as_user):
    response = as_user(world.volunteer_a).get(
        url("list"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert response.status_code == 200
    assert "Het einde ligt vóór het begin." in response.content.decode()
    assert list(response.context["page_obj"]) == []


@pytest.mark.parametrize("name", ["list", "follow_up_mine", "follow_up_list", "signal_list"])
def test_lists_do_a_fixed_number_of_queries(world, as_user, queries_stay_constant, name):
    client = as_user(world.coordinator_a)
    world.follow_up_a.assignee = world.coordinator_a
    world.follow_up_a.save()

    def grow():
        for _ in range(30):
            visit = make_visit(world.household_a, world.volunteer_a, world.coordinator_a, topics=["food"])
            follow_up(world, "x", 3, assignee=world.coordinator_a, visit=visit)
            Signal.objects.create(
                group=world.group_a,
                household=world.household_a,
                institution="school",
                theme="education",
                description="y",
                created_by=world.volunteer_a,
            )

    queries_stay_constant(client, url(name), grow)


def test_done_follow_ups_show_who_and_when_in_a_fixed_number_of_queries(
    world, as_user, queries_stay_constant
):
    client = as_user(world.coordinator_a)
    follow_up(world, "Afgewerkt", -1, done_at=timezone.now(), done_by=world.coordinator_a)
    html = client.get(url("follow_up_list"), {"state": "all"}).content.decode()
    assert "gedaan door Anna Coördinator" in html

    def grow():
        for i in range(20):
            follow_up(world, f"Klaar {i}", -1, done_at=timezone.now(), done_by=world.volunteer_a)

    queries_stay_constant(client, url("follow_up_list"), grow, {"state": "all"})


def test_a_next_that_is_not_a_path_falls_back_to_my_follow_ups(world, as_user):
    response = as_user(world.volunteer_a).post(
        url("follow_up_done", pk=world.follow_up_a.pk), {"next": "home"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("follow_up_mine")

"""History keeps the people who left: every place that offers, validates or links members.

A member who leaves (membership deactivated, or account switched off) stays valid wherever an
existing record refers to them; an edit never drops what the user did not touch, and the log
names only what the user changed. New records offer active members only."""

from django.urls import reverse

from groups.models import Membership
from households.models import AccessLogEntry
from tests.browserless import form_data
from tests.helpers import make_visit
from visits.models import FollowUp

FORMER = "(geen lid meer)"


def _g(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"slug": "brugge", **kwargs})


def _leave(world, user) -> None:
    Membership.objects.filter(user=user, group=world.group_a).update(is_active=False)


def _contacts(household) -> set[int]:
    return set(household.contacts.values_list("user_id", flat=True))


def test_editing_a_household_keeps_a_contact_person_who_left(world, as_user):
    """The issue's example: Jan (here Arne) left; Bart (Anna) changes only the street."""
    _leave(world, world.volunteer_a)
    client = as_user(world.coordinator_a)
    url = _g("households:edit", pk=world.household_a.pk)
    page = client.get(url).content.decode()
    assert f"Arne Vrijwilliger {FORMER}" in page
    assert client.post(url, {**form_data(client, url), "street": "Markt"}).status_code == 302
    assert _contacts(world.household_a) == {world.volunteer_a.pk}
    assert AccessLogEntry.objects.filter(action="change").get().fields == ["street"]
    Membership.objects.filter(user=world.volunteer_a, group=world.group_a).update(is_active=True)
    assert _contacts(world.household_a) == {world.volunteer_a.pk}


def test_a_contact_person_who_left_can_be_removed_on_purpose(world, as_user):
    _leave(world, world.volunteer_a)
    client = as_user(world.coordinator_a)
    url = _g("households:edit", pk=world.household_a.pk)
    data = form_data(client, url)
    data.pop("contact_volunteers")
    assert client.post(url, data).status_code == 302
    assert _contacts(world.household_a) == set()
    assert AccessLogEntry.objects.filter(action="change").get().fields == ["contact_volunteers"]


def test_a_member_who_left_cannot_be_added_as_a_new_contact_person(world, as_user):
    _leave(world, world.volunteer_a_and_a2)
    client = as_user(world.coordinator_a)
    url = _g("households:edit", pk=world.household_a.pk)
    data = {
        **form_data(client, url),
        "contact_volunteers": [str(world.volunteer_a.pk), str(world.volunteer_a_and_a2.pk)],
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Kies alleen leden van deze groep." in response.content.decode()
    assert "Tine Tweegroepen" not in client.get(_g("households:create")).content.decode()


def test_a_switched_off_account_counts_as_gone(world, as_user):
    world.volunteer_a.is_active = False
    world.volunteer_a.save()
    client = as_user(world.coordinator_a)
    url = _g("households:edit", pk=world.household_a.pk)
    assert f"Arne Vrijwilliger {FORMER}" in client.get(url).content.decode()
    assert client.post(url, {**form_data(client, url), "street": "Markt"}).status_code == 302
    assert _contacts(world.household_a) == {world.volunteer_a.pk}


def test_editing_a_visit_keeps_a_volunteer_who_left_and_logs_only_the_change(world, as_user):
    visit = make_visit(world.household_a, world.coordinator_a, world.volunteer_a_and_a2, summary="Samen")
    _leave(world, world.volunteer_a_and_a2)
    client = as_user(world.coordinator_a)
    url = _g("visits:edit", pk=visit.pk)
    assert f"Tine Tweegroepen {FORMER}" in client.get(url).content.decode()
    assert client.post(url, {**form_data(client, url), "summary": "Samen, met Tine."}).status_code == 302
    assert set(visit.visit_volunteers.values_list("user_id", flat=True)) == {
        world.coordinator_a.pk,
        world.volunteer_a_and_a2.pk,
    }
    assert AccessLogEntry.objects.get(action="visit_change").fields == ["summary"]


def test_a_new_follow_up_is_not_offered_to_someone_who_left(world, as_user):
    _leave(world, world.volunteer_a_and_a2)
    client = as_user(world.volunteer_a)
    for url in (
        _g("visits:follow_up_add", pk=world.household_a.pk),
        _g("visits:create", pk=world.household_a.pk),
    ):
        assert "Tine Tweegroepen" not in client.get(url).content.decode()
    data = {
        **form_data(client, _g("visits:follow_up_add", pk=world.household_a.pk)),
        "description": "x",
        "due_date": "2026-01-20",
        "assignee": str(world.volunteer_a_and_a2.pk),
    }
    response = client.post(_g("visits:follow_up_add", pk=world.household_a.pk), data)
    assert "Kies iemand van deze groep." in response.content.decode()


def test_follow_ups_of_someone_who_left_can_still_be_found_and_ticked_off(world, as_user):
    _leave(world, world.volunteer_a)
    client = as_user(world.coordinator_a)
    page = client.get(_g("visits:follow_up_list"), {"assignee": world.volunteer_a.pk})
    assert f"Arne Vrijwilliger {FORMER}" in page.content.decode()
    assert [f.pk for f in page.context["page_obj"]] == [world.follow_up_a.pk]
    assert client.post(_g("visits:follow_up_done", pk=world.follow_up_a.pk), {"done": "1"}).status_code == 302
    assert FollowUp.objects.get(pk=world.follow_up_a.pk).assignee == world.volunteer_a


def test_the_visit_list_filters_on_someone_who_left(world, as_user):
    _leave(world, world.volunteer_a)
    page = as_user(world.coordinator_a).get(_g("visits:list"), {"volunteer": world.volunteer_a.pk})
    assert f"Arne Vrijwilliger {FORMER}" in page.content.decode()
    assert [v.pk for v in page.context["page_obj"]] == [world.visit_a.pk]


def test_the_household_list_filters_on_a_contact_person_who_left(world, as_user):
    _leave(world, world.volunteer_a)
    page = as_user(world.coordinator_a).get(_g("households:list"), {"contact": world.volunteer_a.pk})
    assert f"Arne Vrijwilliger {FORMER}" in page.content.decode()
    assert [h.pk for h in page.context["page_obj"]] == [world.household_a.pk]


def test_filters_never_offer_members_of_another_group(world, as_user):
    client = as_user(world.coordinator_a)
    for url in (_g("visits:list"), _g("visits:follow_up_list"), _g("households:list")):
        assert "Bram Vrijwilliger" not in client.get(url).content.decode()

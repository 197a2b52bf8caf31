"""A stale form never undoes someone else's change: one test per edit form (households have
theirs in tests/households/test_households.py). Two people open the same record; the first
saves; the second, on the older form, changes something else and saves: the page comes back
with what the other person changed, nothing is written, and saving again keeps both changes."""

from django.urls import reverse

from groups.models import Membership
from households.models import AccessLogEntry, Consent, Person
from tests.browserless import form_data
from visits.models import Signal, Visit


def _g(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"slug": "brugge", **kwargs})


def _rebased(response) -> dict:
    return dict(response.context["form"].data.lists())


def test_a_stale_signal_form_does_not_reopen_the_signal(world, as_user):
    """The issue's example: status "aangekaart" and its date survive a description edit."""
    url = _g("visits:signal_edit", pk=world.signal_a.pk)
    anna, arne = as_user(world.coordinator_a), as_user(world.volunteer_a)
    anna_form, arne_form = form_data(anna, url), form_data(arne, url)
    assert anna.post(url, {**anna_form, "status": "raised"}).status_code == 302
    raised = Signal.objects.get(pk=world.signal_a.pk)
    assert raised.status == "raised" and raised.raised_on is not None

    description = arne_form["description"]
    assert isinstance(description, str)
    longer = description + " Ook de tweede maand."
    conflict = arne.post(url, {**arne_form, "description": longer})
    assert conflict.status_code == 200
    page = conflict.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in page and "aangekaart" in page
    assert Signal.objects.get(pk=world.signal_a.pk).description == world.signal_a.description

    again = _rebased(conflict)
    assert again["status"] == ["raised"] and again["description"] == [longer]
    assert arne.post(url, again).status_code == 302
    signal = Signal.objects.get(pk=world.signal_a.pk)
    assert (signal.status, signal.raised_on, signal.description) == ("raised", raised.raised_on, longer)
    entry = AccessLogEntry.objects.filter(action="signal", user=world.volunteer_a).last()
    assert entry is not None
    assert entry.fields == ["description"]


def test_a_stale_visit_form_does_not_undo_the_other_change(world, as_user):
    url = _g("visits:edit", pk=world.visit_a.pk)
    author, coordinator = as_user(world.volunteer_a), as_user(world.coordinator_a)
    author_form, coordinator_form = form_data(author, url), form_data(coordinator, url)
    assert coordinator.post(url, {**coordinator_form, "duration_minutes": "90"}).status_code == 302

    conflict = author.post(url, {**author_form, "summary": "Aangevuld verslag."})
    assert conflict.status_code == 200
    assert ("Hoe lang? (minuten, niet verplicht)", "90") in conflict.context["conflict"]
    assert Visit.objects.get(pk=world.visit_a.pk).summary == world.visit_a.summary

    assert author.post(url, _rebased(conflict)).status_code == 302
    visit = Visit.objects.get(pk=world.visit_a.pk)
    assert (visit.duration_minutes, visit.summary) == (90, "Aangevuld verslag.")
    assert set(visit.visit_volunteers.values_list("user_id", flat=True)) == {world.volunteer_a.pk}


def test_a_stale_person_form_does_not_undo_the_other_change(world, as_user):
    url = _g("households:person_edit", pk=world.household_a.pk, person_pk=world.person_a.pk)
    prefix = f"p{world.person_a.pk}"
    anna, arne = as_user(world.coordinator_a), as_user(world.volunteer_a)
    anna_form, arne_form = form_data(anna, url), form_data(arne, url)
    assert anna.post(url, {**anna_form, f"{prefix}-last_name": "Peeters"}).status_code == 302

    conflict = arne.post(url, {**arne_form, f"{prefix}-note": "Werkt 's nachts."})
    assert conflict.status_code == 200
    assert "Peeters" in conflict.content.decode()
    assert Person.objects.get(pk=world.person_a.pk).note == ""

    assert arne.post(url, _rebased(conflict)).status_code == 302
    person = Person.objects.get(pk=world.person_a.pk)
    assert (person.last_name, person.note) == ("Peeters", "Werkt 's nachts.")


def test_a_person_deleted_meanwhile_is_said_not_recreated(world, as_user):
    url = _g("households:person_edit", pk=world.household_a.pk, person_pk=world.person_a.pk)
    arne = as_user(world.volunteer_a)
    arne_form = form_data(arne, url)
    Person.objects.filter(pk=world.person_a.pk).update(version=5)
    Person.objects.filter(pk=world.person_a.pk).delete()
    response = arne.post(url, {**arne_form, f"p{world.person_a.pk}-note": "x"})
    assert response.status_code == 404  # the person is gone: get_person answers 404 first
    assert not Person.objects.filter(pk=world.person_a.pk).exists()


def test_stale_consent_does_not_silently_undo_a_withdrawal(world, as_user):
    detail = _g("households:detail", pk=world.household_a.pk)
    url = _g("households:consent_add", pk=world.household_a.pk)
    anna, arne = as_user(world.coordinator_a), as_user(world.volunteer_a)
    anna_form = form_data(anna, detail, contains="consent-status")
    arne_form = form_data(arne, detail, contains="consent-status")
    assert anna.post(url, {**anna_form, "consent-status": "given"}).status_code == 302
    withdrawn = {**anna_form, "consent-status": "withdrawn"}
    withdrawn["consent-based_on"] = str(Consent.objects.get().pk)
    assert anna.post(url, withdrawn).status_code == 302
    current = world.household_a.consents.first()
    assert current.status == "withdrawn"

    # Arne's page still said "no consent yet": his "given" would override the withdrawal.
    conflict = arne.post(url, {**arne_form, "consent-status": "given", "consent-purpose": "Opvolging"})
    assert conflict.status_code == 200
    page = conflict.content.decode()
    assert "registreerde intussen toestemming: ingetrokken" in page
    assert world.household_a.consents.first() == current

    again = dict(conflict.context["consent_form"].data.lists())
    assert again["consent-based_on"] == [str(current.pk)] and again["consent-purpose"] == ["Opvolging"]
    assert arne.post(url, again).status_code == 302
    assert world.household_a.consents.first().status == "given"


def test_a_stale_role_form_is_refused(world, as_user):
    membership = world.group_a.memberships.get(user=world.volunteer_a_and_a2)
    make_coordinator = world.group_a.memberships.get(user=world.volunteer_a)
    make_coordinator.role = Membership.Role.COORDINATOR
    make_coordinator.save()
    url = _g("groups:member_edit", pk=membership.pk)
    anna, arne = as_user(world.coordinator_a), as_user(world.volunteer_a)
    anna_form, arne_form = form_data(anna, url), form_data(arne, url)
    assert anna.post(url, {**anna_form, "role": "coordinator"}).status_code == 302
    assert anna.post(_g("groups:member_deactivate", pk=membership.pk)).status_code == 302

    conflict = arne.post(url, {**arne_form, "role": "coordinator"})
    assert conflict.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in conflict.content.decode()
    membership.refresh_from_db()
    assert not membership.is_active and membership.version == 3


def test_an_edit_that_changes_nothing_writes_nothing(world, as_user):
    client = as_user(world.volunteer_a)
    for url in (
        _g("visits:edit", pk=world.visit_a.pk),
        _g("visits:signal_edit", pk=world.signal_a.pk),
        _g("households:person_edit", pk=world.household_a.pk, person_pk=world.person_a.pk),
    ):
        before = AccessLogEntry.objects.exclude(action__in=["view", "visit_view", "signal_view"]).count()
        assert client.post(url, form_data(client, url)).status_code == 302
        assert (
            AccessLogEntry.objects.exclude(action__in=["view", "visit_view", "signal_view"]).count() == before
        )


def test_a_stale_series_form_is_refused_and_so_is_an_occurrence_form_opened_before(world, as_user):
    """A series edited as a whole (activities:series_edit) raises the version of the series and
    of every occurrence it changed: an older series form, and an older form of one of those
    occurrences, are refused; saving again keeps both changes."""
    from activities.models import ActivitySeries
    from tests.isolation import _series_a

    series = ActivitySeries.objects.get(pk=_series_a(world)["pk"])
    url = _g("activities:series_edit", pk=series.pk)
    last = series.activities.order_by("starts_at").last()
    assert last is not None
    occurrence_url = _g("activities:edit", pk=last.pk)
    anna, other = as_user(world.coordinator_a), as_user(world.coordinator_a)
    stale = form_data(anna, url, contains="from_date")
    stale_occurrence = form_data(anna, occurrence_url)
    assert (
        other.post(url, {**form_data(other, url, contains="from_date"), "place": "Buurthuis"}).status_code
        == 302
    )

    conflict = anna.post(url, {**stale, "title": "Mijn titel"})
    assert conflict.status_code == 200
    assert ("Plaats", "Buurthuis") in conflict.context["conflict"]
    assert conflict.context["form"]["title"].value() == "Mijn titel"
    assert not series.activities.filter(title="Mijn titel").exists()
    assert anna.post(url, _rebased(conflict)).status_code == 302
    last.refresh_from_db()
    assert (last.title, last.place) == ("Mijn titel", "Buurthuis")

    refused = anna.post(occurrence_url, {**stale_occurrence, "description": "Iets anders"})
    assert refused.status_code == 200 and refused.context["conflict"] is not None
    last.refresh_from_db()
    assert last.description == ""

"""Logging a contact: the happy path, bad input, double submit, confidentiality, the 14-day rule."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from households.models import AccessLogEntry, Household
from tests.helpers import make_visit
from visits.models import FollowUp, Signal, Visit


def url(name, **kwargs):
    return reverse(f"visits:{name}", kwargs={"slug": "brugge", **kwargs})


def visit_data(world, poster=None, **overrides):
    """What the form posts; the empty follow-up form carries its default assignee: the poster."""
    data = {
        "date": timezone.localdate().isoformat(),
        "kind": "home",
        "volunteers": [world.volunteer_a.pk, world.coordinator_a.pk],
        "topics": ["housing", "energy"],
        "support": ["paperwork"],
        "support_note": "",
        "summary": "We hebben de huurbrief samen gelezen.",
        "confidential_note": "",
        "duration_minutes": "45",
        "submission_id": str(uuid.uuid4()),
        "followup-TOTAL_FORMS": "1",
        "followup-INITIAL_FORMS": "0",
        "followup-0-description": "",
        "followup-0-due_date": "",
        "followup-0-assignee": str((poster or world.volunteer_a).pk),
        "signal-TOTAL_FORMS": "1",
        "signal-INITIAL_FORMS": "0",
        "signal-0-institution": "",
        "signal-0-theme": "",
        "signal-0-description": "",
    }
    data.update(overrides)
    return data


def create(client, world, **overrides):
    return client.post(url("create", pk=world.household_a.pk), visit_data(world, **overrides))


def test_a_volunteer_logs_a_home_visit_with_a_partner(world, as_user):
    response = create(as_user(world.volunteer_a), world)
    assert response.status_code == 302
    assert response["Location"] == world.household_a.get_absolute_url()
    visit = Visit.objects.exclude(pk=world.visit_a.pk).get(household=world.household_a)
    assert visit.author == world.volunteer_a and visit.group == world.group_a
    assert set(visit.visit_volunteers.values_list("user_id", flat=True)) == {
        world.volunteer_a.pk,
        world.coordinator_a.pk,
    }
    assert (visit.topics, visit.support, visit.duration_minutes) == (["housing", "energy"], ["paperwork"], 45)
    assert not visit.follow_ups.exists() and not visit.signals.exists()  # empty extra forms are ignored
    log = AccessLogEntry.objects.get(action="visit_add")
    assert log.visit_id == visit.pk and "summary" in log.fields


def test_the_form_starts_with_today_and_me(world, as_user):
    form = as_user(world.volunteer_a).get(url("create", pk=world.household_a.pk)).context["form"]
    assert form["date"].value() == timezone.localdate()
    assert form["volunteers"].value() == [world.volunteer_a.pk]
    assert form["kind"].value() == "home"
    offered = {user.pk for user in form.fields["volunteers"].queryset}
    assert world.volunteer_b.pk not in offered and world.coordinator_a.pk in offered


def test_the_visit_form_reads_the_members_once_for_who_was_there_and_who_does_the_follow_up(world, as_user):
    with CaptureQueriesContext(connection) as queries:
        response = as_user(world.volunteer_a).get(url("create", pk=world.household_a.pk))
    members = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "accounts_user"."id"')
    ]
    members = [sql for sql in members if "groups_membership" in sql]  # not the session's own user
    assert len(members) == 1
    form, follow_up = response.context["form"], response.context["follow_ups"].forms[0]
    offered = [user.pk for user in form.fields["volunteers"].queryset]
    assert (
        offered == [user.pk for user in follow_up.fields["assignee"].queryset]
        and world.coordinator_a.pk in offered
    )


def test_follow_ups_and_signals_are_saved_with_the_visit(world, as_user):
    response = create(
        as_user(world.volunteer_a),
        world,
        **{
            "followup-0-description": "Afspraak OCMW maken",
            "followup-0-due_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "followup-0-assignee": str(world.coordinator_a.pk),
            "signal-0-institution": "housing",
            "signal-0-theme": "housing",
            "signal-0-description": "Schimmel al maanden niet hersteld.",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.exclude(pk=world.visit_a.pk).get(household=world.household_a)
    follow_up = visit.follow_ups.get()
    assert (follow_up.assignee, follow_up.group, follow_up.household) == (
        world.coordinator_a,
        world.group_a,
        world.household_a,
    )
    signal = visit.signals.get()
    assert (signal.institution, signal.status, signal.group) == ("housing", "open", world.group_a)


ITEMS = {
    "followup-0-description": "Afspraak OCMW maken",
    "followup-0-due_date": "2099-01-01",
    "signal-0-institution": "housing",
    "signal-0-theme": "housing",
    "signal-0-description": "Schimmel al maanden niet hersteld.",
}


def test_a_follow_up_or_signal_added_with_a_visit_has_its_own_access_log_row(world, as_user):
    """As one added on its own page: the visit's row names the visit's fields only."""
    response = create(as_user(world.volunteer_a), world, **ITEMS)
    assert response.status_code == 302
    visit = Visit.objects.exclude(pk=world.visit_a.pk).get(household=world.household_a)
    rows = {
        entry.action: entry
        for entry in AccessLogEntry.objects.filter(household=world.household_a, visit_id=visit.pk)
    }
    assert set(rows) == {"visit_add", "follow_up", "signal"}
    assert {"description", "due_date"} <= set(rows["follow_up"].fields)
    assert {"institution", "theme", "description"} <= set(rows["signal"].fields)
    assert rows["follow_up"].user == rows["signal"].user == world.volunteer_a
    # The edit form adds them the same way.
    response = as_user(world.volunteer_a).post(
        url("edit", pk=visit.pk), visit_data(world, version="1", **ITEMS)
    )
    assert response.status_code == 302
    assert AccessLogEntry.objects.filter(visit_id=visit.pk, action="follow_up").count() == 2
    assert AccessLogEntry.objects.filter(visit_id=visit.pk, action="signal").count() == 2


def test_a_double_tap_saves_one_visit(world, as_user):
    client = as_user(world.volunteer_a)
    data = visit_data(world)
    first = client.post(url("create", pk=world.household_a.pk), data)
    second = client.post(url("create", pk=world.household_a.pk), data, follow=True)
    assert first.status_code == 302
    assert "Dit was al opgeslagen." in second.content.decode()
    assert Visit.objects.filter(submission_id=data["submission_id"]).count() == 1
    assert Visit.objects.filter(household=world.household_a).count() == 2  # visit_a and this one
    assert AccessLogEntry.objects.filter(action="visit_add").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": "2999-01-01"}, "date", "De datum kan niet in de toekomst liggen."),
        ({"duration_minutes": "-5"}, "duration_minutes", "De duur moet meer dan 0 minuten zijn."),
        ({"duration_minutes": "1441"}, "duration_minutes", "Een contact duurt niet langer dan 24 uur"),
        ({"volunteers": []}, "volunteers", "Kies wie erbij was."),
    ],
)
def test_bad_input_is_named_at_the_field_and_nothing_is_saved(world, as_user, overrides, field, message):
    before = (
        Visit.objects.count(),
        FollowUp.objects.count(),
        Signal.objects.count(),
        AccessLogEntry.objects.count(),
    )
    response = create(
        as_user(world.volunteer_a),
        world,
        **overrides,
        **{"followup-0-description": "Bellen naar de school", "followup-0-due_date": "2026-12-20"},
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert message in html
    assert "We hebben de huurbrief samen gelezen." in html  # the summary is kept
    assert 'value="Bellen naar de school"' in html  # and so is the follow-up
    after = (
        Visit.objects.count(),
        FollowUp.objects.count(),
        Signal.objects.count(),
        AccessLogEntry.objects.count(),
    )
    assert after == before


def test_a_volunteer_of_another_group_posted_by_hand_is_refused(world, as_user):
    response = create(
        as_user(world.volunteer_a), world, volunteers=[world.volunteer_a.pk, world.volunteer_b.pk]
    )
    assert "Kies alleen leden van deze groep." in response.content.decode()
    assert Visit.objects.count() == 2


def test_an_assignee_of_another_group_posted_by_hand_is_refused(world, as_user):
    response = create(
        as_user(world.volunteer_a),
        world,
        **{
            "followup-0-description": "Iets",
            "followup-0-due_date": "2026-12-20",
            "followup-0-assignee": str(world.volunteer_b.pk),
        },
    )
    assert response.status_code == 200
    assert "Kies iemand van deze groep." in response.content.decode()
    assert Visit.objects.count() == 2


def test_a_follow_up_without_a_due_date_is_explained(world, as_user):
    response = create(as_user(world.volunteer_a), world, **{"followup-0-description": "Bellen"})
    assert response.status_code == 200
    assert "Kies tegen wanneer het moet gebeuren." in response.content.decode()
    assert Visit.objects.count() == 2


def test_a_signal_without_description_is_explained(world, as_user):
    response = create(as_user(world.volunteer_a), world, **{"signal-0-institution": "school"})
    html = response.content.decode()
    assert "Beschrijf kort wat er misliep." in html and "Kies een thema." in html
    assert Signal.objects.count() == 1


def test_a_household_of_another_group_in_the_url_is_404(world, as_user):
    response = as_user(world.volunteer_a).post(
        reverse("visits:create", kwargs={"slug": "brugge", "pk": world.household_b.pk}), visit_data(world)
    )
    assert response.status_code == 404
    assert Visit.objects.count() == 2


class TestConfidentialNote:
    def page(self, client, world, where):
        if where == "timeline":
            target = reverse("households:detail", kwargs={"slug": "brugge", "pk": world.household_a.pk})
        elif where == "detail":
            target = url("detail", pk=world.visit_a.pk)
        else:
            target = url("list")
        return client.get(target).content.decode()

    @pytest.mark.parametrize("where", ["timeline", "detail"])
    def test_the_author_and_coordinators_read_it(self, world, as_user, where):
        assert "Geheim A" in self.page(as_user(world.volunteer_a), world, where)
        assert "Geheim A" in self.page(as_user(world.coordinator_a), world, where)

    @pytest.mark.parametrize("where", ["timeline", "detail", "list"])
    def test_other_volunteers_never_get_it_not_even_in_the_html(self, world, as_user, where):
        html = self.page(as_user(world.volunteer_a_and_a2), world, where)
        assert "Geheim A" not in html
        assert "Gesprek over de huur" in html or where == "list"

    def test_it_is_not_in_the_edit_form_of_someone_who_may_not_edit(self, world, as_user):
        response = as_user(world.volunteer_a_and_a2).get(url("edit", pk=world.visit_a.pk))
        assert response.status_code == 403
        assert "Geheim A" not in response.content.decode()


class TestFourteenDayRule:
    def test_the_author_edits_within_14_days(self, world, as_user):
        with time_machine.travel(world.visit_a.created_at + timedelta(days=13), tick=False):
            response = as_user(world.volunteer_a).post(
                url("edit", pk=world.visit_a.pk), visit_data(world, summary="Aangepast.", version="1")
            )
        assert response.status_code == 302
        world.visit_a.refresh_from_db()
        assert world.visit_a.summary == "Aangepast."
        assert AccessLogEntry.objects.filter(action="visit_change", visit_id=world.visit_a.pk).exists()

    def test_after_14_days_the_author_may_not_but_a_coordinator_may(self, world, as_user):
        with time_machine.travel(world.visit_a.created_at + timedelta(days=15), tick=False):
            author = as_user(world.volunteer_a)
            assert author.get(url("edit", pk=world.visit_a.pk)).status_code == 403
            assert author.post(url("delete", pk=world.visit_a.pk)).status_code == 403
            detail = author.get(url("detail", pk=world.visit_a.pk)).content.decode()
            assert url("edit", pk=world.visit_a.pk) not in detail
            coordinator = as_user(world.coordinator_a)
            edit = coordinator.post(
                url("edit", pk=world.visit_a.pk), visit_data(world, poster=world.coordinator_a, version="1")
            )
            assert edit.status_code == 302
            assert coordinator.post(url("delete", pk=world.visit_a.pk)).status_code == 302
        assert not Visit.objects.filter(pk=world.visit_a.pk).exists()
        assert AccessLogEntry.objects.filter(action="visit_delete", visit_id=world.visit_a.pk).exists()


def test_reading_a_visit_is_logged(world, as_user):
    as_user(world.coordinator_a).get(url("detail", pk=world.visit_a.pk))
    entry = AccessLogEntry.objects.get(action="visit_view")
    assert (entry.user, entry.household, entry.visit_id) == (
        world.coordinator_a,
        world.household_a,
        world.visit_a.pk,
    )


def test_the_timeline_is_newest_first_and_paginated(world, as_user):
    for days in range(1, 13):
        make_visit(
            world.household_a,
            world.volunteer_a,
            date=timezone.localdate() - timedelta(days=days),
            summary=f"Bezoek {days}",
        )
    client = as_user(world.volunteer_a)
    detail = reverse("households:detail", kwargs={"slug": "brugge", "pk": world.household_a.pk})
    first = client.get(detail).context["timeline"]
    dates = [visit.date for visit in first]
    assert dates == sorted(dates, reverse=True) and len(dates) == 10
    second = client.get(detail, {"visits_page": 2}).context["timeline"]
    assert len(second) == 3


@pytest.mark.parametrize("page", ["timeline", "list"])
def test_who_was_there_is_named_in_the_order_added_by_name_or_else_address(world, as_user, page):
    from accounts.models import User
    from groups.models import Membership

    nameless = User.objects.create(email="zonder.naam@example.org", full_name="")
    Membership.objects.create(group=world.group_a, user=nameless, role="volunteer")
    make_visit(world.household_a, world.volunteer_a, nameless, world.coordinator_a, summary="Met drie")
    target = (
        reverse("households:detail", kwargs={"slug": "brugge", "pk": world.household_a.pk})
        if page == "timeline"
        else url("list")
    )
    html = as_user(world.coordinator_a).get(target).content.decode()
    names = [
        world.volunteer_a.get_full_name(),
        "zonder.naam@example.org",
        world.coordinator_a.get_full_name(),
    ]
    assert ", ".join(names) in html


def test_the_household_page_does_a_fixed_number_of_queries_however_long_the_history(
    world, as_user, queries_stay_constant
):
    client = as_user(world.volunteer_a)
    detail = reverse("households:detail", kwargs={"slug": "brugge", "pk": world.household_a.pk})

    def grow():
        for _ in range(40):
            visit = make_visit(world.household_a, world.volunteer_a, world.coordinator_a, topics=["food"])
            FollowUp.objects.create(
                group=world.group_a,
                household=world.household_a,
                visit=visit,
                description="x",
                due_date="2026-01-01",
                assignee=world.coordinator_a,
                created_by=world.volunteer_a,
            )
            Signal.objects.create(
                group=world.group_a,
                household=world.household_a,
                visit=visit,
                institution="school",
                theme="education",
                description="y",
                created_by=world.volunteer_a,
            )

    queries_stay_constant(client, detail, grow)


def test_the_visit_form_does_a_fixed_number_of_queries_however_many_members_and_visits(
    world, as_user, queries_stay_constant
):
    from accounts.models import User
    from groups.models import Membership
    from households.models import HouseholdContact

    client = as_user(world.volunteer_a)
    form = url("create", pk=world.household_a.pk)

    def grow():
        for i in range(8):
            member = User.objects.create(email=f"lid{i}@example.org", full_name=f"Lid {i}")
            Membership.objects.create(group=world.group_a, user=member, role="volunteer")
            HouseholdContact.objects.create(group=world.group_a, household=world.household_a, user=member)
            make_visit(
                world.household_a, member, world.volunteer_a, topics=["food", "housing"], support=["food"]
            )

    queries_stay_constant(client, form, grow)


def test_editing_keeps_a_volunteer_who_has_left_the_group_since(world, as_user):
    from groups.models import Membership

    visit = make_visit(world.household_a, world.coordinator_a, world.volunteer_a_and_a2, summary="Samen")
    Membership.objects.filter(user=world.volunteer_a_and_a2, group=world.group_a).update(is_active=False)
    client = as_user(world.coordinator_a)
    form = client.get(url("edit", pk=visit.pk)).context["form"]
    assert world.volunteer_a_and_a2 in form.fields["volunteers"].queryset
    data = visit_data(
        world,
        poster=world.coordinator_a,
        volunteers=[world.coordinator_a.pk, world.volunteer_a_and_a2.pk],
        version=str(visit.version),
    )
    assert client.post(url("edit", pk=visit.pk), data).status_code == 302
    assert set(visit.visit_volunteers.values_list("user_id", flat=True)) == {
        world.coordinator_a.pk,
        world.volunteer_a_and_a2.pk,
    }
    # … but a new visit does not offer them.
    new_form = client.get(url("create", pk=world.household_a.pk)).context["form"]
    assert world.volunteer_a_and_a2 not in new_form.fields["volunteers"].queryset


def test_deleting_a_visit_keeps_its_follow_ups_and_signals(world, as_user):
    as_user(world.volunteer_a).post(url("delete", pk=world.visit_a.pk))
    world.follow_up_a.refresh_from_db()
    world.signal_a.refresh_from_db()
    assert world.follow_up_a.visit is None and world.signal_a.visit is None
    assert world.signal_a.household == world.household_a


def test_opening_a_signal_is_logged(world, as_user):
    as_user(world.coordinator_a).get(url("signal_edit", pk=world.signal_a.pk))
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.SIGNAL_VIEW)
    assert (entry.household, entry.fields) == (world.household_a, [])


def test_one_post_cannot_add_more_than_ten_follow_ups(world, as_user):
    data = visit_data(world, **{"followup-TOTAL_FORMS": "11"})
    for i in range(11):
        data |= {
            f"followup-{i}-description": f"Taak {i}",
            f"followup-{i}-due_date": "2026-12-20",
            f"followup-{i}-assignee": str(world.volunteer_a.pk),
        }
    response = as_user(world.volunteer_a).post(url("create", pk=world.household_a.pk), data)
    assert response.status_code == 200
    assert FollowUp.objects.count() == 1  # only the world's own
    assert Visit.objects.count() == 2


def test_a_submission_id_of_another_households_visit_is_refused_not_a_crash(world, as_user):
    client = as_user(world.volunteer_a)
    other = Household.objects.create(group=world.group_a, display_name="Familie Ander")
    data = visit_data(world, submission_id=str(world.visit_a.submission_id))
    response = client.post(url("create", pk=other.pk), data)
    assert response.status_code == 200
    assert "Dit formulier hoort bij een ander contact" in response.content.decode()
    assert not other.visits.exists()

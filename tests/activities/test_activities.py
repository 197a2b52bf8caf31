"""Activities: creating one or a series, bad input, stale saves, attendance and its log rows."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from activities.models import MAX_OCCURRENCES, Activity, ActivitySeries, BoardSeat
from households.models import AccessLogEntry, Household, Person
from tests.helpers import attend, make_activity
from tests.isolation import _series_a

SUBMISSION = "3f1c2d1e-9b1a-4a53-8f4e-2f6f3b8f0a11"


def create_url(slug="brugge"):
    return reverse("activities:create", kwargs={"slug": slug})


def activity_data(world, **extra):
    data = {
        "kind": "meeting",
        "title": "Praatcafé",
        "date": "2026-02-02",
        "start_time": "19:00",
        "end_time": "21:00",
        "repeat": "once",
        "place": "Lokaal De Schakel",
        "themes": ["social_network"],
        "organisers": [world.coordinator_a.pk],
        "submission_id": SUBMISSION,
    }
    data.update(extra)
    return data


def new_activities(world):
    return Activity.objects.filter(group=world.group_a).exclude(pk=world.activity_a.pk)


def test_a_member_creates_an_activity_and_a_double_post_saves_it_once(world, as_user):
    client = as_user(world.coordinator_a)
    first = client.post(create_url(), activity_data(world))
    second = client.post(create_url(), activity_data(world))
    activity = new_activities(world).get()
    assert first["Location"] == second["Location"] == activity.get_absolute_url()
    local = timezone.localtime(activity.starts_at)
    assert (local.date(), local.time(), activity.ends_at - activity.starts_at) == (
        date(2026, 2, 2),
        time(19),
        timedelta(hours=2),
    )
    assert (activity.kind, activity.themes, activity.place) == (
        "meeting",
        ["social_network"],
        "Lokaal De Schakel",
    )
    assert list(activity.organisers.all()) == [world.coordinator_a]


def test_a_weekly_series_makes_one_activity_per_week_each_with_its_own_attendance(world, as_user):
    response = as_user(world.coordinator_a).post(
        create_url(), activity_data(world, repeat="weekly", repeat_until="2026-03-30")
    )
    assert response.status_code == 302
    series = ActivitySeries.objects.get(group=world.group_a)
    dates = [timezone.localtime(a.starts_at).date() for a in series.activities.order_by("starts_at")]
    assert dates == [date(2026, 2, 2) + timedelta(weeks=n) for n in range(9)]
    # 19:00 stays 19:00 after the change to summer time (29 March 2026).
    assert {timezone.localtime(a.starts_at).time() for a in series.activities.all()} == {time(19)}
    assert all(a.organisers.get() == world.coordinator_a for a in series.activities.all())


def test_a_monthly_series_on_the_31st_falls_on_the_last_day_of_short_months(world, as_user):
    as_user(world.coordinator_a).post(
        create_url(), activity_data(world, date="2026-01-31", repeat="monthly", repeat_until="2026-04-30")
    )
    series = ActivitySeries.objects.get()
    dates = [timezone.localtime(a.starts_at).date() for a in series.activities.order_by("starts_at")]
    assert dates == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"end_time": "18:00"}, "end_time", "Het einde moet na het begin liggen."),
        ({"end_time": "19:00"}, "end_time", "Het einde moet na het begin liggen."),
        ({"repeat": "weekly"}, "repeat_until", "Kies tot wanneer de activiteit herhaald wordt."),
        ({"repeat": "weekly", "repeat_until": "2026-01-01"}, "repeat_until", "De laatste keer kan niet"),
        (
            {"repeat": "weekly", "repeat_until": "2036-01-01"},
            "repeat_until",
            f"hoogstens {MAX_OCCURRENCES} keer",
        ),
        ({"kind": ""}, "kind", "Kies de soort activiteit."),
    ],
)
def test_bad_input_gets_a_dutch_message_at_the_field_and_nothing_is_saved(
    world, as_user, extra, field, message
):
    response = as_user(world.coordinator_a).post(create_url(), activity_data(world, **extra))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not new_activities(world).exists() and not ActivitySeries.objects.exists()


def test_a_hand_posted_organiser_or_signal_of_another_group_is_refused(world, as_user):
    signal_b = world.household_b.signals.create(
        group=world.group_b,
        institution="ocmw",
        theme="housing",
        description="B",
        created_by=world.volunteer_b,
    )
    client = as_user(world.coordinator_a)
    response = client.post(create_url(), activity_data(world, organisers=[world.volunteer_b.pk]))
    assert "Kies alleen leden van deze groep." in response.context["form"].errors["organisers"][0]
    response = client.post(create_url(), activity_data(world, kind="action", signals=[signal_b.pk]))
    assert "Kies alleen signalen van deze groep." in response.context["form"].errors["signals"][0]
    assert not new_activities(world).exists()


def test_only_an_action_or_a_dialogue_takes_up_signals_and_the_signal_shows_it(world, as_user):
    client = as_user(world.coordinator_a)
    response = client.post(create_url(), activity_data(world, kind="meeting", signals=[world.signal_a.pk]))
    assert "Alleen een actie of een overleg" in response.context["form"].errors["signals"][0]
    client.post(
        create_url(), activity_data(world, kind="dialogue", title="Overleg OCMW", signals=[world.signal_a.pk])
    )
    activity = new_activities(world).get()
    assert list(activity.signals.all()) == [world.signal_a]
    detail = client.get(activity.get_absolute_url()).content.decode()
    signal = world.signal_a
    shown = escape(f"{signal.get_institution_display()} – {signal.get_theme_display()}") + "</a>"
    assert shown in detail and f"{signal.get_status_display()})" in detail
    page = client.get(reverse("visits:signal_edit", kwargs={"slug": "brugge", "pk": world.signal_a.pk}))
    assert "Overleg OCMW" in page.content.decode()
    listing = client.get(reverse("visits:signal_list", kwargs={"slug": "brugge"})).content.decode()
    assert "opgenomen in 1 actie of overleg" in listing
    noticed = world.signal_a.noticed_on
    period = {"start": f"{noticed.year}-01-01", "end": f"{noticed.year}-12-31"}
    report = client.get(reverse("reports:signals_report", kwargs={"slug": "brugge"}), period)
    assert [signal.pk for signal in report.context["acted_on"]] == [world.signal_a.pk]
    assert "Overleg OCMW" in report.content.decode()
    assert report.context["led_to_action_total"] == 1
    led = {label: n for label, n, _shown in report.context["led_to_action"]}
    assert led["inkomen & schulden"] == 1 and sum(led.values()) == 1
    csv = client.get(
        reverse("reports:signals_report_export", kwargs={"slug": "brugge", "fmt": "csv"}), period
    )
    assert "Opgenomen in een actie of overleg, per thema;inkomen & schulden;1" in csv.content.decode(
        "utf-8-sig"
    )


def edit_data(activity, **extra):
    local = timezone.localtime(activity.starts_at)
    data = {
        "kind": activity.kind,
        "title": activity.title,
        "date": local.date().isoformat(),
        "start_time": "19:00",
        "end_time": "21:00",
        "version": activity.version,
    }
    data.update(extra)
    return data


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(world, as_user):
    activity = world.activity_a
    url = reverse("activities:edit", kwargs={"slug": "brugge", "pk": activity.pk})
    stale = edit_data(activity, title="Praatcafé (verplaatst)")
    assert as_user(world.volunteer_a).post(url, edit_data(activity, place="Parochiezaal")).status_code == 302
    response = as_user(world.coordinator_a).post(url, stale)
    assert response.status_code == 200
    assert "Iemand anders heeft deze activiteit intussen gewijzigd" in response.content.decode()
    assert response.context["form"]["title"].value() == "Praatcafé (verplaatst)"
    activity.refresh_from_db()
    assert (activity.title, activity.place, activity.version) == ("Praatcafé Brugge", "Parochiezaal", 2)
    # Saving again, now on top of the stored version, goes through.
    again = as_user(world.coordinator_a).post(url, {**stale, "version": 2, "place": "Parochiezaal"})
    assert again.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Praatcafé (verplaatst)", 3)


def test_an_activity_with_attendance_cannot_move_to_a_later_day(world, as_user):
    """Who came is ticked, so it has happened: moved past today, its attendance would follow and
    count as a contact and a figure still to come. The date is refused at its field; moving it
    to another day up to today, or editing anything else, still works."""
    activity = world.activity_a  # yesterday, one person attended (tests/helpers.py)
    url = reverse("activities:edit", kwargs={"slug": "brugge", "pk": activity.pk})
    client = as_user(world.coordinator_a)
    today = timezone.localdate()
    yesterday, later = today - timedelta(days=1), today + timedelta(days=7)
    response = client.post(url, edit_data(activity, date=later.isoformat()))
    assert response.status_code == 200
    assert "al aanwezigen aangeduid" in str(response.context["form"].errors["date"])
    activity.refresh_from_db()
    assert (timezone.localtime(activity.starts_at).date(), activity.version) == (yesterday, 1)
    assert set(activity.attendances.values_list("date", flat=True)) == {yesterday}
    earlier = client.post(url, edit_data(activity, date=(today - timedelta(days=2)).isoformat()))
    assert earlier.status_code == 302
    assert set(activity.attendances.values_list("date", flat=True)) == {today - timedelta(days=2)}
    # Without attendance, a later day is fine: it has not happened yet.
    planned = make_activity(world.group_a, world.coordinator_a)
    planned_url = reverse("activities:edit", kwargs={"slug": "brugge", "pk": planned.pk})
    assert client.post(planned_url, edit_data(planned, date=later.isoformat())).status_code == 302


def attendance_url(activity, slug="brugge"):
    return reverse("activities:attendance", kwargs={"slug": slug, "pk": activity.pk})


@pytest.fixture
def evening(world):
    """A fresh activity in group A and a second family with two persons."""
    household = Household.objects.create(group=world.group_a, display_name="Familie Maes")
    anna = Person.objects.create(group=world.group_a, household=household, first_name="Anna")
    bert = Person.objects.create(group=world.group_a, household=household, first_name="Bert")
    return make_activity(world.group_a, world.coordinator_a, title="Kookavond"), household, anna, bert


def test_nam_het_woord_is_one_more_tap_counts_as_present_and_as_taking_a_role(world, as_user, evening):
    """#15 item 7, criterion 3: speaking is recorded next to helping organise, and unticking it
    on another phone (seen_spoke) removes only that tick."""
    from activities.selectors import activity_figures

    activity, _maes, anna, bert = evening
    client = as_user(world.volunteer_a)
    page = client.get(attendance_url(activity))
    assert f'id="spoke-{anna.pk}"' in page.content.decode()
    data = {"shown": [anna.pk, bert.pk], "spoke": [anna.pk], "helped": [anna.pk, bert.pk]}
    assert client.post(attendance_url(activity), data).status_code == 302
    assert client.post(attendance_url(activity), data).status_code == 302  # a resend changes nothing
    rows = {a.person_id: (a.helped_organise, a.spoke) for a in activity.attendances.all()}
    assert rows == {anna.pk: (True, True), bert.pk: (True, False)}
    day = timezone.localtime(activity.starts_at).date()

    def figures():
        return activity_figures(
            activities=world.group_a.activities.all(),
            attendances=activity.attendances.all(),
            visits=world.group_a.visits.none(),
            households=world.group_a.households.none(),
            signals=world.group_a.signals.none(),
            start=day,
            end=day,
        ).values

    assert (figures()["speakers"], figures()["co_organisers"], figures()["took_a_role"]) == (1, 2, 2)
    # Anna no longer ticked as speaking: only that changes.
    untick = {"shown": [anna.pk, bert.pk], "present": [anna.pk, bert.pk], "helped": [anna.pk, bert.pk]}
    untick |= {"seen_present": [anna.pk, bert.pk], "seen_helped": [anna.pk, bert.pk], "seen_spoke": [anna.pk]}
    assert client.post(attendance_url(activity), untick).status_code == 302
    rows = {a.person_id: (a.helped_organise, a.spoke) for a in activity.attendances.all()}
    assert rows == {anna.pk: (True, False), bert.pk: (True, False)}
    assert figures()["speakers"] == 0


def test_ticking_attendance_saves_it_logs_it_per_family_and_a_resend_changes_nothing(world, as_user, evening):
    activity, maes, anna, bert = evening
    shown = [world.person_a.pk, anna.pk, bert.pk]
    data = {
        "shown": shown,
        "present": [world.person_a.pk, anna.pk],
        "helped": [bert.pk],
        "volunteers": [world.volunteer_a.pk],
        "unregistered_count": "3",
        "seen_unregistered_count": "0",
    }
    client = as_user(world.volunteer_a)
    assert client.post(attendance_url(activity), data).status_code == 302
    assert client.post(attendance_url(activity), data).status_code == 302
    rows = {a.person_id: a.helped_organise for a in activity.attendances.all()}
    assert rows == {world.person_a.pk: False, anna.pk: False, bert.pk: True}
    activity.refresh_from_db()
    assert activity.unregistered_count == 3
    assert list(activity.volunteers_present.all()) == [world.volunteer_a]
    changes = AccessLogEntry.objects.filter(
        action="change", fields__contains=["attendance", f"activity:{activity.pk}"]
    )
    assert sorted(changes.values_list("household_id", flat=True)) == sorted([world.household_a.pk, maes.pk])
    # Reading the sheet or the activity is logged for each family shown as present.
    client.get(attendance_url(activity))
    client.get(activity.get_absolute_url())
    reads = AccessLogEntry.objects.filter(action="view", fields__contains=["attendance"])
    assert reads.count() == 4 and {r.user_id for r in reads} == {world.volunteer_a.pk}


def test_two_phones_ticking_at_once_add_up(world, as_user, evening):
    activity, _maes, anna, bert = evening
    shown = [world.person_a.pk, anna.pk, bert.pk]
    as_user(world.volunteer_a).post(attendance_url(activity), {"shown": shown, "present": [anna.pk]})
    # The coordinator's page was opened before: it did not show Anna ticked, and they tick Bert.
    as_user(world.coordinator_a).post(attendance_url(activity), {"shown": shown, "present": [bert.pk]})
    assert set(activity.attendances.values_list("person_id", flat=True)) == {anna.pk, bert.pk}
    # Unticking only removes what that page had seen ticked.
    as_user(world.coordinator_a).post(
        attendance_url(activity), {"shown": shown, "present": [anna.pk], "seen_present": [anna.pk, bert.pk]}
    )
    assert set(activity.attendances.values_list("person_id", flat=True)) == {anna.pk}


def test_a_hand_posted_person_of_another_group_or_a_negative_headcount_is_refused(world, as_user, evening):
    activity = evening[0]
    person_b = world.household_b.persons.get()
    client = as_user(world.volunteer_a)
    response = client.post(attendance_url(activity), {"shown": [person_b.pk], "present": [person_b.pk]})
    assert response.status_code == 200
    assert "Kies alleen gezinsleden van deze groep." in response.content.decode()
    response = client.post(
        attendance_url(activity), {"present": [world.person_a.pk], "unregistered_count": "-1"}
    )
    assert "Het aantal kan niet kleiner dan 0 zijn." in response.content.decode()
    assert not activity.attendances.exists()
    activity.refresh_from_db()
    assert activity.unregistered_count == 0


def test_the_sheet_shows_the_series_regulars_first_and_searches(world, as_user, evening):
    _activity, _maes, anna, _bert = evening
    as_user(world.coordinator_a).post(
        create_url(), activity_data(world, repeat="weekly", repeat_until="2026-02-16", title="Praatcafé")
    )
    first, second, _third = ActivitySeries.objects.get().activities.order_by("starts_at")
    attend(first, anna)
    page = as_user(world.volunteer_a).get(attendance_url(second))
    names = [h.display_name for h in page.context["households"]]
    assert names[0] == "Familie Maes" and "Familie Peeters" in names
    assert "Familie Janssens" not in page.content.decode()
    found = as_user(world.volunteer_a).get(attendance_url(second), {"q": "mieke"})
    assert [h.display_name for h in found.context["households"]] == ["Familie Peeters"]


def test_only_a_coordinator_deletes_an_activity(world, as_user):
    url = reverse("activities:delete", kwargs={"slug": "brugge", "pk": world.activity_a.pk})
    assert as_user(world.volunteer_a).post(url).status_code == 403
    assert as_user(world.coordinator_a).post(url).status_code == 302
    assert not Activity.objects.filter(pk=world.activity_a.pk).exists()
    assert AccessLogEntry.objects.filter(household=world.household_a, fields__contains=["deleted"]).exists()


def test_pages_show_nothing_of_another_group(world, as_user):
    client = as_user(world.coordinator_a)
    for url in [
        reverse("activities:list", kwargs={"slug": "brugge"}) + "?when=past",
        world.activity_a.get_absolute_url(),
        attendance_url(world.activity_a),
    ]:
        body = client.get(url).content.decode()
        assert "Kookavond Genk" not in body and "Familie Janssens" not in body and "Jos" not in body


def _more_activity(world):
    household = Household.objects.create(group=world.group_a, display_name="Familie Extra")
    for n in range(3):
        person = Person.objects.create(group=world.group_a, household=household, first_name=f"P{n}")
        attend(world.activity_a, person)
        activity = make_activity(world.group_a, world.coordinator_a, title=f"Extra {n}")
        attend(activity, person)
        BoardSeat.objects.create(
            group=world.group_a,
            person=person,
            household=household,
            started_on=timezone.localdate() - timedelta(days=n),
            created_by=world.coordinator_a,
        )
    world.activity_a.activity_volunteers.create(group=world.group_a, user=world.volunteer_a)
    world.activity_a.activity_organisers.create(group=world.group_a, user=world.coordinator_a)
    _series_a(world)


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("activities:list", kwargs={"slug": "brugge"}) + "?when=past",
        lambda w: w.activity_a.get_absolute_url(),
        lambda w: attendance_url(w.activity_a),
        lambda w: reverse("activities:edit", kwargs={"slug": "brugge", "pk": w.activity_a.pk}),
        lambda w: w.household_a.get_absolute_url(),
        lambda w: reverse("reports:home", kwargs={"slug": "brugge"}),
        lambda w: reverse("reports:report", kwargs={"slug": "brugge"}),
        lambda w: reverse("activities:series_edit", kwargs={"slug": "brugge", **_series_a(w)}),
    ],
)
def test_query_counts_stay_constant(world, as_user, queries_stay_constant, url):
    queries_stay_constant(as_user(world.coordinator_a), url(world), lambda: _more_activity(world))


def test_an_attended_activity_counts_as_contact_when_the_group_says_so(world, as_user):
    long_ago = timezone.localdate() - timedelta(weeks=20)
    world.visit_a.date = long_ago
    world.visit_a.save()
    url = reverse("households:list", kwargs={"slug": "brugge"})
    client = as_user(world.coordinator_a)
    # The fixture's activity_a (yesterday) was attended by Mieke of Familie Peeters.
    assert "Familie Peeters" not in client.get(url, {"no_contact_weeks": 6}).content.decode()
    assert (
        world.household_a
        not in client.get(reverse("reports:home", kwargs={"slug": "brugge"})).context["needs_visit"]
    )
    world.group_a.activities_count_as_contact = False
    world.group_a.save()
    assert "Familie Peeters" in client.get(url, {"no_contact_weeks": 6}).content.decode()
    home = client.get(reverse("reports:home", kwargs={"slug": "brugge"}))
    assert world.household_a in home.context["needs_visit"]


def test_the_household_timeline_shows_the_activities_its_persons_attended(world, as_user):
    body = as_user(world.volunteer_a).get(world.household_a.get_absolute_url()).content.decode()
    assert "Praatcafé Brugge" in body and "Groepsactiviteiten" in body
    assert "Kookavond Genk" not in body


def test_the_same_edit_sent_twice_saves_once_without_a_conflict(world, as_user):
    activity = world.activity_a
    url = reverse("activities:edit", kwargs={"slug": "brugge", "pk": activity.pk})
    data = edit_data(activity, place="Parochiezaal")
    client = as_user(world.volunteer_a)
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    assert second.status_code == 302
    activity.refresh_from_db()
    assert (activity.place, activity.version) == ("Parochiezaal", 2)


def test_another_groups_submission_id_is_a_form_error_not_a_500(world, as_user):
    """Found by an attacker's review: row-level security hides group A's activity, so reusing
    its submission id in group B met the unique index; it is refused like any foreign id."""
    from activities.models import Activity

    Activity.objects.filter(pk=world.activity_a.pk).update(
        submission_id="0b6f3c1e-1c2a-4f0e-9d5b-6a7e8f9a0b1c"
    )
    before = Activity.objects.count()
    response = as_user(world.coordinator_b).post(
        reverse("activities:create", kwargs={"slug": "genk"}),
        {
            "kind": "meeting",
            "title": "Kookavond",
            "date": "2026-01-05",
            "start_time": "19:00",
            "end_time": "21:00",
            "repeat": "once",
            "submission_id": "0b6f3c1e-1c2a-4f0e-9d5b-6a7e8f9a0b1c",
        },
    )
    assert response.status_code == 200
    assert "hoort bij een andere groep" in response.content.decode()
    assert Activity.objects.count() == before

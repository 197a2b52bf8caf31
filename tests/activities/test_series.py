"""A series edited as a whole: this and all later occurrences, ended early, extended (#15 item 2)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import MAX_OCCURRENCES, Activity, ActivityOrganiser, ActivitySeries, Attendance
from tests.browserless import form_data
from tests.helpers import attend
from tests.isolation import _series_a


@pytest.fixture
def series(world) -> ActivitySeries:
    """Weekly at 19:00: two evenings behind us (the first with Mieke there), ten to come."""
    return ActivitySeries.objects.get(pk=_series_a(world)["pk"])


def _url(name, series, **query):
    url = reverse(f"activities:{name}", kwargs={"slug": "brugge", "pk": series.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _today():
    return timezone.localdate()


def _occurrences(series):
    return list(series.activities.order_by("starts_at"))


def _edit(client, series, change, **query):
    url = _url("series_edit", series, **query)
    return client.post(url, {**form_data(client, url, contains="from_date"), **change})


def test_an_edit_changes_this_and_later_occurrences_and_leaves_the_past_and_attendance(
    world, as_user, series
):
    client = as_user(world.coordinator_a)
    past, upcoming = _occurrences(series)[:2], _occurrences(series)[2:]
    before_attendance = list(Attendance.objects.values_list("pk", "activity_id", "person_id", "date"))
    change = {
        "title": "Praatcafé in de bib",
        "place": "Bibliotheek",
        "start_time": "18:30",
        "end_time": "20:00",
        "kind": "training",
        "themes": ["housing"],
        "description": "Samen over wonen.",
        "organisers": [world.volunteer_a.pk],
    }
    response = _edit(client, series, change, **{"from": upcoming[0].pk})
    assert response.status_code == 302
    for activity in _occurrences(series):
        local = timezone.localtime(activity.starts_at)
        if activity.pk in {a.pk for a in past}:
            assert (activity.title, activity.place, local.time(), activity.version) == (
                "Wekelijks praatcafé",
                "",
                dt.time(19),
                1,
            )
        else:
            assert (activity.title, activity.place, activity.kind, activity.themes) == (
                "Praatcafé in de bib",
                "Bibliotheek",
                "training",
                ["housing"],
            )
            assert (local.time(), timezone.localtime(activity.ends_at).time()) == (
                dt.time(18, 30),
                dt.time(20),
            )
            assert local.date().weekday() == series.first_date.weekday() and activity.version == 2
            organisers = ActivityOrganiser.objects.filter(activity=activity).values_list("user_id", flat=True)
            assert list(organisers) == [world.volunteer_a.pk]
    assert list(Attendance.objects.values_list("pk", "activity_id", "person_id", "date")) == before_attendance
    series.refresh_from_db()
    assert (series.title, series.version) == ("Praatcafé in de bib", 2)


def test_only_the_fields_changed_are_written_an_occurrence_edited_alone_keeps_the_rest(
    world, as_user, series
):
    client = as_user(world.coordinator_a)
    moved = _occurrences(series)[5]
    Activity.objects.filter(pk=moved.pk).update(place="Sporthal")
    assert _edit(client, series, {"title": "Praatcafé!"}).status_code == 302
    moved.refresh_from_db()
    assert (moved.title, moved.place) == ("Praatcafé!", "Sporthal")


def test_ending_early_removes_later_occurrences_but_never_one_with_attendance(world, as_user, series):
    client = as_user(world.coordinator_a)
    occurrences = _occurrences(series)
    with_attendance = occurrences[8]
    attend(with_attendance, world.person_a)
    last = timezone.localtime(occurrences[4].starts_at).date()
    response = client.post(_url("series_end", series), {"end-last_date": last.isoformat()}, follow=True)
    body = response.content.decode()
    assert "activiteiten na de nieuwe einddatum zijn verwijderd" in body
    kept_day = timezone.localtime(with_attendance.starts_at).date().strftime("%d/%m/%Y")
    assert "Niet verwijderd, omdat er al aanwezigheden zijn aangeduid: " + kept_day in body
    remaining = [a.pk for a in _occurrences(series)]
    assert remaining == [a.pk for a in occurrences[:5]] + [with_attendance.pk]
    series.refresh_from_db()
    assert series.last_date == last
    # Sent again: nothing more goes.
    client.post(_url("series_end", series), {"end-last_date": last.isoformat()})
    assert [a.pk for a in _occurrences(series)] == remaining


@pytest.mark.parametrize(
    ("last_date", "message"),
    [
        (
            lambda s: s.first_date - dt.timedelta(days=1),
            "De laatste keer kan niet voor de eerste keer liggen.",
        ),
        (lambda s: _today() - dt.timedelta(days=1), "Een reeks kan niet eindigen voor vandaag"),
        (lambda s: s.last_date + dt.timedelta(days=7), "Om de reeks te verlengen, wijzig je de reeks"),
    ],
    ids=["before-the-start", "in-the-past", "later-than-its-end"],
)
def test_ending_with_a_bad_date_says_why_at_the_field_and_removes_nothing(
    world, as_user, series, last_date, message
):
    client = as_user(world.coordinator_a)
    before = [a.pk for a in _occurrences(series)]
    response = client.post(_url("series_end", series), {"end-last_date": last_date(series).isoformat()})
    assert response.status_code == 200
    assert message in " ".join(response.context["end_form"].errors["last_date"])
    assert [a.pk for a in _occurrences(series)] == before


def test_a_later_end_adds_occurrences_and_too_many_or_bad_input_is_refused_at_the_field(
    world, as_user, series
):
    client = as_user(world.coordinator_a)
    before = _occurrences(series)
    too_far = series.first_date + dt.timedelta(weeks=MAX_OCCURRENCES + 1)
    refused = _edit(client, series, {"last_date": too_far.isoformat()})
    assert refused.status_code == 200
    assert f"hoogstens {MAX_OCCURRENCES} keer" in " ".join(refused.context["form"].errors["last_date"])
    bad = _edit(client, series, {"start_time": "21:00", "end_time": "20:00", "from_date": "2020-01-01"})
    assert bad.context["form"].errors["end_time"] == ["Het einde moet na het begin liggen."]
    assert "Kies vandaag of later" in bad.context["form"].errors["from_date"][0]
    assert _occurrences(series) == before
    longer = series.last_date + dt.timedelta(weeks=2)
    change = {"last_date": longer.isoformat(), "place": "Zaal", "organisers": [world.volunteer_a.pk]}
    assert _edit(client, series, change).status_code == 302
    after = _occurrences(series)
    assert len(after) == len(before) + 2
    assert [(a.title, a.place) for a in after[-2:]] == [("Wekelijks praatcafé", "Zaal")] * 2
    assert timezone.localtime(after[-1].starts_at).date() == longer
    organisers = ActivityOrganiser.objects.filter(activity=after[-1]).values_list("user_id", flat=True)
    assert list(organisers) == [world.volunteer_a.pk]


def test_volunteers_may_not_edit_or_end_a_series(world, as_user, series):
    client = as_user(world.volunteer_a)
    assert client.get(_url("series_edit", series)).status_code == 403
    assert client.post(_url("series_end", series), {"end-last_date": _today().isoformat()}).status_code == 403
    detail = client.get(_occurrences(series)[3].get_absolute_url()).content.decode()
    assert "Deze en alle volgende keren wijzigen" not in detail
    coordinator_view = as_user(world.coordinator_a).get(_occurrences(series)[3].get_absolute_url())
    assert "Deze en alle volgende keren wijzigen" in coordinator_view.content.decode()

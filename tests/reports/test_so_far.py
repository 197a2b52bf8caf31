"""Figures count what has happened only: a period that runs past today (this year, the last
twelve months, this quarter) leaves out the activities planned after now, their attendance, the
signals they are to take up and the board seats still to begin, on every page and export that
counts them (activities.selectors.so_far, reports.figures.Period.so_far)."""

import csv
import io
from datetime import datetime, time

import time_machine
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivitySignal, BoardSeat
from tests.helpers import attend, client_for, make_activity

# 14:00 in Brussels on Monday 30 November 2026: the praatcafé at 19:00 tonight has not begun.
NOW = "2026-11-30 13:00 +0000"
THIS_YEAR = {"year": "2026", "part": "y"}


def at(day: str, hour: int = 19):
    return timezone.make_aware(datetime.combine(datetime.fromisoformat(day).date(), time(hour)))


def plan_ahead(world) -> None:
    """What group A has planned after now, in this year: tonight's praatcafé and three in
    December (someone ticked ahead at each), a dialogue next week that is to take up the
    group's signal, and a board seat from 1 December."""
    g, who = world.group_a, world.coordinator_a
    for day in ["2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21"]:
        cafe = make_activity(g, who, starts_at=at(day), unregistered_count=5)
        attend(cafe, world.person_a, helped_organise=True, spoke=True)
    dialogue = make_activity(g, who, kind="dialogue", starts_at=at("2026-12-03", 10))
    attend(dialogue, world.person_a, spoke=True)
    ActivitySignal.objects.create(group=g, activity=dialogue, signal=world.signal_a)
    BoardSeat.objects.create(
        group=g,
        person=world.person_a,
        household_id=world.person_a.household_id,
        started_on="2026-12-01",
        created_by=who,
    )


def _rows(response) -> dict:
    return {label: value for _s, label, value, _d in response.context["activity_rows"]}


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@time_machine.travel(NOW, tick=False)
def test_the_group_pages_and_exports_do_not_count_what_has_not_begun(world, as_user):
    client = as_user(world.coordinator_a)
    report = reverse("reports:report", kwargs={"slug": "brugge"})  # this calendar year by default
    export = reverse("reports:report_export", kwargs={"slug": "brugge", "fmt": "csv"})
    home = reverse("reports:home", kwargs={"slug": "brugge"})  # the last twelve months
    signals = reverse("reports:signals_report", kwargs={"slug": "brugge"})
    signals_export = reverse("reports:signals_report_export", kwargs={"slug": "brugge", "fmt": "csv"})

    def figures():
        signals_page = client.get(signals)
        return {
            "report": _rows(client.get(report)),
            "export": [row for row in _csv(client.get(export)) if row[0] != "Periode"],
            "dashboard": _rows(client.get(home)),
            "taken up": signals_page.context["led_to_action_total"],
            "acted on": list(signals_page.context["acted_on"]),
            "signals export": [row for row in _csv(client.get(signals_export)) if row[0] != "Periode"],
        }

    before = figures()
    assert before["report"]["groepsactiviteiten"] >= 1  # the world's praatcafé of yesterday
    plan_ahead(world)
    after = figures()
    for name in before:
        assert after[name] == before[name], name


@time_machine.travel(NOW, tick=False)
def test_a_report_of_a_period_that_runs_past_today_says_it_counts_up_to_today(world, as_user):
    client = as_user(world.coordinator_a)
    url = reverse("reports:report", kwargs={"slug": "brugge"})
    this_year = client.get(url).content.decode()
    assert "1 januari 2026 – 31 december 2026" in this_year
    assert "tot en met vandaag (30 nov. 2026)" in this_year
    last_year = client.get(url, {"start": "2025-01-01", "end": "2025-12-31"}).content.decode()
    assert "tot en met vandaag" not in last_year
    next_year = client.get(url, {"start": "2027-01-01", "end": "2027-12-31"})
    assert "nog niet begonnen" in next_year.content.decode()
    assert _rows(next_year)["groepsactiviteiten"] == 0
    signals = client.get(reverse("reports:signals_report", kwargs={"slug": "brugge"})).content.decode()
    assert "tot en met vandaag (30 nov. 2026)" in signals


def _base_year(world) -> None:
    """Six praatcafés in November with five people each counted at the door: enough that the
    staff see the figures, not '×'."""
    for day in range(2, 8):
        make_activity(
            world.group_a, world.coordinator_a, starts_at=at(f"2026-11-0{day}"), unregistered_count=5
        )


@time_machine.travel(NOW, tick=False)
def test_the_staff_pages_do_not_count_what_has_not_begun(world, superuser_client):
    _base_year(world)

    def figures():
        page = superuser_client.get(reverse("staff:national"), THIS_YEAR)
        region = superuser_client.get(
            reverse("staff:region", kwargs={"region": world.region_a.slug}), THIS_YEAR
        )
        signals = superuser_client.get(reverse("staff:signals"), THIS_YEAR)
        return _rows(page), page.context["totals"], _rows(region), signals.context["led_to_action"]

    before = figures()
    assert before[0]["andere aanwezigen (niet geregistreerd)"] >= 30  # shown, not hidden
    plan_ahead(world)
    assert figures() == before
    page = superuser_client.get(reverse("staff:national"), {"year": "2026", "part": "q4"}).content.decode()
    assert "tot en met vandaag (30 nov. 2026)" in page


def test_staff_figures_cached_yesterday_are_not_shown_today(world, cached, settings):
    """Five minutes before midnight the figures count up to that day; five minutes after, the
    page counts up to the new day, as a page that was never cached does."""
    _base_year(world)
    make_activity(world.group_a, world.coordinator_a, starts_at=at("2026-12-01", 0), unregistered_count=7)
    world.outsider.is_staff = True
    world.outsider.save()
    url = reverse("staff:national")
    with time_machine.travel("2026-11-30 22:55 +0000", tick=False):  # 23:55 in Brussels
        client = client_for(world.outsider)
        yesterday = _rows(client.get(url, THIS_YEAR))
    with time_machine.travel("2026-11-30 23:05 +0000", tick=False):  # 00:05 on 1 December
        cached_page = _rows(client.get(url, THIS_YEAR))
        settings.STAFF_FIGURES_MAX_AGE = 0
        fresh = _rows(client.get(url, THIS_YEAR))
    assert cached_page == fresh != yesterday

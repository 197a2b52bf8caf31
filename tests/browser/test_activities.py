"""Activities in the browser at 360x740: a coordinator creates a weekly praatcafé, a volunteer
ticks attendance for one evening (taps counted), and axe on the activity pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from activities.models import Activity, ActivitySeries
from tests.browser.checks import assert_no_horizontal_scroll
from tests.browser.test_visits import choices

pytestmark = pytest.mark.browser

MAX_ATTENDANCE_TAPS = 7


class Taps:
    """Counts what a person does: every tap, and a text typed after tapping its field, as one."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def tap(self, target) -> None:
        self.count += 1
        target.click()

    def type_into(self, field, text: str) -> None:
        self.count += 1
        field.click()
        self.page.keyboard.type(text)


def test_a_coordinator_creates_a_weekly_praatcafe_and_a_volunteer_ticks_one_evening(
    page: Page, live_server, world, log_in, assert_accessible, csp_violations
):
    # From tonight on: the attendance sheet opens from an activity's own day.
    first = timezone.localdate()
    until = first + timedelta(weeks=11)
    log_in(world.coordinator_a)
    page.get_by_role("navigation", name="Groep").get_by_role("link", name="Activiteiten").click()
    page.get_by_role("link", name="Activiteit toevoegen").click()
    choices(page, "Soort activiteit").get_by_role("radio", name="ontmoetingsmoment / praatcafé").check()
    page.get_by_label("Titel").fill("Praatcafé")
    page.get_by_label("Datum").fill(first.isoformat())
    page.locator("#id_start_time").fill("19:00")
    page.locator("#id_end_time").fill("21:00")
    choices(page, "Herhalen?").get_by_role("radio", name="elke week").check()
    page.get_by_label("Herhalen tot en met").fill(until.isoformat())
    page.get_by_label("Plaats").fill("Lokaal De Schakel")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("De reeks is opgeslagen: 12 activiteiten.")
    series = ActivitySeries.objects.get(group=world.group_a)
    assert series.activities.count() == 12

    page.context.clear_cookies()
    log_in(world.volunteer_a)
    page.goto("/g/brugge/")
    taps = Taps(page)
    taps.tap(page.get_by_role("navigation", name="Groep").get_by_role("link", name="Activiteiten"))
    # The first card is the first evening; its own link opens the attendance sheet.
    taps.tap(page.get_by_role("link", name=re.compile("^Aanwezigheid aanduiden")).first)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    # Search filters as you type (attendance.js); the family stays on the list.
    page.get_by_label("Zoek een gezin of een voornaam").fill("mieke")
    expect(page.get_by_role("group", name="Familie Peeters")).to_be_visible()
    taps.tap(page.get_by_text("Mieke", exact=True))
    taps.tap(page.get_by_text("hielp organiseren").first)
    taps.tap(page.get_by_role("group", name="Vrijwilligers aanwezig").get_by_text("Arne Vrijwilliger"))
    taps.type_into(page.get_by_label("Andere aanwezigen die niet geregistreerd zijn"), "4")
    taps.tap(page.get_by_role("button", name="Aanwezigheid opslaan"))

    expect(page.get_by_role("status")).to_contain_text("1 gezinslid aanwezig")
    print(f"attendance taps: {taps.count}")
    assert taps.count <= MAX_ATTENDANCE_TAPS
    evening = series.activities.order_by("starts_at").first()
    assert evening is not None
    attendance = evening.attendances.get()
    assert (attendance.person, attendance.helped_organise) == (world.person_a, True)
    evening.refresh_from_db()
    assert evening.unregistered_count == 4
    assert list(evening.volunteers_present.all()) == [world.volunteer_a]
    assert (
        not Activity.objects.filter(series=series)
        .exclude(pk=evening.pk)
        .filter(attendances__isnull=False)
        .exists()
    )
    assert_accessible(page)
    assert not csp_violations


def test_the_activity_list_and_report_are_accessible(page: Page, world, log_in, assert_accessible):
    from tests.isolation import _board_seat_a, _series_a

    _board_seat_a(world)
    series = _series_a(world)["pk"]
    log_in(world.coordinator_a)
    pages = [
        "/g/brugge/board/",
        f"/g/brugge/activities/series/{series}/edit/",
        "/g/brugge/activities/?when=past",
        f"/g/brugge/activities/{world.activity_a.pk}/",
        f"/g/brugge/activities/{world.activity_a.pk}/edit/",
        f"/g/brugge/signals/{world.signal_a.pk}/",
        f"/g/brugge/households/{world.household_a.pk}/",
        "/g/brugge/signals/report/",
        "/g/brugge/report/",
        "/g/brugge/",
    ]
    for url in pages:
        page.goto(url)
        # At the end of the page the sticky save bar sits below the form instead of over whatever
        # happens to be at the bottom edge of the screen (axe counts a covered radio as too small).
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        assert_accessible(page)
        assert_no_horizontal_scroll(page)


def test_a_coordinator_adds_a_board_seat_and_ends_a_series_on_a_phone(
    page: Page, world, log_in, assert_accessible, csp_violations
):
    """Without JavaScript help: the board's add form, its error at the field, and ending a series
    early with the message about an evening that has attendance."""
    from tests.isolation import _series_a

    series = _series_a(world)["pk"]
    log_in(world.coordinator_a)
    page.goto("/g/brugge/activities/")
    page.get_by_role("link", name="Kerngroep").click()
    page.get_by_label("Wie?").select_option(label="Mieke (Familie Peeters)")
    page.get_by_label("Sinds").fill("2025-09-01")
    page.get_by_label("Tot en met").fill("2025-08-01")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator(".errorlist")).to_contain_text(
        "Het einde kan niet voor het begin liggen (01/09/2025)."
    )
    assert_accessible(page)
    page.get_by_label("Tot en met").fill("")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("Mieke staat nu in de kerngroep.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Beëindigen.*Mieke"))).to_be_visible()

    page.goto(f"/g/brugge/activities/series/{series}/edit/")
    last = timezone.localdate() + timedelta(weeks=3)
    page.get_by_label("Laatste keer op").fill(last.isoformat())
    page.get_by_role("button", name="Reeks beëindigen").click()
    expect(page.get_by_text(f"De reeks loopt tot en met {last:%d/%m/%Y}.")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    assert not csp_violations

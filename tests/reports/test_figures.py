"""Report figures against values computed by hand on a small world."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from households.models import AccessLogEntry, Household, Person
from reports.figures import Period, build_report
from tests.helpers import make_visit
from visits.models import Signal


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def figures_world(world, year):
    """On top of the shared world (household_a with Mieke and visit_a today, signal_a today):

    household C: 2 adults, 3 children, 1 other; visited twice this year, once last year.
    household D: no visits, closed this year.
    """
    c = Household.objects.create(group=world.group_a, display_name="Familie Claes")
    for first_name, role in [
        ("Ann", "adult"),
        ("Bert", "adult"),
        ("Cas", "child"),
        ("Dries", "child"),
        ("Eva", "child"),
        ("Fons", "other"),
    ]:
        Person.objects.create(group=world.group_a, household=c, first_name=first_name, role=role)
    make_visit(
        c,
        world.volunteer_a,
        world.coordinator_a,
        date=date(year, 1, 10),
        kind="home",
        duration_minutes=60,
        topics=["housing", "energy"],
        support=["food"],
    )
    make_visit(
        c, world.volunteer_a, date=date(year, 1, 20), kind="phone", duration_minutes=30, topics=["housing"]
    )
    make_visit(
        c, world.volunteer_a, date=date(year - 1, 12, 31), kind="home", duration_minutes=45, topics=["health"]
    )
    Household.objects.create(
        group=world.group_a,
        display_name="Familie Dewulf",
        status="closed",
        closed_on=date(year, 1, 15),
        close_reason="moved",
    )
    Signal.objects.create(
        group=world.group_a,
        household=c,
        institution="school",
        theme="education",
        description="x",
        noticed_on=date(year, 1, 5),
        created_by=world.volunteer_a,
    )
    Signal.objects.create(
        group=world.group_a,
        household=c,
        institution="school",
        theme="education",
        description="vorig jaar",
        noticed_on=date(year - 1, 6, 1),
        created_by=world.volunteer_a,
    )
    return world


def group_report(world, period):
    group = world.group_a
    return build_report(
        households=group.households.all(),
        visits=group.visits.all(),
        signals=group.signals.all(),
        period=period,
    )


def test_the_yearly_report_matches_a_count_by_hand(figures_world, year):
    report = group_report(figures_world, Period.year(year))
    assert report.families_reached == 2  # household_a and C; C counted once although visited twice
    assert (
        report.persons_reached,
        report.adults_reached,
        report.children_reached,
        report.others_reached,
    ) == (7, 3, 3, 1)
    assert report.new_families == 3  # household_a, C and D were all created this year
    assert report.closed_families == 1
    assert report.contacts == 3
    assert dict(report.contacts_by_kind)["huisbezoek"] == 2
    assert dict(report.contacts_by_kind)["telefoon"] == 1
    assert report.volunteer_hours == 2.5  # 60 min × 2 volunteers + 30 min; visit_a has no duration
    assert dict(report.topics) == {**dict.fromkeys(dict(report.topics), 0), "wonen": 2, "energie": 1}
    assert dict(report.support)["voedsel"] == 1
    assert dict(report.signals_by_institution) == {
        **dict.fromkeys(dict(report.signals_by_institution), 0),
        "OCMW": 1,
        "school": 1,
    }
    assert dict(report.signals_by_theme)["onderwijs"] == 1
    assert dict(report.signals_by_theme)["inkomen & schulden"] == 1


def test_another_groups_data_never_counts(figures_world, year):
    make_visit(
        figures_world.household_b, figures_world.volunteer_b, date=date(year, 2, 1), duration_minutes=600
    )
    report = group_report(figures_world, Period.year(year))
    assert report.families_reached == 2 and report.volunteer_hours == 2.5


def test_a_period_without_data_is_an_empty_report(figures_world):
    report = group_report(figures_world, Period(date(2001, 1, 1), date(2001, 12, 31)))
    assert report.is_empty
    assert (report.families_reached, report.contacts, report.volunteer_hours) == (0, 0, 0)


def url(name, **kwargs):
    return reverse(f"reports:{name}", kwargs={"slug": "brugge", **kwargs})


def test_the_report_page_says_so_when_a_year_has_no_data(figures_world, as_user):
    response = as_user(figures_world.coordinator_a).get(
        url("report"), {"start": "2001-01-01", "end": "2001-12-31"}
    )
    assert "nog niets geregistreerd" in response.content.decode()


def test_a_period_that_ends_before_it_starts_is_explained_not_a_500(figures_world, as_user):
    client = as_user(figures_world.coordinator_a)
    response = client.get(url("report"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 200
    assert "Het einde ligt vóór het begin." in response.content.decode()
    assert (
        client.get(url("report_export", fmt="csv"), {"start": "2026-05-01", "end": "2026-01-01"}).status_code
        == 404
    )
    assert client.get(url("report"), {"start": "gisteren"}).status_code == 200


def test_the_xlsx_holds_the_figures_and_is_logged(figures_world, as_user, year):
    response = as_user(figures_world.coordinator_a).get(
        url("report_export", fmt="xlsx"), {"start": f"{year}-01-01", "end": f"{year}-12-31"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    values = {(row[0], row[1]): row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[("Gezinnen", "bereikte gezinnen")] == 2
    assert values[("Personen", "kinderen")] == 3
    assert values[("Vrijwilligers", "uren vrijwilligerswerk")] == 2.5
    assert values[("Onderwerpen", "wonen")] == 2
    assert not any(
        "Claes" in str(cell) or "Mieke" in str(cell)
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    )
    entry = AccessLogEntry.objects.get(action="export")
    assert (entry.user, entry.group, entry.household) == (
        figures_world.coordinator_a,
        figures_world.group_a,
        None,
    )
    assert "jaarverslag.xlsx" in entry.fields


def test_the_csv_holds_the_same_figures(figures_world, as_user, year):
    response = as_user(figures_world.coordinator_a).get(url("report_export", fmt="csv"))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Onderdeel", "Omschrijving", "Aantal"]
    assert ["Gezinnen", "bereikte gezinnen", "2"] in rows
    assert ["Contacten per soort", "telefoon", "1"] in rows
    assert AccessLogEntry.objects.filter(action="export", fields__contains=["jaarverslag.csv"]).exists()


def test_viewing_the_report_is_logged(figures_world, as_user):
    as_user(figures_world.coordinator_a).get(url("report"))
    assert AccessLogEntry.objects.filter(action="report_view", household=None).count() == 1


def test_the_signals_report_counts_per_theme_institution_and_municipality(figures_world, as_user, year):
    response = as_user(figures_world.coordinator_a).get(
        url("signals_report"), {"start": f"{year}-01-01", "end": f"{year}-12-31"}
    )
    context = response.context
    assert ("onderwijs", 1, 1) in context["by_theme"]
    assert ("school", 1, 1) in context["by_institution"]
    assert context["by_municipality"] == [("Brugge", 2, 2)]
    assert "Familie" not in response.content.decode().split("<main", 1)[1]


@pytest.mark.parametrize("name", ["home", "report", "signals_report"])
def test_report_pages_do_a_fixed_number_of_queries(figures_world, as_user, queries_stay_constant, name, year):
    client = as_user(figures_world.coordinator_a)

    def grow():
        for i in range(25):
            household = Household.objects.create(group=figures_world.group_a, display_name=f"Gezin {i}")
            Person.objects.create(
                group=figures_world.group_a, household=household, first_name="X", role="child"
            )
            make_visit(
                household,
                figures_world.volunteer_a,
                figures_world.coordinator_a,
                date=date(year, 1, 2),
                topics=["food"],
                support=["transport"],
                duration_minutes=20,
            )
            Signal.objects.create(
                group=figures_world.group_a,
                household=household,
                institution="ocmw",
                theme="food",
                description="z",
                created_by=figures_world.volunteer_a,
            )

    queries_stay_constant(client, url(name), grow)


def test_chart_geometry_scales_to_the_largest_value_and_skips_zero_rows():
    from reports.charts import BAR_MAX, ROW, horizontal

    chart = horizontal([("a", 2), ("b", 0), ("c", 4)])
    assert [bar.label for bar in chart.bars] == ["c", "a", "b"]
    assert [bar.width for bar in chart.bars] == [BAR_MAX, BAR_MAX / 2, 0]
    assert chart.height == 2 * ROW
    assert not horizontal([("a", 0)])


def test_a_bad_period_shows_no_figures_and_logs_nothing(figures_world, as_user):
    client = as_user(figures_world.coordinator_a)
    bad = {"start": "2026-05-01", "end": "2026-01-01"}
    for name in ["report", "signals_report"]:
        response = client.get(url(name), bad)
        assert response.status_code == 200
        assert "Het einde ligt vóór het begin." in response.content.decode()
        assert "Download als CSV" not in response.content.decode()
    assert client.get(url("signals_report_export", fmt="csv"), bad).status_code == 404
    assert not AccessLogEntry.objects.filter(household=None).exists()

"""The staff's activity and decree figures cannot be unpicked either (#14 item 7 on #15's figures).

They go through reports.suppression with the other staff figures, computed for every active group
whichever page asks: a region shows the same cells on its own page as inside the country, and a
figure that is the sum of others (families reached = only by activities + by both; activities =
the sum of the kinds) never gives a hidden part away.
"""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivitySignal
from households.models import Household, Person
from reports.suppression import HIDDEN
from tests.helpers import assert_safe, attend, make_activity, make_visit
from visits.models import Signal

YEAR = 2025


def _families_at_an_activity(group, author, n, *, visited=0, volunteer=None):
    """`n` new families of `group` at one praatcafé in January; the first `visited` had a visit too."""
    activity = make_activity(
        group, author, starts_at=timezone.make_aware(dt.datetime.combine(dt.date(YEAR, 1, 10), dt.time(19)))
    )
    for i in range(n):
        household = Household.objects.create(group=group, display_name=f"Familie {group.slug} {i}")
        person = Person.objects.create(group=group, household=household, first_name=f"P{i}")
        attend(activity, person)
        if i < visited:
            make_visit(household, volunteer, date=dt.date(YEAR, 1, 12))


@pytest.fixture
def january(world):
    """Brugge: 2 families at an activity, one visited too. Kortrijk: 8, none visited.
    Genk (the only group of Limburg): 3, all visited."""
    _families_at_an_activity(world.group_a, world.coordinator_a, 2, visited=1, volunteer=world.volunteer_a)
    _families_at_an_activity(world.group_a2, world.coordinator_a, 8)
    _families_at_an_activity(world.group_b, world.coordinator_b, 3, visited=3, volunteer=world.volunteer_b)


def _activity_figures(client, region=None):
    url = reverse("staff:region", kwargs={"region": region}) if region else reverse("staff:national")
    response = client.get(url, {"year": YEAR, "part": "m1"})
    assert response.status_code == 200
    rows = {label: value for _s, label, value, _d in response.context["activity_rows"]}
    return rows, dict(response.context["activity_kinds"])


def test_attack_national_minus_region_on_activity_figures(world, as_user, staff, january):
    client = as_user(staff)
    national, national_kinds = _activity_figures(client)
    regions = {slug: _activity_figures(client, slug) for slug in ("west-vlaanderen", "limburg")}
    # Limburg's 3 families are hidden; national 13 minus West-Vlaanderen's 10 would give them.
    assert regions["limburg"][0]["gezinnen bereikt met activiteiten"] == HIDDEN
    for label, total in national.items():
        assert_safe(total, [regions[s][0][label] for s in regions], label)
    for label, total in national_kinds.items():
        assert_safe(total, [regions[s][1][label] for s in regions], label)
    # The regional staff member sees the same cells as national staff computing the same region.
    world.region_b.staff.add(world.volunteer_b)
    assert _activity_figures(as_user(world.volunteer_b), "limburg") == regions["limburg"]


def test_attack_a_derived_cell_families_only_by_activities_plus_both(world, as_user, staff, january):
    client = as_user(staff)
    for region in ("west-vlaanderen", "limburg", None):
        rows, kinds = _activity_figures(client, region)
        assert_safe(
            rows["gezinnen bereikt met activiteiten"],
            [
                rows["gezinnen alleen via activiteiten bereikt"],
                rows["gezinnen bereikt met contacten én activiteiten"],
            ],
            f"families in {region}",
        )
        assert_safe(rows["groepsactiviteiten"], list(kinds.values()), f"activities in {region}")
    west, _kinds = _activity_figures(client, "west-vlaanderen")
    # One family of Brugge both visited and at an activity: 10 - 9 would give it.
    assert west["gezinnen bereikt met contacten én activiteiten"] == HIDDEN
    assert west["gezinnen alleen via activiteiten bereikt"] == HIDDEN or (
        west["gezinnen bereikt met activiteiten"] == HIDDEN
    )


def test_the_national_signals_report_shows_what_led_to_an_action_protected(world, as_user, staff):
    """Per theme and together, the signals an action or a dialogue took up; small cells hidden and
    protected with their total, on the page and in the export."""
    dialogue = make_activity(
        world.group_a,
        world.coordinator_a,
        kind="dialogue",
        starts_at=timezone.make_aware(dt.datetime.combine(dt.date(YEAR, 3, 1), dt.time(19))),
    )
    for i in range(7):
        signal = Signal.objects.create(
            group=world.group_a,
            household=world.household_a,
            institution="ocmw",
            theme="income_debt" if i < 6 else "housing",
            noticed_on=dt.date(YEAR, 2, 1),
            description=f"Signaal {i}",
            created_by=world.volunteer_a,
        )
        ActivitySignal.objects.create(group=world.group_a, activity=dialogue, signal=signal)
    client = as_user(staff)
    page = client.get(reverse("staff:signals"), {"year": YEAR, "part": "y"})
    acted = {label: shown for label, _n, shown in page.context["led_to_action"]}
    # 6 on income and debts, 1 on housing: the 1 is hidden, and so the 6 (7 - 6 would give it).
    assert acted["wonen"] == HIDDEN
    assert_safe(page.context["led_to_action_total"], list(acted.values()), "led to an action")
    assert page.context["led_to_action_total"] == 7
    export = client.get(reverse("staff:signals_export", kwargs={"fmt": "csv"}), {"year": YEAR, "part": "y"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    section = "Opgenomen in een actie of overleg, per thema"
    assert [section, "wonen", HIDDEN] in rows
    assert [section, "Samen", "7"] in rows
    assert not any("Signaal" in cell for row in rows for cell in row)


MONTHS = [f"m{m}" for m in range(1, 13)]
QUARTERS = [f"q{q}" for q in range(1, 5)]


def _region_page(client, part):
    response = client.get(reverse("staff:region", kwargs={"region": "limburg"}), {"year": YEAR, "part": part})
    assert response.status_code == 200
    rows = {label: value for _s, label, value, _d in response.context["activity_rows"]}
    return rows | {f"kind {label}": n for label, n in response.context["activity_kinds"]}


def test_attack_a_month_from_its_quarter_and_year_on_activity_and_decree_figures(world, as_user, staff):
    """Limburg (only Genk): 3 trainings in January, 10 in February, with one attendance each, and
    a signal of January taken up by one of them. Protected per period only, the quarter (13) minus
    February (10) and March (0) gave January's 3 back; over the year it cannot."""
    person = world.household_b.persons.get()
    for month, n in [(1, 3), (2, 10)]:
        for day in range(1, n + 1):
            starts_at = timezone.make_aware(dt.datetime.combine(dt.date(YEAR, month, day), dt.time(19)))
            training = make_activity(world.group_b, world.coordinator_b, kind="training", starts_at=starts_at)
            attend(training, person)
    signal = Signal.objects.create(
        group=world.group_b,
        household=world.household_b,
        institution="ocmw",
        theme="housing",
        noticed_on=dt.date(YEAR, 1, 5),
        description="Wachtlijst",
        created_by=world.volunteer_b,
    )
    ActivitySignal.objects.create(group=world.group_b, activity=training, signal=signal)
    client = as_user(staff)
    pages = {part: _region_page(client, part) for part in [*MONTHS, *QUARTERS, "y"]}
    assert pages["m1"]["groepsactiviteiten"] == HIDDEN
    assert pages["m1"]["4. emancipatie: vormings- en infoactiviteiten"] == HIDDEN
    assert pages["m1"]["aanwezigheden van gezinsleden"] == HIDDEN
    assert pages["y"]["5. werken aan structuren: signalen opgenomen in een actie of overleg"] == HIDDEN
    over_time = [
        "groepsactiviteiten",
        "aanwezigheden van gezinsleden",
        "andere aanwezigen (niet geregistreerd)",
        "4. emancipatie: vormings- en infoactiviteiten",
        "5. werken aan structuren: acties",
        "5. werken aan structuren: signalen opgenomen in een actie of overleg",
        "6. dialoog: overleg met instellingen",
        *[label for label in pages["y"] if label.startswith("kind ")],
    ]
    for label in over_time:
        for q, quarter in enumerate(QUARTERS):
            months = [pages[m][label] for m in MONTHS[3 * q : 3 * q + 3]]
            assert_safe(pages[quarter][label], months, f"{label} in {quarter}")
        assert_safe(pages["y"][label], [pages[q][label] for q in QUARTERS], f"{label} in the year")
        assert_safe(pages["y"][label], [pages[m][label] for m in MONTHS], f"{label} over the months")
    # The same count under two names is hidden under both (a kind and its decree figure).
    for part, page in pages.items():
        assert (page["kind vorming"] == HIDDEN) == (
            page["4. emancipatie: vormings- en infoactiviteiten"] == HIDDEN
        ), part


def test_signals_taken_up_are_protected_alike_on_the_figures_and_the_signals_report(world, as_user, staff):
    """The national "signals taken up" of the activity figures and the signals report's "led to
    an action" are one number: one protection, so neither page shows what the other hides."""
    dialogue = make_activity(
        world.group_b,
        world.coordinator_b,
        kind="dialogue",
        starts_at=timezone.make_aware(dt.datetime.combine(dt.date(YEAR, 3, 1), dt.time(19))),
    )
    for i in range(6):
        signal = Signal.objects.create(
            group=world.group_b,
            household=world.household_b,
            institution="ocmw",
            theme="housing" if i else "education",
            noticed_on=dt.date(YEAR, 2, 1),
            description=f"Signaal {i}",
            created_by=world.volunteer_b,
        )
        ActivitySignal.objects.create(group=world.group_b, activity=dialogue, signal=signal)
    client = as_user(staff)
    for part in ("m2", "q1", "y"):
        figures = client.get(reverse("staff:national"), {"year": YEAR, "part": part}).context["activity_rows"]
        taken_up = {label: value for _s, label, value, _d in figures}[
            "5. werken aan structuren: signalen opgenomen in een actie of overleg"
        ]
        report = client.get(reverse("staff:signals"), {"year": YEAR, "part": part}).context
        assert taken_up == report["led_to_action_total"], part
        acted = [shown for _label, _n, shown in report["led_to_action"]]
        assert_safe(taken_up, acted, f"led to an action in {part}")


def test_every_decree_figure_is_counted_once_per_period_or_over_the_year_never_both_or_neither():
    """The staff pages take ONCE_PER_PERIOD per group and count the rest over the year: a new
    figure must land in exactly one of the two."""
    from activities.selectors import FIGURES, ONCE_PER_PERIOD
    from reports.staff_figures import _OVER_TIME, _SAME_AS_STAFF

    over_the_year = {*_OVER_TIME, "signals_taken_up", *_SAME_AS_STAFF}
    assert set(ONCE_PER_PERIOD).isdisjoint(over_the_year)
    assert set(ONCE_PER_PERIOD) | over_the_year == {key for key, *_rest in FIGURES}

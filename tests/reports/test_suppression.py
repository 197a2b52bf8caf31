"""Small cells cannot be unpicked: one test per subtraction attack a staff member tried.

Each attack takes figures a staff member can see and subtracts them. The check is the same for
every line (a total and its parts): when a part is hidden, either the total is hidden too, or
at least two parts are hidden, so the subtraction gives a sum of unknowns, never one cell.
"""

import datetime as dt
from collections.abc import Hashable

import pytest
from django.urls import reverse

from households.models import Household, Person
from reports.suppression import HIDDEN, SMALL_CELL, Line, protect
from tests.helpers import assert_safe, make_visit

YEAR = 2025


def _visits(group, volunteer, n, *, month, minutes=60, households=None, persons=()):
    households = households or [Household.objects.create(group=group, display_name=f"F {group.slug} {month}")]
    for household in households:
        for first_name, role in persons:
            Person.objects.create(group=group, household=household, first_name=first_name, role=role)
    for i in range(n):
        make_visit(
            households[i % len(households)], volunteer, date=dt.date(YEAR, month, 3), duration_minutes=minutes
        )


@pytest.fixture
def year_of_work(world):
    """Brugge: 2 contacts in January, 6 in February and March. Kortrijk: 8 in January.
    Genk (the other region): 12 in January."""
    _visits(world.group_a, world.volunteer_a, 2, month=1, persons=[("A", "adult"), ("K", "child")])
    _visits(world.group_a, world.volunteer_a, 6, month=2)
    _visits(world.group_a, world.volunteer_a, 6, month=3)
    kortrijk = [Household.objects.create(group=world.group_a2, display_name=f"K{i}") for i in range(8)]
    _visits(
        world.group_a2, world.volunteer_a_and_a2, 8, month=1, households=kortrijk, persons=[("V", "adult")]
    )
    genk = [Household.objects.create(group=world.group_b, display_name=f"G{i}") for i in range(6)]
    _visits(
        world.group_b,
        world.volunteer_b,
        12,
        month=1,
        households=genk,
        persons=[("V", "adult"), ("W", "adult")],
    )


def _page(client, part, region=None):
    url = reverse("staff:region", kwargs={"region": region}) if region else reverse("staff:national")
    response = client.get(url, {"year": YEAR, "part": part})
    assert response.status_code == 200
    return response.context


MEASURES = ["families", "contacts", "hours", "new", "closed", "signals"]


def test_attack_total_minus_the_visible_groups(world, as_user, staff, year_of_work):
    page = _page(as_user(staff), "m1", "west-vlaanderen")
    rows = {row["group"].slug: row for row in page["rows"]}
    assert rows["brugge"]["contacts"] == HIDDEN  # 2 contacts
    for measure in MEASURES:
        assert_safe(page["totals"][measure], [row[measure] for row in page["rows"]], measure)
    # Without complementary suppression Kortrijk's 8 would be shown and 10 - 8 = 2.
    assert rows["kortrijk"]["contacts"] == HIDDEN or page["totals"]["contacts"] == HIDDEN


def test_attack_two_adjacent_periods(world, as_user, staff, year_of_work):
    client = as_user(staff)
    brugge = {}
    for part in ["m1", "m2", "m3", "q1", "q2", "q3", "q4", "y"]:
        brugge[part] = next(r for r in _page(client, part)["rows"] if r["group"].slug == "brugge")
    assert brugge["m1"]["contacts"] == HIDDEN
    for measure in MEASURES:
        if measure == "families":
            continue  # counted once per period: does not add up over months
        assert_safe(brugge["q1"][measure], [brugge[m][measure] for m in ("m1", "m2", "m3")], measure)
        assert_safe(brugge["y"][measure], [brugge[q][measure] for q in ("q1", "q2", "q3", "q4")], measure)


def test_a_staff_period_is_a_whole_month_quarter_or_year(world, as_user, staff):
    response = as_user(staff).get(reverse("staff:national"), {"start": "2025-01-01", "end": "2025-01-30"})
    # Free dates are not a choice any more: no figures for 1 to 30 January.
    assert "start" not in response.context["form"].fields
    assert "rows" not in response.context
    ok = as_user(staff).get(reverse("staff:national"), {"year": "2025", "part": "q2"})
    assert (ok.context["period"].start, ok.context["period"].end) == (
        dt.date(2025, 4, 1),
        dt.date(2025, 6, 30),
    )


def test_attack_national_minus_region(world, as_user, staff, year_of_work):
    client = as_user(staff)
    national = _page(client, "m1")
    regions = {slug: _page(client, "m1", slug) for slug in ("west-vlaanderen", "limburg")}
    subtotals = {region.slug: values for region, values in national["subtotals"]}
    for slug, page in regions.items():
        assert page["totals"] == subtotals[slug]  # the same cells on both pages
    for measure in MEASURES:
        assert_safe(national["totals"][measure], [subtotals[s][measure] for s in subtotals], measure)
    for key in ["families_reached", "persons_reached", "children_reached", "adults_reached", "contacts"]:
        assert_safe(national["shown"][key], [regions[s]["shown"][key] for s in regions], key)
    for i, (label, total) in enumerate(national["shown"]["contacts_by_kind"]):
        assert_safe(total, [regions[s]["shown"]["contacts_by_kind"][i][1] for s in regions], label)


def test_attack_persons_by_role(world, as_user, staff, year_of_work):
    client = as_user(staff)
    for region in ("west-vlaanderen", None):
        shown = _page(client, "m1", region)["shown"]
        roles = [shown["adults_reached"], shown["children_reached"], shown["others_reached"]]
        assert_safe(shown["persons_reached"], roles, "persons")
    west = _page(client, "m1", "west-vlaanderen")["shown"]
    assert west["children_reached"] == HIDDEN  # one child


def test_attack_volunteer_hours(world, as_user, staff, year_of_work):
    page = _page(as_user(staff), "m1", "west-vlaanderen")
    rows = {row["group"].slug: row for row in page["rows"]}
    # Two visits of an hour would say 2.0 hours: hidden with the contacts it comes from.
    assert rows["brugge"]["hours"] == HIDDEN
    assert_safe(page["totals"]["hours"], [row["hours"] for row in page["rows"]], "hours")
    assert_safe(page["shown"]["volunteer_hours"], [page["shown"]["volunteer_hours"]], "hours")


def test_protect_hides_a_second_cell_and_keeps_going_until_every_line_holds():
    cells: dict[Hashable, float] = {"total": 23, "a": 3, "b": 20, "a1": 1, "a2": 2, "atotal": 3}
    lines = [Line("total", ("a", "b")), Line("atotal", ("a1", "a2"))]
    hidden = protect(cells, lines)
    assert {"a", "b"} <= hidden  # 23 - 20 would give a
    assert {"a1", "a2"} <= hidden
    # The hidden parts of a line add up to at least SMALL_CELL, or the total is hidden too.
    for line in lines:
        parts = [p for p in line.parts if p in hidden]
        assert line.total in hidden or (len(parts) >= 2 and sum(cells[p] for p in parts) >= SMALL_CELL)


def test_protect_hides_a_part_when_a_total_is_hidden():
    hidden = protect({"t": 3, "a": 3, "b": 0}, [Line("t", ("a", "b"))])
    assert hidden == {"t", "a"} or hidden >= {"t", "a"}
    hidden = protect({"t": 9, "a": 9, "b": 0}, [Line("t", ("a", "b"))], primary={"t"})
    assert "a" in hidden

"""Regional and national figures: staff only, no names, small cells suppressed."""

import csv
import io

import pytest
from django.urls import reverse

from households.models import Household
from reports.suppression import HIDDEN
from tests.helpers import make_visit


@pytest.fixture
def busy_group(world):
    """Group a2 reaches five families: its figures are shown as they are."""
    for i in range(5):
        household = Household.objects.create(group=world.group_a2, display_name=f"Familie Kortrijk {i}")
        make_visit(household, world.volunteer_a_and_a2, duration_minutes=60)
    return world.group_a2


def test_anonymous_goes_to_login_and_members_are_refused(world, as_user):
    url = reverse("staff:national")
    assert as_user(None).get(url)["Location"].startswith(reverse("account_login"))
    assert as_user(world.coordinator_a).get(url).status_code == 403
    assert as_user(world.volunteer_a).get(reverse("staff:signals")).status_code == 403


def test_counts_from_1_to_4_are_hidden_and_so_is_what_would_give_them_away(world, as_user, staff, busy_group):
    response = as_user(staff).get(reverse("staff:national"))
    rows = {row["group"].slug: row for row in response.context["rows"]}
    assert rows["brugge"]["families"] == HIDDEN  # one family: could be recognised
    assert rows["brugge"]["contacts"] == HIDDEN
    assert rows["genk"]["families"] == HIDDEN
    # Kortrijk's 5 and the region's 6 cannot both be shown: 6 - 5 would give Brugge's 1.
    west = {region.slug: values for region, values in response.context["subtotals"]}["west-vlaanderen"]
    assert HIDDEN in (rows["kortrijk"]["families"], west["families"])
    assert response.context["totals"]["families"] == 7
    assert HIDDEN in response.content.decode()


def test_no_names_or_addresses_anywhere(world, as_user, staff, busy_group):
    for url in [
        reverse("staff:national"),
        reverse("staff:region", kwargs={"region": "west-vlaanderen"}),
        reverse("staff:signals"),
    ]:
        html = as_user(staff).get(url).content.decode()
        for private in [
            "Familie Peeters",
            "Mieke",
            "Kerkstraat",
            "Familie Kortrijk",
            "Arne Vrijwilliger",
            "Leefloon te laat",
        ]:
            assert private not in html, (url, private)


def test_a_region_shows_only_its_groups(world, as_user, staff):
    response = as_user(staff).get(reverse("staff:region", kwargs={"region": "limburg"}))
    assert [row["group"].slug for row in response.context["rows"]] == ["genk"]
    assert as_user(staff).get(reverse("staff:region", kwargs={"region": "nergens"})).status_code == 404


def test_the_national_signals_export_suppresses_small_cells(world, as_user, staff):
    response = as_user(staff).get(reverse("staff:signals_export", kwargs={"fmt": "csv"}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Per instantie", "OCMW", HIDDEN] in rows
    assert ["Per gemeente", "Brugge", HIDDEN] in rows
    assert not any("Leefloon" in cell for row in rows for cell in row)


def test_the_staff_page_does_a_fixed_number_of_queries(world, as_user, staff, queries_stay_constant):
    from groups.models import Group

    def grow():
        for i in range(10):
            group = Group.objects.create(
                name=f"Schakel {i}", slug=f"schakel-{i}", municipality="Gent", region=world.region_b
            )
            household = Household.objects.create(group=group, display_name="x")
            make_visit(household, world.volunteer_b, duration_minutes=30)

    queries_stay_constant(as_user(staff), reverse("staff:national"), grow)


def test_a_bad_period_on_the_staff_pages_shows_the_error_without_figures(world, as_user, staff):
    response = as_user(staff).get(reverse("staff:national"), {"year": "2999", "part": "q1"})
    assert response.status_code == 200
    assert "Dat jaar is nog niet begonnen." in response.content.decode()
    assert "rows" not in response.context
    bad = as_user(staff).get(reverse("staff:signals_export", kwargs={"fmt": "csv"}), {"year": "x"})
    assert bad.status_code == 404


def test_regional_staff_see_their_region_and_nothing_else(world, as_user):
    regional = world.outsider
    world.region_a.staff.add(regional)
    client = as_user(regional)
    chooser = client.get(reverse("home"))
    assert chooser.status_code == 200
    assert reverse("staff:region", kwargs={"region": "west-vlaanderen"}) in chooser.content.decode()
    page = client.get(reverse("staff:region", kwargs={"region": "west-vlaanderen"}))
    assert page.status_code == 200
    assert {row["group"].slug for row in page.context["rows"]} == {"brugge", "kortrijk"}
    assert "Familie Peeters" not in page.content.decode()
    assert client.get(reverse("staff:region", kwargs={"region": "limburg"})).status_code == 403
    assert client.get(reverse("staff:national")).status_code == 403
    assert client.get(reverse("staff:signals")).status_code == 403
    # … and no group data: a regional role is not a membership.
    assert client.get(reverse("reports:home", kwargs={"slug": "brugge"})).status_code == 404

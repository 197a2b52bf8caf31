"""The staff figures in the cache (reports.staff_figures.staff_area_figures): one entry per area,
a region's page reads only its own, never a name in it, and stale for at most
STAFF_FIGURES_MAX_AGE seconds (issue #16, item 4: no cache that can mix groups or areas)."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from groups.models import Group
from households.models import Household
from reports import staff_figures
from tests.helpers import make_visit

YEAR = timezone.localdate().year


@pytest.fixture
def limburg_staff(world):
    """A regional staff member of Limburg (group Genk) only."""
    world.region_b.staff.add(world.volunteer_b)
    return world.volunteer_b


@pytest.fixture
def busy(world):
    """Enough families in each region that their figures are shown, not hidden."""
    for group, n in [(world.group_a, 6), (world.group_a2, 7), (world.group_b, 8)]:
        for i in range(n):
            household = Household.objects.create(group=group, display_name=f"Familie {group.slug} {i}")
            make_visit(household, world.volunteer_a_and_a2 if group != world.group_b else world.volunteer_b)


def _page(client, region=None):
    url = reverse("staff:region", kwargs={"region": region}) if region else reverse("staff:national")
    response = client.get(url)
    assert response.status_code == 200
    return response


def _figures(response) -> tuple:
    context = response.context
    rows = [(row["group"].slug, {k: v for k, v in row.items() if k != "group"}) for row in context["rows"]]
    subtotals = [(region.slug, values) for region, values in context["subtotals"]]
    return rows, context["totals"], subtotals, context["shown"]


def _key(world, area: str) -> str:
    groups = list(
        Group.objects.filter(is_active=True).select_related("region").order_by("region__name", "name")
    )
    return staff_figures._cache_key(area, groups, YEAR, "y")


def test_the_cached_figures_are_the_ones_counted(world, as_user, staff, busy, settings, cached):
    client = as_user(staff)
    first = {area: _figures(_page(client, area)) for area in (None, "west-vlaanderen", "limburg")}
    assert cache.get(_key(world, "n")) is not None  # the first page filled the cache
    again = {area: _figures(_page(client, area)) for area in (None, "west-vlaanderen", "limburg")}
    settings.STAFF_FIGURES_MAX_AGE = 0
    counted = {area: _figures(_page(client, area)) for area in (None, "west-vlaanderen", "limburg")}
    assert first == again == counted
    assert counted[None][1]["families"] == 21 + 2  # and the world's own two visited families


def test_a_region_page_reads_only_its_own_entry(world, as_user, staff, limburg_staff, busy, cached):
    """Poison the country's and West-Vlaanderen's entries: Limburg's page never shows them."""
    _page(as_user(staff))  # fills every area's entry
    for area in ("n", f"r{world.region_a.pk}"):
        key = _key(world, area)
        poisoned = cache.get(key)
        poisoned["totals"] = {**poisoned["totals"], "contacts": 987654}
        poisoned["rows"] = [{**row, "group_id": world.group_a.pk} for row in poisoned["rows"]]
        cache.set(key, poisoned, 600)

    limburg = _page(as_user(limburg_staff), "limburg")
    html = limburg.content.decode()
    assert "987654" not in html
    assert [row["group"].slug for row in limburg.context["rows"]] == ["genk"]
    assert "Schakel Brugge" not in html and "Schakel Kortrijk" not in html
    assert limburg.context["subtotals"] == []
    # The poison is really there: the pages that read those entries show it.
    assert "987654" in _page(as_user(staff)).content.decode()
    assert "987654" in _page(as_user(staff), "west-vlaanderen").content.decode()
    # And the cache is no way around the door: another region stays refused.
    url = reverse("staff:region", kwargs={"region": "west-vlaanderen"})
    assert as_user(limburg_staff).get(url).status_code == 403
    assert as_user(world.coordinator_a).get(reverse("staff:national")).status_code == 403


def test_each_entry_holds_its_own_area_and_never_a_name(world, as_user, staff, busy, cached):
    _page(as_user(staff))
    national, west, limburg = (
        cache.get(_key(world, a)) for a in ("n", f"r{world.region_a.pk}", f"r{world.region_b.pk}")
    )
    assert {row["group_id"] for row in national["rows"]} == {
        world.group_a.pk,
        world.group_a2.pk,
        world.group_b.pk,
    }
    assert {row["group_id"] for row in west["rows"]} == {world.group_a.pk, world.group_a2.pk}
    assert {row["group_id"] for row in limburg["rows"]} == {world.group_b.pk}
    assert west["subtotals"] == limburg["subtotals"] == {}
    assert limburg["totals"] == national["subtotals"][world.region_b.pk]
    for entry in (national, west, limburg):
        text = repr(entry)
        for private in ["Familie", "Peeters", "Mieke", "Kerkstraat", "Vrijwilliger", "Schakel"]:
            assert private not in text


def test_stale_for_at_most_the_max_age_but_a_new_group_counts_at_once(world, as_user, staff, busy, cached):
    client = as_user(staff)
    before = _page(client).context["totals"]["families"]
    household = Household.objects.create(group=world.group_b, display_name="Familie Nieuw")
    make_visit(household, world.volunteer_b)
    # Within STAFF_FIGURES_MAX_AGE the page may show the figures as they were (docs/architecture.md).
    assert _page(client).context["totals"]["families"] == before
    # A new active group changes the key: every figure is counted again, with the new visit.
    Group.objects.create(
        name="Schakel Hasselt", slug="hasselt", municipality="Hasselt", region=world.region_b
    )
    response = _page(client)
    assert response.context["totals"]["families"] == before + 1
    assert "hasselt" in [row["group"].slug for row in response.context["rows"]]


def test_each_language_has_its_own_entry(world, as_user, staff, busy, cached):
    client = as_user(staff)
    dutch = _page(client).context["shown"]["contacts_by_kind"]
    with override("en"):
        english_key = _key(world, "n")
    assert cache.get(english_key) is None
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = _page(client).context["shown"]["contacts_by_kind"]
    assert [n for _label, n in dutch] == [n for _label, n in english]
    assert [label for label, _n in dutch] != [label for label, _n in english]


def test_no_group_page_puts_anything_in_the_cache(world, as_user, staff, cached):
    """Item 4's tripwire: group pages (family data, group figures) are never cached, so nothing
    of group A can be served to group B from the cache. A cache added to a group page must be
    keyed by group and tested like the staff figures above; until then, this stays empty."""
    from django.db import connection

    pages = [
        reverse("reports:home", kwargs={"slug": "brugge"}),
        reverse("reports:report", kwargs={"slug": "brugge"}),
        reverse("reports:signals_report", kwargs={"slug": "brugge"}),
        reverse("visits:follow_up_mine", kwargs={"slug": "brugge"}),
        reverse("activities:list", kwargs={"slug": "brugge"}),
        world.activity_a.get_absolute_url(),
        reverse("activities:attendance", kwargs={"slug": "brugge", "pk": world.activity_a.pk}),
        world.household_a.get_absolute_url(),
    ]
    client = as_user(world.coordinator_a)
    for url in pages:
        assert client.get(url).status_code == 200, url
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM django_cache")
        assert cursor.fetchall() == []
    _page(as_user(staff))  # the staff figures are the only entries
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM django_cache")
        keys = [key for (key,) in cursor.fetchall()]
    assert keys and all(":staff-figures:" in key for key in keys)

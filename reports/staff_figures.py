"""The figures regional and national staff see, protected by reports.suppression.

Everything is computed for all active groups and for every month, quarter and the whole year
that holds the chosen period, then protected together, then the chosen slice is shown. So a
region's cells are the same on the national page and on its own page, and a month cannot be
recovered from its quarter. A fixed number of queries (one per figure), whatever the data size.
"""

import hashlib
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.translation import get_language

from activities.models import Activity, ActivityKind, Attendance
from activities.selectors import (
    FIGURES,
    ONCE_PER_PERIOD,
    SECTIONS,
    activity_figures_by_group,
    attendance_at,
    started,
    taken_up,
)
from groups.models import Group
from households.choices import LifeDomain
from households.models import Household, Person
from reports.figures import Period, unnested
from reports.suppression import YEAR, Line, calendar_period, protect, protect_over_year, shown
from visits.models import Signal, Support, Visit, VisitVolunteer

NATIONAL = ("n",)


def _region(region_id: int) -> tuple:
    return ("r", region_id)


def _group(group_id: int) -> tuple:
    return ("g", group_id)


@dataclass
class StaffFigures:
    """Shown values (numbers or reports.suppression.HIDDEN) for one period."""

    rows: list[dict] = field(default_factory=list)
    regions: dict[int, dict] = field(default_factory=dict)
    national: dict = field(default_factory=dict)
    report: dict[tuple, dict] = field(default_factory=dict)


def _with_areas(
    monthly_by_group: Mapping[int, list[float]], groups: list[Group], name: Hashable, *, per_group: bool
) -> dict[Hashable, list[float]]:
    """Monthly values per group -> also per region and national, under keys (name, area)."""
    out: dict[Hashable, list[float]] = {}
    region_of = {g.pk: g.region_id for g in groups}
    for group in groups:
        values = monthly_by_group.get(group.pk, [0] * 12)
        if per_group:
            out[(name, _group(group.pk))] = list(values)
        for area in (_region(region_of[group.pk]), NATIONAL):
            total = out.setdefault((name, area), [0] * 12)
            for i, v in enumerate(values):
                total[i] += v
    return out


def _area_sums(name: Hashable, groups: list[Group], *, per_group: bool) -> list[tuple]:
    by_region: dict[int, list[int]] = defaultdict(list)
    for g in groups:
        by_region[g.region_id].append(g.pk)
    sums = [((name, NATIONAL), [(name, _region(r)) for r in by_region])]
    if per_group:
        sums += [((name, _region(r)), [(name, _group(g)) for g in ids]) for r, ids in by_region.items()]
    return sums


def _category_sums(total: str, categories: Sequence[Hashable], areas: Iterable[tuple]) -> list[tuple]:
    return [((total, area), [(c, area) for c in categories]) for area in areas]


def staff_period(year: int, code: str) -> Period:
    """The calendar period `code` ('y', 'q1'..'q4', 'm1'..'m12') of `year`, up to today at most
    (Period.so_far): the staff's figures, as the groups', count nothing that has not happened yet.
    The figures and the staff pages that show the period both use this."""
    return calendar_period(year, code).so_far(timezone.localdate())


def _year_so_far(year: int) -> tuple[date, date]:
    """The whole of `year` so far, as (start, end): the months over which figures that add up
    over time are protected together."""
    return staff_period(year, YEAR).bounds


def _array_monthly(
    year: int, group_ids: list[int], columns: list[str]
) -> dict[str, dict[str, dict[int, list[float]]]]:
    """Visits per group, month and value of each array column (topics, support), for a year:
    {column: {value: {group id: 12 monthly counts}}}. One pass over the year's visits."""
    table = Visit._meta.db_table
    parts = unnested("v", columns)
    # The database the ORM would read visits from: the read replica inside `rls.replica.reads`.
    with connections[router.db_for_read(Visit)].cursor() as cursor:
        sql = (
            "SELECT v.group_id, extract(month FROM v.date)::int, c.col, c.value, count(*) "  # noqa: S608 - our names
            f"FROM {table} AS v, LATERAL ({parts}) AS c "
            "WHERE v.group_id = ANY(%s) AND v.date BETWEEN %s AND %s GROUP BY 1, 2, 3, 4"
        )
        cursor.execute(
            sql,
            [group_ids, *_year_so_far(year)],
        )
        result: dict[str, dict[str, dict[int, list[float]]]] = {
            name: defaultdict(lambda: defaultdict(lambda: [0] * 12)) for name in columns
        }
        for group_id, month, col, value, n in cursor.fetchall():
            result[columns[col]][value][group_id][month - 1] += n
    return result


def _protect_with_categories(
    rows: Iterable[tuple[int, int, str, int]],
    total: str,
    category: str,
    values: Sequence[str],
    groups: list[Group],
    region_areas: Iterable[tuple],
) -> tuple[dict[tuple[Hashable, str], float], set[tuple[Hashable, str]]]:
    """Protect over the year a figure per group (`total`) that is the sum of its categories
    (`category`: one of `values` per row), the categories per area. `rows` are (group id,
    month 1-12, category value, count). Returns protect_over_year's (cells, hidden)."""
    totals: dict[int, list[float]] = defaultdict(lambda: [0] * 12)
    by_value: dict[str, dict[int, list[float]]] = defaultdict(dict)
    for group_id, month, value, n in rows:
        totals[group_id][month - 1] += n
        by_value[value].setdefault(group_id, [0] * 12)[month - 1] += n
    monthly = _with_areas(totals, groups, total, per_group=True)
    sums = _area_sums(total, groups, per_group=True)
    for value in values:
        monthly |= _with_areas(by_value.get(value, {}), groups, (category, value), per_group=False)
        sums += _area_sums((category, value), groups, per_group=False)
    sums += _category_sums(total, [(category, value) for value in values], region_areas)
    return protect_over_year(monthly, sums)


def staff_figures(*, groups: list[Group], year: int, code: str) -> StaffFigures:
    """Protected figures of every group in `groups` (all active groups, region loaded) for the
    period `code` ('y', 'q1'..'q4', 'm1'..'m12') of `year`. Queries: eighteen, whatever the data."""
    ids = [g.pk for g in groups]
    region_areas = [*sorted({_region(g.region_id) for g in groups}), NATIONAL]
    year_so_far = _year_so_far(year)
    visits = Visit.objects.filter(group_id__in=ids, date__range=year_so_far)

    # Contacts per group and month and kind: contacts = the sum of the kinds.
    contacts_rows = (
        visits.values_list("group_id", ExtractMonth("date"), "kind").annotate(n=Count("pk")).order_by()
    )
    contact_cells, contact_hidden = _protect_with_categories(
        contacts_rows, "contacts", "kind", Visit.Kind.values, groups, region_areas
    )

    # Hours: hidden wherever the contacts they come from are hidden, then protected alike.
    minutes_rows = (
        VisitVolunteer.objects.filter(group_id__in=ids, visit__date__range=year_so_far)
        .values_list("group_id", ExtractMonth("visit__date"))
        .annotate(m=Coalesce(Sum("visit__duration_minutes"), 0))
        .order_by()
    )
    minutes: dict[int, list[float]] = defaultdict(lambda: [0] * 12)
    for group_id, month, m in minutes_rows:
        minutes[group_id][month - 1] += m
    primary = [
        (("minutes", key[1]), period)
        for (key, period) in contact_hidden
        if isinstance(key, tuple) and key[0] == "contacts"
    ]
    minute_cells, minute_hidden = protect_over_year(
        _with_areas(minutes, groups, "minutes", per_group=True),
        _area_sums("minutes", groups, per_group=True),
        min_sum=0,
        primary=primary,
    )

    households = Household.objects.filter(group_id__in=ids)
    simple = {}
    for name, rows in [
        ("new", households.filter(created_at__year=year).values_list("group_id", ExtractMonth("created_at"))),
        (
            "closed",
            households.filter(closed_on__range=year_so_far).values_list(
                "group_id", ExtractMonth("closed_on")
            ),
        ),
    ]:
        per_group: dict[int, list[float]] = defaultdict(lambda: [0] * 12)
        for group_id, month, n in rows.annotate(n=Count("pk")).order_by():
            per_group[group_id][month - 1] += n
        simple[name] = protect_over_year(
            _with_areas(per_group, groups, name, per_group=True), _area_sums(name, groups, per_group=True)
        )

    # Signals per group, month and institution: signals = the sum of the institutions.
    signal_rows = (
        Signal.objects.filter(group_id__in=ids, noticed_on__range=year_so_far)
        .values_list("group_id", ExtractMonth("noticed_on"), "institution")
        .annotate(n=Count("pk"))
        .order_by()
    )
    signal_cells, signal_hidden = _protect_with_categories(
        signal_rows, "signals", "institution", Signal.Institution.values, groups, region_areas
    )

    # Topics and support: each value its own figure (a visit may have several).
    array_figures = {}
    array_counts = _array_monthly(year, ids, ["topics", "support"])
    for column, choices in [("topics", LifeDomain.values), ("support", Support.values)]:
        per_value = array_counts[column]
        monthly: dict[Hashable, list[float]] = {}
        sums: list[tuple] = []
        for value in choices:
            monthly |= _with_areas(per_value.get(value, {}), groups, (column, value), per_group=False)
            sums += _area_sums((column, value), groups, per_group=False)
        array_figures[column] = protect_over_year(monthly, sums)

    # Families and persons reached: counted once per period, so they do not add up over time;
    # protected across groups, regions and (persons) roles for the chosen period only.
    period = staff_period(year, code)
    in_period = Visit.objects.filter(group_id__in=ids, date__range=(period.start, period.end))
    families = dict(
        in_period.values_list("group_id").annotate(n=Count("household_id", distinct=True)).order_by()
    )
    persons_rows = (
        Person.objects.filter(household_id__in=in_period.values("household_id"))
        .values_list("group_id", "role")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reached: dict[Hashable, float] = defaultdict(int)
    region_of = {g.pk: g.region_id for g in groups}
    for group in groups:
        for area in (_group(group.pk), _region(group.region_id), NATIONAL):
            reached[("families", area)] += families.get(group.pk, 0)
    roles = [("role", r) for r in Person.Role.values]
    for area in region_areas:
        reached[("persons", area)] += 0
        for role in roles:
            reached[(role, area)] += 0
    for group_id, role, n in persons_rows:
        for area in (_region(region_of[group_id]), NATIONAL):
            reached[("persons", area)] += n
            reached[(("role", role), area)] += n
    lines = []
    for figure in ["families", "persons", *roles]:
        for total, parts in _area_sums(figure, groups, per_group=figure == "families"):
            lines.append(Line(total, tuple(parts)))
    for total, parts in _category_sums("persons", roles, region_areas):
        lines.append(Line(total, tuple(parts)))
    reached_hidden = protect(reached, lines)

    def cell(cells, hidden, name, area, *, hours=False):
        key = ((name, area), code)
        value = cells.get(key, 0)
        if hours:
            value = round(value / 60, 1)
        return shown(value, key in hidden)

    def row(area) -> dict:
        new_cells, new_hidden = simple["new"]
        closed_cells, closed_hidden = simple["closed"]
        return {
            "families": shown(reached[("families", area)], ("families", area) in reached_hidden),
            "contacts": cell(contact_cells, contact_hidden, "contacts", area),
            "hours": cell(minute_cells, minute_hidden, "minutes", area, hours=True),
            "new": cell(new_cells, new_hidden, "new", area),
            "closed": cell(closed_cells, closed_hidden, "closed", area),
            "signals": cell(signal_cells, signal_hidden, "signals", area),
        }

    # The labels in the current language, translated once for every area.
    labels = {
        name: [(value, str(label)) for value, label in choices]
        for name, choices in [
            ("contacts_by_kind", Visit.Kind.choices),
            ("signals_by_institution", Signal.Institution.choices),
            ("topics", LifeDomain.choices),
            ("support", Support.choices),
        ]
    }

    def report(area) -> dict:
        def reached_cell(name):
            return shown(reached[(name, area)], (name, area) in reached_hidden)

        result = row(area)
        result |= {
            "families_reached": result["families"],
            "persons_reached": reached_cell("persons"),
            "adults_reached": reached_cell(("role", Person.Role.ADULT)),
            "children_reached": reached_cell(("role", Person.Role.CHILD)),
            "others_reached": reached_cell(("role", Person.Role.OTHER)),
            "new_families": result["new"],
            "closed_families": result["closed"],
            "volunteer_hours": result["hours"],
            "contacts_by_kind": [
                (label, cell(contact_cells, contact_hidden, ("kind", value), area))
                for value, label in labels["contacts_by_kind"]
            ],
            "signals_by_institution": [
                (label, cell(signal_cells, signal_hidden, ("institution", value), area))
                for value, label in labels["signals_by_institution"]
            ],
        }
        for column in ("topics", "support"):
            cells, hidden = array_figures[column]
            result[column] = [
                (label, cell(cells, hidden, (column, value), area)) for value, label in labels[column]
            ]
        return result

    figures = StaffFigures()
    figures.rows = [{"group": g, **row(_group(g.pk))} for g in groups]
    figures.regions = {area[1]: row(area) for area in region_areas if area != NATIONAL}
    figures.national = row(NATIONAL)
    figures.report = {area: report(area) for area in region_areas}
    _add_activity_figures(figures.report, groups, year, code)
    return figures


# --- The cache: one entry per area (the country, each region), never one holding them all -----

CACHE_VERSION = 2  # raise when the shape of a slice changes (2: the board members' row)


def _area_slices(figures: StaffFigures, groups: list[Group]) -> dict[str, dict]:
    """What each page shows, per area: "n" (the country: every group's row, the regions'
    subtotals, the national totals) and "r<region id>" (that region's groups and totals only).
    Groups are kept as their ids: names come from the caller's fresh list."""

    def strip(row: dict) -> dict:
        return {"group_id": row["group"].pk, **{k: v for k, v in row.items() if k != "group"}}

    slices = {
        "n": {
            "rows": [strip(row) for row in figures.rows],
            "totals": figures.national,
            "subtotals": figures.regions,
            "report": figures.report.get(NATIONAL, {}),
        }
    }
    for region_id in {g.region_id for g in groups}:
        slices[f"r{region_id}"] = {
            "rows": [strip(row) for row in figures.rows if row["group"].region_id == region_id],
            "totals": figures.regions.get(region_id, {}),
            "subtotals": {},
            "report": figures.report.get(_region(region_id), {}),
        }
    return slices


def _cache_key(area: str, groups: list[Group], year: int, code: str) -> str:
    # The active groups and their regions are part of the key: a group that joins, leaves or
    # moves to another region changes every figure, so the figures are counted again at once.
    composition = hashlib.sha256(repr([(g.pk, g.region_id) for g in groups]).encode()).hexdigest()[:20]
    # The last day counted as well: while the year runs, the figures count up to today
    # (_year_so_far), so yesterday's entry is never read as today's.
    counted_to = f"{_year_so_far(year)[1]:%Y%m%d}"
    return f"staff-figures:{CACHE_VERSION}:{area}:{year}:{counted_to}:{code}:{get_language()}:{composition}"


def staff_area_figures(*, groups: list[Group], year: int, code: str, region_id: int | None) -> dict:
    """The protected figures of one area for the staff pages: the country (`region_id` None) or
    one region. A dict with "rows" (one per group of the area, "group" the Group from `groups`),
    "totals" (the area's row), "subtotals" ({region id: row}, the country only) and "report"
    (the area's detailed figures, `staff_figures().report[area]`).

    Computed by `staff_figures` for all of `groups` together (so the cells are the same on every
    page), then kept in the cache (settings.CACHES) per area for settings.STAFF_FIGURES_MAX_AGE
    seconds: a region's page reads only its own region's entry, never the country's or another
    region's. The figures are aggregates after small-cell protection, never a name of a family.
    Staleness: a new visit, household or activity, or an activity that begins, shows up on the
    staff pages within STAFF_FIGURES_MAX_AGE seconds (0: at once); a change of the active groups
    or their regions, the language, the period or the day (the figures count up to today), at
    once (they are in the key)."""
    area = "n" if region_id is None else f"r{region_id}"
    max_age = settings.STAFF_FIGURES_MAX_AGE
    chosen = cache.get(_cache_key(area, groups, year, code)) if max_age else None
    if chosen is None:
        slices = _area_slices(staff_figures(groups=groups, year=year, code=code), groups)
        slices.setdefault(area, {"rows": [], "totals": {}, "subtotals": {}, "report": {}})
        if max_age:
            cache.set_many({_cache_key(a, groups, year, code): s for a, s in slices.items()}, timeout=max_age)
        chosen = slices[area]
    by_pk = {g.pk: g for g in groups}
    rows = []
    for row in chosen["rows"]:
        values = {k: v for k, v in row.items() if k != "group_id"}
        rows.append({"group": by_pk[row["group_id"]], **values})
    return {**chosen, "rows": rows}


# Decree figures that are the same number as a staff figure above: shown as that cell.
_SAME_AS_STAFF = {"signals": "signals", "new_families": "new"}
# Activity and decree figures that add up over time (a quarter is the sum of its months): they
# are protected over the year with the other staff figures that do, so that a month cannot be
# recovered from its quarter or year. The rest count each person or family once per period and
# are protected for the chosen period, as "families reached". "signals_taken_up" adds up too,
# and is protected with the signals report's "led to an action" (_acted_over_year).
_OVER_TIME = ("activities", "attendances", "unregistered", "training_activities", "dialogues", "actions")
_SAME_NUMBER = [
    ("training_activities", ("kind", ActivityKind.TRAINING)),
    ("dialogues", ("kind", ActivityKind.DIALOGUE)),
    ("actions", ("kind", ActivityKind.ACTION)),
]


def _activities_over_year(groups: list[Group], year: int) -> tuple[dict, set]:
    """protect_over_year's (cells, hidden) of the activity figures in _OVER_TIME and the counts
    per kind, per region and for the country: regions add up to the country, kinds to all
    activities, and a figure that is the same number as a kind is tied to it both ways (a line
    with one part: hiding one hides the other). Two queries."""
    ids = [g.pk for g in groups]
    monthly: dict[Hashable, dict[int, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0] * 12))
    kind_figure = {kind: figure for figure, (_k, kind) in _SAME_NUMBER}
    first, last = _year_so_far(year)
    # The activities that started this year by now, and the attendance at them (so_far).
    activities = started(Activity.objects.filter(group_id__in=ids), first, last, timezone.now())
    for group_id, month, kind, n, heads in (
        activities.values_list("group_id", ExtractMonth("starts_at"), "kind")
        .annotate(n=Count("pk"), heads=Coalesce(Sum("unregistered_count"), 0))
        .order_by()
    ):
        for key, value in [("activities", n), ("unregistered", heads), (("kind", kind), n)]:
            monthly[key][group_id][month - 1] += value
        if kind in kind_figure:
            monthly[kind_figure[kind]][group_id][month - 1] += n
    for group_id, month, n in (
        attendance_at(Attendance.objects.filter(group_id__in=ids), activities, first, last)
        .values_list("group_id", ExtractMonth("date"))
        .annotate(n=Count("pk"))
        .order_by()
    ):
        monthly["attendances"][group_id][month - 1] += n
    kinds = [("kind", value) for value in ActivityKind.values]
    areas = [*sorted({_region(g.region_id) for g in groups}), NATIONAL]
    cells: dict[Hashable, list[float]] = {}
    sums: list[tuple] = []
    for key in [*_OVER_TIME, *kinds]:
        cells |= _with_areas(monthly.get(key, {}), groups, key, per_group=False)
        sums += _area_sums(key, groups, per_group=False)
    sums += _category_sums("activities", kinds, areas)
    for figure, kind in _SAME_NUMBER:
        sums += [((figure, area), [(kind, area)]) for area in areas]
        sums += [((kind, area), [(figure, area)]) for area in areas]
    return protect_over_year(cells, sums)


def _acted_over_year(groups: list[Group], year: int) -> tuple[dict, set]:
    """protect_over_year's (cells, hidden) of the signals noticed in `year` that an action or a
    dialogue took up (at any time): per theme and together for the country (the national
    signals report), and per region (the activity figures' "signals taken up"), regions adding
    up to the country. One computation for both pages, so that neither shows a cell the other
    hides. One query."""
    region_of = {g.pk: g.region_id for g in groups}
    monthly: dict[Hashable, list[float]] = defaultdict(lambda: [0] * 12)
    rows = (
        Signal.objects.filter(group_id__in=list(region_of), noticed_on__range=_year_so_far(year))
        .filter(taken_up(timezone.now()))
        .values_list("group_id", ExtractMonth("noticed_on"), "theme")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for group_id, month, theme, n in rows:
        key: Hashable
        for key in ("acted_total", ("acted", theme), ("signals_taken_up", _region(region_of[group_id]))):
            monthly[key][month - 1] += n
    regions = sorted({_region(g.region_id) for g in groups})
    for empty in ["acted_total", *[("acted", v) for v in LifeDomain.values]]:
        monthly[empty]
    for area in regions:
        monthly[("signals_taken_up", area)]
    sums: list[tuple[Hashable, list[Hashable]]] = [
        ("acted_total", [("acted", v) for v in LifeDomain.values]),
        ("acted_total", [("signals_taken_up", area) for area in regions]),
    ]
    return protect_over_year(dict(monthly), sums)


def _activity_lines(areas: list[tuple], groups: list[Group], keys: list[str]) -> list[Line]:
    """What adds up in the activity and decree figures of `keys` that count each person or family
    once per period: regions to the country, the two kinds of families reached to all of them,
    and "brought together", which is the same number as "different persons present"."""
    lines = []
    for figure in keys:
        for total, parts in _area_sums(figure, groups, per_group=False):
            lines.append(Line(total, tuple(parts)))
    for area in areas:
        lines.append(
            Line(
                ("families_by_activities", area),
                (("families_only_activities", area), ("families_both", area)),
            )
        )
        lines.append(Line(("brought_together", area), (("unique_persons", area),)))
        lines.append(Line(("unique_persons", area), (("brought_together", area),)))
    return lines


def _add_activity_figures(report: dict[tuple, dict], groups: list[Group], year: int, code: str) -> None:
    """report[area]["activity_rows"] and ["activity_kinds"] for every region and the country:
    the activity and decree figures of activities.selectors, summed from the groups and protected
    together (never per group: staff do not see a group's activity figures). Figures that add up
    over time are protected over every month, quarter and the year (_activities_over_year,
    _acted_over_year); the others for the chosen period, across regions."""
    areas = list(report)
    period = staff_period(year, code)
    by_group = activity_figures_by_group(group_ids=[g.pk for g in groups], start=period.start, end=period.end)
    once = list(ONCE_PER_PERIOD)
    region_of = {g.pk: g.region_id for g in groups}
    cells: dict[Hashable, float] = {(key, area): 0 for key in once for area in areas}
    for group_id, counts in by_group.items():
        for key in once:
            for area in (_region(region_of[group_id]), NATIONAL):
                cells[(key, area)] += counts[key]
    hidden = protect(cells, _activity_lines(areas, groups, once))
    time_cells, time_hidden = _activities_over_year(groups, year)
    acted_cells, acted_hidden = _acted_over_year(groups, year)

    def timed(key: Hashable, area: tuple):
        cell = ((key, area), code)
        return shown(time_cells.get(cell, 0), cell in time_hidden)

    # The texts in the current language, translated once for every area.
    rows = [
        (key, str(SECTIONS[section]), str(label), str(definition))
        for key, section, label, definition in FIGURES
    ]
    kinds = [(value, str(label)) for value, label in ActivityKind.choices]
    for area in areas:
        values: dict[str, object] = {key: shown(cells[(key, area)], (key, area) in hidden) for key in once}
        values |= {key: timed(key, area) for key in _OVER_TIME}
        acted = ("acted_total", code) if area == NATIONAL else (("signals_taken_up", area), code)
        values["signals_taken_up"] = shown(acted_cells.get(acted, 0), acted in acted_hidden)
        for key, staff_key in _SAME_AS_STAFF.items():
            values[key] = report[area][staff_key]
        # As ActivityFigures.rows() and .kind_rows(), with the protected values.
        report[area]["activity_rows"] = [
            (section, label, values[key], definition) for key, section, label, definition in rows
        ]
        report[area]["activity_kinds"] = [(label, timed(("kind", value), area)) for value, label in kinds]


def staff_signal_tables(*, year: int, code: str) -> dict:
    """The national signals report for staff: per theme, institution, municipality and status,
    each table adding up to the total, and the signals an action or a dialogue took up (at any
    time) per theme, adding up to their own total; all protected together over the months,
    quarters and year, the latter with the regions' "signals taken up" of the staff's activity
    figures (_acted_over_year). Three queries."""
    noticed = Signal.objects.filter(group__is_active=True, noticed_on__range=_year_so_far(year))
    dimensions = {
        "by_theme": ("theme", LifeDomain.choices),
        "by_institution": ("institution", Signal.Institution.choices),
        "by_status": ("status", Signal.Status.choices),
    }
    monthly: dict[Hashable, list[float]] = defaultdict(lambda: [0] * 12)
    rows = noticed.values_list(
        ExtractMonth("noticed_on"), "theme", "institution", "status", "group__municipality"
    ).annotate(n=Count("pk"))
    municipalities: set[str] = set()
    for month, theme, institution, status, municipality, n in rows.order_by():
        monthly["total"][month - 1] += n
        for key in (("theme", theme), ("institution", institution), ("status", status)):
            monthly[key][month - 1] += n
        monthly[("municipality", municipality)][month - 1] += n
        municipalities.add(municipality)
    monthly["total"]
    for column, choices in dimensions.values():
        for value, _label in choices:
            monthly[(column, value)]
    sums = [("total", [(column, v) for v, _l in choices]) for column, choices in dimensions.values()]
    sums.append(("total", [("municipality", m) for m in sorted(municipalities)]))
    cells, hidden = protect_over_year(dict(monthly), sums)
    acted_cells, acted_hidden = _acted_over_year(list(Group.objects.filter(is_active=True)), year)
    cells |= acted_cells
    hidden |= acted_hidden

    def show(key):
        value = cells.get((key, code), 0)
        return value, shown(value, (key, code) in hidden)

    tables = {
        name: [(str(label), *show((column, value))) for value, label in choices]
        for name, (column, choices) in dimensions.items()
    }
    tables["by_municipality"] = [(m, *show(("municipality", m))) for m in sorted(municipalities)]
    tables["led_to_action"] = [(str(label), *show(("acted", value))) for value, label in LifeDomain.choices]
    tables["led_to_action_total"] = show("acted_total")[1]
    tables["total"] = show("total")[1]
    return tables

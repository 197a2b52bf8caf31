"""The figures regional and national staff see, protected by reports.suppression.

Everything is computed for all active groups and for every month, quarter and the whole year
that holds the chosen period, then protected together, then the chosen slice is shown. So a
region's cells are the same on the national page and on its own page, and a month cannot be
recovered from its quarter. A fixed number of queries (one per figure), whatever the data size.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractMonth

from activities.models import Activity, Attendance
from activities.selectors import activity_figures
from groups.models import Group
from households.choices import LifeDomain
from households.models import Household, Person
from reports.figures import Period, activity_tables
from reports.suppression import HIDDEN, Line, calendar_period, protect, protect_over_year, shown
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


def _array_monthly(year: int, group_ids: list[int], column: str) -> dict[str, dict[int, list[float]]]:
    """Visits per group, month and value of an array column (topics, support), for a year."""
    table = Visit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT group_id, extract(month FROM date)::int, value, count(*) FROM {table}, "  # noqa: S608 - our names
            f"unnest({column}) AS value WHERE group_id = ANY(%s) AND date BETWEEN %s AND %s "
            "GROUP BY 1, 2, 3",
            [group_ids, date(year, 1, 1), date(year, 12, 31)],
        )
        result: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0] * 12))
        for group_id, month, value, n in cursor.fetchall():
            result[value][group_id][month - 1] += n
    return result


def staff_figures(*, groups: list[Group], year: int, code: str) -> StaffFigures:
    """Protected figures of every group in `groups` (all active groups, region loaded) for the
    period `code` ('y', 'q1'..'q4', 'm1'..'m12') of `year`. Queries: nine, whatever the data."""
    ids = [g.pk for g in groups]
    region_areas = [*sorted({_region(g.region_id) for g in groups}), NATIONAL]
    visits = Visit.objects.filter(group_id__in=ids, date__year=year)

    # Contacts per group and month and kind: contacts = the sum of the kinds.
    by_kind: dict[str, dict[int, list[float]]] = defaultdict(dict)
    contacts_rows = (
        visits.values_list("group_id", ExtractMonth("date"), "kind").annotate(n=Count("pk")).order_by()
    )
    contacts_by_group: dict[int, list[float]] = defaultdict(lambda: [0] * 12)
    for group_id, month, kind, n in contacts_rows:
        contacts_by_group[group_id][month - 1] += n
        by_kind[kind].setdefault(group_id, [0] * 12)[month - 1] += n
    kinds = [("kind", k) for k in Visit.Kind.values]
    monthly = _with_areas(contacts_by_group, groups, "contacts", per_group=True)
    sums = _area_sums("contacts", groups, per_group=True)
    for kind in Visit.Kind.values:
        monthly |= _with_areas(by_kind.get(kind, {}), groups, ("kind", kind), per_group=False)
        sums += _area_sums(("kind", kind), groups, per_group=False)
    sums += _category_sums("contacts", kinds, region_areas)
    contact_cells, contact_hidden = protect_over_year(monthly, sums)

    # Hours: hidden wherever the contacts they come from are hidden, then protected alike.
    minutes_rows = (
        VisitVolunteer.objects.filter(group_id__in=ids, visit__date__year=year)
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
            households.filter(closed_on__year=year).values_list("group_id", ExtractMonth("closed_on")),
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
        Signal.objects.filter(group_id__in=ids, noticed_on__year=year)
        .values_list("group_id", ExtractMonth("noticed_on"), "institution")
        .annotate(n=Count("pk"))
        .order_by()
    )
    signals_by_group: dict[int, list[float]] = defaultdict(lambda: [0] * 12)
    by_institution: dict[str, dict[int, list[float]]] = defaultdict(dict)
    for group_id, month, institution, n in signal_rows:
        signals_by_group[group_id][month - 1] += n
        by_institution[institution].setdefault(group_id, [0] * 12)[month - 1] += n
    institutions = [("institution", i) for i in Signal.Institution.values]
    monthly = _with_areas(signals_by_group, groups, "signals", per_group=True)
    sums = _area_sums("signals", groups, per_group=True)
    for inst in Signal.Institution.values:
        monthly |= _with_areas(by_institution.get(inst, {}), groups, ("institution", inst), per_group=False)
        sums += _area_sums(("institution", inst), groups, per_group=False)
    sums += _category_sums("signals", institutions, region_areas)
    signal_cells, signal_hidden = protect_over_year(monthly, sums)

    # Topics and support: each value its own figure (a visit may have several).
    array_figures = {}
    for column, choices in [("topics", LifeDomain.values), ("support", Support.values)]:
        per_value = _array_monthly(year, ids, column)
        monthly, sums = {}, []
        for value in choices:
            monthly |= _with_areas(per_value.get(value, {}), groups, (column, value), per_group=False)
            sums += _area_sums((column, value), groups, per_group=False)
        array_figures[column] = protect_over_year(monthly, sums)

    # Families and persons reached: counted once per period, so they do not add up over time;
    # protected across groups, regions and (persons) roles for the chosen period only.
    period = _period(year, code)
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
                for value, label in Visit.Kind.choices
            ],
            "signals_by_institution": [
                (label, cell(signal_cells, signal_hidden, ("institution", value), area))
                for value, label in Signal.Institution.choices
            ],
        }
        for column, choices in [("topics", LifeDomain.choices), ("support", Support.choices)]:
            cells, hidden = array_figures[column]
            result[column] = [
                (str(label), cell(cells, hidden, (column, value), area)) for value, label in choices
            ]
        result["contacts_by_kind"] = [(str(label), n) for label, n in result["contacts_by_kind"]]
        result["signals_by_institution"] = [(str(label), n) for label, n in result["signals_by_institution"]]
        return result

    figures = StaffFigures()
    figures.rows = [{"group": g, **row(_group(g.pk))} for g in groups]
    figures.regions = {area[1]: row(area) for area in region_areas if area != NATIONAL}
    figures.national = row(NATIONAL)
    figures.report = {area: report(area) for area in region_areas}
    return figures


def _period(year: int, code: str) -> Period:
    return calendar_period(year, code)


def staff_signal_tables(*, year: int, code: str) -> dict:
    """The national signals report for staff: per theme, institution, municipality and status,
    each table adding up to the total, protected over the months, quarters and year together."""
    noticed = Signal.objects.filter(group__is_active=True, noticed_on__year=year)
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

    def show(key):
        value = cells.get((key, code), 0)
        return value, shown(value, (key, code) in hidden)

    tables = {
        name: [(str(label), *show((column, value))) for value, label in choices]
        for name, (column, choices) in dimensions.items()
    }
    tables["by_municipality"] = [(m, *show(("municipality", m))) for m in sorted(municipalities)]
    tables["total"] = show("total")[1]
    return tables


def hide_small(n):
    """A count of 1 to 4 is not shown to staff (the same threshold as reports.suppression)."""
    return HIDDEN if isinstance(n, int) and 0 < n < 5 else n


def staff_activity_figures(groups, period: Period) -> dict:
    """Activity and decree figures over the staff member's groups together (never per group,
    never a name), each count of 1 to 4 hidden."""
    figures = activity_figures(
        activities=Activity.objects.filter(group__in=groups),
        attendances=Attendance.objects.filter(group__in=groups),
        visits=Visit.objects.filter(group__in=groups),
        households=Household.objects.filter(group__in=groups),
        signals=Signal.objects.filter(group__in=groups),
        start=period.start,
        end=period.end,
    )
    return activity_tables(figures, show=hide_small)

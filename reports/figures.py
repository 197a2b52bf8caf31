"""Every figure is one SQL aggregate: no Python loops over rows, a fixed number of queries
whatever the size of the data. Functions take querysets already scoped to one group (or, for
staff, to several) so that the scoping stays where it belongs: in the caller."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from django.db import connections
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from activities.models import Attendance
from activities.selectors import activity_figures, taken_up
from groups.models import Group
from households.choices import LifeDomain
from households.models import Household, Person
from visits.models import Signal, Support, Visit, VisitVolunteer


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive: the last day counted
    # The end that was chosen, when it lies after today: `end` is then today (`so_far`).
    chosen_end: date | None = None

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def last_months(cls, today: date, months: int = 12) -> "Period":
        first = date(today.year, today.month, 1)
        for _ in range(months - 1):
            first = (first - timedelta(days=1)).replace(day=1)
        return cls(first, today)

    def so_far(self, today: date) -> "Period":
        """The period up to `today` at most: a figure never counts what has not happened yet
        (a report of this year handed in in November counts no December praatcafé). The
        chosen end stays in `chosen_end`, for the page to say that it counts up to today."""
        if self.end <= today:
            return self
        return Period(self.start, today, chosen_end=self.end)

    @property
    def bounds(self) -> tuple[date, date]:
        """(start, end), for a `__range` lookup."""
        return self.start, self.end

    def months(self) -> list[date]:
        month, result = date(self.start.year, self.start.month, 1), []
        while month <= self.end:
            result.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return result


def count_array_values(queryset: QuerySet, column: str, choices) -> list[tuple[str, int]]:
    """How often each value occurs in an array column (topics, support) over the queryset's rows,
    as (label, count) for every choice in `choices`' order. One query."""
    return count_array_columns(queryset, {column: choices})[column]


def count_array_values_of_visits(visits: QuerySet[Visit]) -> tuple[list, list]:
    """count_array_values of topics (LifeDomain) and support (Support) together: one query."""
    counts = count_array_columns(visits, {"topics": LifeDomain.choices, "support": Support.choices})
    return counts["topics"], counts["support"]


def unnested(alias: str, columns: list[str]) -> str:
    """SQL for a LATERAL subquery with one row (col, value) per element of each array column of
    the row `alias`: `col` is the column's index in `columns`. The names must be ours (they are
    put into the SQL as they are)."""
    return " UNION ALL ".join(
        f"SELECT {i} AS col, unnest({alias}.{name}) AS value" for i, name in enumerate(columns)
    )


def count_array_columns(queryset: QuerySet, columns: dict[str, list]) -> dict[str, list[tuple[str, int]]]:
    """count_array_values for several array columns of the same rows ({column: choices}), in one
    query: one pass over the rows, each column unnested beside the others.

    PostgreSQL's unnest() cannot be grouped by through the ORM, so the queryset's own SQL (with
    its scoping and filters, parameters kept separate) becomes a subquery, run on the queryset's
    database (the read replica inside `rls.replica.reads`)."""
    names = list(columns)
    sql, params = queryset.order_by().values("pk", *names).query.sql_with_params()
    parts = unnested("rows", names)  # one row per (column, value) of each row
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT v.col, v.value, count(*) FROM ({sql}) AS rows, LATERAL ({parts}) AS v "  # noqa: S608 - names are ours
            "GROUP BY v.col, v.value",
            params,
        )
        counts: dict[tuple[int, str], int] = {(col, value): n for col, value, n in cursor.fetchall()}
    return {
        name: [(str(label), counts.get((i, value), 0)) for value, label in columns[name]]
        for i, name in enumerate(names)
    }


def visits_per_month(visits: QuerySet[Visit], period: Period) -> list[tuple[date, int]]:
    rows = (
        visits.filter(date__range=(period.start, period.end))
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    counts = {row["month"]: row["n"] for row in rows}
    return [(month, counts.get(month, 0)) for month in period.months()]


def per_volunteer(visits: QuerySet[Visit]) -> list[dict]:
    """Contacts and hours per volunteer who took part (a duo visit counts for both)."""
    volunteers = (
        VisitVolunteer.objects.filter(visit__in=visits)
        .values("user_id", "user__full_name", "user__email")
        .annotate(contacts=Count("visit_id"), minutes=Coalesce(Sum("visit__duration_minutes"), 0))
        .order_by("-contacts", "user__full_name")
    )
    rows = cast(list[dict[str, Any]], list(volunteers))  # plain dicts: "hours" is added below
    for row in rows:  # one row per volunteer, already aggregated
        row["hours"] = round(row["minutes"] / 60, 1)
    return rows


@dataclass
class Report:
    """The yearly report (jaarverslag) of one group or of many together."""

    period: Period
    families_reached: int = 0
    persons_reached: int = 0
    adults_reached: int = 0
    children_reached: int = 0
    others_reached: int = 0
    new_families: int = 0
    closed_families: int = 0
    contacts: int = 0
    contacts_by_kind: list[tuple[str, int]] = field(default_factory=list)
    volunteer_hours: float = 0.0
    topics: list[tuple[str, int]] = field(default_factory=list)
    support: list[tuple[str, int]] = field(default_factory=list)
    signals_by_institution: list[tuple[str, int]] = field(default_factory=list)
    signals_by_theme: list[tuple[str, int]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.contacts or self.new_families or self.closed_families or self.signals_total)

    @property
    def signals_total(self) -> int:
        return sum(n for _, n in self.signals_by_institution)


def build_report(
    *, households: QuerySet[Household], visits: QuerySet[Visit], signals: QuerySet[Signal], period: Period
) -> Report:
    in_period = visits.filter(date__range=(period.start, period.end))
    # One pass over the period's visits: households reached (each once however often visited)
    # and the contacts of each kind.
    per_visit = in_period.aggregate(
        families=Count("household_id", distinct=True),
        **{f"kind_{value}": Count("pk", filter=Q(kind=value)) for value in Visit.Kind.values},
    )
    reached = in_period.order_by().values("household_id")
    report = Report(period=period)
    report.families_reached = per_visit["families"]
    persons = Person.objects.filter(household_id__in=reached).aggregate(
        total=Count("pk"),
        children=Count("pk", filter=Q(role=Person.Role.CHILD)),
        adults=Count("pk", filter=Q(role=Person.Role.ADULT)),
        others=Count("pk", filter=Q(role=Person.Role.OTHER)),
    )
    report.persons_reached = persons["total"]
    report.children_reached = persons["children"]
    report.adults_reached = persons["adults"]
    report.others_reached = persons["others"]
    opened_closed = households.aggregate(
        new=Count("pk", filter=Q(created_at__date__range=(period.start, period.end))),
        closed=Count("pk", filter=Q(closed_on__range=(period.start, period.end))),
    )
    report.new_families = opened_closed["new"]
    report.closed_families = opened_closed["closed"]
    report.contacts_by_kind = [
        (str(label), per_visit[f"kind_{value}"]) for value, label in Visit.Kind.choices
    ]
    report.contacts = sum(n for _label, n in report.contacts_by_kind)
    minutes = VisitVolunteer.objects.filter(visit__in=in_period).aggregate(
        m=Coalesce(Sum(F("visit__duration_minutes")), 0)
    )["m"]
    report.volunteer_hours = round(minutes / 60, 1)
    report.topics, report.support = count_array_values_of_visits(in_period)
    noticed = signals.filter(noticed_on__range=(period.start, period.end))
    by_institution: dict[str, int] = defaultdict(int)
    by_theme: dict[str, int] = defaultdict(int)
    for institution, theme, n in (
        noticed.values_list("institution", "theme").annotate(n=Count("pk")).order_by()
    ):
        by_institution[institution] += n
        by_theme[theme] += n
    report.signals_by_institution = [
        (str(label), by_institution.get(value, 0)) for value, label in Signal.Institution.choices
    ]
    report.signals_by_theme = [(str(label), by_theme.get(value, 0)) for value, label in LifeDomain.choices]
    return report


# --- Activity and signal figures of the reports (group and staff) ------------------------------


def group_activity_figures(group: Group, period: Period, *, decree: bool = True):
    return activity_figures(
        decree=decree,
        activities=group.activities.all(),
        attendances=Attendance.objects.filter(group=group),
        visits=group.visits.all(),
        households=group.households.all(),
        signals=group.signals.all(),
        board_seats=group.board_seats.all(),
        start=period.start,
        end=period.end,
    )


def activity_tables(figures, show=lambda n: n) -> dict:
    return {"activity_rows": figures.rows(show), "activity_kinds": figures.kind_rows(show)}


def signal_tables(signals, period: Period) -> dict:
    """Signals in the period per theme, institution and municipality (of the group): the
    group's own figures for its coordinators, shown in full (staff: staff_signal_tables)."""
    # `period` ends today at the latest (PeriodForm.period); a dialogue counts once it has begun.
    now = timezone.now()
    noticed = signals.filter(noticed_on__range=period.bounds)

    def show(n):
        return n

    def counted(values, choices):
        counts = dict(noticed.values_list(values).annotate(n=Count("pk")).order_by())
        return [(str(label), counts.get(value, 0), show(counts.get(value, 0))) for value, label in choices]

    municipalities = (
        noticed.values("group__municipality").annotate(n=Count("pk")).order_by("group__municipality")
    )
    statuses = dict(noticed.values_list("status").annotate(n=Count("pk")).order_by())
    # Signals of the period that an action or a dialogue with an institution took up (at any
    # time up to now: one planned for next month has not taken it up yet).
    acted = dict(noticed.filter(taken_up(now)).values_list("theme").annotate(n=Count("pk")).order_by())
    return {
        "led_to_action": [
            (str(label), acted.get(value, 0), show(acted.get(value, 0)))
            for value, label in LifeDomain.choices
        ],
        "led_to_action_total": show(sum(acted.values())),
        "by_theme": counted("theme", LifeDomain.choices),
        "by_institution": counted("institution", Signal.Institution.choices),
        "by_municipality": [(row["group__municipality"], row["n"], show(row["n"])) for row in municipalities],
        "by_status": [
            (str(label), statuses.get(value, 0), show(statuses.get(value, 0)))
            for value, label in Signal.Status.choices
        ],
        "total": show(sum(statuses.values())),
    }

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import User
from activities.models import Activity, ActivitySignal, Attendance
from activities.selectors import activity_figures
from groups.access import GroupRequest, group_view
from groups.models import Group, Region
from households.choices import LifeDomain
from households.filters import needing_a_visit, without_active_contact
from households.models import AccessLogEntry, Household
from households.services import log_access
from privacy.selectors import consent_to_review
from reports import charts, exports
from reports.figures import (
    Period,
    build_report,
    count_array_values,
    per_volunteer,
    visits_per_month,
)
from reports.forms import PeriodForm, StaffPeriodForm
from reports.staff_figures import staff_figures, staff_signal_tables
from reports.suppression import HIDDEN, calendar_period
from rls import scope
from visits.models import Signal, Support
from visits.start import volunteer_start

Action = AccessLogEntry.Action
LIST_LENGTH = 10
ACTED_ON_LIST = 50


def _log_group_action(request: GroupRequest, action: str, fields: list[str]) -> None:
    log_access(user=request.user, household=None, group=request.group, action=action, fields=fields)


@group_view()
@require_GET
def group_home(request: GroupRequest) -> HttpResponse:
    """The coordinator's dashboard, or the volunteer's start page: what needs attention first."""
    if not request.membership.can_manage:
        return volunteer_start(request)
    group, today = request.group, timezone.localdate()
    open_households = group.households.exclude(status=Household.Status.CLOSED)
    needs_visit = needing_a_visit(
        group.households.filter(status=Household.Status.ACTIVE),
        weeks=group.visit_interval_weeks,
        count_activities=group.activities_count_as_contact,
    ).order_by(F("last_contact").asc(nulls_first=True), "display_name")
    context = {
        "needs_visit": needs_visit[:LIST_LENGTH],
        "needs_visit_count": needs_visit.count(),
        "interval": group.visit_interval_weeks,
    }
    consent_review = consent_to_review(group, today)
    period = Period.last_months(today)
    recent = group.visits.filter(date__range=(period.start, period.end))
    months = visits_per_month(group.visits.all(), period)
    topics = charts.horizontal(count_array_values(recent, "topics", LifeDomain.choices))
    support = charts.horizontal(count_array_values(recent, "support", Support.choices))
    context |= {
        "overdue_count": group.follow_ups.filter(done_at__isnull=True, due_date__lt=today).count(),
        "without_contact_count": without_active_contact(open_households).count(),
        "open_signals_count": group.signals.filter(status=Signal.Status.OPEN).count(),
        "consent_review": consent_review[:LIST_LENGTH],
        "consent_review_count": consent_review.count(),
        "consent_review_months": group.consent_review_months,
        "months": charts.columns(months),
        "months_total": sum(n for _, n in months),
        "topics": topics,
        "support": support,
        "volunteers": per_volunteer(recent),
        "members": group.memberships.filter(is_active=True).select_related("user"),
        "period": period,
        **_activity_context(_group_activity_figures(group, period, decree=False)),
    }
    return render(request, "reports/dashboard.html", context)


def _group_report(request: GroupRequest, form: PeriodForm):
    group = request.group
    return build_report(
        households=group.households.all(),
        visits=group.visits.all(),
        signals=group.signals.all(),
        period=form.period(),
    )


def _group_activity_figures(group: Group, period: Period, *, decree: bool = True):
    return activity_figures(
        decree=decree,
        activities=group.activities.all(),
        attendances=Attendance.objects.filter(group=group),
        visits=group.visits.all(),
        households=group.households.all(),
        signals=group.signals.all(),
        start=period.start,
        end=period.end,
    )


def _activity_context(figures, show=lambda n: n) -> dict:
    return {"activity_rows": figures.rows(show), "activity_kinds": figures.kind_rows(show)}


def _activity_export_rows(figures) -> exports.Rows:
    """The activity and decree figures, then each figure's definition: the export carries them."""
    rows: exports.Rows = [(section, label, value) for section, label, value, _d in figures.rows()]
    rows += [(_("Activiteiten per soort"), label, n) for label, n in figures.kind_rows()]
    rows += [(_("Definitie"), label, definition) for _s, label, _v, definition in figures.rows()]
    return rows


@group_view(manage=True)
@require_GET
def yearly_report(request: GroupRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # The error is shown at the field; no figures for a period that does not exist.
        return render(request, "reports/report.html", {"form": form, "report": None})
    report = _group_report(request, form)
    _log_group_action(
        request, Action.REPORT_VIEW, ["jaarverslag", f"{report.period.start}..{report.period.end}"]
    )
    activities = _activity_context(_group_activity_figures(request.group, report.period))
    return render(
        request,
        "reports/report.html",
        {"form": form, "report": report, **_report_charts(report), **activities},
    )


def _report_charts(report) -> dict:
    return {
        "chart_kinds": charts.horizontal(report.contacts_by_kind),
        "chart_topics": charts.horizontal(report.topics),
        "chart_support": charts.horizontal(report.support),
        "chart_institutions": charts.horizontal(report.signals_by_institution),
        "chart_themes": charts.horizontal(report.signals_by_theme),
    }


@group_view(manage=True)
@require_GET
def yearly_report_export(request: GroupRequest, fmt: str) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404("Not a valid period.")
    report = _group_report(request, form)
    _log_group_action(
        request, Action.EXPORT, [f"jaarverslag.{fmt}", f"{report.period.start}..{report.period.end}"]
    )
    title = f"{request.group.name}"
    filename = f"jaarverslag-{request.group.slug}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}"
    rows = exports.report_rows(report, title)
    rows += _activity_export_rows(_group_activity_figures(request.group, report.period))
    if fmt == "xlsx":
        return exports.xlsx_response(rows, filename, sheet=_("Jaarverslag"))
    return exports.csv_response(rows, filename)


def _signal_rows(signals, period: Period) -> dict:
    """Signals in the period per theme, institution and municipality (of the group): the
    group's own figures for its coordinators, shown in full (staff: staff_signal_tables)."""
    noticed = signals.filter(noticed_on__range=(period.start, period.end))

    def show(n):
        return n

    def counted(values, choices):
        counts = dict(noticed.values_list(values).annotate(n=Count("pk")).order_by())
        return [(str(label), counts.get(value, 0), show(counts.get(value, 0))) for value, label in choices]

    municipalities = (
        noticed.values("group__municipality").annotate(n=Count("pk")).order_by("group__municipality")
    )
    statuses = dict(noticed.values_list("status").annotate(n=Count("pk")).order_by())
    # Signals of the period that an action or a dialogue with an institution took up (at any time).
    acted = dict(
        noticed.filter(Exists(ActivitySignal.objects.filter(signal=OuterRef("pk"))))
        .values_list("theme")
        .annotate(n=Count("pk"))
        .order_by()
    )
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


def _signal_export_rows(tables: dict, title: str, period: Period) -> exports.Rows:
    rows: exports.Rows = [
        (_("Verslag"), title, ""),
        (_("Periode"), f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}", ""),
    ]
    for key, section in [
        ("by_theme", _("Per thema")),
        ("by_institution", _("Per instantie")),
        ("by_municipality", _("Per gemeente")),
        ("by_status", _("Per status")),
        ("led_to_action", _("Opgenomen in een actie of overleg, per thema")),
    ]:
        rows += [(section, label, shown) for label, _n, shown in tables[key]]
    rows.append(
        (_("Opgenomen in een actie of overleg, per thema"), _("Samen"), tables["led_to_action_total"])
    )
    return rows


@group_view(manage=True)
@require_GET
def signals_report(request: GroupRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/signals_report.html", {"form": form, "invalid": True})
    period = form.period()
    tables = _signal_rows(request.group.signals.all(), period)
    _log_group_action(request, Action.REPORT_VIEW, ["signalen", f"{period.start}..{period.end}"])
    acted_on = (
        request.group.signals.filter(noticed_on__range=(period.start, period.end), activities__isnull=False)
        .distinct()
        .prefetch_related(Prefetch("activities", queryset=Activity.objects.order_by("starts_at")))
        .order_by("-noticed_on", "-pk")[:ACTED_ON_LIST]
    )
    return render(
        request,
        "reports/signals_report.html",
        {"form": form, "period": form.period(), "acted_on": acted_on, **tables},
    )


@group_view(manage=True)
@require_GET
def signals_report_export(request: GroupRequest, fmt: str) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404("Not a valid period.")
    period = form.period()
    tables = _signal_rows(request.group.signals.all(), period)
    _log_group_action(request, Action.EXPORT, [f"signalen.{fmt}", f"{period.start}..{period.end}"])
    rows = _signal_export_rows(tables, request.group.name, period)
    filename = f"signalen-{request.group.slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if fmt == "xlsx":
        return exports.xlsx_response(rows, filename, sheet=_("Signalen"))
    return exports.csv_response(rows, filename)


# --- Staff: regional and national figures, never a name -----------------------------------


def staff_view(view):
    """Django staff only (403 for others, login for anonymous). They see aggregates, no names,
    counted over every group (`rls.scope.staff_aggregates`)."""

    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        with scope.staff_aggregates(None):
            return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _visible_regions(request: HttpRequest):
    if request.user.is_staff:
        return Region.objects.order_by("name")
    return cast(User, request.user).staff_regions.order_by("name")


def _staff_overview(request: HttpRequest, title: str, region: Region | None) -> HttpResponse:
    """Per group, per region and together, protected by reports.suppression. The figures are
    computed for all active groups whichever page asks, so that the region page and the national
    page show the same cells for a region."""
    form = StaffPeriodForm(request.GET or None)
    context = {"form": form, "title": title, "region": region, "regions": _visible_regions(request)}
    if form.is_bound and not form.is_valid():
        return render(request, "reports/staff_overview.html", {**context, "invalid": True})
    year, code = form.chosen()
    groups = list(
        Group.objects.filter(is_active=True).select_related("region").order_by("region__name", "name")
    )
    figures = staff_figures(groups=groups, year=year, code=code)
    area: tuple[str] | tuple[str, int]
    if region is None:
        rows, totals, area = figures.rows, figures.national, ("n",)
        subtotals = [
            (r, figures.regions[r.pk]) for r in Region.objects.filter(pk__in=figures.regions).order_by("name")
        ]
    else:
        rows = [row for row in figures.rows if row["group"].region_id == region.pk]
        totals, area, subtotals = figures.regions.get(region.pk, {}), ("r", region.pk), []
    context |= {
        "rows": rows,
        "totals": totals,
        "subtotals": subtotals,
        "shown": figures.report.get(area, {}),
        "period": calendar_period(year, code),
        "hidden_mark": HIDDEN,
        # Activity and decree figures: protected with the others, the same cells on both pages.
        "activity_rows": figures.report.get(area, {}).get("activity_rows", []),
        "activity_kinds": figures.report.get(area, {}).get("activity_kinds", []),
    }
    return render(request, "reports/staff_overview.html", context)


@staff_view
@require_GET
def national_overview(request: HttpRequest) -> HttpResponse:
    return _staff_overview(request, _("Vlaanderen en Brussel"), None)


@login_required
@require_GET
def region_overview(request: HttpRequest, region: str) -> HttpResponse:
    """National staff see every region; regional staff (Region.staff) their own regions only."""
    region_obj = get_object_or_404(Region, slug=region)
    national = request.user.is_active and request.user.is_staff
    if not (national or region_obj.staff.filter(pk=request.user.pk).exists()):
        raise PermissionDenied
    # Aggregates only, never a name; counted over every active group, as on the national page,
    # so that complementary suppression hides the same cells on both (reports.suppression).
    with scope.staff_aggregates(None):
        return _staff_overview(request, region_obj.name, region_obj)


@staff_view
@require_GET
def national_signals(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    form = StaffPeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        if fmt:
            raise Http404("Not a valid period.")
        return render(
            request, "reports/signals_report.html", {"form": form, "national": True, "invalid": True}
        )
    year, code = form.chosen()
    period = calendar_period(year, code)
    tables = staff_signal_tables(year=year, code=code)
    if fmt:
        rows = _signal_export_rows(tables, _("Signalen – Welzijnsschakels"), period)
        filename = f"signalen-{'nationaal'}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
        if fmt == "xlsx":
            return exports.xlsx_response(rows, filename, sheet=_("Signalen"))
        return exports.csv_response(rows, filename)
    return render(
        request, "reports/signals_report.html", {"form": form, "period": period, "national": True, **tables}
    )

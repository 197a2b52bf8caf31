"""Group reports: the group's home (dashboard or volunteer start), the yearly report and the
signals report, with their exports. Staff pages: reports/staff_views.py.

The reports and their exports read the read replica when there is one (`replica=True`,
rls/replica.py); the home page, a working list of what needs attention, reads the primary."""

from django.db.models import F, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from activities.models import Activity
from activities.selectors import taken_up
from groups.access import GroupRequest, group_view
from households import log_fields
from households.access_log import log_group_action
from households.models import AccessLogEntry, Household
from households.selectors import needing_a_visit, without_active_contact
from privacy.selectors import consent_to_review
from reports import charts, exports
from reports.figures import (
    Period,
    activity_tables,
    build_report,
    count_array_values_of_visits,
    group_activity_figures,
    per_volunteer,
    signal_tables,
    visits_per_month,
)
from reports.forms import PeriodForm
from visits.models import Signal
from visits.start import volunteer_start

Action = AccessLogEntry.Action
LIST_LENGTH = 10
ACTED_ON_LIST = 50


def _log_group_action(request: GroupRequest, action: str, fields: list[str]) -> None:
    log_group_action(user=request.user, group=request.group, action=action, fields=fields)


@group_view()
@require_GET
def group_home(request: GroupRequest) -> HttpResponse:
    """The group's home page (reports:home): the coordinator's dashboard, or the volunteer's
    start page (visits.start.volunteer_start)."""
    if request.membership.can_manage:
        return dashboard(request)
    return volunteer_start(request)


def dashboard(request: GroupRequest) -> HttpResponse:
    """The coordinator's dashboard: what needs attention first. Reached through group_home."""
    group, today = request.group, timezone.localdate()
    open_households = group.households.exclude(status=Household.Status.CLOSED)
    needs_visit = needing_a_visit(
        group.households.filter(status=Household.Status.ACTIVE),
        weeks=group.visit_interval_weeks,
        count_activities=group.activities_count_as_contact,
    ).order_by(F("last_contact").asc(nulls_first=True), "display_name")
    context = {
        # The lists show a name and a date: only those columns of the households.
        "needs_visit": needs_visit.only("display_name")[:LIST_LENGTH],
        "needs_visit_count": needs_visit.count(),
        "interval": group.visit_interval_weeks,
    }
    consent_review = consent_to_review(group, today)
    period = Period.last_months(today)
    recent = group.visits.filter(date__range=(period.start, period.end))
    months = visits_per_month(group.visits.all(), period)
    topic_counts, support_counts = count_array_values_of_visits(recent)
    topics, support = charts.horizontal(topic_counts), charts.horizontal(support_counts)
    context |= {
        "overdue_count": group.follow_ups.filter(done_at__isnull=True, due_date__lt=today).count(),
        "without_contact_count": without_active_contact(open_households).count(),
        "open_signals_count": group.signals.filter(status=Signal.Status.OPEN).count(),
        "consent_review": consent_review.only("display_name")[:LIST_LENGTH],
        "consent_review_count": consent_review.count(),
        "consent_review_months": group.consent_review_months,
        "months": charts.columns(months),
        "months_total": sum(n for _, n in months),
        "topics": topics,
        "support": support,
        "volunteers": per_volunteer(recent),
        "members": group.memberships.filter(is_active=True)
        .select_related("user")
        .only("role", "user__full_name", "user__email"),
        "period": period,
        **activity_tables(group_activity_figures(group, period, decree=False)),
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


@group_view(manage=True, replica=True)
@require_GET
def yearly_report(request: GroupRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # The error is shown at the field; no figures for a period that does not exist.
        return render(request, "reports/report.html", {"form": form, "report": None})
    report = _group_report(request, form)
    _log_group_action(
        request,
        Action.REPORT_VIEW,
        [log_fields.YEARLY_REPORT, log_fields.period(report.period.start, report.period.end)],
    )
    activities = activity_tables(group_activity_figures(request.group, report.period))
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


@group_view(manage=True, replica=True)
@require_GET
def yearly_report_export(request: GroupRequest, fmt: str) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404("Not a valid period.")
    report = _group_report(request, form)
    _log_group_action(
        request,
        Action.EXPORT,
        [f"{log_fields.YEARLY_REPORT}.{fmt}", log_fields.period(report.period.start, report.period.end)],
    )
    title = f"{request.group.name}"
    filename = f"jaarverslag-{request.group.slug}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}"
    rows = exports.report_rows(report, title)
    rows += exports.activity_rows(group_activity_figures(request.group, report.period))
    if fmt == "xlsx":
        return exports.xlsx_response(rows, filename, sheet=_("Jaarverslag"))
    return exports.csv_response(rows, filename)


@group_view(manage=True, replica=True)
@require_GET
def signals_report(request: GroupRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/signals_report.html", {"form": form, "invalid": True})
    period = form.period()
    tables = signal_tables(request.group.signals.all(), period)
    _log_group_action(
        request, Action.REPORT_VIEW, [log_fields.SIGNALS_REPORT, log_fields.period(period.start, period.end)]
    )
    # As the table above: taken up by an action or a dialogue that has begun (not one planned).
    now = timezone.now()
    acted_on = (
        request.group.signals.filter(noticed_on__range=(period.start, period.end))
        .filter(taken_up(now))
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.filter(starts_at__lte=now).order_by("starts_at"))
        )
        .order_by("-noticed_on", "-pk")[:ACTED_ON_LIST]
    )
    return render(
        request,
        "reports/signals_report.html",
        {"form": form, "period": period, "acted_on": acted_on, **tables},
    )


@group_view(manage=True, replica=True)
@require_GET
def signals_report_export(request: GroupRequest, fmt: str) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404("Not a valid period.")
    period = form.period()
    tables = signal_tables(request.group.signals.all(), period)
    _log_group_action(
        request,
        Action.EXPORT,
        [f"{log_fields.SIGNALS_REPORT}.{fmt}", log_fields.period(period.start, period.end)],
    )
    rows = exports.signal_rows(tables, request.group.name, period)
    filename = f"signalen-{request.group.slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if fmt == "xlsx":
        return exports.xlsx_response(rows, filename, sheet=_("Signalen"))
    return exports.csv_response(rows, filename)

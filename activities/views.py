from datetime import date
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import services
from activities.access import (
    get_activity,
    get_activity_for_delete,
    get_board_seat_for_change,
    get_series_for_change,
)
from activities.forms import (
    ActivityForm,
    AttendanceForm,
    BoardSeatEndForm,
    BoardSeatForm,
    SeriesEndForm,
    SeriesForm,
)
from activities.models import Activity, ActivitySeries, Attendance, local_datetime
from groups.access import GroupRequest, group_view
from groups.formats import short_date
from households.access_log import log_bulk_view
from households.forms import group_members
from households.models import AccessLogEntry, Household, Person
from households.selectors import search_households
from writes.stale import EditConflictError, rebase

PER_PAGE = 25
Action = AccessLogEntry.Action


@group_view()
@require_GET
def activity_list(request: GroupRequest) -> HttpResponse:
    """Today's and coming activities, soonest on top; `?when=past` the earlier ones, newest on
    top. Tonight's evening stays among the coming ones until midnight: attendance is ticked after.
    An activity of a later day shows no attendance and no link to the sheet (it has not begun);
    today's does, to tick people as they come in."""
    today = local_datetime(timezone.localdate())
    past = request.GET.get("when") == "past"
    # The count is a subquery per row shown (index on activity), not a join grouped over every
    # activity of the group: the page and the paginator's count stay as cheap after ten years.
    attended = (
        Attendance.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    activities = request.group.activities.annotate(
        attendance_count=Coalesce(Subquery(attended), 0)
    ).select_related("series")
    series_id = request.GET.get("series", "")
    if series_id.isdigit():
        activities = activities.filter(series_id=int(series_id))
    if past:
        activities = activities.filter(starts_at__lt=today).order_by("-starts_at", "-pk")
    else:
        activities = activities.filter(starts_at__gte=today).order_by("starts_at", "pk")
    page_obj = Paginator(activities, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "activities/list.html", {"page_obj": page_obj, "past": past})


@group_view()
@require_http_methods(["GET", "POST"])
def activity_create(request: GroupRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None, group=request.group, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity, created = services.create_activity(
                group=request.group,
                author=request.user,
                activity=form.instance,
                submission_id=form.cleaned_data["submission_id"],
                organisers=form.cleaned_data["organisers"],
                signals=form.cleaned_data["signals"],
                series=form.series_or_none,
            )
        except ValidationError:
            form.add_error(None, _("Dit formulier hoort bij een andere groep. Laad de pagina opnieuw."))
        else:
            if not created:
                messages.info(request, _("Deze activiteit was al opgeslagen; ze staat er één keer."))
            elif activity.series is not None:
                count = activity.series.activities.count()
                messages.success(
                    request,
                    ngettext(
                        "De reeks is opgeslagen: %(count)s activiteit.",
                        "De reeks is opgeslagen: %(count)s activiteiten.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                messages.success(request, _("De activiteit is opgeslagen."))
            return redirect(activity)
    return render(request, "activities/form.html", {"form": form})


def _attendees(activity: Activity):
    # Only what the page shows and the access log needs (the household's id and group).
    return (
        activity.attendances.select_related("person", "household")
        .only(
            "helped_organise",
            "spoke",
            "household__group_id",
            "household__display_name",
            "person__first_name",
            "person__last_name",
        )
        .order_by("household__display_name", "household_id", "person__first_name", "person_id")
    )


def _users(links) -> list:
    """The users of an activity's links (organisers, volunteers), with only the name they show."""
    return [link.user for link in links.select_related("user").only("user__full_name", "user__email")]


@group_view()
@require_GET
def activity_detail(request: GroupRequest, pk: int) -> HttpResponse:
    activity = get_activity(request, pk)
    attendees = list(_attendees(activity))
    households = {a.household_id: a.household for a in attendees}.values()
    # Who was there is each family's data: one access-log row per family shown.
    log_bulk_view(
        user=request.user,
        households=households,
        action=Action.VIEW,
        fields=services.attendance_fields(activity),
    )
    context = {
        "activity": activity,
        "attendees": attendees,
        "helped_count": sum(1 for a in attendees if a.helped_organise),
        "spoke_count": sum(1 for a in attendees if a.spoke),
        "organisers": _users(activity.activity_organisers),
        "volunteers": _users(activity.activity_volunteers),
        "signals": activity.signals.only("institution", "theme", "noticed_on", "status").order_by(
            "-noticed_on"
        ),
        "may_delete": request.membership.can_manage,
        "may_edit_series": activity.series_id is not None and request.membership.can_manage,
    }
    return render(request, "activities/detail.html", context)


@group_view()
@require_http_methods(["GET", "POST"])
def activity_edit(request: GroupRequest, pk: int) -> HttpResponse:
    activity = get_activity(request, pk)
    form = ActivityForm(request.POST or None, instance=activity, group=request.group, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        if not [name for name in form.changed_data if name != "version"]:
            # Nothing differs from what is stored: a second tap on Save, or a save without changes.
            messages.info(request, _("Er was niets gewijzigd."))
            return redirect(activity)
        try:
            services.update_activity(
                activity=form.instance,
                expected_version=form.cleaned_data["version"] or 0,
                organisers=form.cleaned_data["organisers"],
                signals=form.cleaned_data["signals"],
                fields=form.changed_data,
            )
        except EditConflictError as error:
            if error.current is None:
                raise Http404("The activity was deleted.") from None
            conflict = cast(Activity, error.current)
            # Keep what this user typed; the next save is based on the version stored now.
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = ActivityForm(data, instance=conflict, group=request.group, user=request.user)
            form.is_valid()
        else:
            messages.success(request, _("De activiteit is bijgewerkt."))
            return redirect(activity)
    return render(request, "activities/form.html", {"form": form, "activity": activity, "conflict": conflict})


@group_view()
@require_POST
def activity_delete(request: GroupRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_delete(request, pk)
    services.delete_activity(activity=activity, author=request.user)
    messages.success(request, _("De activiteit is verwijderd."))
    return redirect("activities:list", slug=request.group.slug)


def _sheet_households(request: GroupRequest, activity: Activity, query: str):
    """The group's open households (and any closed one already ticked) with their persons,
    the series' regulars first: one query for the households, one for their persons."""
    # Conditions on other tables are IN (subquery), not joins: no DISTINCT over the wide rows.
    ticked = Attendance.objects.filter(activity=activity).values("household_id")
    households = request.group.households.filter(~Q(status=Household.Status.CLOSED) | Q(pk__in=ticked))
    if query:
        by_name = search_households(request.group.households.all(), query).values("pk")
        by_person = Person.objects.filter(group=request.group, first_name__icontains=query).values(
            "household_id"
        )
        households = households.filter(Q(pk__in=by_name) | Q(pk__in=by_person))
    # Only what the sheet shows and the access log needs; the persons as a plain list
    # (`sheet_persons`), read twice per family by the page.
    persons = Person.objects.only("household_id", "first_name", "last_name").order_by(
        "birth_year", "first_name", "pk"
    )
    rows = list(
        households.only("group_id", "display_name")
        .prefetch_related(Prefetch("persons", queryset=persons, to_attr="sheet_persons"))
        .order_by("display_name", "pk")
    )
    regulars: dict[int, int] = {}
    if activity.series_id:
        regulars = dict(
            Attendance.objects.filter(group=request.group, activity__series_id=activity.series_id)
            .exclude(activity=activity)
            .values_list("household_id")
            .annotate(n=Count("activity_id", distinct=True))
            .order_by()
        )
    for household in rows:
        household.regular = regulars.get(household.pk, 0)
    # Stable sort: the regulars by how often they came, then everyone else by name.
    rows.sort(key=lambda household: -household.regular)
    return list(rows)


@group_view()
@require_http_methods(["GET", "POST"])
def attendance(request: GroupRequest, pk: int) -> HttpResponse:
    """The tap-to-tick sheet: families and their persons, volunteers present, and a headcount.
    From the activity's own day on (Activity.takes_attendance): for a day still to come the
    coordinator is sent back to the activity with a sentence saying from when, not shown an
    error page; a POST then saves nothing (nobody can have come yet)."""
    activity = get_activity(request, pk)
    if not activity.takes_attendance:
        messages.info(
            request,
            _(
                "Deze activiteit is nog niet begonnen. Je kunt de aanwezigheid aanduiden vanaf de dag "
                "zelf (%(day)s)."
            )
            % {"day": short_date(activity.day, with_year=True)},
        )
        return redirect(activity)
    query = request.GET.get("q", "").strip()
    households = _sheet_households(request, activity, query)
    current = {a.person_id: a for a in activity.attendances.all()}
    members = list(group_members(request.group))
    present_volunteers = set(activity.activity_volunteers.values_list("user_id", flat=True))
    shown_ids = [person.pk for household in households for person in household.sheet_persons]
    person_ids = shown_ids + list(current)
    member_ids = [m.pk for m in members] + list(present_volunteers)
    form = AttendanceForm(
        request.POST or None,
        person_ids=person_ids,
        member_ids=member_ids,
        initial={"unregistered_count": activity.unregistered_count},
    )
    if request.method == "POST" and form.is_valid():
        changed = services.save_attendance(
            activity=activity,
            author=request.user,
            **form.changes(),
            unregistered_count=form.unregistered_changed(),
        )
        total = activity.attendances.count()
        message = ngettext(
            "De aanwezigheid is opgeslagen: %(count)s gezinslid aanwezig.",
            "De aanwezigheid is opgeslagen: %(count)s gezinsleden aanwezig.",
            total,
        ) % {"count": total}
        messages.success(request, message)
        if not changed:
            messages.info(request, _("Bij de gezinnen was er niets veranderd."))
        return redirect(activity)
    helped = {pid for pid, a in current.items() if a.helped_organise}
    spoke = {pid for pid, a in current.items() if a.spoke}
    seen = {
        "seen_present": sorted(current),
        "seen_helped": sorted(helped),
        "seen_spoke": sorted(spoke),
        "seen_volunteers": sorted(present_volunteers),
        "seen_unregistered_count": activity.unregistered_count,
    }
    ticks = {
        "present": set(current),
        "helped": helped,
        "spoke": spoke,
        "present_volunteers": present_volunteers,
    }
    if form.is_bound:
        # Sent back with an error: show what this user ticked, and keep what their page first showed.
        seen = {
            key: _ints(request.POST, key)
            for key in ("seen_present", "seen_helped", "seen_spoke", "seen_volunteers")
        } | {"seen_unregistered_count": request.POST.get("seen_unregistered_count", "")}
        ticks = {
            "present": set(_ints(request.POST, "present")),
            "helped": set(_ints(request.POST, "helped")),
            "spoke": set(_ints(request.POST, "spoke")),
            "present_volunteers": set(_ints(request.POST, "volunteers")),
        }
    ticked_households = {a.household_id for a in current.values()}
    log_bulk_view(
        user=request.user,
        households=[h for h in households if h.pk in ticked_households],
        action=Action.VIEW,
        fields=services.attendance_fields(activity),
    )
    context = {
        "activity": activity,
        "form": form,
        "households": households,
        "members": members,
        "query": query,
        "shown_ids": shown_ids,
        **seen,
        **ticks,
    }
    return render(request, "activities/attendance.html", context)


def _ints(data, key: str) -> list[int]:
    return [int(value) for value in data.getlist(key) if value.isdigit()]


def _board_page(request: GroupRequest, form: BoardSeatForm | None = None, status: int = 200) -> HttpResponse:
    """The group's board: every seat, current ones first, paginated; the add form for coordinators.
    Three queries whatever the number of seats (count, page, the form's persons when shown)."""
    seats = request.group.board_seats.select_related("person", "household").order_by(
        F("ended_on").desc(nulls_first=True), "-started_on", "-pk"
    )
    page_obj = Paginator(seats, PER_PAGE).get_page(request.GET.get("page"))
    # Who sits on the board is each family's data: one access-log row per family shown.
    log_bulk_view(
        user=request.user,
        households={seat.household_id: seat.household for seat in page_obj}.values(),
        action=Action.VIEW,
        fields=services.board_fields(),
    )
    may_change = request.membership.can_manage
    query = request.GET.get("q", "").strip()[:100]
    if may_change and form is None:
        form = BoardSeatForm(group=request.group, search=query)
    context = {
        "query": query,
        "page_obj": page_obj,
        "today": timezone.localdate(),
        "form": form if may_change else None,
        "may_change": may_change,
    }
    return render(request, "activities/board.html", context, status=status)


@group_view()
@require_GET
def board(request: GroupRequest) -> HttpResponse:
    """Who of the families sits, or sat, on the group's board (kerngroep): any member may see it."""
    return _board_page(request)


@group_view(manage=True)
@require_POST
def board_add(request: GroupRequest) -> HttpResponse:
    form = BoardSeatForm(request.POST, group=request.group)
    if form.is_valid():
        try:
            seat, created = services.add_board_seat(
                group=request.group,
                author=request.user,
                person=form.cleaned_data["person"],
                started_on=form.cleaned_data["started_on"],
                ended_on=form.cleaned_data["ended_on"],
                submission_id=form.cleaned_data["submission_id"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            if created:
                messages.success(
                    request, _("%(name)s staat nu in de kerngroep.") % {"name": seat.person.first_name}
                )
            else:
                messages.info(request, _("Dit was al opgeslagen; het staat er één keer."))
            return redirect("activities:board", slug=request.group.slug)
    return _board_page(request, form)


@group_view(manage=True)
@require_POST
def board_end(request: GroupRequest, pk: int) -> HttpResponse:
    seat = get_board_seat_for_change(request, pk)
    form = BoardSeatEndForm(request.POST)
    if form.is_valid():
        ended_on = form.cleaned_data["ended_on"]
        try:
            ended = services.end_board_seat(seat=seat, author=request.user, ended_on=ended_on)
        except ValidationError as error:
            for message in error.message_dict.get("ended_on", []):
                messages.error(request, message)
        else:
            if ended:
                messages.success(
                    request,
                    _("%(name)s zat tot en met %(day)s in de kerngroep.")
                    % {"name": seat.person.first_name, "day": ended_on.strftime("%d/%m/%Y")},
                )
            else:
                messages.info(request, _("Deze plaats in de kerngroep was al beëindigd."))
    else:
        for field_error in form.errors.get("ended_on", []):
            messages.error(request, str(field_error))
    return redirect("activities:board", slug=request.group.slug)


def _series_reference(request: GroupRequest, series: ActivitySeries) -> tuple[Activity | None, date]:
    """The occurrence the coordinator came from (`?from=<pk>`), else the first from today on,
    else the last one; and the date from which the edit applies (that occurrence's, not before
    today)."""
    today = timezone.localdate()
    occurrences = series.activities.order_by("starts_at", "pk")
    chosen = request.GET.get("from", "")
    reference = occurrences.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if reference is None:
        start = local_datetime(today)
        reference = occurrences.filter(starts_at__gte=start).first() or occurrences.last()
    day = timezone.localtime(reference.starts_at).date() if reference is not None else today
    return reference, max(day, today)


def _series_list_url(request: GroupRequest, series: ActivitySeries) -> str:
    """The activity list filtered to the series (its coming occurrences)."""
    return f"{reverse('activities:list', kwargs={'slug': request.group.slug})}?series={series.pk}"


def _series_result_messages(request: GroupRequest, result: services.SeriesResult) -> None:
    if result.removed:
        messages.success(
            request,
            ngettext(
                "%(count)s activiteit na de nieuwe einddatum is verwijderd.",
                "%(count)s activiteiten na de nieuwe einddatum zijn verwijderd.",
                result.removed,
            )
            % {"count": result.removed},
        )
    if result.kept_with_attendance:
        days = ", ".join(day.strftime("%d/%m/%Y") for day in result.kept_with_attendance)
        messages.warning(
            request,
            _(
                "Niet verwijderd, omdat er al aanwezigheden zijn aangeduid: %(days)s. Verwijder die "
                "activiteiten zelf als dat de bedoeling is; de aanwezigheden gaan dan verloren."
            )
            % {"days": days},
        )


@group_view(manage=True)
@require_http_methods(["GET", "POST"])
def series_edit(request: GroupRequest, pk: int) -> HttpResponse:
    """Edit a series as a whole: this and all later occurrences; a later end adds occurrences,
    an earlier one ends it early."""
    series = get_series_for_change(request, pk)
    reference, from_date = _series_reference(request, series)

    def make_form(data, instance):
        return SeriesForm(
            data, instance=instance, group=request.group, reference=reference, from_date=from_date
        )

    form = make_form(request.POST or None, series)
    conflict = None
    if request.method == "POST" and form.is_valid():
        if not form.data_changes:
            messages.info(request, _("Er was niets gewijzigd."))
            return redirect(_series_list_url(request, series))
        try:
            result = services.update_series(
                series=form.instance,
                author=request.user,
                expected_version=form.expected_version,
                fields=form.data_changes,
                values=form.cleaned_data,
                organisers=form.cleaned_data["organisers"],
                from_date=form.cleaned_data["from_date"],
            )
        except EditConflictError as error:
            if error.current is None:
                raise Http404("The series was deleted.") from None
            form, conflict = rebase(form, cast(ActivitySeries, error.current), make_form)
        else:
            messages.success(
                request,
                ngettext(
                    "De reeks is bijgewerkt: %(count)s activiteit gewijzigd.",
                    "De reeks is bijgewerkt: %(count)s activiteiten gewijzigd.",
                    result.changed,
                )
                % {"count": result.changed},
            )
            if result.added:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s activiteit toegevoegd.", "%(count)s activiteiten toegevoegd.", result.added
                    )
                    % {"count": result.added},
                )
            _series_result_messages(request, result)
            return redirect(_series_list_url(request, series))
    end_form = SeriesEndForm(series=series, initial={"last_date": timezone.localdate()})
    return _series_page(request, series, reference, form=form, end_form=end_form, conflict=conflict)


def _series_page(
    request: GroupRequest,
    series: ActivitySeries,
    reference: Activity | None,
    *,
    form: SeriesForm,
    end_form: SeriesEndForm,
    conflict: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """The series page: the form to change it from a day on, and the form to end it early."""
    upcoming = series.activities.filter(starts_at__gte=local_datetime(timezone.localdate())).count()
    context = {
        "form": form,
        "series": series,
        "reference": reference,
        "conflict": conflict,
        "end_form": end_form,
        "upcoming": upcoming,
    }
    return render(request, "activities/series_form.html", context)


@group_view(manage=True)
@require_POST
def series_end(request: GroupRequest, pk: int) -> HttpResponse:
    """End a series early: the occurrences after the chosen day without attendance go."""
    series = get_series_for_change(request, pk)
    form = SeriesEndForm(request.POST, series=series)
    if not form.is_valid():
        reference, from_date = _series_reference(request, series)
        edit_form = SeriesForm(instance=series, group=request.group, reference=reference, from_date=from_date)
        return _series_page(request, series, reference, form=edit_form, end_form=form)
    result = services.end_series(series=series, last_date=form.cleaned_data["last_date"])
    messages.success(
        request,
        _("De reeks loopt tot en met %(day)s.")
        % {"day": form.cleaned_data["last_date"].strftime("%d/%m/%Y")},
    )
    _series_result_messages(request, result)
    return redirect(_series_list_url(request, series))

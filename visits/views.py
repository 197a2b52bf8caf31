from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.access import GroupRequest, group_view
from households.access import ensure_changeable, get_household_for_change
from households.access_log import log_access
from households.forms import group_members
from households.models import AccessLogEntry
from visits import services
from visits.access import get_follow_up, get_signal, get_visit, get_visit_for_change
from visits.filters import FollowUpFilter, SignalFilter, VisitFilter
from visits.forms import FollowUpForm, FollowUpFormSet, SignalForm, SignalFormSet, VisitForm
from visits.models import Signal, Visit
from visits.selectors import usual_choices, with_volunteer_names
from writes.stale import EditConflictError, rebase

PER_PAGE = 25
UNDO_SESSION_KEY = "undo_follow_up"
Action = AccessLogEntry.Action


def _visit_forms(request: GroupRequest, instance=None, household=None):
    data = request.POST if request.method == "POST" else None
    kwargs: dict[str, Any] = {"group": request.group, "user": request.user}
    usual = usual_choices(group=request.group, user=request.user)
    # Who was there and who does each follow-up: the same members, read in one query.
    members = group_members(request.group)
    if instance is None:
        # The household is known before saving: its needs come first among the topics.
        instance = Visit(household=household, group=request.group)
    return (
        VisitForm(data, instance=instance, usual=usual, members=members, **kwargs),
        FollowUpFormSet(data, prefix="followup", members=members, **kwargs),
        SignalFormSet(data, prefix="signal", **kwargs),
    )


def _all_valid(*forms) -> bool:
    return all([form.is_valid() for form in forms])  # noqa: C419 - validate every form, to show every error


@group_view()
@require_http_methods(["GET", "POST"])
def visit_create(request: GroupRequest, pk: int) -> HttpResponse:
    household = get_household_for_change(request, pk)
    form, follow_ups, signals = _visit_forms(request, household=household)
    if request.method == "POST" and _all_valid(form, follow_ups, signals):
        try:
            _visit, created = services.record_visit(
                household=household,
                author=request.user,
                visit=form.instance,
                submission_id=form.cleaned_data["submission_id"],
                volunteers=form.cleaned_data["volunteers"],
                follow_ups=[f.instance for f in follow_ups.filled_forms],
                signals=[f.instance for f in signals.filled_forms],
                fields=[name for name in form.changed_data if name != "submission_id"],
            )
        except ValidationError:
            form.add_error(None, _("Dit formulier hoort bij een ander contact. Laad de pagina opnieuw."))
        else:
            if created:
                messages.success(request, _("Het contact is opgeslagen."))
            else:
                messages.info(request, _("Dit contact was al opgeslagen; het staat er één keer."))
            return redirect(household)
    context = {"household": household, "form": form, "follow_ups": follow_ups, "signals": signals}
    return render(request, "visits/visit_form.html", context)


@group_view()
@require_GET
def visit_detail(request: GroupRequest, pk: int) -> HttpResponse:
    visit = get_visit(request, pk)
    log_access(user=request.user, household=visit.household, action=Action.VISIT_VIEW, visit_id=visit.pk)
    context = {
        "visit": visit,
        "household": visit.household,
        "volunteers": [vv.user for vv in visit.visit_volunteers.select_related("user")],
        "follow_ups": visit.follow_ups.select_related("assignee", "done_by", "household"),
        "signals": visit.signals.all(),
        "show_confidential": visit.confidential_note_visible_to(request.membership),
        "may_change": visit.may_be_changed_by(request.membership),
    }
    return render(request, "visits/visit_detail.html", context)


@group_view()
@require_http_methods(["GET", "POST"])
def visit_edit(request: GroupRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_change(request, pk)
    form, follow_ups, signals = _visit_forms(request, instance=visit)
    conflict: list[tuple[str, str]] = []
    if request.method == "POST" and _all_valid(form, follow_ups, signals):
        new_follow_ups = [f.instance for f in follow_ups.filled_forms]
        new_signals = [f.instance for f in signals.filled_forms]
        if not (form.changed_fields or new_follow_ups or new_signals):
            return redirect("visits:detail", slug=request.group.slug, pk=visit.pk)
        try:
            services.update_visit(
                visit=form.instance,
                author=request.user,
                expected_version=form.expected_version,
                volunteers=form.cleaned_data["volunteers"],
                follow_ups=new_follow_ups,
                signals=new_signals,
                fields=form.changed_fields,
            )
        except EditConflictError as error:
            if error.current is None:
                messages.warning(request, _("Iemand anders heeft dit contact intussen verwijderd."))
                return redirect(visit.household.get_absolute_url() + "#timeline")
            visit = cast(Visit, error.current)
            form, conflict = rebase(
                form,
                visit,
                lambda data, instance: VisitForm(
                    data, instance=instance, group=request.group, user=request.user
                ),
            )
            log_access(
                user=request.user, household=visit.household, action=Action.VISIT_VIEW, visit_id=visit.pk
            )
        else:
            messages.success(request, _("Het contact is bijgewerkt."))
            return redirect("visits:detail", slug=request.group.slug, pk=visit.pk)
    if request.method == "GET":
        log_access(user=request.user, household=visit.household, action=Action.VISIT_VIEW, visit_id=visit.pk)
    context = {
        "household": visit.household,
        "visit": visit,
        "form": form,
        "follow_ups": follow_ups,
        "signals": signals,
        "conflict": conflict,
    }
    return render(request, "visits/visit_form.html", context)


@group_view()
@require_POST
def visit_delete(request: GroupRequest, pk: int) -> HttpResponse:
    visit = get_visit_for_change(request, pk)
    household = visit.household
    services.delete_visit(visit=visit, author=request.user)
    messages.success(request, _("Het contact is verwijderd."))
    return redirect(household)


@group_view()
@require_GET
def visit_list(request: GroupRequest) -> HttpResponse:
    # Only what a row shows: not the summary, the note or the household's address.
    visits = request.group.visits.select_related("household").only(
        "pk", "date", "kind", "topics", "created_at", "household__display_name"
    )
    filterset = VisitFilter(request.GET or None, queryset=visits, group=request.group)
    # A period that does not make sense (an end before the start) shows its error and no rows.
    valid = not filterset.is_bound or filterset.is_valid()
    # No DISTINCT: the one filter across a relation (the volunteer) matches at most one row per
    # visit (visit_volunteer_unique), so no visit can come twice.
    queryset = filterset.qs.order_by("-date", "-created_at", "-pk") if valid else visits.none()
    page_obj = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    page_obj.object_list = with_volunteer_names(page_obj.object_list)
    return render(request, "visits/visit_list.html", {"filter": filterset, "page_obj": page_obj})


def _follow_up_page(request: GroupRequest, queryset, template: str, extra: dict) -> HttpResponse:
    queryset = queryset.select_related("household", "assignee", "done_by").order_by(
        "done_at", "due_date", "pk"
    )
    page_obj = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, {"page_obj": page_obj, "today": timezone.localdate(), **extra})


@group_view()
@require_GET
def follow_up_mine(request: GroupRequest) -> HttpResponse:
    mine = request.group.follow_ups.filter(assignee=request.user, done_at__isnull=True)
    return _follow_up_page(request, mine, "visits/follow_up_mine.html", {})


@group_view(manage=True)
@require_GET
def follow_up_list(request: GroupRequest) -> HttpResponse:
    filterset = FollowUpFilter(
        request.GET or None, queryset=request.group.follow_ups.all(), group=request.group
    )
    return _follow_up_page(request, filterset.qs, "visits/follow_up_list.html", {"filter": filterset})


@group_view()
@require_http_methods(["GET", "POST"])
def follow_up_add(request: GroupRequest, pk: int) -> HttpResponse:
    household = get_household_for_change(request, pk)
    form = FollowUpForm(request.POST or None, group=request.group, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.save_follow_up(
            follow_up=form.instance, household=household, author=request.user, fields=form.changed_data
        )
        messages.success(request, _("Het actiepunt is opgeslagen."))
        return redirect(household)
    return render(request, "visits/follow_up_form.html", {"household": household, "form": form})


@group_view()
@require_POST
def follow_up_done(request: GroupRequest, pk: int) -> HttpResponse:
    follow_up = get_follow_up(request, pk)
    done = request.POST.get("done", "1") == "1"
    changed = services.set_follow_up_done(follow_up=follow_up, user=request.user, done=done)
    if done and changed:
        # The message offers an undo (a plain POST form, see _messages.html) for this follow-up.
        request.session[UNDO_SESSION_KEY] = follow_up.pk
        messages.success(request, _("Gedaan: %(what)s") % {"what": follow_up.description}, extra_tags="undo")
    elif done:
        messages.info(request, _("Dit actiepunt was al gedaan: %(what)s") % {"what": follow_up.description})
    else:
        request.session.pop(UNDO_SESSION_KEY, None)
        messages.info(request, _("Weer open: %(what)s") % {"what": follow_up.description})
    target = request.POST.get("next", "")
    # Back to the page the tap came from: a path on this site, never a URL name or another site.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("visits:follow_up_mine", slug=request.group.slug)


@group_view()
@require_GET
def signal_list(request: GroupRequest) -> HttpResponse:
    # How many actions or dialogues took each signal up (the activities app, read through the relation).
    signals = request.group.signals.select_related("household").annotate(actions=Count("activities"))
    filterset = SignalFilter(request.GET or None, queryset=signals)
    page_obj = Paginator(filterset.qs.order_by("-noticed_on", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "visits/signal_list.html", {"filter": filterset, "page_obj": page_obj})


@group_view()
@require_http_methods(["GET", "POST"])
def signal_add(request: GroupRequest, pk: int) -> HttpResponse:
    household = get_household_for_change(request, pk)
    form = SignalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.save_signal(
            signal=form.instance, household=household, author=request.user, fields=form.changed_data
        )
        messages.success(request, _("Het signaal is opgeslagen."))
        return redirect(household)
    return render(request, "visits/signal_form.html", {"household": household, "form": form})


@group_view()
@require_http_methods(["GET", "POST"])
def signal_edit(request: GroupRequest, pk: int) -> HttpResponse:
    signal = get_signal(request, pk)
    ensure_changeable(signal.household, consent_allowed=True)
    form = SignalForm(request.POST or None, instance=signal)
    conflict: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        if not form.changed_fields:
            return redirect("visits:signal_list", slug=request.group.slug)
        try:
            services.save_signal(
                signal=form.instance,
                household=signal.household,
                author=request.user,
                fields=form.changed_fields,
                expected_version=form.expected_version,
            )
        except EditConflictError as error:
            if error.current is None:
                raise Http404("The signal was deleted.") from None
            signal = cast(Signal, error.current)
            form, conflict = rebase(form, signal, lambda data, instance: SignalForm(data, instance=instance))
        else:
            messages.success(request, _("Het signaal is bijgewerkt."))
            return redirect("visits:signal_list", slug=request.group.slug)
    if request.method == "GET" or conflict:
        log_access(user=request.user, household=signal.household, action=Action.SIGNAL_VIEW)
    actions = signal.activities.order_by("-starts_at")
    context = {
        "household": signal.household,
        "form": form,
        "signal": signal,
        "conflict": conflict,
        "actions": actions,
    }
    return render(request, "visits/signal_form.html", context)

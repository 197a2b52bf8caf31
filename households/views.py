from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Min, OuterRef, Prefetch, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.access import GroupRequest, group_view
from households import log_fields, services
from households.access import get_household, get_household_for_change, get_household_for_manage, get_person
from households.access_log import log_access
from households.filters import AccessLogFilter, HouseholdFilter
from households.forms import CloseForm, ConsentForm, DuplicateConfirmForm, HouseholdForm, PersonForm
from households.models import AccessLogEntry, Consent, Household, HouseholdContact, Person
from households.selectors import attach_names, find_possible_duplicates, page_of_short_list
from writes.stale import rebase

HOUSEHOLDS_PER_PAGE = 25
LOG_ROWS_PER_PAGE = 50
TIMELINE_PER_PAGE = 10
OPEN_FOLLOW_UPS = 10
ACTIVITIES_PER_PAGE = 20

Action = AccessLogEntry.Action


def _latest_consent_status():
    latest = Consent.objects.filter(household=OuterRef("pk")).order_by("-date", "-created_at", "-pk")
    return Subquery(latest.values("status")[:1])


def _contacts_prefetch() -> Prefetch:
    return Prefetch(
        "contacts", queryset=HouseholdContact.objects.select_related("user").order_by("user__full_name")
    )


@group_view()
@require_GET
def household_list(request: GroupRequest) -> HttpResponse:
    filterset = HouseholdFilter(
        request.GET or None, queryset=request.group.households.all(), group=request.group
    )
    households = (
        filterset.qs.annotate(consent_status=_latest_consent_status())
        .prefetch_related(_contacts_prefetch())
        .order_by("display_name", "pk")
    )
    page_obj = Paginator(households, HOUSEHOLDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "households/list.html", {"filter": filterset, "page_obj": page_obj})


@group_view()
@require_http_methods(["GET", "POST"])
def household_create(request: GroupRequest) -> HttpResponse:
    form = HouseholdForm(request.POST or None, group=request.group, user=request.user)
    confirm = DuplicateConfirmForm(request.POST or None)
    duplicates: list[Household] = []
    if request.method == "POST" and form.is_valid() and confirm.is_valid():
        duplicates = find_possible_duplicates(request.group, form.instance)
        if not duplicates or confirm.cleaned_data["confirm_new"]:
            household = services.create_household(
                group=request.group,
                author=request.user,
                household=form.instance,
                contacts=form.cleaned_data["contact_volunteers"],
                fields=form.changed_fields,
            )
            messages.success(request, _("Het gezin is opgeslagen."))
            return redirect(household)
    return render(
        request, "households/form.html", {"form": form, "confirm": confirm, "duplicates": duplicates}
    )


def _detail_context(request: GroupRequest, household: Household, **forms) -> dict:
    # A person on the group's board today (activities' board seats, by the reverse relation: this
    # app sits below activities) shows it; in the same query, no query per person.
    today = timezone.localdate()
    on_board = Q(board_seats__started_on__lte=today) & (
        Q(board_seats__ended_on__isnull=True) | Q(board_seats__ended_on__gte=today)
    )
    persons = list(household.persons.annotate(board_since=Min("board_seats__started_on", filter=on_board)))
    person_forms = forms.pop("person_forms", {})
    consents = list(household.consents.select_related("recorded_by")[:5])
    return {
        "household": household,
        "person_forms_bound": bool(person_forms),
        "persons": [
            (person, person_forms.get(person.pk) or PersonForm(instance=person, prefix=f"p{person.pk}"))
            for person in persons
        ],
        "contacts": [
            contact.user for contact in household.contacts.select_related("user").order_by("user__full_name")
        ],
        "consents": consents,
        "person_form": forms.get("person_form") or PersonForm(prefix="new"),
        "consent_form": forms.get("consent_form")
        or ConsentForm(prefix="consent", initial={"based_on": consents[0].pk if consents else ""}),
    }


def _timeline(request: GroupRequest, household: Household):
    """The household's visits, newest first, a page at a time, with a fixed number of queries:
    the page with its number of visits, the names of its visits' volunteers, and their
    follow-ups and signals.

    Read through the reverse relation, so that households does not import the visits app.
    """
    # Each relation in one query with only the names and fields the card shows (the models
    # through the relations: households does not import the visits app).
    follow_ups = household.follow_ups.model.objects.select_related("assignee").only(
        "visit_id", "description", "due_date", "done_at", "assignee__full_name", "assignee__email"
    )
    signals = household.signals.model.objects.only("visit_id", "institution", "theme", "status")
    volunteer_model: Any = household.visits.model._meta.get_field("visit_volunteers").related_model
    # As plain lists (to_attr): the card reads them without a queryset copy each time.
    visits = household.visits.prefetch_related(
        Prefetch("follow_ups", queryset=follow_ups, to_attr="card_follow_ups"),
        Prefetch("signals", queryset=signals, to_attr="card_signals"),
    ).order_by("-date", "-created_at", "-pk")
    page = page_of_short_list(visits, TIMELINE_PER_PAGE, request.GET.get("visits_page"))
    page.object_list = attach_names(
        page.object_list, volunteer_model.objects.all(), "visit_id", "volunteer_names"
    )
    for visit in page:
        visit.show_confidential = visit.confidential_note_visible_to(request.membership)
    return page


def _activities_attended(request: GroupRequest, household: Household):
    """Its persons' attendance at group activities, newest first, a page at a time (one query).

    Read through the reverse relation, so that households does not import the activities app."""
    attendances = (
        household.attendances.select_related("activity", "person")
        .only(
            "activity_id",
            "person_id",
            "helped_organise",
            "spoke",
            "activity__title",
            "activity__starts_at",
            "activity__kind",
            "person__first_name",
            "person__last_name",
        )
        .order_by("-activity__starts_at", "activity_id", "person__first_name", "person_id")
    )
    return page_of_short_list(attendances, ACTIVITIES_PER_PAGE, request.GET.get("activities_page"))


def _render_detail(
    request: GroupRequest, household: Household, *, status: int = 200, **forms
) -> HttpResponse:
    """The household page. Every way to it, a form sent back with errors included, is a read
    of the family's data and writes its access-log row here."""
    log_access(user=request.user, household=household, action=Action.VIEW)
    context = _detail_context(request, household, **forms)
    context["current_consent"] = context["consents"][0] if context["consents"] else None
    context["timeline"] = _timeline(request, household)
    # Through the reverse relation: households does not import the visits app.
    # The reverse relation sets each follow-up's household to this one: no join needed.
    context["open_follow_ups"] = (
        household.follow_ups.filter(done_at__isnull=True)
        .select_related("assignee")
        .order_by("due_date", "pk")[:OPEN_FOLLOW_UPS]
    )
    context["attended"] = _activities_attended(request, household)
    return render(request, "households/detail.html", context, status=status)


@group_view()
@require_GET
def household_detail(request: GroupRequest, pk: int) -> HttpResponse:
    return _render_detail(request, get_household(request, pk))


@group_view()
@require_GET
def household_print(request: GroupRequest, pk: int) -> HttpResponse:
    household = get_household(request, pk)
    log_access(user=request.user, household=household, action=Action.PRINT)
    context = _detail_context(request, household)
    return render(request, "households/print.html", context)


@group_view()
@require_http_methods(["GET", "POST"])
def household_edit(request: GroupRequest, pk: int) -> HttpResponse:
    household = get_household_for_change(request, pk)
    conflict: list[tuple[str, str]] = []
    if request.method == "POST":
        form = HouseholdForm(request.POST, instance=household, group=request.group)
        if form.is_valid():
            if not form.changed_fields:
                return redirect(household)
            try:
                services.update_household(
                    household=form.instance,
                    author=request.user,
                    expected_version=form.expected_version,
                    fields=form.changed_fields,
                    contacts=form.cleaned_data["contact_volunteers"],
                )
            except services.EditConflictError as error:
                form, conflict = rebase(
                    form,
                    cast(Household, error.current),
                    lambda data, instance: HouseholdForm(data, instance=instance, group=request.group),
                )
                log_access(user=request.user, household=household, action=Action.VIEW)
            else:
                messages.success(request, _("De wijzigingen zijn opgeslagen."))
                return redirect(household)
    else:
        form = HouseholdForm(instance=household, group=request.group)
        log_access(user=request.user, household=household, action=Action.VIEW)
    return render(
        request, "households/form.html", {"form": form, "household": household, "conflict": conflict}
    )


@group_view()
@require_http_methods(["GET", "POST"])
def household_close(request: GroupRequest, pk: int) -> HttpResponse:
    household = get_household_for_manage(request, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.close_household(
            household=household,
            author=request.user,
            closed_on=form.cleaned_data["closed_on"],
            reason=form.cleaned_data["close_reason"],
            note=form.cleaned_data["close_note"],
        )
        messages.success(request, _("De opvolging van dit gezin is afgesloten."))
        return redirect(household)
    return render(request, "households/close.html", {"household": household, "form": form})


@group_view()
@require_POST
def household_reopen(request: GroupRequest, pk: int) -> HttpResponse:
    household = get_household_for_manage(request, pk)
    if household.is_closed:
        services.reopen_household(household=household, author=request.user)
        messages.success(request, _("Het gezin is weer actief."))
    return redirect(household)


@group_view()
@require_POST
def person_add(request: GroupRequest, pk: int) -> HttpResponse:
    household = get_household_for_change(request, pk)
    form = PersonForm(request.POST, prefix="new")
    if not form.is_valid():
        return _render_detail(request, household, person_form=form)
    person = services.save_person(
        person=form.instance, household=household, author=request.user, fields=form.changed_data
    )
    messages.success(request, _("%(name)s is toegevoegd aan het gezin.") % {"name": person})
    return redirect(household.get_absolute_url() + "#persons")


@group_view()
@require_http_methods(["GET", "POST"])
def person_edit(request: GroupRequest, pk: int, person_pk: int) -> HttpResponse:
    household = get_household_for_change(request, pk)
    person = get_person(request, household, person_pk)
    form = PersonForm(request.POST or None, instance=person, prefix=f"p{person.pk}")
    conflict: list[tuple[str, str]] = []
    if request.method == "POST":
        if not form.is_valid():
            return _render_detail(request, household, person_forms={person.pk: form})
        if not form.changed_fields:
            return redirect(household.get_absolute_url() + "#persons")
        try:
            services.save_person(
                person=form.instance,
                household=household,
                author=request.user,
                fields=form.changed_fields,
                expected_version=form.expected_version,
            )
        except services.EditConflictError as error:
            if error.current is None:
                messages.warning(request, _("Iemand anders heeft dit gezinslid intussen verwijderd."))
                return redirect(household.get_absolute_url() + "#persons")
            person = cast(Person, error.current)
            form, conflict = rebase(
                form,
                person,
                lambda data, instance: PersonForm(data, instance=instance, prefix=f"p{instance.pk}"),
            )
        else:
            messages.success(request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": person})
            return redirect(household.get_absolute_url() + "#persons")
    log_access(user=request.user, household=household, action=Action.VIEW, person_id=person.pk)
    context = {"household": household, "person": person, "form": form, "conflict": conflict}
    return render(request, "households/person_form.html", context)


@group_view()
@require_POST
def person_delete(request: GroupRequest, pk: int, person_pk: int) -> HttpResponse:
    household = get_household_for_change(request, pk)
    person = get_person(request, household, person_pk)
    services.delete_person(person=person, author=request.user)
    messages.success(request, _("%(name)s is uit het gezin verwijderd.") % {"name": person})
    return redirect(household.get_absolute_url() + "#persons")


@group_view()
@require_POST
def consent_add(request: GroupRequest, pk: int) -> HttpResponse:
    household = get_household_for_change(request, pk, consent_allowed=True)
    form = ConsentForm(request.POST, prefix="consent")
    if not form.is_valid():
        return _render_detail(request, household, consent_form=form)
    based_on = form.cleaned_data["based_on"]
    try:
        services.record_consent(
            consent=form.instance,
            household=household,
            author=request.user,
            based_on=int(based_on) if based_on.isdigit() else None,
        )
    except services.EditConflictError as error:
        # Keep what was typed; base the form on the row now current, and say what it is.
        data = request.POST.copy()
        data["consent-based_on"] = str(error.current.pk) if error.current else ""
        messages.warning(request, _conflict_message(cast(Consent | None, error.current)))
        return _render_detail(request, household, consent_form=ConsentForm(data, prefix="consent"))
    messages.success(request, _("De toestemming is geregistreerd."))
    return redirect(household.get_absolute_url() + "#consent")


def _conflict_message(current: Consent | None) -> str:
    if current is None:
        return _("De toestemming is intussen gewijzigd. Kijk ze na en sla opnieuw op.")
    return _(
        "Iemand anders registreerde intussen toestemming: %(status)s op %(date)s. "
        "Kijk na of je dit nog wilt wijzigen en sla opnieuw op."
    ) % {"status": current.get_status_display(), "date": current.date.strftime("%d/%m/%Y")}


@group_view(manage=True)
@require_GET
def access_log(request: GroupRequest) -> HttpResponse:
    entries = AccessLogEntry.objects.filter(group=request.group).select_related("user", "household")
    filterset = AccessLogFilter(request.GET or None, queryset=entries, group=request.group)
    page_obj = Paginator(filterset.qs.order_by("-at", "-pk"), LOG_ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # The records the rows refer to are named for the whole page at once (log_fields.describe).
    page_obj.object_list = log_fields.describe(page_obj.object_list)
    return render(request, "households/access_log.html", {"filter": filterset, "page_obj": page_obj})

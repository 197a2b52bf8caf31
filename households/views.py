from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.access import GroupRequest, group_view
from households import services
from households.access import get_household, get_household_for_manage, get_person
from households.filters import AccessLogFilter, HouseholdFilter, find_possible_duplicates
from households.forms import CloseForm, ConsentForm, DuplicateConfirmForm, HouseholdForm, PersonForm
from households.models import AccessLogEntry, Consent, Household, HouseholdContact

HOUSEHOLDS_PER_PAGE = 25
LOG_ROWS_PER_PAGE = 50
TIMELINE_PER_PAGE = 10
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
    form = HouseholdForm(request.POST or None, group=request.group)
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
    persons = list(household.persons.all())
    person_forms = forms.pop("person_forms", {})
    return {
        "household": household,
        "persons": [
            (person, person_forms.get(person.pk) or PersonForm(instance=person, prefix=f"p{person.pk}"))
            for person in persons
        ],
        "contacts": [
            contact.user for contact in household.contacts.select_related("user").order_by("user__full_name")
        ],
        "consents": list(household.consents.select_related("recorded_by")[:5]),
        "person_form": forms.get("person_form") or PersonForm(prefix="new"),
        "consent_form": forms.get("consent_form") or ConsentForm(prefix="consent"),
    }


def _timeline(request: GroupRequest, household: Household):
    """The household's visits, newest first, a page at a time, with a fixed number of queries.

    Read through the reverse relation, so that households does not import the visits app.
    """
    visits = (
        household.visits.select_related("author")
        .prefetch_related("visit_volunteers__user", "follow_ups__assignee", "signals")
        .order_by("-date", "-created_at", "-pk")
    )
    page = Paginator(visits, TIMELINE_PER_PAGE).get_page(request.GET.get("visits_page"))
    for visit in page:
        visit.show_confidential = visit.confidential_note_visible_to(request.membership)
    return page


def _activities_attended(request: GroupRequest, household: Household):
    """Its persons' attendance at group activities, newest first, a page at a time (two queries).

    Read through the reverse relation, so that households does not import the activities app."""
    attendances = household.attendances.select_related("activity", "person").order_by(
        "-activity__starts_at", "activity_id", "person__first_name", "person_id"
    )
    return Paginator(attendances, ACTIVITIES_PER_PAGE).get_page(request.GET.get("activities_page"))


def _render_detail(
    request: GroupRequest, household: Household, *, status: int = 200, **forms
) -> HttpResponse:
    """The household page. Every way to it, a form sent back with errors included, is a read
    of the family's data and writes its access-log row here."""
    services.log_access(user=request.user, household=household, action=Action.VIEW)
    context = _detail_context(request, household, **forms)
    context["current_consent"] = context["consents"][0] if context["consents"] else None
    context["timeline"] = _timeline(request, household)
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
    services.log_access(user=request.user, household=household, action=Action.PRINT)
    context = _detail_context(request, household)
    return render(request, "households/print.html", context)


@group_view()
@require_http_methods(["GET", "POST"])
def household_edit(request: GroupRequest, pk: int) -> HttpResponse:
    household = get_household(request, pk)
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
                    expected_version=form.cleaned_data["version"] or 0,
                    fields=form.changed_fields,
                    contacts=form.cleaned_data["contact_volunteers"],
                )
            except services.EditConflictError as error:
                form, conflict = _rebase_on(form, error.current, request)
                services.log_access(user=request.user, household=household, action=Action.VIEW)
            else:
                messages.success(request, _("De wijzigingen zijn opgeslagen."))
                return redirect(household)
    else:
        form = HouseholdForm(instance=household, group=request.group)
        services.log_access(user=request.user, household=household, action=Action.VIEW)
    return render(
        request, "households/form.html", {"form": form, "household": household, "conflict": conflict}
    )


def _rebase_on(form: HouseholdForm, current: Household, request: GroupRequest):
    """Base the form on the version now stored, without losing anyone's work.

    Per field, comparing what this user saw when they opened the form, what they typed, and
    what is stored now: a field only the other person changed takes the stored value (so that
    saving again does not undo their change); a field this user changed keeps what they typed.
    Returns the new form and, for the notice, the fields the other person changed.
    """
    fresh = HouseholdForm(instance=current, group=request.group)
    changed: list[tuple[str, str]] = []
    data = form.data.copy()
    data["version"] = str(current.version)
    for name in HouseholdForm.Meta.fields:
        if name not in form.fields:
            continue
        field = form.fields[name]
        seen_raw = field.hidden_widget().value_from_datadict(
            form.data, form.files, form.add_initial_prefix(name)
        )
        try:
            seen = field.to_python(seen_raw)
        except ValidationError:
            seen = seen_raw
        now = _as_data(fresh[name].initial)
        if field.has_changed(fresh[name].initial, seen_raw):
            changed.append((str(field.label), _display(current, name, fresh)))
            if not field.has_changed(seen, form[name].data):
                _put(data, name, now)
        _put(data, form.add_initial_prefix(name), now)
    rebased = HouseholdForm(data, instance=current, group=request.group)
    rebased.is_valid()
    return rebased, changed


def _as_data(value):
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    return "" if value is None else str(value)


def _put(data, key: str, value) -> None:
    if isinstance(value, list):
        data.setlist(key, value)
    else:
        data[key] = value


def _display(household: Household, name: str, form: HouseholdForm) -> str:
    if name == "contact_volunteers":
        users = form.fields[name].queryset.filter(pk__in=[getattr(u, "pk", u) for u in form[name].initial])
        return ", ".join(user.get_full_name() for user in users) or "–"
    if name == "needs":
        return ", ".join(household.get_needs_display()) or "–"
    if name == "languages":
        return ", ".join(household.get_languages_display()) or "–"
    if name == "referral_source":
        return household.get_referral_source_display() or "–"
    if name == "status":
        return household.get_status_display()
    return str(getattr(household, name)) or "–"


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
    household = get_household(request, pk)
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
    household = get_household(request, pk)
    person = get_person(request, household, person_pk)
    form = PersonForm(request.POST or None, instance=person, prefix=f"p{person.pk}")
    if request.method == "POST":
        if form.is_valid():
            services.save_person(
                person=form.instance, household=household, author=request.user, fields=form.changed_data
            )
            messages.success(request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": person})
            return redirect(household.get_absolute_url() + "#persons")
        return _render_detail(request, household, person_forms={person.pk: form})
    services.log_access(user=request.user, household=household, action=Action.VIEW, person_id=person.pk)
    return render(
        request, "households/person_form.html", {"household": household, "person": person, "form": form}
    )


@group_view()
@require_POST
def person_delete(request: GroupRequest, pk: int, person_pk: int) -> HttpResponse:
    household = get_household(request, pk)
    person = get_person(request, household, person_pk)
    services.delete_person(person=person, author=request.user)
    messages.success(request, _("%(name)s is uit het gezin verwijderd.") % {"name": person})
    return redirect(household.get_absolute_url() + "#persons")


@group_view()
@require_POST
def consent_add(request: GroupRequest, pk: int) -> HttpResponse:
    household = get_household(request, pk)
    form = ConsentForm(request.POST, prefix="consent")
    if not form.is_valid():
        return _render_detail(request, household, consent_form=form)
    services.record_consent(consent=form.instance, household=household, author=request.user)
    messages.success(request, _("De toestemming is geregistreerd."))
    return redirect(household.get_absolute_url() + "#consent")


@group_view(manage=True)
@require_GET
def access_log(request: GroupRequest) -> HttpResponse:
    entries = AccessLogEntry.objects.filter(group=request.group).select_related("user", "household")
    filterset = AccessLogFilter(request.GET or None, queryset=entries, group=request.group)
    page_obj = Paginator(filterset.qs.order_by("-at", "-pk"), LOG_ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "households/access_log.html", {"filter": filterset, "page_obj": page_obj})

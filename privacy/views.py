"""Erasure, postponing the anonymisation, and the family's own copy: coordinators only."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from groups.access import GroupRequest, group_view
from households import log_fields
from households.access import get_household_for_manage
from households.access_log import log_access
from households.models import AccessLogEntry
from privacy import anonymisation, subject_access
from privacy.forms import EraseForm, PostponeForm

Action = AccessLogEntry.Action


@group_view(manage=True)
@require_http_methods(["GET", "POST"])
def household_erase(request: GroupRequest, pk: int) -> HttpResponse:
    """Vergeetrecht (GDPR art. 17): anonymise the household at once, after typing its name."""
    household = get_household_for_manage(request, pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            anonymisation.erase_household(
                household=household,
                author=request.user,
                confirm_name=form.cleaned_data["confirm_name"],
                reason=form.cleaned_data["reason"],
            )
        except anonymisation.ErasureRefused as refused:
            form.add_error("confirm_name", str(refused))
        else:
            messages.success(request, _("Het gezin is gewist. Alleen de cijfers blijven bewaard."))
            return redirect(household)
    return render(request, "privacy/erase.html", {"household": household, "form": form})


@group_view(manage=True)
@require_http_methods(["GET", "POST"])
def household_postpone(request: GroupRequest, pk: int) -> HttpResponse:
    """Postpone the automatic anonymisation once, with a reason (logged)."""
    household = get_household_for_manage(request, pk)
    form = PostponeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new_date = anonymisation.postpone_anonymisation(
                household=household,
                author=request.user,
                months=form.cleaned_data["months"],
                reason=form.cleaned_data["reason"],
            )
        except anonymisation.PostponeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Het gezin wordt pas op %(date)s geanonimiseerd.")
                % {"date": new_date.strftime("%d/%m/%Y")},
            )
            return redirect(household)
    return render(request, "privacy/postpone.html", {"household": household, "form": form})


@group_view(manage=True)
@require_GET
def subject_access_copy(request: GroupRequest, pk: int) -> HttpResponse:
    """The family's copy (GDPR art. 15) to print; confidential notes listed apart for review."""
    household = get_household_for_manage(request, pk)
    log_access(
        user=request.user,
        household=household,
        action=Action.SUBJECT_ACCESS,
        fields=[log_fields.SUBJECT_ACCESS_PRINT],
    )
    context = subject_access.collect(household) | {"made_on": timezone.localdate()}
    return render(request, "privacy/subject_access.html", context)


@group_view(manage=True)
@require_GET
def subject_access_download(request: GroupRequest, pk: int) -> HttpResponse:
    """The same copy as a plain-text file, without the confidential notes."""
    household = get_household_for_manage(request, pk)
    log_access(
        user=request.user,
        household=household,
        action=Action.SUBJECT_ACCESS,
        fields=[log_fields.SUBJECT_ACCESS_DOWNLOAD],
    )
    context = subject_access.collect(household) | {"made_on": timezone.localdate(), "group": request.group}
    text = render_to_string("privacy/subject_access.txt", context, request=request)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inzage-gezin-{household.pk}.txt"'
    response["Cache-Control"] = "no-store"
    return response

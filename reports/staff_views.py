"""Staff pages: regional and national figures for Django staff, never a name. Aggregates only,
counted over every group (`rls.scope.staff_aggregates`), small cells suppressed
(reports.suppression). Routed by reports/staff_urls.py."""

from contextlib import AbstractContextManager
from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import User
from groups.models import Group, Region
from reports import exports
from reports.forms import StaffPeriodForm
from reports.staff_figures import staff_area_figures, staff_period, staff_signal_tables
from reports.suppression import HIDDEN
from rls import replica, scope


def _all_groups_scope(using: str) -> AbstractContextManager[None]:
    return scope.staff_aggregates(None, using=using)


def staff_view(view):
    """Django staff only (403 for others, login for anonymous). They see aggregates, no names,
    counted over every group (`rls.scope.staff_aggregates`), read from the read replica when
    there is one (rls/replica.py)."""

    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        with scope.staff_aggregates(None), replica.reads(request, _all_groups_scope):
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
    # Only this area's figures: a region's page never holds the country's or another region's.
    figures = staff_area_figures(groups=groups, year=year, code=code, region_id=region.pk if region else None)
    # The regions with a subtotal, by name: the groups' own (ordered by their region's name).
    regions_of_groups = {group.region_id: group.region for group in groups}
    subtotals = [
        (r, figures["subtotals"][pk]) for pk, r in regions_of_groups.items() if pk in figures["subtotals"]
    ]
    shown = figures["report"]
    context |= {
        "rows": figures["rows"],
        "totals": figures["totals"],
        "subtotals": subtotals,
        "shown": shown,
        "period": staff_period(year, code),
        "hidden_mark": HIDDEN,
        # Activity and decree figures: protected with the others, the same cells on both pages.
        "activity_rows": shown.get("activity_rows", []),
        "activity_kinds": shown.get("activity_kinds", []),
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
    with scope.staff_aggregates(None), replica.reads(request, _all_groups_scope):
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
    period = staff_period(year, code)
    tables = staff_signal_tables(year=year, code=code)
    if fmt:
        rows = exports.signal_rows(tables, _("Signalen – Welzijnsschakels"), period)
        filename = f"signalen-{'nationaal'}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
        if fmt == "xlsx":
            return exports.xlsx_response(rows, filename, sheet=_("Signalen"))
        return exports.csv_response(rows, filename)
    return render(
        request, "reports/signals_report.html", {"form": form, "period": period, "national": True, **tables}
    )

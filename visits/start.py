"""The volunteer's start page: their families with the last contact and a button to log the
next one, and their open follow-ups, each one tap away (issue #12).

Called by the group's home view (reports.views.group_home) for members who do not manage the
group; it lives here because everything on it is about visits and follow-ups.
"""

from django.db.models import F, Max
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from groups.access import GroupRequest
from households.models import Household
from households.selectors import needing_a_visit

MY_HOUSEHOLDS = 20
MY_FOLLOW_UPS = 10
NEEDS_VISIT = 10


def my_households(request: GroupRequest):
    """The open households the user is a contact person for, longest without contact first,
    each annotated with `last_contact` (a date or None). One query."""
    return (
        request.group.households.exclude(status=Household.Status.CLOSED)
        .filter(contacts__user=request.user)
        .annotate(last_contact=Max("visits__date"))
        .order_by(F("last_contact").asc(nulls_first=True), "display_name", "pk")
    )


def volunteer_start(request: GroupRequest) -> HttpResponse:
    """ "Mijn gezinnen" and "Mijn actiepunten" first, then the group's households needing a visit.
    A fixed number of queries, whatever the number of households or visits."""
    group = request.group
    needs_visit = needing_a_visit(
        group.households.filter(status=Household.Status.ACTIVE), weeks=group.visit_interval_weeks
    ).order_by(F("last_contact").asc(nulls_first=True), "display_name")
    households = list(my_households(request)[: MY_HOUSEHOLDS + 1])
    follow_ups = list(
        group.follow_ups.filter(assignee=request.user, done_at__isnull=True)
        .select_related("household", "assignee")
        .order_by("due_date", "pk")[: MY_FOLLOW_UPS + 1]
    )
    context = {
        "my_households": households[:MY_HOUSEHOLDS],
        "more_households": len(households) > MY_HOUSEHOLDS,
        "my_follow_ups": follow_ups[:MY_FOLLOW_UPS],
        "more_follow_ups": len(follow_ups) > MY_FOLLOW_UPS,
        "needs_visit": needs_visit[:NEEDS_VISIT],
        "needs_visit_count": needs_visit.count(),
        "interval": group.visit_interval_weeks,
        "today": timezone.localdate(),
    }
    return render(request, "visits/start.html", context)

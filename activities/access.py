"""How activities are fetched for a request: always through request.group."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from activities.models import Activity, ActivitySeries, BoardSeat
from groups.access import GroupRequest


def get_activity(request: GroupRequest, pk: int) -> Activity:
    """The activity `pk` of the request's group, or 404 (also when it belongs to another group)."""
    try:
        # Through the relation, the activity's `group` is request.group itself: no join for it.
        return request.group.activities.select_related("series").get(pk=pk)
    except Activity.DoesNotExist:
        raise Http404("No such activity in this group.") from None


def get_activity_for_delete(request: GroupRequest, pk: int) -> Activity:
    """As get_activity, and 403 unless the member is a coordinator: deleting drops attendance."""
    activity = get_activity(request, pk)
    if not request.membership.can_manage:
        raise PermissionDenied
    return activity


def get_board_seat_for_change(request: GroupRequest, pk: int) -> BoardSeat:
    """The board seat `pk` of the request's group, or 404 (also when it belongs to another group);
    403 unless the member is a coordinator: who sits on the board is the coordinators' to record."""
    try:
        seat = request.group.board_seats.select_related("person", "household").get(pk=pk)
    except BoardSeat.DoesNotExist:
        raise Http404("No such board seat in this group.") from None
    if not request.membership.can_manage:
        raise PermissionDenied
    return seat


def get_series_for_change(request: GroupRequest, pk: int) -> ActivitySeries:
    """The activity series `pk` of the request's group, or 404 (also when it belongs to another
    group); 403 unless the member is a coordinator: a change of a series changes many evenings."""
    try:
        series = request.group.activity_series.select_related("group").get(pk=pk)
    except ActivitySeries.DoesNotExist:
        raise Http404("No such series in this group.") from None
    if not request.membership.can_manage:
        raise PermissionDenied
    return series

"""How activities are fetched for a request: always through request.group."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from activities.models import Activity
from groups.access import GroupRequest


def get_activity(request: GroupRequest, pk: int) -> Activity:
    """The activity `pk` of the request's group, or 404 (also when it belongs to another group)."""
    try:
        return request.group.activities.select_related("group", "series").get(pk=pk)
    except Activity.DoesNotExist:
        raise Http404("No such activity in this group.") from None


def get_activity_for_delete(request: GroupRequest, pk: int) -> Activity:
    """As get_activity, and 403 unless the member is a coordinator: deleting drops attendance."""
    activity = get_activity(request, pk)
    if not request.membership.can_manage:
        raise PermissionDenied
    return activity

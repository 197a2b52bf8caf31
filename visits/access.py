"""How visits, follow-ups and signals are fetched for a request: always through request.group."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from groups.access import GroupRequest
from households.access import ensure_changeable
from visits.models import FollowUp, Signal, Visit


def get_visit(request: GroupRequest, pk: int) -> Visit:
    """The visit `pk` of the request's group, or 404."""
    try:
        return request.group.visits.select_related("household", "household__group", "author").get(pk=pk)
    except Visit.DoesNotExist:
        raise Http404("No such visit in this group.") from None


def get_visit_for_change(request: GroupRequest, pk: int) -> Visit:
    """As get_visit, and 403 unless the member may change it (author for 14 days, coordinators)
    and the household may still be changed (households.access.ensure_changeable)."""
    visit = get_visit(request, pk)
    if not visit.may_be_changed_by(request.membership):
        raise PermissionDenied
    ensure_changeable(visit.household)
    return visit


def get_follow_up(request: GroupRequest, pk: int) -> FollowUp:
    try:
        return request.group.follow_ups.select_related("household").get(pk=pk)
    except FollowUp.DoesNotExist:
        raise Http404("No such follow-up in this group.") from None


def get_signal(request: GroupRequest, pk: int) -> Signal:
    try:
        return request.group.signals.select_related("household").get(pk=pk)
    except Signal.DoesNotExist:
        raise Http404("No such signal in this group.") from None

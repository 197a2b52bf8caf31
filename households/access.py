"""How a household and its persons are fetched for a request: always through request.group."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from groups.access import GroupRequest
from households.models import Household, Person


def get_household(request: GroupRequest, pk: int) -> Household:
    """The household `pk` of the request's group, or 404 (also when it belongs to another group)."""
    try:
        return request.group.households.select_related("group").get(pk=pk)
    except Household.DoesNotExist:
        raise Http404("No such household in this group.") from None


def get_household_for_manage(request: GroupRequest, pk: int) -> Household:
    """As get_household, and 403 unless the member may close, reopen or export it (coordinators)."""
    household = get_household(request, pk)
    if not request.membership.can_manage:
        raise PermissionDenied
    return household


def get_person(request: GroupRequest, household: Household, pk: int) -> Person:
    """A person of this household (itself already scoped to the group), or 404."""
    try:
        return household.persons.get(pk=pk, group=request.group)
    except Person.DoesNotExist:
        raise Http404("No such person in this household.") from None

"""How a household and its persons are fetched for a request: always through request.group."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from groups.access import GroupRequest
from households.models import Consent, Household, Person


def get_household(request: GroupRequest, pk: int) -> Household:
    """The household `pk` of the request's group, or 404 (also when it belongs to another group)."""
    try:
        # Through the relation, the household's `group` is request.group itself: no join for it.
        return request.group.households.get(pk=pk)
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


class HouseholdReadOnly(PermissionDenied):
    """The household may not be changed: its consent is withdrawn or it was anonymised.
    `str(error)` is a Dutch message shown on the 403 page."""


def latest_consent(household: Household) -> Consent | None:
    return household.consents.order_by("-date", "-created_at", "-pk").first()


def ensure_changeable(household: Household, *, consent_allowed: bool = False) -> None:
    """Raise HouseholdReadOnly for an anonymised household, and for one whose latest consent is
    withdrawn (GDPR art. 7(3)): then only closing, erasure, the family's copy and (with
    `consent_allowed`) recording new consent remain."""
    if household.anonymised_at is not None:
        raise HouseholdReadOnly(_("Dit gezin is geanonimiseerd: er kan niets meer bij of aan veranderen."))
    if consent_allowed:
        return
    consent = latest_consent(household)
    if consent is not None and consent.status == Consent.Status.WITHDRAWN:
        raise HouseholdReadOnly(
            _(
                "Het gezin heeft zijn toestemming ingetrokken. Je kan het gezin alleen nog afsluiten, "
                "wissen of een inzage maken, of nieuwe toestemming noteren."
            )
        )


def get_household_for_change(request: GroupRequest, pk: int, *, consent_allowed: bool = False) -> Household:
    """As get_household, and 403 (HouseholdReadOnly) when it may not be changed any more."""
    household = get_household(request, pk)
    ensure_changeable(household, consent_allowed=consent_allowed)
    return household

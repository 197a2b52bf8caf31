"""Reads about the logged-in user's own account that several pages share: who they are to
Welzijn (volunteer, coordinator, staff, admin), so that the security pages give advice that fits
the role ("ask your coordinator" is no help to a coordinator), and where "back" leads from a page
outside a group.

accounts imports nothing from groups: the groups and regions are reached through the reverse
relations `memberships` and `staff_regions`.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.urls import reverse

from accounts.models import User

# groups.models.Membership.Role.COORDINATOR, by value (see the module docstring).
COORDINATOR = "coordinator"


class Standing(StrEnum):
    """Who can change the user's login address or wipe their second factor, by role."""

    VOLUNTEER = "volunteer"  # their coordinator (who passes it on to an admin)
    COORDINATOR = "coordinator"  # the region's contact person, then an admin
    STAFF = "staff"  # regional or national staff: an admin
    ADMIN = "admin"  # a superuser: they do it themselves, in the admin


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


@dataclass(frozen=True)
class AccountStanding:
    standing: Standing
    # The contact persons of the regions of the groups a coordinator coordinates (with a name or
    # an address filled in), in the order of the groups' names, each once.
    contacts: tuple[Contact, ...]
    # Where "back" leads from an account page: the one group's start page, else the start page.
    home_url: str
    home_name: str  # the group's name, "" for the start page

    @property
    def is_volunteer(self) -> bool:
        return self.standing == Standing.VOLUNTEER

    @property
    def is_coordinator(self) -> bool:
        return self.standing == Standing.COORDINATOR

    @property
    def is_staff(self) -> bool:
        return self.standing == Standing.STAFF

    @property
    def is_admin(self) -> bool:
        return self.standing == Standing.ADMIN


def account_standing(user: User) -> AccountStanding:
    """The role that decides whom the user asks for help with their account, and the way back.
    Two queries (the user's active memberships of active groups with their regions, and whether
    they are regional staff)."""
    memberships: list[Any] = list(
        user.memberships.filter(is_active=True, group__is_active=True)
        .select_related("group__region")
        .order_by("group__name")
    )
    regional_staff = user.staff_regions.exists()
    coordinated = [m.group for m in memberships if m.role == COORDINATOR]
    if user.is_superuser:
        standing = Standing.ADMIN
    elif user.is_staff or regional_staff:
        standing = Standing.STAFF
    elif coordinated:
        standing = Standing.COORDINATOR
    else:
        standing = Standing.VOLUNTEER
    contacts: list[Contact] = []
    for group in coordinated:
        contact = Contact(group.region.contact_name, group.region.contact_email)
        if (contact.name or contact.email) and contact not in contacts:
            contacts.append(contact)
    # The same rule as the start page (groups.views.choose_group): one group and no region.
    if len(memberships) == 1 and not regional_staff:
        home_url, home_name = memberships[0].group.get_absolute_url(), memberships[0].group.name
    else:
        home_url, home_name = reverse("home"), ""
    return AccountStanding(standing, tuple(contacts), home_url, home_name)

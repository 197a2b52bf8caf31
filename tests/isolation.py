"""The isolation registry: one entry per URL name under /g/<slug>/.

`test_url_isolation.py` walks every URL pattern of the project and fails when a group URL is
missing here, so no later view can skip the four cases (member, other group, role, anonymous).
Add an entry with the URL; keep `kwargs` pointing at a record of group A.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import World


def _no_kwargs(world: World) -> dict:
    return {}


@dataclass(frozen=True)
class Case:
    # "member": any active member of the group; "coordinator": coordinators only (volunteers 403).
    who: str
    method: str = "get"
    kwargs: Callable[[World], dict] = _no_kwargs
    data: Callable[[World], dict] = field(default=_no_kwargs)
    ok_status: int = 200


def _volunteer_a_membership(world: World) -> dict:
    return {"pk": world.group_a.memberships.get(user=world.volunteer_a).pk}


GROUP_URLS: dict[str, Case] = {
    "groups:home": Case(who="member"),
    "groups:members": Case(who="coordinator"),
    "groups:member_invite": Case(who="coordinator"),
    "groups:member_edit": Case(who="coordinator", kwargs=_volunteer_a_membership),
    "groups:member_deactivate": Case(
        who="coordinator", method="post", kwargs=_volunteer_a_membership, ok_status=302
    ),
    "groups:member_reinvite": Case(
        who="coordinator", method="post", kwargs=_volunteer_a_membership, ok_status=302
    ),
    "groups:member_activate": Case(
        who="coordinator", method="post", kwargs=_volunteer_a_membership, ok_status=302
    ),
}

# URL names outside /g/<slug>/ that we own, with why they need no group.
OTHER_URLS: dict[str, str] = {
    "home": "the group chooser: lists only the user's own memberships",
    "healthz": "answers whether the database is up; no data",
    "invitation_accept": "reached by a secret token, before the user can log in",
}

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


def _household_a(world: World) -> dict:
    return {"pk": world.household_a.pk}


def _person_a(world: World) -> dict:
    return {"pk": world.household_a.pk, "person_pk": world.person_a.pk}


def _valid_person(world: World) -> dict:
    return {"new-first_name": "Lotte", "new-birth_year": "2015", "new-role": "child"}


def _valid_consent(world: World) -> dict:
    return {
        "consent-status": "given",
        "consent-date": "2026-01-05",
        "consent-method": "oral",
        "consent-purpose": "x",
    }


def _valid_close(world: World) -> dict:
    return {"closed_on": "2026-01-05", "close_reason": "moved"}


GROUP_URLS.update(
    {
        "households:list": Case(who="member"),
        "households:create": Case(who="member"),
        "households:detail": Case(who="member", kwargs=_household_a),
        "households:print": Case(who="member", kwargs=_household_a),
        "households:edit": Case(who="member", kwargs=_household_a),
        "households:close": Case(who="coordinator", kwargs=_household_a),
        "households:reopen": Case(who="coordinator", method="post", kwargs=_household_a, ok_status=302),
        "households:person_add": Case(
            who="member", method="post", kwargs=_household_a, data=_valid_person, ok_status=302
        ),
        "households:person_edit": Case(who="member", kwargs=_person_a),
        "households:person_delete": Case(who="member", method="post", kwargs=_person_a, ok_status=302),
        "households:consent_add": Case(
            who="member", method="post", kwargs=_household_a, data=_valid_consent, ok_status=302
        ),
        "households:access_log": Case(who="coordinator"),
    }
)

# URL names outside /g/<slug>/ that we own, with why they need no group.
OTHER_URLS: dict[str, str] = {
    "home": "the group chooser: lists only the user's own memberships",
    "healthz": "answers whether the database is up; no data",
    "invitation_accept": "reached by a secret token, before the user can log in",
}

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
    # A member of the group who may not do this (403). Defaults to a volunteer for coordinator pages.
    forbidden: Callable[[World], object] | None = None
    # A method the view refuses (405). By default GET for POST-only views, DELETE for the rest.
    wrong_method: str | None = None

    def refused_method(self) -> str:
        return self.wrong_method or ("get" if self.method == "post" else "delete")

    def forbidden_user(self, world: World):
        if self.forbidden is not None:
            return self.forbidden(world)
        return world.volunteer_a if self.who == "coordinator" else None


def _volunteer_a_membership(world: World) -> dict:
    return {"pk": world.group_a.memberships.get(user=world.volunteer_a).pk}


GROUP_URLS: dict[str, Case] = {
    "reports:home": Case(who="member"),
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


def _visit_a(world: World) -> dict:
    return {"pk": world.visit_a.pk}


def _follow_up_a(world: World) -> dict:
    return {"pk": world.follow_up_a.pk}


def _signal_a(world: World) -> dict:
    return {"pk": world.signal_a.pk}


def _valid_visit(world: World) -> dict:
    return {
        "date": "2026-01-05",
        "kind": "home",
        "volunteers": [world.volunteer_a.pk],
        "summary": "Goed gesprek.",
        "submission_id": "6f1c2d1e-9b1a-4a53-8f4e-2f6f3b8f0a11",
        "followup-TOTAL_FORMS": "0",
        "followup-INITIAL_FORMS": "0",
        "signal-TOTAL_FORMS": "0",
        "signal-INITIAL_FORMS": "0",
    }


def _not_the_author(world: World):
    # A volunteer of the same group who did not log the visit: may read it, not change it.
    return world.volunteer_a_and_a2


GROUP_URLS.update(
    {
        "visits:create": Case(
            who="member",
            method="post",
            kwargs=_household_a,
            data=_valid_visit,
            ok_status=302,
            wrong_method="delete",
        ),
        "visits:list": Case(who="member"),
        "visits:detail": Case(who="member", kwargs=_visit_a),
        "visits:edit": Case(who="member", kwargs=_visit_a, forbidden=_not_the_author),
        "visits:delete": Case(
            who="member", method="post", kwargs=_visit_a, ok_status=302, forbidden=_not_the_author
        ),
        "visits:follow_up_add": Case(who="member", kwargs=_household_a),
        "visits:follow_up_mine": Case(who="member"),
        "visits:follow_up_list": Case(who="coordinator"),
        "visits:follow_up_done": Case(who="member", method="post", kwargs=_follow_up_a, ok_status=302),
        "visits:signal_list": Case(who="member"),
        "visits:signal_add": Case(who="member", kwargs=_household_a),
        "visits:signal_edit": Case(who="member", kwargs=_signal_a),
    }
)

GROUP_URLS.update(
    {
        "reports:report": Case(who="coordinator"),
        "reports:report_export": Case(who="coordinator", kwargs=lambda world: {"fmt": "xlsx"}),
        "reports:signals_report": Case(who="coordinator"),
        "reports:signals_report_export": Case(who="coordinator", kwargs=lambda world: {"fmt": "csv"}),
    }
)

# URL names outside /g/<slug>/ that we own, with why they need no group.
OTHER_URLS: dict[str, str] = {
    "home": "the group chooser: lists only the user's own memberships",
    "healthz": "answers whether the database is up; no data",
    "invitation_accept": "reached by a secret token, before the user can log in",
    "staff:national": "aggregates for Django staff only, small cells suppressed (tests/reports)",
    "staff:region": "aggregates for Django staff only, small cells suppressed (tests/reports)",
    "staff:signals": "aggregates for Django staff only, small cells suppressed (tests/reports)",
    "staff:signals_export": "aggregates for Django staff only, small cells suppressed (tests/reports)",
}


def _activity_a(world: World) -> dict:
    return {"pk": world.activity_a.pk}


def _valid_activity(world: World) -> dict:
    return {
        "kind": "meeting",
        "title": "Praatcafé",
        "date": "2026-01-05",
        "start_time": "19:00",
        "end_time": "21:00",
        "repeat": "once",
        "organisers": [world.volunteer_a.pk],
        "submission_id": "0b6f3c1e-1c2a-4f0e-9d5b-6a7e8f9a0b1c",
    }


def _valid_attendance(world: World) -> dict:
    return {"present": [world.person_a.pk], "shown": [world.person_a.pk], "unregistered_count": "2"}


GROUP_URLS.update(
    {
        "activities:list": Case(who="member"),
        "activities:create": Case(
            who="member", method="post", data=_valid_activity, ok_status=302, wrong_method="delete"
        ),
        "activities:detail": Case(who="member", kwargs=_activity_a),
        "activities:edit": Case(who="member", kwargs=_activity_a),
        "activities:attendance": Case(
            who="member",
            method="post",
            kwargs=_activity_a,
            data=_valid_attendance,
            ok_status=302,
            wrong_method="delete",
        ),
        "activities:delete": Case(who="coordinator", method="post", kwargs=_activity_a, ok_status=302),
    }
)

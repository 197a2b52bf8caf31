"""The isolation registry: one entry per URL name under /g/<slug>/.

`test_url_isolation.py` walks every URL pattern of the project and fails when a group URL is
missing here, so no later view can skip its cases: the member it is for gets it and sees
nothing of another group (`test_content_isolation.py`); another group, no membership, the
wrong role, anonymous, a wrong method and an inactive group do not (`test_url_isolation.py`).
Add an entry with the URL; keep `kwargs` pointing at a record of group A.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.helpers import PASSWORD, World


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


def _invitation_a(world: World) -> dict:
    """A pending invitation of group A (made on first use)."""
    from groups.models import Invitation

    invitation = Invitation.objects.filter(group=world.group_a, email="invited@example.org").first()
    if invitation is None:
        invitation = Invitation.objects.create(
            group=world.group_a,
            email="invited@example.org",
            full_name="Ingrid Uitgenodigd",
            token_hash=Invitation.hash_token("isolation"),
            expires_at=Invitation.default_expiry(),
        )
    return {"pk": invitation.pk}


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
    "groups:member_mfa_reset": Case(
        who="coordinator", method="post", kwargs=_volunteer_a_membership, ok_status=302
    ),
    "groups:invitation_resend": Case(
        who="coordinator", method="post", kwargs=lambda w: _invitation_a(w), ok_status=302
    ),
    "groups:invitation_withdraw": Case(
        who="coordinator", method="post", kwargs=lambda w: _invitation_a(w), ok_status=302
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
    assert world.visit_a is not None
    return {"pk": world.visit_a.pk}


def _follow_up_a(world: World) -> dict:
    assert world.follow_up_a is not None
    return {"pk": world.follow_up_a.pk}


def _signal_a(world: World) -> dict:
    assert world.signal_a is not None
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

GROUP_URLS.update(
    {
        "privacy:erase": Case(who="coordinator", kwargs=_household_a),
        "privacy:postpone": Case(who="coordinator", kwargs=_household_a),
        "privacy:copy": Case(who="coordinator", kwargs=_household_a),
        "privacy:copy_download": Case(who="coordinator", kwargs=_household_a),
    }
)

# URL names outside /g/<slug>/ that we own, with why they need no group.
OTHER_URLS: dict[str, str] = {
    "home": "the group chooser: lists only the user's own memberships",
    "healthz": "answers whether the database is up; no data",
    "invitation_accept": "reached by a secret token, before the user can log in",
    "accounts:security": "the logged-in user's own MFA status and sessions; no group data",
    "accounts:logout_everywhere": "ends the logged-in user's own sessions (POST); no group data",
    "csp_report": "browsers post CSP violations; rate-limited, logs no page content",
    "staff:national": "aggregates for Django staff only, small cells suppressed (tests/reports)",
    "staff:region": "aggregates for Django staff only, small cells suppressed (tests/reports)",
    "staff:signals": "aggregates for Django staff only, small cells suppressed (tests/reports)",
    "staff:signals_export": "aggregates for Django staff only, small cells suppressed (tests/reports)",
}


# --- Sending the same thing twice -------------------------------------------------------
# One entry per URL that takes a POST (tests/test_resubmission.py finds them by posting to
# every URL of the project, and fails on one that is missing here). `body(client, world)`
# builds what the user sends, usually from the page's own form (`form_data`), so that the
# version, the hidden initial values and the submission id are what a browser would send.
# `setup(world)` puts the world in the state the action needs. `writes`: the first POST must
# change the database (so the test cannot pass by doing nothing).


@dataclass(frozen=True)
class PostCase:
    who: str  # "member", "coordinator" or "anonymous"
    kwargs: Callable[[World], dict] = _no_kwargs
    body: Callable[..., dict] = field(default=lambda client, world, kwargs: {})
    setup: Callable[[World], object] | None = None
    writes: bool = True


def _g(name: str, world: World, **kwargs) -> str:
    from django.urls import reverse

    return reverse(name, kwargs={"slug": "brugge", **kwargs})


def _page(name: str, change: Callable[[World], dict], contains: str | None = None, **static):
    """The form on the page `name` (with the URL arguments `static` or the case's), changed."""

    def body(client, world: World, kwargs: dict) -> dict:
        from tests.browserless import form_data

        data = form_data(client, _g(name, world, **{**kwargs, **static}), contains=contains)
        return {**data, **change(world)}

    return body


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _new_follow_up_and_signal(world: World) -> dict:
    return {
        "followup-0-description": "Bellen naar de huisbaas",
        "followup-0-due_date": _today(),
        "followup-0-assignee": str(world.volunteer_a.pk),
        "signal-0-institution": "housing",
        "signal-0-theme": "housing",
        "signal-0-description": "Herstelling al drie maanden beloofd.",
    }


def _pending_invitation(world: World):
    from groups.services import invite_member

    return invite_member(
        group=world.group_a, invited_by=world.coordinator_a, email="nieuw@example.org", role="volunteer"
    )


def _invitation(world: World) -> dict:
    from groups.services import invite_member

    # A fresh invitation of the same address: its token is the one the case posts to.
    result = invite_member(
        group=world.group_a, invited_by=world.coordinator_a, email="nieuw@example.org", role="volunteer"
    )
    return {"token": result.token}


def _close_household(world: World) -> None:
    from households.models import Household

    Household.objects.filter(pk=world.household_a.pk).update(status="closed", close_reason="moved")


def _deactivate_volunteer_a(world: World) -> None:
    world.group_a.memberships.filter(user=world.volunteer_a).update(is_active=False)


def _pending_invitation_kwargs(world: World) -> dict:
    from groups.models import Invitation

    return {"pk": Invitation.objects.filter(group=world.group_a, email="nieuw@example.org").latest("pk").pk}


def _give_mfa(user) -> None:
    from tests.helpers import give_mfa

    give_mfa(user)


def _follow_ups_done(world: World) -> None:
    from django.utils import timezone

    world.household_a.follow_ups.update(done_at=timezone.now())


def _closed_long_ago(world: World) -> None:
    import datetime as dt

    from households.models import Household

    Household.objects.filter(pk=world.household_a.pk).update(
        status="closed", close_reason="moved", closed_on=dt.date(2024, 1, 31)
    )


POST_CASES: dict[str, PostCase] = {
    "home": PostCase(who="member", writes=False),
    "invitation_accept": PostCase(
        who="anonymous",
        kwargs=_invitation,
        body=lambda client, world, kwargs: {
            "full_name": "Nina Nieuw",
            "new_password1": "een-ander-lang-wachtwoord",
            "new_password2": "een-ander-lang-wachtwoord",
        },
    ),
    "groups:member_invite": PostCase(
        who="coordinator",
        body=lambda client, world, kwargs: {
            "email": "nieuw@example.org",
            "full_name": "Nina",
            "role": "volunteer",
        },
    ),
    "groups:member_edit": PostCase(
        who="coordinator",
        kwargs=_volunteer_a_membership,
        body=_page("groups:member_edit", lambda world: {"role": "coordinator"}),
    ),
    "groups:member_deactivate": PostCase(who="coordinator", kwargs=_volunteer_a_membership),
    "groups:member_activate": PostCase(
        who="coordinator", kwargs=_volunteer_a_membership, setup=_deactivate_volunteer_a
    ),
    "groups:invitation_resend": PostCase(
        who="coordinator", setup=_pending_invitation, kwargs=_pending_invitation_kwargs
    ),
    "groups:invitation_withdraw": PostCase(
        who="coordinator", setup=_pending_invitation, kwargs=_pending_invitation_kwargs
    ),
    "households:create": PostCase(
        who="member",
        body=_page("households:create", lambda world: {"display_name": "Familie Nieuw", "street": "Dorp"}),
    ),
    "households:edit": PostCase(
        who="member",
        kwargs=_household_a,
        body=_page("households:edit", lambda world: {"street": "Markt"}),
    ),
    "households:close": PostCase(
        who="coordinator",
        kwargs=_household_a,
        body=_page("households:close", lambda world: {"close_reason": "moved", "closed_on": _today()}),
    ),
    "households:reopen": PostCase(who="coordinator", kwargs=_household_a, setup=_close_household),
    "households:person_add": PostCase(
        who="member",
        kwargs=_household_a,
        body=_page("households:detail", lambda world: _valid_person(world), contains="new-first_name"),
    ),
    "households:person_edit": PostCase(
        who="member",
        kwargs=_person_a,
        body=_page("households:person_edit", lambda world: {f"p{world.person_a.pk}-birth_year": "1979"}),
    ),
    "households:person_delete": PostCase(who="member", kwargs=_person_a),
    "households:consent_add": PostCase(
        who="member",
        kwargs=_household_a,
        body=_page(
            "households:detail",
            lambda world: {"consent-status": "withdrawn", "consent-date": _today()},
            contains="consent-status",
        ),
    ),
    "visits:create": PostCase(
        who="member",
        kwargs=_household_a,
        body=_page(
            "visits:create",
            lambda world: {"summary": "Samen de huurbrief gelezen.", **_new_follow_up_and_signal(world)},
        ),
    ),
    "visits:edit": PostCase(
        # The example: an edit that adds a follow-up and a signal, sent twice.
        who="member",
        kwargs=_visit_a,
        body=_page(
            "visits:edit", lambda world: {"summary": "Aangevuld.", **_new_follow_up_and_signal(world)}
        ),
    ),
    "visits:delete": PostCase(who="member", kwargs=_visit_a),
    "visits:follow_up_add": PostCase(
        who="member",
        kwargs=_household_a,
        body=_page(
            "visits:follow_up_add",
            lambda world: {"description": "Brief nalezen", "due_date": _today()},
        ),
    ),
    "visits:follow_up_done": PostCase(
        who="member", kwargs=_follow_up_a, body=lambda client, world, kwargs: {"done": "1"}
    ),
    "visits:signal_add": PostCase(
        who="member",
        kwargs=_household_a,
        body=_page(
            "visits:signal_add",
            lambda world: {"institution": "school", "theme": "education", "description": "Geen uitleg."},
        ),
    ),
    "visits:signal_edit": PostCase(
        who="member",
        kwargs=_signal_a,
        body=_page("visits:signal_edit", lambda world: {"status": "raised"}),
    ),
    "groups:member_mfa_reset": PostCase(
        who="coordinator", kwargs=_volunteer_a_membership, setup=lambda world: _give_mfa(world.volunteer_a)
    ),
    "accounts:logout_everywhere": PostCase(who="member"),
    "csp_report": PostCase(
        who="member",
        body=lambda client, world, kwargs: {"csp-report": "blocked-uri: inline"},
        writes=False,
    ),
    "privacy:erase": PostCase(
        who="coordinator",
        kwargs=_household_a,
        setup=_follow_ups_done,
        body=lambda client, world, kwargs: {"confirm_name": "Familie Peeters", "reason": "family_request"},
    ),
    "privacy:postpone": PostCase(
        who="coordinator",
        kwargs=_household_a,
        setup=_closed_long_ago,
        body=lambda client, world, kwargs: {"months": "6", "reason": "Het gezin vraagt nog hulp."},
    ),
}

POST_CASES.update(
    {
        "set_language": PostCase(
            who="member", body=lambda client, world, kwargs: {"language": "en", "next": "/"}, writes=False
        ),
        "account_login": PostCase(
            who="anonymous",
            body=lambda client, world, kwargs: {"login": world.volunteer_a.email, "password": PASSWORD},
        ),
        "account_logout": PostCase(who="member", writes=False),
        "account_change_password": PostCase(
            who="member",
            body=lambda client, world, kwargs: {
                "oldpassword": PASSWORD,
                "password1": "een-nieuw-lang-wachtwoord",
                "password2": "een-nieuw-lang-wachtwoord",
            },
        ),
        "account_reauthenticate": PostCase(
            who="member", body=lambda client, world, kwargs: {"password": PASSWORD}, writes=False
        ),
        "account_reset_password": PostCase(
            who="anonymous",
            body=lambda client, world, kwargs: {"email": world.volunteer_a.email},
            writes=False,
        ),
        "account_request_login_code": PostCase(
            who="anonymous",
            body=lambda client, world, kwargs: {"email": world.volunteer_a.email},
            writes=False,
        ),
    }
)

# Third-party URLs (allauth) that take a POST but need a secret from an e-mail, a flow begun
# in the session, or are switched off: why each has no PostCase. Their forms refuse a second
# use of the same code or key themselves.
POST_WITHOUT_CASE: dict[str, str] = {
    "mfa_activate_totp": "allauth MFA: a code is valid once, a second activation is refused (test_mfa.py)",
    "mfa_add_webauthn": "allauth MFA: needs a browser's signed passkey challenge from the session",
    "mfa_authenticate": "allauth MFA: a step of a login begun in the session; a reused code is refused",
    "mfa_deactivate_totp": "allauth MFA: removing the one authenticator twice leaves it removed",
    "mfa_download_recovery_codes": "allauth MFA: a download, no write",
    "mfa_edit_webauthn": "allauth MFA: renames a passkey; the same name twice is the same row",
    "mfa_generate_recovery_codes": "allauth MFA: a new set replaces the old one (one row per user)",
    "mfa_index": "allauth MFA: a page, no form",
    "mfa_list_webauthn": "allauth MFA: a page, no form",
    "mfa_reauthenticate": "allauth MFA: a step of a flow begun in the session, no row",
    "mfa_reauthenticate_webauthn": "allauth MFA: needs a browser's signed passkey challenge",
    "mfa_remove_webauthn": "allauth MFA: removing the same passkey twice leaves it removed",
    "mfa_view_recovery_codes": "allauth MFA: a page after reauthentication, no write",
    "account_signup": "sign-up is closed (InviteOnlyAccountAdapter)",
    "account_inactive": "a page, no form",
    "account_email": "e-mail addresses are managed by coordinators, not on this page",
    "account_email_verification_sent": "a page, no form (verification is off)",
    "account_confirm_email": "verification is off; the key comes by e-mail",
    "account_set_password": "every invited user sets a password through the invitation",
    "account_reset_password_done": "a page, no form",
    "account_reset_password_from_key": "the key comes by e-mail and is single-use",
    "account_reset_password_from_key_done": "a page, no form",
    "account_confirm_login_code": "the code comes by e-mail and is single-use",
    "account_request_reauthentication_code": "part of a reauthentication flow begun in the session",
    "account_confirm_reauthentication_code": "the code comes by e-mail and is single-use",
}


def _activity_a(world: World) -> dict:
    assert world.activity_a is not None
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


POST_CASES.update(
    {
        "activities:create": PostCase(
            who="member",
            body=_page(
                "activities:create",
                lambda world: {
                    "kind": "meeting",
                    "title": "Praatcafé",
                    "date": _today(),
                    "start_time": "19:00",
                    "end_time": "21:00",
                    "repeat": "once",
                },
            ),
        ),
        "activities:edit": PostCase(
            who="member",
            kwargs=_activity_a,
            body=_page("activities:edit", lambda world: {"title": "Praatcafé in de bib"}),
        ),
        "activities:attendance": PostCase(
            who="member",
            kwargs=_activity_a,
            body=_page(
                "activities:attendance",
                lambda world: {"present": [str(world.person_a.pk)], "unregistered_count": "3"},
                contains="unregistered_count",
            ),
        ),
        "activities:delete": PostCase(who="coordinator", kwargs=_activity_a),
    }
)


def _board_seat_a(world: World) -> dict:
    """An open board seat of group A (made on first use): Mieke of the Peeters family."""
    import datetime as dt

    from activities.models import BoardSeat

    seat = BoardSeat.objects.filter(group=world.group_a, person=world.person_a, ended_on=None).first()
    if seat is None:
        seat = BoardSeat.objects.create(
            group=world.group_a,
            person=world.person_a,
            household=world.household_a,
            started_on=dt.date(2025, 1, 1),
            created_by=world.coordinator_a,
        )
    return {"pk": seat.pk}


def _valid_board_seat(world: World) -> dict:
    return {
        "person": world.person_a.pk,
        "started_on": "2025-09-01",
        "submission_id": "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    }


GROUP_URLS.update(
    {
        "activities:board": Case(who="member"),
        "activities:board_add": Case(who="coordinator", method="post", data=_valid_board_seat, ok_status=302),
        "activities:board_end": Case(
            who="coordinator",
            method="post",
            kwargs=_board_seat_a,
            data=lambda world: {"ended_on": "2025-12-31"},
            ok_status=302,
        ),
    }
)

POST_CASES.update(
    {
        "activities:board_add": PostCase(
            who="coordinator",
            body=_page(
                "activities:board",
                lambda world: {"person": str(world.person_a.pk), "started_on": "2025-09-01"},
                contains="started_on",
            ),
        ),
        "activities:board_end": PostCase(
            who="coordinator",
            kwargs=_board_seat_a,
            body=lambda client, world, kwargs: {"ended_on": "2025-12-31"},
        ),
    }
)


def _series_a(world: World) -> dict:
    """A weekly praatcafé of group A (made on first use): two evenings behind us, the first with
    attendance, and ten to come."""
    import datetime as dt

    from django.utils import timezone

    from activities.models import ActivitySeries
    from tests.helpers import attend, make_activity

    series = ActivitySeries.objects.filter(group=world.group_a, title="Wekelijks praatcafé").first()
    if series is None:
        first = timezone.localdate() - dt.timedelta(weeks=2)
        series = ActivitySeries.objects.create(
            group=world.group_a,
            title="Wekelijks praatcafé",
            frequency="weekly",
            first_date=first,
            last_date=first + dt.timedelta(weeks=11),
            created_by=world.coordinator_a,
        )
        for day in series.occurrence_dates():
            activity = make_activity(
                world.group_a,
                world.coordinator_a,
                series=series,
                title="Wekelijks praatcafé",
                starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(19))),
            )
            if day == first:
                attend(activity, world.person_a)
    return {"pk": series.pk}


def _series_end_date(world: World) -> dict:
    import datetime as dt

    from django.utils import timezone

    return {"end-last_date": (timezone.localdate() + dt.timedelta(weeks=3)).isoformat()}


GROUP_URLS.update(
    {
        "activities:series_edit": Case(who="coordinator", kwargs=_series_a),
        "activities:series_end": Case(
            who="coordinator", method="post", kwargs=_series_a, data=_series_end_date, ok_status=302
        ),
    }
)

POST_CASES.update(
    {
        "activities:series_edit": PostCase(
            who="coordinator",
            kwargs=_series_a,
            body=_page(
                "activities:series_edit", lambda world: {"place": "Het buurthuis"}, contains="from_date"
            ),
        ),
        "activities:series_end": PostCase(
            who="coordinator", kwargs=_series_a, body=lambda client, world, kwargs: _series_end_date(world)
        ),
    }
)

"""Writes on accounts that more than one place makes: the login address, MFA, sessions.

Who needs MFA is decided here too (`requires_mfa`), so that the middleware, the admin and the
coordinator's reset all apply the same rule.
"""

import logging
import smtplib
from functools import cache
from typing import Any, NamedTuple, cast

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Field, Model
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import AccountEvent, User

logger = logging.getLogger(__name__)


class MFAStatus(NamedTuple):
    has: bool  # an authenticator app or a passkey (recovery codes alone do not count)
    required: bool  # see requires_mfa


@cache
def _mfa_status_sql() -> str:
    """One statement for both questions, written once per process from the models' own tables
    and columns (found through the reverse names `memberships` and `staff_regions`: accounts
    imports nothing from groups). The ORM took about ten times as long to build the two
    statements as PostgreSQL took to run them, on every request of a user without MFA."""
    quote = connection.ops.quote_name

    def table(model: type[Model]) -> str:
        return quote(model._meta.db_table)

    def column(model: type[Model], name: str) -> str:
        return quote(cast(str, cast("Field[Any, Any]", model._meta.get_field(name)).column))

    memberships = User._meta.get_field("memberships")
    membership = memberships.related_model
    group = cast(type[Model], membership._meta.get_field("group").related_model)
    staff_regions = User._meta.get_field("staff_regions")
    regions_staff = cast(type[Model], staff_regions.through)
    return (
        f"SELECT EXISTS (SELECT 1 FROM {table(Authenticator)} a"  # noqa: S608 - names from the models
        f" WHERE a.{column(Authenticator, 'user')} = %(user)s"
        f" AND a.{column(Authenticator, 'type')} = ANY(%(types)s)),"
        f" EXISTS (SELECT 1 FROM {table(membership)} m JOIN {table(group)} g"
        f" ON g.{column(group, 'id')} = m.{column(membership, 'group')}"
        f" WHERE m.{quote(memberships.field.column)} = %(user)s AND m.{column(membership, 'role')} = %(role)s"
        f" AND m.{column(membership, 'is_active')} AND g.{column(group, 'is_active')})"
        f" OR EXISTS (SELECT 1 FROM {table(regions_staff)} s"
        f" WHERE s.{quote(staff_regions.field.m2m_reverse_name())} = %(user)s)"
    )


def mfa_status(user: User) -> MFAStatus:
    """Whether the user has a second factor and whether they must have one, in one query (none
    for an anonymous user). The rule is `requires_mfa`'s."""
    if not user.is_authenticated:
        return MFAStatus(has=False, required=False)
    with connection.cursor() as cursor:
        cursor.execute(
            _mfa_status_sql(),
            {
                "user": user.pk,
                "types": [Authenticator.Type.TOTP.value, Authenticator.Type.WEBAUTHN.value],
                "role": "coordinator",
            },
        )
        has, coordinator_or_regional_staff = cursor.fetchone()
    return MFAStatus(has=has, required=user.is_staff or user.is_superuser or coordinator_or_regional_staff)


def requires_mfa(user: User) -> bool:
    """True for Django staff and superusers, regional staff and active coordinators of an
    active group: everyone who sees more than their own visits (docs/architecture.md). One query
    (none for staff and superusers)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return mfa_status(user).required


def has_mfa(user: User) -> bool:
    """True when the user has a second factor (an authenticator app or a passkey). One query."""
    return mfa_status(user).has


@transaction.atomic
def set_verified_email(user: User, email: str) -> None:
    """Make `email` the user's one login address, verified and primary; drop any other.

    Called when an invitation link is used (the link proved the address) and when an admin
    changes the address. allauth sends password resets and login codes only to these rows.
    """
    email = User.objects.normalize_email(email)
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).delete()
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    elif not (address.verified and address.primary and address.email == email):
        address.email, address.verified, address.primary = email, True, True
        address.save(update_fields=["email", "verified", "primary"])


def change_email(*, user: User, new_email: str, actor: User, old_email: str) -> None:
    """After an admin changed `user.email`: make it the verified address, log it, and tell the
    old address (so that a quiet change cannot go unnoticed)."""
    set_verified_email(user, new_email)
    AccountEvent.objects.create(user=user, actor=actor, kind=AccountEvent.Kind.EMAIL_CHANGED, context="admin")
    log_out_everywhere(user=user, actor=actor, context="admin", log=False)
    with translation.override("nl-be"):
        subject = render_to_string("accounts/email/email_changed_subject.txt", {}).strip()
        body = render_to_string(
            "accounts/email/email_changed_body.txt", {"user": user, "new_email": new_email}
        )
    try:
        send_mail(subject, body, None, [old_email])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the address-change notice for user %s", user.pk)


@transaction.atomic
def log_out_everywhere(*, user: User, actor: User | None, context: str, log: bool = True) -> None:
    """End every session of `user` on every device, by changing the value their session hash
    is made of (User._get_session_auth_hash)."""
    user.session_token = User._meta.get_field("session_token").get_default()
    user.save(update_fields=["session_token"])
    if log:
        AccountEvent.objects.create(
            user=user, actor=actor, kind=AccountEvent.Kind.LOGGED_OUT_EVERYWHERE, context=context
        )


@transaction.atomic
def reset_mfa(*, user: User, actor: User, context: str) -> None:
    """Remove every authenticator of `user` (lost phone) and log them out everywhere.

    Who needs MFA must set it up again at their next login (RequireMFAMiddleware)."""
    Authenticator.objects.filter(user=user).delete()
    log_out_everywhere(user=user, actor=actor, context=context, log=False)
    AccountEvent.objects.create(user=user, actor=actor, kind=AccountEvent.Kind.MFA_RESET, context=context)

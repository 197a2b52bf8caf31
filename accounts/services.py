"""Writes on accounts that more than one place makes: the login address, MFA, sessions.

Who needs MFA is decided here too (`requires_mfa`), so that the middleware, the admin and the
coordinator's reset all apply the same rule.
"""

import logging
import smtplib

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from accounts.models import AccountEvent, User

logger = logging.getLogger(__name__)


def requires_mfa(user: User) -> bool:
    """True for Django staff and superusers, regional staff and active coordinators of an
    active group: everyone who sees more than their own visits (docs/architecture.md). One query."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # By the reverse names groups gives the user (memberships, staff_regions): accounts
    # imports nothing from groups, which depends on accounts.
    coordinator = Q(
        memberships__role="coordinator", memberships__is_active=True, memberships__group__is_active=True
    )
    return User.objects.filter(coordinator | Q(staff_regions__isnull=False), pk=user.pk).exists()


def has_mfa(user: User) -> bool:
    """True when the user has a second factor (an authenticator app or a passkey)."""
    found: bool = Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
    return found


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

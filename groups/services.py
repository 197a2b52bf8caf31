"""Writes that touch several rows: inviting a member, accepting an invitation."""

import logging
import smtplib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from groups.models import Group, Invitation, Membership
from writes.stale import EditConflictError

logger = logging.getLogger(__name__)


class AlreadyMemberError(Exception):
    """The address is already an active member of the group."""


@dataclass(frozen=True)
class InviteResult:
    membership: Membership
    user_created: bool
    token: str | None  # None when the user already has a password and can simply log in


@transaction.atomic
def invite_member(
    *, group: Group, invited_by: User, email: str, full_name: str = "", role: str
) -> InviteResult:
    """Add `email` to `group` with `role`, creating the user if new.

    A user without a password gets an invitation token to set one; a user who already has an
    account is told by e-mail that they were added. Re-inviting a deactivated member reactivates
    the membership with the new role.
    """
    users = get_user_model().objects
    email = users.normalize_email(email)
    user = users.select_for_update().filter(email__iexact=email).first()
    user_created = user is None
    if user is None:
        user = users.create_user(email=email, full_name=full_name.strip())
    membership = Membership.objects.select_for_update().filter(user=user, group=group).first()
    if membership is None:
        membership = Membership(user=user, group=group, role=role)
    elif membership.is_active:
        raise AlreadyMemberError(email)
    membership.role = role
    membership.is_active = True
    membership.full_clean()
    membership.save()
    return InviteResult(
        membership=membership, user_created=user_created, token=_new_token_if_needed(membership, invited_by)
    )


@transaction.atomic
def reinvite_member(*, membership: Membership, invited_by: User) -> InviteResult:
    """A fresh link for a member who has not set a password yet (the first one expired or got lost)."""
    return InviteResult(
        membership=membership, user_created=False, token=_new_token_if_needed(membership, invited_by)
    )


def _new_token_if_needed(membership: Membership, invited_by: User) -> str | None:
    """A new invitation token when the user cannot log in yet; None when they have a password."""
    if membership.user.has_usable_password():
        return None
    token = Invitation.new_token()
    Invitation.objects.create(
        membership=membership,
        group=membership.group,
        invited_by=invited_by,
        token_hash=Invitation.hash_token(token),
        expires_at=Invitation.default_expiry(),
    )
    return token


def send_invitation_email(*, result: InviteResult, invited_by: User, base_url: str) -> bool:
    """E-mail the invitee: a link to set a password, or a link to log in.

    Returns False when the mail server refused; the membership stays and the coordinator can
    send the invitation again from the member's page.
    """
    membership = result.membership
    if result.token:
        link = base_url + reverse("invitation_accept", kwargs={"token": result.token})
    else:
        link = base_url + reverse("account_login")
    context = {
        "group": membership.group,
        "user": membership.user,
        "role": membership.get_role_display(),
        "invited_by": invited_by,
        "link": link,
        "sets_password": bool(result.token),
    }
    # The invitee has not chosen a language yet: write in the app's default, Dutch.
    with translation.override("nl-be"):
        subject = render_to_string("groups/email/invitation_subject.txt", context).strip()
        body = render_to_string("groups/email/invitation_body.txt", context)
    try:
        send_mail(subject, body, None, [membership.user.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the invitation e-mail for membership %s", membership.pk)
        return False
    return True


def find_invitation(token: str) -> Invitation | None:
    """A usable (not accepted, not expired) invitation for this token, or None."""
    return (
        Invitation.objects.usable()
        .select_related("membership__user", "group")
        .filter(token_hash=Invitation.hash_token(token), membership__is_active=True)
        .first()
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str) -> User:
    """Set the invitee's password and mark the invitation (and any others for them) used."""
    user = invitation.membership.user
    user.set_password(password)
    user.save(update_fields=["password"])
    Invitation.objects.filter(membership__user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    return user


class LastCoordinatorError(Exception):
    """The change would leave the group without an active coordinator."""


@transaction.atomic
def update_membership(
    *,
    membership: Membership,
    role: str | None = None,
    is_active: bool | None = None,
    expected_version: int | None = None,
) -> None:
    """Change a member's role or activity, never leaving the group without a coordinator.

    The group's active coordinators are locked first, so two coordinators who remove each
    other at the same moment cannot both succeed. With `expected_version` (an edit form),
    raises EditConflictError, writing nothing, when the membership was saved since."""
    if expected_version is not None:
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if current.version != expected_version:
            raise EditConflictError(current)
    coordinators = set(
        Membership.objects.select_for_update()
        .filter(group_id=membership.group_id, role=Membership.Role.COORDINATOR, is_active=True)
        .values_list("pk", flat=True)
    )
    new_role = membership.role if role is None else role
    new_active = membership.is_active if is_active is None else is_active
    stays = new_role == Membership.Role.COORDINATOR and new_active
    if coordinators == {membership.pk} and not stays:
        raise LastCoordinatorError
    membership.role, membership.is_active = new_role, new_active
    membership.full_clean()
    membership.version = F("version") + 1
    membership.save(update_fields=["role", "is_active", "updated_at", "version"])
    membership.refresh_from_db(fields=["version"])

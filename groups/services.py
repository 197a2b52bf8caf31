"""Writes that touch several rows: inviting a member, accepting an invitation, roles."""

import logging
import smtplib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.services import set_verified_email
from groups.models import Group, Invitation, Membership
from writes.stale import EditConflictError

logger = logging.getLogger(__name__)


class AlreadyMemberError(Exception):
    """The address is already an active member of the group."""


class InvitationNotUsableError(Exception):
    """The invitation was accepted, withdrawn or expired meanwhile."""


@dataclass(frozen=True)
class InviteResult:
    invitation: Invitation
    token: str


@transaction.atomic
def invite_member(
    *, group: Group, invited_by: User, email: str, full_name: str = "", role: str
) -> InviteResult:
    """Invite `email` into `group` with `role`: a pending invitation and a token to mail.

    Nobody becomes a member here, and no account is created or looked up: the person says yes
    through the link (accept_invitation). The inviter therefore learns nothing about whether
    the address has an account. The group's row is locked first, so that two coordinators
    inviting the same address at the same moment both end in a pending invitation, never in
    an IntegrityError (a lock on a row that does not exist yet cannot serialise them).

    Raises AlreadyMemberError when the address is an active member of the group already.
    """
    email = User.objects.normalize_email(email)
    Group.objects.select_for_update().only("pk").get(pk=group.pk)
    if group.memberships.filter(user__email__iexact=email, is_active=True).exists():
        raise AlreadyMemberError(email)
    return _new_invitation(
        group=group, email=email, full_name=full_name.strip(), role=role, invited_by=invited_by
    )


@transaction.atomic
def reinvite(*, invitation: Invitation, invited_by: User) -> InviteResult:
    """A fresh link for a pending invitation (the first one expired or got lost). Earlier
    links of the same invitation keep working until they expire."""
    return _new_invitation(
        group=invitation.group,
        email=invitation.email,
        full_name=invitation.full_name,
        role=invitation.role,
        invited_by=invited_by,
    )


def withdraw_invitation(*, invitation: Invitation) -> None:
    """Withdraw every pending invitation of this address to this group: the links stop working."""
    Invitation.objects.pending().filter(group=invitation.group, email__iexact=invitation.email).delete()


def _new_invitation(*, group: Group, email: str, full_name: str, role: str, invited_by: User) -> InviteResult:
    token = Invitation.new_token()
    invitation = Invitation(
        group=group,
        email=email,
        full_name=full_name,
        role=role,
        invited_by=invited_by,
        token_hash=Invitation.hash_token(token),
        expires_at=Invitation.default_expiry(),
    )
    invitation.full_clean()
    invitation.save()
    return InviteResult(invitation=invitation, token=token)


def pending_invitations(group: Group) -> list[Invitation]:
    """The newest pending invitation per address of `group`, for the member list. One query."""
    return list(
        group.invitations.pending()
        .select_related("invited_by")
        .order_by("email", "-created_at")
        .distinct("email")
    )


def send_invitation_email(*, result: InviteResult, invited_by: User, base_url: str) -> bool:
    """E-mail the invitee a link to accept. The same text whether or not they have an account.

    Returns False when the mail server refused; the invitation stays and the coordinator can
    send it again from the member list.
    """
    invitation = result.invitation
    context = {
        "group": invitation.group,
        "name": invitation.full_name,
        "role": invitation.get_role_display(),
        "invited_by": invited_by,
        "link": base_url + reverse("invitation_accept", kwargs={"token": result.token}),
    }
    # The invitee has not chosen a language yet: write in the app's default, Dutch.
    with translation.override("nl-be"):
        subject = render_to_string("groups/email/invitation_subject.txt", context).strip()
        body = render_to_string("groups/email/invitation_body.txt", context)
    try:
        send_mail(subject, body, None, [invitation.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the invitation e-mail for invitation %s", invitation.pk)
        return False
    return True


def find_invitation(token: str) -> Invitation | None:
    """A usable (not accepted, not expired) invitation for this token, or None."""
    return (
        Invitation.objects.usable()
        .select_related("group")
        .filter(token_hash=Invitation.hash_token(token), group__is_active=True)
        .first()
    )


def account_for(invitation: Invitation) -> User | None:
    """The account that owns the invited address, if there is one."""
    return User.objects.filter(email__iexact=invitation.email).first()


@transaction.atomic
def accept_invitation(
    *, invitation: Invitation, user: User | None = None, full_name: str = "", password: str = ""
) -> Membership:
    """The invitee says yes: `user` is their existing account (logged in, and owner of the
    invited address), or None to create the account with `full_name` and `password`.

    Makes the membership (or reactivates it; an active member keeps their role), marks every
    pending invitation of this address to this group used, and makes the invited address the
    account's verified login address (the link proved it). Raises InvitationNotUsableError
    when the invitation was used, withdrawn or expired meanwhile, or when the address got an
    account meanwhile (then the person logs in and opens the link again).
    """
    locked = Invitation.objects.select_for_update().usable().filter(pk=invitation.pk).first()
    if locked is None:
        raise InvitationNotUsableError
    if user is None:
        if User.objects.filter(email__iexact=locked.email).exists():
            raise InvitationNotUsableError
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=locked.email, password=password, full_name=full_name)
        except (IntegrityError, ValidationError):
            # Someone created an account for the address meanwhile (a second tab).
            raise InvitationNotUsableError from None
    elif user.email.lower() != locked.email.lower():
        raise InvitationNotUsableError
    membership = Membership.objects.select_for_update().filter(user=user, group=locked.group).first()
    if membership is None:
        membership = Membership(user=user, group=locked.group, role=locked.role)
    elif not membership.is_active:
        membership.role = locked.role
    membership.is_active = True
    membership.full_clean()
    membership.save()
    Invitation.objects.pending().filter(group=locked.group, email__iexact=locked.email).update(
        accepted_at=timezone.now(), membership=membership
    )
    set_verified_email(user, locked.email)
    return membership


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


def coordinators_remain(*, group_id: int, leaving: set[int], joining: int = 0) -> bool:
    """Lock the group's active coordinators (until the end of the transaction) and say whether
    at least one is left once the memberships `leaving` stop being active coordinators and
    `joining` new ones start. The admin's forms use this, with the same lock as
    update_membership, so staff cannot leave a group without a coordinator either."""
    current = set(
        Membership.objects.select_for_update()
        .filter(group_id=group_id, role=Membership.Role.COORDINATOR, is_active=True)
        .values_list("pk", flat=True)
    )
    return bool(current - leaving) or joining > 0

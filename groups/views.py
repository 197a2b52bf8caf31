from typing import cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import AuthenticatedRequest
from accounts.models import User
from accounts.services import requires_mfa, reset_mfa
from groups import services
from groups.access import GroupRequest, get_member, group_view
from groups.forms import InviteForm, NewAccountForm, RoleForm
from groups.models import Invitation, Membership
from writes.stale import EditConflictError, rebase

MEMBERS_PER_PAGE = 50


@login_required
def choose_group(request: AuthenticatedRequest) -> HttpResponse:
    """Where a logged-in user lands: their group, or a chooser when they are in several."""
    memberships = list(
        request.user.memberships.filter(is_active=True, group__is_active=True)
        .select_related("group")
        .order_by("group__name")
    )
    regions = list(request.user.staff_regions.order_by("name"))
    if len(memberships) == 1 and not regions:
        return redirect(memberships[0].group)
    return render(request, "groups/choose.html", {"memberships": memberships, "regions": regions})


@group_view(manage=True)
@require_http_methods(["GET"])
def member_list(request: GroupRequest) -> HttpResponse:
    memberships = request.group.memberships.select_related("user").order_by(
        "-is_active", "user__full_name", "user__email", "pk"
    )
    page_obj = Paginator(memberships, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "groups/members.html",
        {"page_obj": page_obj, "invitations": services.pending_invitations(request.group)},
    )


@group_view(manage=True)
@require_http_methods(["GET", "POST"])
def member_invite(request: GroupRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, group=request.group)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.invite_member(
                group=request.group,
                invited_by=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
            )
        except services.AlreadyMemberError:
            # Someone else added the same address between our check and our write.
            form.add_error("email", _("Iemand met dit e-mailadres is al lid van deze groep."))
        else:
            # The same words whether or not the address has an account: nothing leaks.
            if _send_invitation(request, result):
                messages.success(
                    request,
                    _(
                        "%(email)s is uitgenodigd. Die persoon wordt lid zodra die de uitnodiging "
                        "in de e-mail aanvaardt."
                    )
                    % {"email": result.invitation.email},
                )
            return redirect("groups:members", slug=request.group.slug)
    return render(request, "groups/member_invite.html", {"form": form})


@group_view(manage=True)
@require_http_methods(["GET", "POST"])
def member_edit(request: GroupRequest, pk: int) -> HttpResponse:
    member = get_member(request, pk)
    form = RoleForm(request.POST or None, instance=get_member(request, pk))
    conflict: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        if not form.changed_fields:
            return redirect("groups:members", slug=request.group.slug)
        try:
            services.update_membership(
                membership=member, role=form.cleaned_data["role"], expected_version=form.expected_version
            )
        except EditConflictError as error:
            member = get_member(request, pk)
            form, conflict = rebase(
                form,
                cast(Membership, error.current),
                lambda data, instance: RoleForm(data, instance=instance),
            )
        except services.LastCoordinatorError:
            form.add_error(
                "role", _("Dit is de enige coördinator van de groep. Maak eerst iemand anders coördinator.")
            )
        else:
            messages.success(
                request,
                _("%(name)s is nu %(role)s.") % {"name": member.user, "role": member.get_role_display()},
            )
            return redirect("groups:members", slug=request.group.slug)
    context = {
        "member": member,
        "form": form,
        "conflict": conflict,
        "can_reset_mfa": _may_reset_mfa(request, member),
    }
    return render(request, "groups/member_edit.html", context)


def _may_reset_mfa(request: GroupRequest, member: Membership) -> bool:
    """A coordinator resets the MFA of their group's active volunteers only: not of anyone who
    must have MFA (a coordinator, also elsewhere, or staff), which is an admin's job, and not of
    someone who left the group (their account is no longer this group's to manage)."""
    return member.is_active and member.user_id != request.user.pk and not requires_mfa(member.user)


@group_view(manage=True)
@require_POST
def member_mfa_reset(request: GroupRequest, pk: int) -> HttpResponse:
    member = get_member(request, pk)
    if not _may_reset_mfa(request, member):
        raise PermissionDenied
    reset_mfa(user=member.user, actor=request.user, context=f"group:{request.group.slug}")
    messages.success(
        request,
        _(
            "De tweestapsverificatie van %(name)s is gewist en die persoon is overal afgemeld. "
            "Bij de volgende keer inloggen kan die ze opnieuw instellen."
        )
        % {"name": member.user},
    )
    return redirect("groups:member_edit", slug=request.group.slug, pk=member.pk)


def _get_invitation(request: GroupRequest, pk: int) -> Invitation:
    """A pending invitation of `request.group`, or 404."""
    try:
        return request.group.invitations.pending().get(pk=pk)
    except Invitation.DoesNotExist:
        raise Http404("No such invitation in this group.") from None


@group_view(manage=True)
@require_POST
def invitation_resend(request: GroupRequest, pk: int) -> HttpResponse:
    invitation = _get_invitation(request, pk)
    result = services.reinvite(invitation=invitation, invited_by=request.user)
    if _send_invitation(request, result):
        messages.success(
            request, _("Er is een nieuwe uitnodiging verstuurd naar %(email)s.") % {"email": invitation.email}
        )
    return redirect("groups:members", slug=request.group.slug)


@group_view(manage=True)
@require_POST
def invitation_withdraw(request: GroupRequest, pk: int) -> HttpResponse:
    invitation = _get_invitation(request, pk)
    services.withdraw_invitation(invitation=invitation)
    messages.success(
        request, _("De uitnodiging voor %(email)s is ingetrokken.") % {"email": invitation.email}
    )
    return redirect("groups:members", slug=request.group.slug)


def _send_invitation(request: GroupRequest, result: services.InviteResult) -> bool:
    sent = services.send_invitation_email(
        result=result, invited_by=request.user, base_url=request.build_absolute_uri("/")[:-1]
    )
    if not sent:
        messages.warning(
            request,
            _(
                "De uitnodiging voor %(email)s is bewaard, maar de e-mail kon niet verstuurd worden. "
                "Probeer het later opnieuw met ‘Opnieuw sturen’ in de lijst van uitnodigingen."
            )
            % {"email": result.invitation.email},
        )
    return sent


@group_view(manage=True)
@require_POST
def member_deactivate(request: GroupRequest, pk: int) -> HttpResponse:
    member = get_member(request, pk)
    if member.is_active:
        try:
            services.update_membership(membership=member, is_active=False)
        except services.LastCoordinatorError:
            messages.error(
                request,
                _("%(name)s is de enige coördinator. Maak eerst iemand anders coördinator.")
                % {"name": member.user},
            )
        else:
            messages.success(request, _("%(name)s is geen actief lid meer.") % {"name": member.user})
    return redirect("groups:members", slug=request.group.slug)


@group_view(manage=True)
@require_POST
def member_activate(request: GroupRequest, pk: int) -> HttpResponse:
    member = get_member(request, pk)
    if not member.is_active:
        services.update_membership(membership=member, is_active=True)
        messages.success(request, _("%(name)s is weer actief lid.") % {"name": member.user})
    return redirect("groups:members", slug=request.group.slug)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's yes. An existing account logs in first and confirms; a new person
    chooses a name and a password. Anyone logged in as another account is told so."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "groups/invitation_invalid.html", status=404)
    account = services.account_for(invitation)
    if request.user.is_authenticated and request.user != account:
        return render(request, "groups/invitation_other_account.html", {"invitation": invitation}, status=403)
    if account is not None and not request.user.is_authenticated:
        messages.info(
            request, _("Log in met %(email)s om de uitnodiging te aanvaarden.") % {"email": invitation.email}
        )
        return redirect_to_login(request.get_full_path())
    if account is not None:
        form = None
    else:
        form = NewAccountForm(
            request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
        )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is None:
                membership = services.accept_invitation(invitation=invitation, user=cast(User, request.user))
            else:
                membership = services.accept_invitation(
                    invitation=invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["new_password1"],
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        except services.InvitationNotUsableError:
            return render(request, "groups/invitation_invalid.html", status=404)
        messages.success(request, _("Welkom bij %(group)s!") % {"group": invitation.group.name})
        return redirect(invitation.group)
    return render(request, "groups/invitation_accept.html", {"invitation": invitation, "form": form})

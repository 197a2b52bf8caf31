from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from groups import services
from groups.access import GroupRequest, get_member, group_view
from groups.forms import InviteForm, RoleForm
from writes.stale import EditConflictError, rebase

MEMBERS_PER_PAGE = 50


@login_required
def choose_group(request: HttpRequest) -> HttpResponse:
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
    return render(request, "groups/members.html", {"page_obj": page_obj})


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
            email = result.membership.user.email
            if _send_invitation(request, result):
                messages.success(
                    request,
                    _("%(email)s is toegevoegd aan de groep en krijgt een e-mail.") % {"email": email},
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
                form, error.current, lambda data, instance: RoleForm(data, instance=instance)
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
    context = {"member": member, "form": form, "conflict": conflict}
    return render(request, "groups/member_edit.html", context)


@group_view(manage=True)
@require_POST
def member_reinvite(request: GroupRequest, pk: int) -> HttpResponse:
    member = get_member(request, pk)
    if member.is_active and not member.user.has_usable_password():
        result = services.reinvite_member(membership=member, invited_by=request.user)
        if _send_invitation(request, result):
            messages.success(
                request,
                _("Er is een nieuwe uitnodiging verstuurd naar %(email)s.") % {"email": member.user.email},
            )
    return redirect("groups:member_edit", slug=request.group.slug, pk=member.pk)


def _send_invitation(request: GroupRequest, result: services.InviteResult) -> bool:
    sent = services.send_invitation_email(
        result=result, invited_by=request.user, base_url=request.build_absolute_uri("/")[:-1]
    )
    if not sent:
        messages.warning(
            request,
            _(
                "%(email)s is lid van de groep, maar de e-mail kon niet verstuurd worden. "
                "Probeer het later opnieuw met ‘Uitnodiging opnieuw sturen’ bij die persoon."
            )
            % {"email": result.membership.user.email},
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
    invitation = services.find_invitation(token)
    if invitation is not None and invitation.membership.user.has_usable_password():
        invitation = None  # they chose a password another way: the link has done its work
    if invitation is None:
        return render(request, "groups/invitation_invalid.html", status=404)
    user = invitation.membership.user
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.accept_invitation(invitation=invitation, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welkom! Je wachtwoord is ingesteld."))
        return redirect(invitation.group)
    return render(request, "groups/invitation_accept.html", {"invitation": invitation, "form": form})

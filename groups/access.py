"""How a request gets to a group: the one door every page under /g/<slug>/ goes through."""

from collections.abc import Callable
from contextlib import nullcontext
from functools import partial, wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse

from accounts.models import User
from groups.models import Group, Membership
from rls import scope
from rls.replica import reads as replica_reads


class GroupRequest(HttpRequest):
    """An HttpRequest that went through `group_view`: the user is logged in, and the group and
    the membership are set."""

    user: User  # narrowed: group_view lets no anonymous user through
    group: Group
    membership: Membership


def get_membership(user: Any, slug: str) -> Membership | None:
    """The user's active membership of the active group `slug`, or None. One query.

    The membership carries `other_groups` (bool): whether the user is also an active member of
    another active group, so that every page can offer the switch without a query of its own.
    """
    if not user.is_authenticated:
        return None
    elsewhere = Membership.objects.filter(user=user, is_active=True, group__is_active=True).exclude(
        group=OuterRef("group")
    )
    return (
        Membership.objects.select_related("group", "group__region")
        .filter(user=user, is_active=True, group__slug=slug, group__is_active=True)
        .annotate(other_groups=Exists(elsewhere))
        .first()
    )


def group_view(
    *, manage: bool = False, replica: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Resolve the group from the URL once and check the member's role.

    Anonymous: redirect to login. Not an active member of an active group with this slug
    (or no such group): 404, so that nothing reveals whether the group exists. A member whose
    role may not do this (`manage=True` and not a coordinator): 403. A superuser is treated
    like anyone else: without a membership, 404.

    The view runs in one transaction in which PostgreSQL shows only this group's rows
    (`rls.scope.group_request`): a query that forgets `request.group` still cannot reach another
    group. So a group view returns a response that is complete when it leaves (no streaming).

    `replica=True` (reports only): when a read replica is configured, the view's reads go to it,
    under the same group scope opened on the replica's connection, unless the user just changed
    something (rls/replica.py). Writes, such as the access log, stay on the primary.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = get_membership(request.user, slug)
            if membership is None:
                raise Http404("No such group for this user.")
            if manage and not membership.can_manage:
                raise PermissionDenied
            request.group = membership.group  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            # The database's own guard: this transaction sees only this group's rows (rls.scope).
            group_scope = partial(scope.group_request, membership.group_id)
            with group_scope(), replica_reads(request, group_scope) if replica else nullcontext():
                response = view(request, *args, **kwargs)
                if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                    response.render()  # a TemplateResponse reads its data now, inside the transaction
                if getattr(response, "streaming", False):
                    raise ImproperlyConfigured(
                        "A group view cannot stream: its rows are read in its transaction."
                    )
                return response

        return wrapper

    return decorator


def get_member(request: GroupRequest, pk: int) -> Membership:
    """A membership of `request.group` (active or not), or 404."""
    try:
        return request.group.memberships.select_related("user").get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404("No such member in this group.") from None

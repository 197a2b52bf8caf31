"""How a request gets to a group: the one door every page under /g/<slug>/ goes through."""

from collections.abc import Callable
from contextlib import nullcontext
from functools import cache, partial, wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection, connections, router
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse

from accounts.models import User
from groups.models import Group, Membership, Region
from rls import scope
from rls.replica import reads as replica_reads


class GroupRequest(HttpRequest):
    """An HttpRequest that went through `group_view`: the user is logged in, and the group and
    the membership are set."""

    user: User  # narrowed: group_view lets no anonymous user through
    group: Group
    membership: Membership


_M = TypeVar("_M", bound=Model)


def _columns(model: type[Model], alias: str) -> str:
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(cast(str, f.column))}" for f in model._meta.concrete_fields)


@cache
def _membership_sql() -> str:
    """The door's statement, written once per process with the models' own tables and columns.

    Plain SQL because the ORM spent about ten times as long building this statement (joins, the
    EXISTS subquery) as PostgreSQL spent running it, on every request of every group page.
    `tests/groups/test_door.py` holds it to the same rows and values as the ORM."""
    table = connection.ops.quote_name
    membership, group, region = (table(m._meta.db_table) for m in (Membership, Group, Region))
    return (
        f"SELECT {_columns(Membership, 'm')}, {_columns(Group, 'g')}, {_columns(Region, 'r')}, "  # noqa: S608 - names from the models
        f"EXISTS (SELECT 1 FROM {membership} other JOIN {group} other_group"
        " ON other_group.id = other.group_id WHERE other.user_id = m.user_id"
        " AND other.group_id <> m.group_id AND other.is_active AND other_group.is_active) "
        f"FROM {membership} m JOIN {group} g ON g.id = m.group_id JOIN {region} r ON r.id = g.region_id "
        "WHERE m.user_id = %s AND m.is_active AND g.slug = %s AND g.is_active"
    )


def get_membership(user: Any, slug: str) -> Membership | None:
    """The user's active membership of the active group `slug`, or None. One query.

    The membership comes with its group and the group's region, and carries `other_groups`
    (bool): whether the user is also an active member of another active group, so that every
    page can offer the switch without a query of its own. (A user has at most one membership
    of a group: a unique constraint.)
    """
    if not user.is_authenticated:
        return None
    db = router.db_for_read(Membership)
    with connections[db].cursor() as cursor:
        cursor.execute(_membership_sql(), [user.pk, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    values = iter(row)

    def instance(model: type[_M]) -> _M:
        fields = model._meta.concrete_fields
        return model.from_db(db, [f.attname for f in fields], [next(values) for _f in fields])

    membership, group, region = instance(Membership), instance(Group), instance(Region)
    group.region = region
    membership.group = group
    membership.other_groups = next(values)  # type: ignore[attr-defined]
    return membership


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

"""Which groups' rows the current transaction may see: the settings the policies read.

Every policy (`rls.operations.enable_for`) lets a row through when its `group_id` is in the
transaction's `welzijn.group_ids` (a comma-separated list of ids), or when the transaction
said `welzijn.all_groups = on`. Both are set with `set_config(…, true)`: local to the
transaction, so they end with it, and a pooled connection never carries them into the next
request. Outside these context managers nothing is set, and a query on a group-owned table
returns no rows; an INSERT or UPDATE of such a row is refused (the policy's WITH CHECK).

The legitimate readers, each with its own named, narrow entry:

=====================================  ============================================
reader                                 context manager
=====================================  ============================================
a request under /g/<slug>/             `group_request(group_id)` (only in the door,
                                       `groups.access.group_view`)
staff figures under /staff/            `staff_aggregates(group_ids)`: the groups the
                                       staff member may count (a region's, or all)
the Django admin (superusers; every    `admin()`: all groups, only inside
read of family data is logged)         `rls.admin.ScopedAdminSite.admin_view`
a management command (seed_demo,       `command(name)`: all groups, named
seed_scale, a shell session)
a background task                      `task(name, group_ids=None)`: the task's
                                       groups, or all groups
=====================================  ============================================

A page that reads the read replica (rls/replica.py) opens the same scope on the replica's
connection as well (`using="replica"`): a setting is local to one connection's transaction.

Each one opens a transaction (`transaction.atomic`) if none is open, sets the two settings
and, when it leaves an enclosing transaction, puts back what that transaction had, so that
scopes nest (a group request inside a test's transaction, a task inside a command). An
exception rolls the savepoint back, which restores the settings too.

A scope is not a privilege boundary against someone who can run SQL as the app role: such a
person can call `set_config` too. It is the guard against the forgotten filter in our own code.
"""

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

GROUP_IDS = "welzijn.group_ids"
ALL_GROUPS = "welzijn.all_groups"
READER = "welzijn.reader"  # who opened the scope: shown in errors and pg_stat_activity-style debugging

_SETTINGS = (GROUP_IDS, ALL_GROUPS, READER)


def _set(cursor, values: tuple[str, str, str], previous: bool) -> tuple[str, str, str] | None:
    """Set the three settings for this transaction; with `previous`, return their old values."""
    pairs = [part for name, value in zip(_SETTINGS, values, strict=True) for part in (name, value)]
    setters = ", ".join(["set_config(%s, %s, true)"] * len(_SETTINGS))
    if not previous:
        cursor.execute(f"SELECT {setters}", pairs)
        return None
    getters = ", ".join(["coalesce(current_setting(%s, true), '')"] * len(_SETTINGS))
    # OFFSET 0 keeps the subquery from being flattened: the old values are read before the new are set.
    cursor.execute(
        f"SELECT old.*, {setters} FROM (SELECT {getters} OFFSET 0) AS old",  # noqa: S608 (placeholders only)
        [*pairs, *_SETTINGS],  # in the order of the placeholders
    )
    row = cursor.fetchone()
    return row[0], row[1], row[2]


@contextmanager
def _scope(values: tuple[str, str, str], using: str) -> Iterator[None]:
    connection = connections[using]
    nested = connection.in_atomic_block
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            previous = _set(cursor, values, previous=nested)
        yield
        if previous is not None:
            with connection.cursor() as cursor:
                _set(cursor, previous, previous=False)


def _ids(group_ids: Iterable[int]) -> str:
    return ",".join(str(int(pk)) for pk in group_ids)


@contextmanager
def groups(group_ids: Iterable[int], reader: str, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Inside: the rows of exactly these groups (ids) are visible and writable, no others.

    `reader` names who reads (e.g. "group request"). An empty list sees nothing. Raises
    ValueError for an id that is not an integer."""
    with _scope((_ids(group_ids), "", reader), using):
        yield


@contextmanager
def all_groups(reader: str, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Inside: the rows of every group are visible and writable. Only for the named readers below."""
    if not reader:
        raise ValueError("Name the reader that needs every group.")
    with _scope(("", "on", reader), using):
        yield


def group_request(group_id: int, using: str = DEFAULT_DB_ALIAS) -> AbstractContextManager[None]:
    """A request under /g/<slug>/ for this group: used by the door, `groups.access.group_view`
    (on `default`, and on the read replica too for a report that reads it: rls/replica.py)."""
    return groups([group_id], "group request", using=using)


def staff_aggregates(
    group_ids: Iterable[int] | None, using: str = DEFAULT_DB_ALIAS
) -> AbstractContextManager[None]:
    """Staff figures: the given groups (a regional staff member's), or all groups (None: national
    staff). The staff views show counts only, never a name (docs/architecture.md, Staff figures).
    `using`: the connection alias, `default` or the read replica (rls/replica.py)."""
    if group_ids is None:
        return all_groups("staff aggregates", using=using)
    return groups(group_ids, "staff aggregates", using=using)


def admin() -> AbstractContextManager[None]:
    """The Django admin: superusers only see family data there, and every read is logged."""
    return all_groups("admin")


def command(name: str) -> AbstractContextManager[None]:
    """A management command that works on every group and says so (seed_demo, seed_scale, …)."""
    return all_groups(f"command {name}")


def task(name: str, group_ids: Iterable[int] | None = None) -> AbstractContextManager[None]:
    """A background task: the groups it works for, or every group (None), named after the task."""
    if group_ids is None:
        return all_groups(f"task {name}")
    return groups(group_ids, f"task {name}")


def current(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The settings of the current transaction, for tests and debugging: {"welzijn.group_ids": …}."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(["coalesce(current_setting(%s, true), '')"] * len(_SETTINGS)),
            list(_SETTINGS),
        )
        return dict(zip(_SETTINGS, cursor.fetchone(), strict=True))

"""Reading reports from a PostgreSQL read replica, when there is one (`DATABASE_REPLICA_URL`).

What reads the replica: only the pages that say so, and only for the length of their view. The
group door (`groups.access.group_view(replica=True)`: the yearly report, the signals report and
their exports) and the staff pages (`reports.staff_views`) open `reads(request, scope)`; inside,
`ReplicaRouter` sends every read of the data apps to the alias `replica`. Everything else reads
`default`: the session, the user and the membership (read by the middleware and the door before
the view), the cache (allauth's rate limits), every other page.

What never goes to the replica:

- **Writes.** `db_for_write` is always `default`, inside `reads` too: the access-log row a
  report writes goes to the primary, inside the primary's transaction (the door's scope).
- **Migrations.** `allow_migrate` is true only for `default`; a replica gets its schema by
  replication.
- **The reads of a user who just changed something.** Any request with an unsafe method (POST,
  PUT, PATCH, DELETE) while a replica is configured sets a short cookie
  (`StickyAfterWriteMiddleware`); for `DATABASE_REPLICA_STICKY_SECONDS` after it (30 by
  default) that browser's reports read the primary, so a coordinator who has just recorded a
  visit sees it in the report at once, whatever the replica's lag. Other users see a change once
  the replica has replayed it (normally well under a second; docs/deploy.md "Past one machine").
  The cookie holds no data and is not a security boundary: a user who removes it only reads
  the replica sooner.

Row-level security: the replica is another connection, so the group setting of the primary's
transaction (`rls.scope`) does not reach it. `reads` opens the same scope on the replica's
connection (its own transaction, read-only work), so a report on the replica sees exactly the
rows it would see on the primary; a read routed there without a scope sees no group-owned row
at all (fails closed). The replica logs in as the app role, like `default` (settings.py).

Without `DATABASE_REPLICA_URL` there is one alias, `reads` does nothing and the router sends
everything to `default`, as before.
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
STICKY_COOKIE = "welzijn_wrote"
# Only the project's own data is read from the replica. Sessions, the cache (allauth's rate
# limits), the task queue and allauth's own tables always read the primary: they are written
# on every request and must never be stale.
REPLICA_APPS = frozenset({"accounts", "groups", "households", "visits", "activities", "privacy", "reports"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# After the replica could not be reached, this process reads the primary for this long.
DOWN_SECONDS = 30.0

logger = logging.getLogger("rls.replica")
_down = {"until": 0.0}
_reading: ContextVar[bool] = ContextVar("welzijn_replica_reads", default=False)


def configured() -> bool:
    """True when `DATABASE_REPLICA_URL` is set (settings.DATABASES has the alias `replica`)."""
    return REPLICA in settings.DATABASES


def just_changed(request: HttpRequest) -> bool:
    """True when this browser sent a change less than DATABASE_REPLICA_STICKY_SECONDS ago (the
    cookie `StickyAfterWriteMiddleware` sets). A cookie that is not a number counts as a change."""
    value = request.COOKIES.get(STICKY_COOKIE)
    if value is None:
        return False
    try:
        wrote_at = float(value)
    except ValueError:
        return True
    return time.time() - wrote_at < settings.DATABASE_REPLICA_STICKY_SECONDS


@contextmanager
def reads(request: HttpRequest, scope: Callable[[str], AbstractContextManager[None]]) -> Iterator[bool]:
    """Inside: reads of the data apps go to the replica, under `scope(REPLICA)` (the same
    row-level security scope the caller opened on `default`, e.g.
    `partial(rls.scope.group_request, group_id)`). Yields True when the replica is read; False
    (and nothing changes) without a replica, or when the user just changed something.

    Open it inside the primary's scope, around the view and its rendering: a query run after it
    closes reads the primary again. Nesting is allowed (the inner one does nothing more).

    A replica that cannot be reached when the page starts (no connection from its pool within
    DB_POOL_TIMEOUT) is not an outage: the page reads the primary, one WARNING is logged, and
    this process reads the primary for DOWN_SECONDS before it tries the replica again. A query
    that fails on the replica later in the page gives the usual 503 page (welzijn/outage.py)."""
    if not configured() or _reading.get() or just_changed(request) or time.monotonic() < _down["until"]:
        yield False
        return
    with ExitStack() as stack:
        try:
            stack.enter_context(scope(REPLICA))
        except (OperationalError, InterfaceError) as exc:
            # The replica cannot be reached: read the primary, and skip the replica in this
            # process for a while, so that no page waits for its pool again and again.
            _down["until"] = time.monotonic() + DOWN_SECONDS
            logger.warning("Read replica unavailable (%s): reports read the primary", type(exc).__name__)
            reachable = False
        else:
            reachable = True
        if not reachable:
            yield False
            return
        token = _reading.set(True)
        try:
            yield True
        finally:
            _reading.reset(token)


def reading() -> bool:
    """True inside `reads` when it chose the replica (for tests and debugging)."""
    return _reading.get()


class ReplicaRouter:
    """Django's database router (settings.DATABASE_ROUTERS). Reads of the data apps go to the
    replica only inside `reads`; every write and every migration goes to `default`."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading.get() and model._meta.app_label in REPLICA_APPS:
            return REPLICA
        return None  # Django's default: the instance's own database, or `default`

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica holds the same rows as the primary: a row read from one may point to a row
        # read from the other (a report's visit and the request's group).
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class StickyAfterWriteMiddleware:
    """With a replica configured: a response to a POST, PUT, PATCH or DELETE sets the cookie
    `welzijn_wrote` (the time, lasting DATABASE_REPLICA_STICKY_SECONDS), so that this browser's
    next reports read the primary (`just_changed`). Without a replica it does nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        seconds = settings.DATABASE_REPLICA_STICKY_SECONDS
        if request.method in UNSAFE_METHODS and seconds and configured():
            response.set_cookie(
                STICKY_COOKIE,
                f"{time.time():.3f}",
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

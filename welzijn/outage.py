"""A database outage answers quickly and politely: a Dutch 503 page with Retry-After.

While PostgreSQL cannot be reached, asking the connection pool for a connection fails after
DB_POOL_TIMEOUT seconds (1 by default, settings.py) with an OperationalError. Without this module
each page would then answer Django's 500 and e-mail the admins once per request. Instead:

- `DatabaseOutageMiddleware.process_exception` turns an OperationalError or InterfaceError from
  a view or its template into the 503 page, and logs one WARNING line (no traceback, no e-mail);
- `server_error` (handler500) does the same for one raised outside a view (a middleware saving
  the session, say), and renders the ordinary 500 page for anything else.

A statement or lock timeout (DB_STATEMENT_TIMEOUT, DB_LOCK_TIMEOUT) or a deadlock is an
OperationalError too: the user gets the same 503 page, but it is logged at ERROR with its
traceback (without the message, welzijn/logs.py), because it is a fault to fix, not an outage.

The 503 page loads no script: static/js/forms.js would take a page without a draft form after a
submit for "the server took it" and forget the draft. So what the volunteer typed stays in the
tab's draft, and comes back when they go back to the form. Nothing needs a restart when the
database returns: the pool replaces its broken connections (CONN_HEALTH_CHECKS) by itself.
"""

import logging
import sys
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error
from psycopg_pool import PoolTimeout

logger = logging.getLogger("welzijn.outage")

RETRY_AFTER_SECONDS = 30
# After the pool could not give a connection, the next requests of this process get the 503
# page at once for this long, instead of each waiting DB_POOL_TIMEOUT: with more requests
# than workers, those waits would queue up and every page would take longer and longer.
BREAKER_SECONDS = 1.0
_breaker = {"open_until": 0.0}
# SQLSTATEs of a lost server: connection exceptions (class 08) and the server shutting down.
_SERVER_GONE = ("08", "57P01", "57P02", "57P03")


def is_outage(exc: BaseException | None) -> bool:
    """True for the errors of an unreachable or overloaded database (Django's wrappers)."""
    return isinstance(exc, OperationalError | InterfaceError)


def is_connection_failure(exc: BaseException) -> bool:
    """The server is away (no connection from the pool, or a connection lost), as opposed to a
    statement that failed on a working server (a timeout, a deadlock)."""
    cause = exc.__cause__ or exc
    if isinstance(cause, PoolTimeout) or isinstance(exc, InterfaceError):
        return True
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(_SERVER_GONE)


def close_breaker() -> None:
    """Let the next request try the database again (tests; the window also ends by itself)."""
    _breaker["open_until"] = 0.0


def unavailable_response(request: HttpRequest, exc: BaseException | None) -> HttpResponse:
    """The 503 page. Logs the cause: a WARNING line when the server is away (and opens the
    breaker), an ERROR with traceback when a statement failed (a timeout, a deadlock)."""
    if exc is None:
        pass  # answered by the breaker: the failure that opened it was logged
    elif is_connection_failure(exc):
        _breaker["open_until"] = time.monotonic() + BREAKER_SECONDS
        logger.warning("Database unavailable (%s) on %s %s", type(exc).__name__, request.method, request.path)
    else:
        kind = type(exc.__cause__ or exc).__name__
        logger.error("Database error (%s) on %s %s", kind, request.method, request.path, exc_info=exc)
    # Rendered without the request's context processors: they may read the user or the
    # session, which is exactly what cannot be reached now.
    response = HttpResponse(loader.render_to_string("503.html", {"request": request}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Django's log_response would log it again as an error (and e-mail the admins): we did.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class DatabaseOutageMiddleware:
    """Turns the database errors of views into the 503 page (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if time.monotonic() < _breaker["open_until"]:
            return unavailable_response(request, None)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_outage(exception):
            return unavailable_response(request, exception)
        return None


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 page for a database error raised outside a view, else the 500 page."""
    exc = sys.exc_info()[1]
    if is_outage(exc):
        return unavailable_response(request, exc)
    return django_server_error(request)

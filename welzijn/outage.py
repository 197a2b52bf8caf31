"""A database outage answers quickly and politely: a Dutch 503 page with Retry-After.

While PostgreSQL cannot be reached, asking the connection pool for a connection fails after
DB_POOL_TIMEOUT seconds (1 by default, settings.py) with an OperationalError. Without this module
each page would then answer Django's 500 and e-mail the admins once per request. Instead:

- `DatabaseOutageMiddleware.process_exception` turns an OperationalError or InterfaceError from
  a view or its template into the 503 page, and logs one WARNING line (no traceback, no e-mail);
- `server_error` (handler500) does the same for one raised outside a view (a middleware saving
  the session, say), and renders the ordinary 500 page for anything else.

A statement or lock timeout (DB_STATEMENT_TIMEOUT, DB_LOCK_TIMEOUT) is an OperationalError too:
the user gets the same 503 page, but it is logged at ERROR with its traceback, because a query
that slow is a fault to fix, not an outage.

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
from psycopg import errors as pg_errors
from psycopg_pool import PoolTimeout

logger = logging.getLogger("welzijn.outage")

RETRY_AFTER_SECONDS = 30
# After the pool could not give a connection, the next requests of this process get the 503
# page at once for this long, instead of each waiting DB_POOL_TIMEOUT: with more requests
# than workers, those waits would queue up and every page would take longer and longer.
BREAKER_SECONDS = 1.0
_breaker = {"open_until": 0.0}
# SQLSTATEs of "this query took too long" rather than "the database is away".
_TIMEOUTS = (pg_errors.QueryCanceled, pg_errors.LockNotAvailable)


def is_outage(exc: BaseException | None) -> bool:
    """True for the errors of an unreachable or overloaded database (Django's wrappers)."""
    return isinstance(exc, OperationalError | InterfaceError)


def close_breaker() -> None:
    """Let the next request try the database again (tests; the window also ends by itself)."""
    _breaker["open_until"] = 0.0


def unavailable_response(request: HttpRequest, exc: BaseException | None) -> HttpResponse:
    """The 503 page; logs the cause (WARNING for an outage, ERROR with traceback for a timeout)."""
    if exc is None:
        pass  # answered by the breaker: the failure that opened it was logged
    elif isinstance(exc.__cause__, PoolTimeout):
        _breaker["open_until"] = time.monotonic() + BREAKER_SECONDS
        logger.warning("Database unavailable (no connection) on %s %s", request.method, request.path)
    elif isinstance(exc.__cause__, _TIMEOUTS):
        logger.error(
            "Database timeout (%s) on %s %s",
            type(exc.__cause__).__name__,
            request.method,
            request.path,
            exc_info=exc,
        )
    else:
        logger.warning("Database unavailable (%s) on %s %s", type(exc).__name__, request.method, request.path)
    response = HttpResponse(loader.render_to_string("503.html", request=request), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Django's log_response would log it again as an error (and e-mail the admins): we did.
    response._has_been_logged = True
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

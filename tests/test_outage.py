"""A database outage: every page answers a Dutch 503 within 2 s, and recovers without a restart.

The app reaches the test database through a TCP proxy (tests/tcp_proxy.py) that the test cuts:
forwarded connections are closed and new ones refused, as when PostgreSQL stops. The shared
PostgreSQL server itself is never touched. The 2-second bound is a functional timeout (the
pool gives up after DB_POOL_TIMEOUT, 1 s), not a speed measurement; bench/outage.py measures.
"""

import time
from contextlib import contextmanager
from typing import cast

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client
from django.urls import reverse

from tests.helpers import log_in, read_settings
from tests.isolation import GROUP_URLS
from tests.tcp_proxy import TcpProxy
from welzijn import outage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _closed_breaker():
    """A failure in one test must not answer the next test's first page with 503."""
    outage.close_breaker()
    yield
    outage.close_breaker()


@contextmanager
def through_proxy(**pool_options):
    """Point the default connection (and a new pool) at a proxy in front of the test database."""
    settings_dict = connection.settings_dict
    original = (settings_dict["HOST"], settings_dict["PORT"], settings_dict["OPTIONS"])
    proxy = TcpProxy(settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432))
    connection.close()
    cast(DatabaseWrapper, connection).close_pool()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", proxy.port
    options = {**original[2]}
    options["pool"] = {**options["pool"], **pool_options}
    settings_dict["OPTIONS"] = options
    try:
        yield proxy
    finally:
        outage.close_breaker()
        proxy.close()
        connection.close()
        cast(DatabaseWrapper, connection).close_pool()
        settings_dict["HOST"], settings_dict["PORT"], settings_dict["OPTIONS"] = original


class ServerClient(Client):
    """A test client that ends each request as a WSGI server does: Django's request_finished
    handler gives the connection back (the test client leaves that out), and the pool drops it
    if an outage broke it."""

    def request(self, **request):
        try:
            return super().request(**request)
        finally:
            close_old_connections()


def timed(client: Client, method: str, url: str, data: dict | None = None):
    start = time.monotonic()
    response = getattr(client, method)(url, data or {})
    return response, time.monotonic() - start


def logged_in(user) -> Client:
    client = ServerClient(raise_request_exception=False)
    log_in(client, user)
    return client


def test_pages_answer_503_within_2_seconds_during_an_outage_and_recover_without_restart(world, monkeypatch):
    """With the settings' own pool timeout. The breaker (pages answered at once after the first
    that waited) stays open a quarter of a second here instead of outage.BREAKER_SECONDS: the
    recovery below waits for it to close by itself, and the pages after the first still come
    within the window (a page that came after it would wait the pool's second, still < 2 s)."""
    monkeypatch.setattr(outage, "BREAKER_SECONDS", 0.25)
    client = logged_in(world.volunteer_a)
    household = reverse("households:detail", kwargs={"slug": "brugge", "pk": world.household_a.pk})
    visit_new = reverse("visits:create", kwargs={"slug": "brugge", "pk": world.household_a.pk})
    with through_proxy() as proxy:  # the settings' own pool timeout
        assert client.get(household).status_code == 200
        proxy.cut()
        for method, url in [("get", household), ("get", "/healthz"), ("post", visit_new), ("get", "/")]:
            response, seconds = timed(client, method, url, {"summary": "Familie Peeters"})
            assert response.status_code == 503, url
            assert seconds < 2, (url, seconds)
            assert response["Retry-After"] == "30"
        page = client.get(household)
        html = page.content.decode()
        assert "Welzijn is even niet bereikbaar" in html
        assert "terugknop" in html  # tells the volunteer that what they typed is still there
        # No script: forms.js would take this page for "the form was sent" and forget the draft.
        assert "<script" not in html
        assert "Familie Peeters" not in html

        proxy.restore()
        deadline = time.monotonic() + 10
        statuses = []
        while time.monotonic() < deadline:
            statuses.append(client.get(household).status_code)
            if statuses[-1] == 200:
                break
            time.sleep(0.02)
        assert statuses[-1] == 200, statuses
        assert client.get("/healthz").status_code == 200


def test_every_group_page_answers_503_during_an_outage(world):
    """The kind, not the example: each URL of the isolation registry, as its member uses it."""
    clients = {"member": logged_in(world.volunteer_a), "coordinator": logged_in(world.coordinator_a)}
    requests = [
        (name, case, reverse(name, kwargs={"slug": "brugge", **case.kwargs(world)}), case.data(world))
        for name, case in sorted(GROUP_URLS.items())
    ]
    # The pool gives up after 2 ms instead of the settings' second: some fifty pages wait on it.
    with through_proxy(timeout=0.002) as proxy:
        proxy.cut()
        for name, case, url, data in requests:
            outage.close_breaker()  # each view's own way to the database, not the shortcut
            response = getattr(clients[case.who], case.method)(url, data)
            assert response.status_code == 503, name
            assert response["Retry-After"] == "30", name
        for url in ["/", reverse("staff:national"), "/admin/"]:
            assert clients["coordinator"].get(url).status_code == 503, url


class DatabaseGoneMiddleware:
    """Fails as a middleware that touches the database (say, one saving the session) would."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import OperationalError

        raise OperationalError("server closed the connection unexpectedly")


def test_a_database_error_outside_a_view_also_gets_the_503_page(world, settings):
    """handler500 (welzijn.outage.server_error) catches what process_exception cannot see."""
    client = logged_in(world.volunteer_a)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_outage.DatabaseGoneMiddleware"]
    response = client.get(reverse("households:list", kwargs={"slug": "brugge"}))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Welzijn is even niet bereikbaar" in response.content.decode()


def test_any_other_error_still_gets_the_500_page(world, settings):
    client = logged_in(world.volunteer_a)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_outage.BrokenMiddleware"]
    response = client.get(reverse("households:list", kwargs={"slug": "brugge"}))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


class BrokenMiddleware(DatabaseGoneMiddleware):
    def __call__(self, request):
        raise ValueError("a bug")


def test_a_slow_query_is_stopped_by_the_statement_timeout(db):
    """DB_STATEMENT_TIMEOUT and DB_LOCK_TIMEOUT reach every connection (settings.py)."""
    from django.db import OperationalError, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "10s"
        cursor.execute("SET LOCAL statement_timeout = '100ms'")
        with pytest.raises(OperationalError, match="statement timeout"):
            cursor.execute("SELECT pg_sleep(2)")


def test_the_timeouts_come_from_the_environment(production_env):
    """settings.py (read in this process) turns DB_STATEMENT_TIMEOUT and DB_LOCK_TIMEOUT into
    the connection's server options, and the server applies them to a connection opened with
    those options, as Django's backend opens one (the test's own connection, whose options
    the same code built, shows the defaults: the test above)."""
    env = {**production_env, "DB_STATEMENT_TIMEOUT": "5", "DB_LOCK_TIMEOUT": "0"}
    database = read_settings(env)["DATABASES"]["default"]
    with psycopg.connect(
        host=database["HOST"],
        port=database["PORT"],
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname=database["NAME"],
        options=database["OPTIONS"]["options"],
    ) as conn:
        shown = [conn.execute(f"SHOW {name}").fetchone() for name in ("statement_timeout", "lock_timeout")]
        role = conn.execute("SELECT current_user").fetchone()
    assert shown == [("5s",), ("0",)]
    assert role == (production_env["DATABASE_APP_ROLE"],)


def test_a_failed_statement_gets_the_503_page_but_is_an_error_not_an_outage(rf, caplog):
    """A deadlock or timeout on a working server: logged with its traceback, no breaker."""
    from django.db import OperationalError
    from psycopg import errors

    for cause in (errors.DeadlockDetected("deadlock"), errors.QueryCanceled("statement timeout")):
        exc = OperationalError(str(cause))
        exc.__cause__ = cause
        caplog.clear()
        response = outage.unavailable_response(rf.get("/g/brugge/households/"), exc)
        assert response.status_code == 503
        assert outage._breaker["open_until"] == 0.0
        assert [r.levelname for r in caplog.records if r.name == "welzijn.outage"] == ["ERROR"]

    lost = OperationalError("server closed the connection unexpectedly")
    lost.__cause__ = errors.OperationalError("server closed the connection unexpectedly")
    outage.unavailable_response(rf.get("/"), lost)
    assert outage._breaker["open_until"] > 0

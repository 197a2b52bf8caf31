"""Fixtures for every test: the shared world (two groups in two regions, each with a coordinator
and a volunteer, plus a volunteer who is a member of both groups of region A), logged-in
clients, and the test database's two roles with row-level security.

The data and helpers these fixtures use live in tests/helpers.py: tests import from there,
never from this file.
"""

import gc
import pickle
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import django
import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext, override_settings

from rls import roles
from rls import scope as rls_scope
from tests.helpers import (
    PRODUCTION_ENV,
    ROOT,
    BrowserClient,
    World,
    build_world,
    client_for,
    url_of_the_test_database,
)

# The real hasher is deliberately slow; tests create many users.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

T = TypeVar("T")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist with `--dist=loadgroup` (make test), the browser tests run one after
    the other on one worker: one Chromium and one live server at a time, beside the others.

    The order: tests without a database, then those with real transactions, then the `db`
    tests. pytest-django runs the `db` tests first (as Django does, in case a transactional
    test leaves rows behind; ours end with the tables emptied). The first two kinds hold the
    long tests (programs and servers started, the browser tests), and xdist hands tests out in
    this order: started first, they run beside the many short `db` tests instead of leaving
    one worker idle at the end while the other finishes them. Among the `db` tests, those that
    use the shared world come first and the others after: the world is built again after each
    test that does without it (52 builds a run when they were mixed)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
    items.sort(key=lambda item: (_kind_of_test(item), "world" not in getattr(item, "fixturenames", ())))


def pytest_collection_finish(session: pytest.Session) -> None:
    """After collection, before the first test: the objects that live for the whole run (Python,
    Django, the apps, the collected tests) leave the garbage collector's reach (`gc.freeze`),
    and a collection starts after 20,000 new objects instead of 700. The collector walked those
    long-lived objects again and again, about 1.4 s of CPU per xdist worker; each test makes
    and drops far more than 700 objects (a page's query sets, template contexts). Objects in
    reference cycles are still freed, only in fewer, larger collections."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


def _kind_of_test(item: pytest.Item) -> int:
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    if (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))) or {
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
    } & names:
        return 1
    return 2 if marker or "db" in names else 0


# --- The shared world: built once, each test in a savepoint inside it ---------------------


class SharedWorld:
    """The world of tests/helpers.py `build_world`, written once and kept in an open transaction
    that the tests using it nest in, the way Django's `TestCase.setUpTestData` does.

    `open()` builds the world inside an atomic block that stays open; every `db` test that uses
    `world` then runs in its own savepoint inside that block (pytest-django's `db`), rolled
    back when it ends, so no test sees another's writes. `close()` rolls the block back: before
    any test that does not use the world (it must find the database empty) or that needs real
    transactions (`transactional_db`, `live_server`); the next test that uses the world builds
    it again. pytest-django runs the `db` tests first, then the transactional ones, so the
    world is built about once per run of consecutive world tests."""

    current: "SharedWorld | None" = None  # the session's, for tests that request no database
    layers = 0  # how many `layer`s are open on top of the world

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        self.atomic: transaction.Atomic | None = None
        self.world: World | None = None
        self.pickled = b""  # `world`, pickled once: each test unpickles its own copy

    def open(self) -> World:
        if self.world is None:
            with self.blocker.unblock():
                atomic = transaction.atomic()
                atomic._from_testcase = True  # type: ignore[attr-defined]  # as Django's TestCase marks its own
                atomic.__enter__()
                self.atomic = atomic
                # The world spans every group: build it with row-level security's "all groups"
                # scope (session level, so it holds until this block is rolled back).
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, 'on', false)", [rls_scope.ALL_GROUPS])
                self.world = build_world()
                self.pickled = pickle.dumps(self.world, pickle.HIGHEST_PROTOCOL)
        return self.world

    @contextmanager
    def layer(self, build: Callable[[World], T]) -> Iterator[T]:
        """Rows that the tests of one module share on top of the world, for a module-scoped
        fixture (`with _shared_world.layer(build) as value: yield value`): `build(world)` (a
        copy of the world) writes them once, in a savepoint inside the world's transaction;
        each test of the module then runs in its own savepoint inside that one, and the layer
        is rolled back after the module's last test. Every test of such a module must use
        `world` without real transactions (the world stays open for all of them)."""
        self.open()
        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic._from_testcase = True  # type: ignore[attr-defined]  # as the world's own block
            atomic.__enter__()
        self.layers += 1
        try:
            with self.blocker.unblock():
                value = build(pickle.loads(self.pickled))  # noqa: S301 - as in `world`
            yield value
        finally:
            self.layers -= 1
            with self.blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    def close(self) -> None:
        if self.atomic is None:
            return
        if self.layers:
            raise RuntimeError(
                "a test that does not use `world`, or needs real transactions, is in a module "
                "whose tests share a layer on top of the world (SharedWorld.layer)"
            )
        atomic, self.atomic, self.world = self.atomic, None, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="session")
def _shared_world(django_db_setup, django_db_blocker) -> Iterator[SharedWorld]:
    shared = SharedWorld.current = SharedWorld(django_db_blocker)
    yield shared
    shared.close()
    SharedWorld.current = None


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    """What pytest-django's `_django_db_helper` decides: TransactionTestCase or TestCase."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names)
    )


@pytest.fixture
def _shared_world_for_this_test(request, _shared_world: SharedWorld) -> None:
    """Before the test's own transaction starts: the shared world is open for a `db` test that
    uses `world`, rolled back for every other test."""
    if "world" in request.fixturenames and not _is_transactional(request):
        _shared_world.open()
    else:
        _shared_world.close()


@pytest.fixture
def _django_db_helper(_shared_world_for_this_test, _django_db_helper):
    """pytest-django's own (`db`, `transactional_db`), after putting the shared world in place."""
    return _django_db_helper


@pytest.fixture
def world(db, _shared_world: SharedWorld) -> World:
    """Groups A (Brugge), A2 (Kortrijk) and B (Genk) with their members and records
    (tests/helpers.py `build_world`). A `db` test gets its own deep copy of the shared world's
    objects, so what it changes on them (in memory or in the database) ends with the test; a
    transactional test gets a world built for it."""
    if _shared_world.world is None:
        return build_world()
    # A pickle round trip is the deep copy (shared references stay shared: `household_a.group`
    # is `group_a`) in half of `copy.deepcopy`'s time.
    return pickle.loads(_shared_world.pickled)  # noqa: S301 - our own objects, pickled just before


@pytest.fixture
def production_env(db) -> dict[str, str]:
    """tests/helpers.py `PRODUCTION_ENV` pointed at the test database of this run (never the
    development database), for `manage(...)` when the command connects. Asks for `db` so that
    pytest-django creates the test database even when only such tests run."""
    # The app role's name comes from the development database's name unless given.
    return {
        **PRODUCTION_ENV,
        "DATABASE_URL": url_of_the_test_database(),
        "DATABASE_APP_ROLE": settings.DATABASE_APP_ROLE,
    }


@pytest.fixture
def client() -> BrowserClient:
    """pytest-django's `client`, posting forms as a browser does (tests/helpers.py `BrowserClient`)."""
    return BrowserClient()


@pytest.fixture
def as_user():
    """`as_user(user)` gives a test client logged in as that user (None: anonymous)."""
    return client_for


@pytest.fixture
def superuser_client(world):
    """A client for a Django superuser without any membership: no back door into groups."""
    world.outsider.is_staff = world.outsider.is_superuser = True
    world.outsider.save()
    return client_for(world.outsider)


@pytest.fixture
def queries_stay_constant(django_assert_num_queries):
    """`queries_stay_constant(client, url, grow)`: the page answers 200 with as many queries after
    `grow()` added data as before it. Returns that number."""

    def check(client, url: str, grow, params: dict | None = None) -> int:
        client.get(url, params)  # warm up: session, caches
        with CaptureQueriesContext(connection) as small:
            assert client.get(url, params).status_code == 200
        grow()
        with django_assert_num_queries(len(small.captured_queries)):
            assert client.get(url, params).status_code == 200
        return len(small.captured_queries)

    return check


@pytest.fixture(scope="session", autouse=True)
def _test_settings() -> Iterator[None]:
    """Settings for the whole run, set once (a test changes them with pytest-django's `settings`,
    which puts them back to these): the fast password hasher, and the staff figures counted
    on every request, so that a test that changes data between two requests sees the change
    (the cache itself is tested in tests/reports/test_staff_cache.py, which turns it on)."""
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS, STAFF_FIGURES_MAX_AGE=0):
        yield


# --- The end of a transactional test: empty the tables it wrote to ------------------------

# Rows `migrate` writes and Django's `flush` would write again (its post_migrate signal). Neither
# touches django_migrations, which is no model's table.
_KEPT_TABLES = ("django_content_type", "auth_permission")


def _empty_the_written_tables(test_case) -> None:
    """Ends a transactional test (`transactional_db`, `django_db(transaction=True)`) the way
    Django's own `TransactionTestCase._fixture_teardown` does, with every table empty but for
    the rows `migrate` wrote, in about a tenth of the time: instead of `flush` (TRUNCATE of every
    table, about 0.4 s, then post_migrate writing the content types and permissions again),
    DELETE from the tables that have rows, in one transaction, as the migration role (the
    access log, which refuses DELETE, is truncated). When the content types or permissions
    differ from what `migrate` left, or the test asks for what this does not do (serialized
    rollback, `available_apps`), Django's own teardown runs."""
    from django.db import connections

    if test_case.serialized_rollback or test_case.available_apps is not None:
        _django_fixture_teardown(test_case)
        return
    for alias in test_case._databases_names(include_mirrors=False):
        connection = connections[alias]
        with roles.migration_role(alias), transaction.atomic(using=alias), connection.cursor() as cursor:
            quote = connection.ops.quote_name
            tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s, (SELECT count(*) FROM {quote(t)}) WHERE EXISTS (SELECT FROM {quote(t)})"  # noqa: S608 - our table names
                    for t in tables
                ),
                tables,
            )
            written = dict(cursor.fetchall())
            as_migrated = _migrated_rows.get(alias) == tuple(written.get(t, 0) for t in _KEPT_TABLES)
            if as_migrated:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are deferrable
                for table in sorted(written.keys() - set(_KEPT_TABLES)):
                    if table in roles.APPEND_ONLY_TABLES:
                        cursor.execute(f"TRUNCATE {quote(table)}")  # its trigger refuses DELETE
                    else:
                        cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - a table name of ours
        if not as_migrated:
            _django_fixture_teardown(test_case)
            return


# Per database alias: the rows of _KEPT_TABLES right after `migrate` (django_db_setup).
_migrated_rows: dict[str, tuple[int, ...]] = {}
# Django's own, for the cases above; the stubs leave out this private method.
_django_fixture_teardown = TransactionTestCase._fixture_teardown  # type: ignore[attr-defined]
TransactionTestCase._fixture_teardown = _empty_the_written_tables  # type: ignore[attr-defined]


# --- Two database roles and row-level security in the tests (rls/) -----------------------


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's own, except that the migration role creates, migrates and drops the test
    database, and that the test database is a copy of a migrated template when it can be
    (`_test_database_from_template`). The tests' `default` connection is the app role, as in
    production."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    from django.db import connections

    # A test mirror (a replica in settings) is the default database under another alias. An
    # alias a module adds later (tests/test_replica.py) is not set up here either way.
    configured = {alias for alias in aliases if alias in connections}
    mirrors = {
        a for a in configured if connections[a].settings_dict["TEST"].get("MIRROR") == DEFAULT_DB_ALIAS
    }
    from_template = configured - mirrors == {DEFAULT_DB_ALIAS} and django_db_use_migrations
    with django_db_blocker.unblock(), roles.migration_role():
        if from_template and not serialized_aliases and not keepdb:
            db_cfg = _test_database_from_template(verbosity, rebuild=django_db_createdb)
            for alias in mirrors:
                connections[alias].creation.set_as_test_mirror(connections[DEFAULT_DB_ALIAS].settings_dict)
        else:
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,  # type: ignore[arg-type]  # django-stubs says Mapping; Django's runner passes a set too
                serialized_aliases=serialized_aliases,
                keepdb=keepdb,
            )
        # `migrate` (in setup_databases or the template's) granted the app role its rights on the
        # tables: rls.roles.grant_after_migrate.
        for alias in aliases:
            if alias in connections and not connections[alias].settings_dict.get("TEST", {}).get("MIRROR"):
                with connections[alias].cursor() as cursor:
                    counts = ", ".join(f"(SELECT count(*) FROM {table})" for table in _KEPT_TABLES)  # noqa: S608
                    cursor.execute(f"SELECT {counts}")
                    _migrated_rows[alias] = tuple(cursor.fetchone())
    yield
    if not keepdb:
        with django_db_blocker.unblock(), roles.migration_role():
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


def _test_database_from_template(
    verbosity: int, *, rebuild: bool
) -> list[tuple[BaseDatabaseWrapper, str, bool]]:
    """Create the test database as a copy of a migrated template (CREATE DATABASE … TEMPLATE,
    a fraction of a second) instead of running every migration into it (seconds of CPU for
    each xdist worker, each run). The template is migrated the first time, and again whenever
    what it is made from changes (`_template_name`); the workers of one run wait for the one
    that migrates it. `rebuild` (pytest's --create-db) migrates it anew. Returns what Django's
    `teardown_databases` takes to drop the copy."""
    from django.db import connections

    connection = connections[DEFAULT_DB_ALIAS]
    creation = connection.creation
    quote = connection.ops.quote_name
    name = creation._get_test_db_name()  # type: ignore[attr-defined]  # Django's own, as its create_test_db
    template = _template_name(name)
    with connection._nodb_cursor() as lock:
        lock.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
        try:
            lock.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if rebuild or lock.fetchone() is None:
                _migrate_template(connection, template, verbosity)
        finally:
            lock.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])
        if verbosity >= 1:
            creation.log(f"Creating test database {name} as a copy of {template}…")
        lock.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        lock.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
        # A commit of a throw-away database need not wait for its WAL on disk (the transactional
        # tests commit often); a crash loses nothing a test needs. Only this database: never set in
        # the settings, so production always waits.
        lock.execute(f"ALTER DATABASE {quote(name)} SET synchronous_commit = off")
    old_name = connection.settings_dict["NAME"]
    connection.close()
    settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"] = connection.settings_dict["NAME"] = name
    # A database's own grants (CONNECT, TEMPORARY) are not copied with its template.
    with connection.cursor() as cursor:
        roles.grant_app_role(cursor, roles.app_role())
    return [(connection, old_name, True)]


def _migrate_template(connection: BaseDatabaseWrapper, template: str, verbosity: int) -> None:
    """Migrate `template` the way Django makes a test database (migrate, post_migrate's grants,
    content types and permissions, the cache table), after dropping the templates that earlier
    migrations left."""
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [template.rsplit("_tmpl_", 1)[0].replace("_", r"\_") + r"\_tmpl\_%"],
        )
        for (old,) in cursor.fetchall():
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")
    test = connection.settings_dict["TEST"]
    saved = connection.settings_dict["NAME"], test.get("NAME")
    test["NAME"] = template
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True)
    finally:
        connection.close()  # CREATE DATABASE … TEMPLATE needs the template without connections
        settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"] = connection.settings_dict["NAME"] = saved[0]
        test["NAME"] = saved[1]


def _template_name(test_name: str) -> str:
    """The template's name: the test database's (without xdist's worker suffix) and a digest of
    what a migrated database is made of: every app's migrations, the models' tables and columns
    (apps without migrations, content types), row-level security's code (its operations and
    the grants after migrate), the cache table, the app role and Django's version."""
    import hashlib
    import re
    from importlib import import_module

    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256(f"{django.__version__} {roles.app_role()} {settings.CACHES}".encode())
    files = sorted((ROOT / "rls").rglob("*.py"))
    for config in apps.get_app_configs():
        module, _ = MigrationLoader.migrations_module(config.label)
        try:
            package = import_module(module) if module else None
        except ImportError:
            package = None
        if package is not None and hasattr(package, "__path__"):
            files += sorted(Path(package.__path__[0]).glob("*.py"))
    for path in files:
        digest.update(path.name.encode() + path.read_bytes())
    for model in apps.get_models(include_auto_created=True):
        columns = [field.column for field in model._meta.local_fields]
        digest.update(f"{model._meta.label} {model._meta.db_table} {columns}".encode())
    base = re.sub(r"_gw\d+$", "", test_name)
    return f"{base}_tmpl_{digest.hexdigest()[:10]}"


@pytest.fixture(autouse=True)
def _test_code_sees_every_group(request) -> Iterator[None]:
    """The test's own queries (fixtures, assertions) see every group's rows; the requests it
    makes do not: while the test client handles a request, this is switched off, so each view
    reads only what its own scope (the group door, staff, admin) lets it read.

    The switch is `welzijn.all_groups` set for the test thread's connection (session level, so
    that it also holds between the statements of a transactional test); the live server's
    threads never see it. Tests of row-level security itself switch it off (`no_scope`)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    transactional = _is_transactional(request)
    if transactional:
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker is not None:
        request.getfixturevalue("db")
    else:
        # No database for this test: none of the shared world's rows (or locks) either, in
        # case it starts a program that uses the test database.
        if SharedWorld.current is not None:
            SharedWorld.current.close()
        yield
        return
    test_thread = threading.get_ident()

    def switch(value: str) -> None:
        # No open connection: nothing to switch; the next one is set by `new_connection` (and
        # during a database outage the test must not wait for the pool here).
        if threading.get_ident() == test_thread and connection.connection is not None:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, %s, false)", [rls_scope.ALL_GROUPS, value])
            except DatabaseError:  # a test without a database (a mocked cursor): nothing to switch
                pass

    in_request = False

    def on(**kwargs) -> None:
        nonlocal in_request
        in_request = False
        switch("on")

    def off(**kwargs) -> None:
        nonlocal in_request
        in_request = True
        switch("")

    def new_connection(connection, **kwargs) -> None:  # e.g. after `rls.roles.migration_role()`
        if not in_request and threading.get_ident() == test_thread:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', false)", [rls_scope.ALL_GROUPS])

    # Inside the shared world's transaction it is on already (set when the world was built;
    # each test's own changes roll back with its savepoint).
    shared = SharedWorld.current
    if transactional or shared is None or shared.world is None:
        switch("on")
    request_started.connect(off, weak=False)
    request_finished.connect(on, weak=False)
    connection_created.connect(new_connection, weak=False)
    try:
        yield
    finally:
        request_started.disconnect(off)
        request_finished.disconnect(on)
        connection_created.disconnect(new_connection)
        # A `db` test's transaction (or savepoint) is rolled back, and the setting with it.
        if transactional or not connection.in_atomic_block:
            switch("")

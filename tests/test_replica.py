"""Reports and staff figures read a PostgreSQL read replica when one is configured
(`DATABASE_REPLICA_URL`, rls/replica.py); writes, migrations and the reads of a user who just
changed something stay on the primary; row-level security holds on the replica too.

The replica here is a test mirror of the test database (Django's TEST MIRROR): the alias
`replica` is a second connection to the same database. A second connection sees only committed
rows, so these tests are transactional. The alias is added for this module only; every other
test runs with one alias, as without `DATABASE_REPLICA_URL`."""

import copy
import csv
import io
import time
from contextlib import nullcontext

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.models import AccessLogEntry, Household
from rls import replica
from tests.helpers import make_visit

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, replica.REPLICA]),
    pytest.mark.usefixtures("replica_alias"),
]

WRITES = ("INSERT", "UPDATE", "DELETE")
FIGURES = ('FROM "households_household"', 'FROM "visits_', 'FROM "activities_')


def _reads_figures(sql: str) -> bool:
    return any(table in sql for table in FIGURES)


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """The alias `replica` as settings.py builds it for DATABASE_REPLICA_URL (the primary's
    connection settings, the app role, TEST MIRROR), pointing at the test database."""
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    mirror = {**copy.deepcopy(primary), "TEST": {**primary["TEST"], "MIRROR": DEFAULT_DB_ALIAS}}
    settings.DATABASES[replica.REPLICA] = mirror  # the dict `connections` reads its aliases from
    assert replica.REPLICA in connections
    yield
    with django_db_blocker.unblock():
        connection = connections[replica.REPLICA]
        connection.close()
        if hasattr(connection, "close_pool"):
            connection.close_pool()
    del connections[replica.REPLICA]
    del settings.DATABASES[replica.REPLICA]


def _capture(client, url: str, **params) -> tuple[list[str], list[str], HttpResponse]:
    """GET `url`: (SQL on the primary, SQL on the replica, the response).

    The test code's own all-groups switch (tests/conftest.py) is taken off the replica's
    connection first, so that the page sees on the replica only what its own scope lets through."""
    connections[replica.REPLICA].ensure_connection()
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SELECT set_config('welzijn.all_groups', '', false)")
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[replica.REPLICA]) as mirror,
    ):
        response = client.get(url, params)
    assert response.status_code == 200, response
    return [q["sql"] for q in primary.captured_queries], [q["sql"] for q in mirror.captured_queries], response


def _figures(response) -> dict[tuple[str, str], str]:
    rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    return {(row[0], row[1]): row[2] for row in rows if len(row) == 3}


def _report_urls(slug: str) -> list[str]:
    return [
        reverse("reports:report", kwargs={"slug": slug}),
        reverse("reports:report_export", kwargs={"slug": slug, "fmt": "csv"}),
        reverse("reports:signals_report", kwargs={"slug": slug}),
        reverse("reports:signals_report_export", kwargs={"slug": slug, "fmt": "xlsx"}),
    ]


def test_group_reports_read_the_replica_in_the_groups_scope(world, as_user):
    client = as_user(world.coordinator_a)
    for url in _report_urls("brugge"):
        primary, mirror, _ = _capture(client, url)
        # The figures come from the replica, after the door set group A's scope on its connection.
        assert any(_reads_figures(sql) for sql in mirror), url
        scope_set = next(i for i, sql in enumerate(mirror) if "set_config" in sql)
        assert f"'welzijn.group_ids', '{world.group_a.pk}'" in mirror[scope_set]
        assert all("set_config" not in sql for sql in mirror[:scope_set]), "a read before the scope"
        # Writes never go to the replica; the access-log row goes to the primary.
        assert not [sql for sql in mirror if sql.lstrip().upper().startswith(WRITES)]
        assert any(sql.startswith('INSERT INTO "households_accesslogentry"') for sql in primary), url
        # Nothing of the report is read on the primary: only the door and the session.
        assert not [sql for sql in primary if _reads_figures(sql)], url
    assert AccessLogEntry.objects.filter(user=world.coordinator_a, group=world.group_a).count() == 4


def test_the_replica_shows_each_group_its_own_figures_and_the_primarys(world, as_user):
    for i in range(3):
        make_visit(
            Household.objects.create(group=world.group_b, display_name=f"Familie Genk {i}"), world.volunteer_b
        )
    export_a = reverse("reports:report_export", kwargs={"slug": "brugge", "fmt": "csv"})
    export_b = reverse("reports:report_export", kwargs={"slug": "genk", "fmt": "csv"})
    client_a, client_b = as_user(world.coordinator_a), as_user(world.coordinator_b)
    *_, from_replica_a = _capture(client_a, export_a)
    *_, from_replica_b = _capture(client_b, export_b)
    reached = ("Gezinnen", "bereikte gezinnen")
    assert _figures(from_replica_a)[reached] == "1"  # household_a only
    assert _figures(from_replica_b)[reached] == "4"  # household_b and the three above
    assert "Genk" not in from_replica_a.content.decode()
    # The same figures as the primary gives (a user who just changed something reads it).
    for client, export, from_replica in (
        (client_a, export_a, from_replica_a),
        (client_b, export_b, from_replica_b),
    ):
        client.cookies[replica.STICKY_COOKIE] = str(time.time())
        _, mirror, from_primary = _capture(client, export)
        assert mirror == []
        assert _figures(from_primary) == _figures(from_replica)


def test_a_user_who_just_changed_something_reads_the_primary(world, as_user):
    client = as_user(world.coordinator_a)
    export = reverse("reports:report_export", kwargs={"slug": "brugge", "fmt": "csv"})
    _, mirror, before = _capture(client, export)
    assert mirror and _figures(before)[("Gezinnen", "nieuwe gezinnen")] == "1"

    response = client.post(
        reverse("households:create", kwargs={"slug": "brugge"}),
        {"display_name": "Familie Nieuw", "street": "Dorp", "postcode": "8000"},
    )
    assert response.status_code == 302
    cookie = response.cookies[replica.STICKY_COOKIE]
    assert cookie["max-age"] == settings.DATABASE_REPLICA_STICKY_SECONDS and cookie["httponly"]

    primary, mirror, after = _capture(client, export)
    assert mirror == []  # not one query on the replica: whatever its lag, the new family counts
    assert _figures(after)[("Gezinnen", "nieuwe gezinnen")] == "2"
    assert any('"households_household"' in sql for sql in primary)

    # Once the window has passed, the reports read the replica again.
    client.cookies[replica.STICKY_COOKIE] = str(time.time() - settings.DATABASE_REPLICA_STICKY_SECONDS - 1)
    _, mirror, _ = _capture(client, export)
    assert mirror


def test_a_get_sets_no_cookie_and_a_mangled_cookie_reads_the_primary(world, as_user):
    client = as_user(world.coordinator_a)
    report = reverse("reports:report", kwargs={"slug": "brugge"})
    assert replica.STICKY_COOKIE not in client.get(report).cookies
    client.cookies[replica.STICKY_COOKIE] = "gisteren"
    _, mirror, _ = _capture(client, report)
    assert mirror == []


def test_staff_figures_read_the_replica_over_every_group(world, as_user):
    world.outsider.is_staff = True
    world.outsider.save()
    client = as_user(world.outsider)
    for url in (
        reverse("staff:national"),
        reverse("staff:region", kwargs={"region": world.region_a.slug}),
        reverse("staff:signals"),
        reverse("staff:signals_export", kwargs={"fmt": "csv"}),
    ):
        primary, mirror, _ = _capture(client, url)
        assert any("set_config" in sql and "'welzijn.all_groups', 'on'" in sql for sql in mirror), url
        assert any('"visits_visit"' in sql or '"visits_signal"' in sql for sql in mirror), url
        assert not [sql for sql in primary if _reads_figures(sql)], url
        assert not [sql for sql in mirror if sql.lstrip().upper().startswith(WRITES)]


def test_other_pages_read_only_the_primary(world, as_user):
    client = as_user(world.coordinator_a)
    for url in (
        reverse("reports:home", kwargs={"slug": "brugge"}),
        reverse("households:list", kwargs={"slug": "brugge"}),
        world.household_a.get_absolute_url(),
    ):
        _, mirror, _ = _capture(client, url)
        assert mirror == [], url


def test_the_replica_connection_is_the_app_role_and_sees_nothing_outside_a_scope(world):
    with connections[replica.REPLICA].cursor() as cursor:
        # The test code's own switch (tests/conftest.py) is set on new connections of its thread.
        cursor.execute("SELECT set_config('welzijn.all_groups', '', false)")
        cursor.execute("SELECT current_user, count(*) FROM households_household")
        assert cursor.fetchone() == (settings.DATABASE_APP_ROLE, 0)
    assert Household.objects.count() == 2  # the primary, in the test code's all-groups switch


def test_the_router_sends_writes_and_migrations_to_the_primary_only(world, rf):
    from django.contrib.sessions.models import Session

    router = replica.ReplicaRouter()
    scopes: list[str] = []

    def scope(using: str):
        scopes.append(using)
        return nullcontext()

    assert router.db_for_read(Household) is None  # outside `reads`: Django's default
    with replica.reads(rf.get("/"), scope) as used:
        assert used and replica.reading()
        assert router.db_for_read(Household) == replica.REPLICA
        assert router.db_for_read(AccessLogEntry) == replica.REPLICA
        assert router.db_for_write(AccessLogEntry) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Session) is None  # sessions, cache, tasks: always the primary
        with replica.reads(rf.get("/"), scope) as inner:
            assert not inner  # nested: the outer one already reads the replica
    assert scopes == [replica.REPLICA] and not replica.reading()
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "households") is True
    assert router.allow_migrate(replica.REPLICA, "households") is False


def test_an_unreachable_replica_means_reading_the_primary_for_a_while(rf, monkeypatch, caplog):
    monkeypatch.setitem(replica._down, "until", 0.0)
    tried: list[str] = []

    def unreachable(using: str):
        tried.append(using)
        raise OperationalError("couldn't get a connection after 1.00 sec")

    with replica.reads(rf.get("/"), unreachable) as used:
        assert not used and not replica.reading()
    assert "Read replica unavailable (OperationalError)" in caplog.text
    with replica.reads(rf.get("/"), unreachable) as used:
        assert not used
    assert tried == [replica.REPLICA]  # the second page did not wait for the replica again
    monkeypatch.setitem(replica._down, "until", time.monotonic() - 1)
    with replica.reads(rf.get("/"), lambda using: nullcontext()) as used:
        assert used  # after DOWN_SECONDS the replica is tried again


def test_without_a_replica_nothing_changes(world, as_user, rf, monkeypatch):
    monkeypatch.delitem(settings.DATABASES, replica.REPLICA)
    assert not replica.configured()
    with replica.reads(rf.get("/"), lambda using: pytest.fail("no scope without a replica")) as used:
        assert not used
    response = as_user(world.coordinator_a).post(
        reverse("households:create", kwargs={"slug": "brugge"}), {"display_name": "Familie Nieuw"}
    )
    assert response.status_code == 302
    assert replica.STICKY_COOKIE not in response.cookies

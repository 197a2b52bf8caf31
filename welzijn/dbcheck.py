"""Check that PostgreSQL answers before anything else runs; create the database if missing.

Used by `make run` and `make test`, which must stop with one clear sentence, not a traceback,
when the database server is down. Run as `python -m welzijn.dbcheck [--create] [--write-url FILE]`.

Which server: `DATABASE_URL` when it is set (and then only that one). Otherwise the default
address, 127.0.0.1:5432 (`PGHOST` and `PGPORT` change it, as for every PostgreSQL client);
and when nothing answers there, the project's own PostgreSQL (welzijn.embedded_db), started
on a free port with its data in .pgdata/. `--write-url FILE` writes the URL chosen to FILE, so
that the Makefile's later steps (migrate, runserver, pytest) use the same database.
"""

import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/welzijn"
DEFAULT_NAME = "welzijn"
START_HINT = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


def default_url() -> str:
    """The default address, postgres://postgres@127.0.0.1:5432/welzijn, moved by PGHOST/PGPORT."""
    host = os.environ.get("PGHOST") or "127.0.0.1"
    port = os.environ.get("PGPORT") or "5432"
    return f"postgres://postgres@{host}:{port}/{DEFAULT_NAME}"


def answers(url: str) -> bool:
    """True when a PostgreSQL server accepts a connection at `url` within 3 seconds."""
    config = dj_database_url.parse(url)
    try:
        psycopg.connect(
            host=config["HOST"],
            port=config["PORT"],
            user=config["USER"],
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError:
        return False
    return True


def choose_url() -> str:
    """DATABASE_URL if set; else the default address if it answers; else the embedded server.

    Raises welzijn.embedded_db.EmbeddedPostgresUnavailable or RuntimeError when the embedded
    server is needed and cannot start.
    """
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    url = default_url()
    if answers(url):
        return url
    from welzijn import embedded_db

    port = embedded_db.start()
    where = url.split("@", 1)[1].rsplit("/", 1)[0]
    print(
        f"No PostgreSQL at {where} and DATABASE_URL is not set: using the project's own PostgreSQL "
        f"on 127.0.0.1:{port}, data in .pgdata/ "
        "(stop it with `.venv/bin/python -m welzijn.embedded_db stop`)."
    )
    return embedded_db.url(DEFAULT_NAME)


def main(argv: list[str]) -> int:
    try:
        url = choose_url()
    except RuntimeError as exc:  # EmbeddedPostgresUnavailable included
        print(
            f"PostgreSQL is not running at {default_url()} and the project's own could not start: {exc}",
            file=sys.stderr,
        )
        return 1
    if "--write-url" in argv:
        Path(argv[argv.index("--write-url") + 1]).write_text(url + "\n")
    try:
        config = dj_database_url.parse(url)
    except ValueError as exc:
        print(f"DATABASE_URL is not a valid database URL ({exc}).", file=sys.stderr)
        return 1
    params: dict[str, Any] = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "connect_timeout": 5,
    }
    name = config["NAME"]
    try:
        # The maintenance database exists on every server; connect there to create ours.
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists and "--create" in argv:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created database {name}.")
    except psycopg.OperationalError:
        where = f"{params['host'] or 'localhost'}:{params['port'] or 5432}"
        print(
            f"PostgreSQL is not reachable at {where}: start it with `{START_HINT}`, "
            "set DATABASE_URL to a PostgreSQL server you can reach, "
            "or leave DATABASE_URL unset to use the project's own PostgreSQL.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Check that PostgreSQL answers before anything else runs; create the database if missing.

Used by `make run` and `make test`, which must stop with one clear sentence, not a traceback,
when the database server is down. Run as `python -m welzijn.dbcheck [--create]`.
"""

import os
import sys

import dj_database_url
import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/welzijn"
START_HINT = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


def main(argv: list[str]) -> int:
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    try:
        config = dj_database_url.parse(url)
    except ValueError as exc:
        print(f"DATABASE_URL is not a valid database URL ({exc}).", file=sys.stderr)
        return 1
    params = {
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
            "or set DATABASE_URL to a PostgreSQL server you can reach "
            "(for example postgres://postgres@127.0.0.1:5432/welzijn).",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

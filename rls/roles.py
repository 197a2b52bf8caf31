"""Two database roles: the migration role owns the schema, the app role owns nothing.

`settings.DATABASES["default"]` is the app role: gunicorn, the task worker and the tests use it.
`settings.MIGRATION_DATABASE` holds the credentials of the migration role (from
`MIGRATE_DATABASE_URL`); `migration_role()` swaps them in for the release steps (`migrate`,
`createcachetable`) and for creating and emptying test databases (`flush`). Those commands are
overridden in `rls/management/commands/` so that they always run as the migration role.

What the app role may do, set by `grant_app_role` after every `migrate` (and by default
privileges, for tables the migration role creates later): SELECT, INSERT, UPDATE, DELETE on
every table of the schema `public`, USAGE on its sequences; only SELECT and INSERT on the
append-only tables (the access log) and only SELECT on `django_migrations`. It owns nothing,
so it cannot TRUNCATE, ALTER or DROP a table or disable a trigger.

Run `python -m rls.roles` (the Makefile's `db` target does) to create the app role on a
development server if it is missing and grant it; in production the roles are created once
by hand (docs/deploy.md, "Database roles").
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql

# The app may add rows here, never change or remove them (GDPR art. 5(2) accountability: the log
# of who saw which family must be trustworthy). Their triggers refuse UPDATE and DELETE as well.
APPEND_ONLY_TABLES = ("households_accesslogentry",)
# The app reads which migrations ran (Django checks it); only the migration role records them.
READ_ONLY_TABLES = ("django_migrations",)

_SWAPPED = ("USER", "PASSWORD", "HOST", "PORT", "OPTIONS")


def app_role() -> str:
    return settings.DATABASE_APP_ROLE


@contextmanager
def migration_role(alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Inside: the connection `alias` logs in as the migration role (same database).

    Closes the connection (and its pool) on the way in and out, so no connection of one role
    is ever used as the other. Re-entrant: a nested call changes nothing."""
    connection = connections[alias]
    if getattr(connection, "welzijn_migration_role", False):
        yield
        return
    saved = {key: connection.settings_dict.get(key) for key in _SWAPPED}
    _reconnect(connection, {key: settings.MIGRATION_DATABASE.get(key) for key in _SWAPPED})
    flagged = cast(Any, connection)  # our own marker attribute on Django's connection object
    flagged.welzijn_migration_role = True
    try:
        yield
    finally:
        flagged.welzijn_migration_role = False
        _reconnect(connection, saved)


def _reconnect(connection, values: dict) -> None:
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()
    connection.settings_dict.update(values)


def in_migration_role(alias: str = DEFAULT_DB_ALIAS) -> bool:
    return bool(getattr(connections[alias], "welzijn_migration_role", False))


def ensure_app_role(cursor, role: str) -> bool:
    """Create `role` (NOLOGIN: on a development server the app reaches it with SET ROLE) if it
    does not exist, and let the current user SET ROLE to it. Returns True if it was created.
    Needs CREATEROLE; a role created by someone else is left as it is."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    created = cursor.fetchone() is None
    if created:
        cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if not cursor.fetchone()[0] and not _is_member(cursor, role):
        cursor.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(role)))
    return created


def _is_member(cursor, role: str) -> bool:
    cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [role])
    return bool(cursor.fetchone()[0])


def grant_app_role(cursor, role: str) -> None:
    """Give `role` exactly the app's rights on the current database (idempotent), as the owner of
    its tables. Default privileges cover tables and sequences the current user creates later."""
    r = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
            sql.Identifier(cursor.connection.info.dbname), r
        ),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(r),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(r),
        sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}").format(r),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
        ).format(r),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO {}").format(r),
    ]
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    existing = {name for (name,) in cursor.fetchall()}
    for table in APPEND_ONLY_TABLES:
        if table in existing:
            statements.append(
                sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(sql.Identifier(table), r)
            )
    for table in READ_ONLY_TABLES:
        if table in existing:
            statements.append(
                sql.SQL("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                    sql.Identifier(table), r
                )
            )
    # The one way the app may delete from the access log: the audited purge of rows past the
    # log's lifetime (households/migrations/0001_initial.py, a SECURITY DEFINER function of the owner).
    cursor.execute("SELECT to_regprocedure('welzijn_purge_access_log(timestamptz)') IS NOT NULL")
    if cursor.fetchone()[0]:
        statements.append(
            sql.SQL("GRANT EXECUTE ON FUNCTION welzijn_purge_access_log(timestamptz) TO {}").format(r)
        )
    for statement in statements:
        cursor.execute(statement)


def grant_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate: grant the app role its rights on the tables the migrations just created.

    Only when the migration role is connected (`manage.py migrate`); `flush` in the tests sends
    post_migrate too."""
    if not in_migration_role(using):
        return
    with connections[using].cursor() as cursor:
        if reached_by_set_role():
            ensure_app_role(cursor, app_role())
        grant_app_role(cursor, app_role())


def reached_by_set_role() -> bool:
    """True on a development machine: one login for both, the app switching to its role.
    In production the app role is DATABASE_URL's own login, created by hand (docs/deploy.md)."""
    return settings.DATABASE_APP_ROLE_BY_SET_ROLE


def main() -> int:
    """`python -m rls.roles`: create the app role if missing and grant it (development servers)."""
    import django

    django.setup()
    with migration_role(), connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        role = app_role()
        if reached_by_set_role() and ensure_app_role(cursor, role):
            print(f"Created the database role {role} for the app.")
        grant_app_role(cursor, role)
    return 0


if __name__ == "__main__":
    import os
    import sys

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welzijn.settings")
    sys.exit(main())

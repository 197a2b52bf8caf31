"""The project's own migrations: each app has one until the first deployment, and every step of
them can be undone (`migrate <app> zero`). The rules: docs/deploy.md, "Migrations".

No database needed: the migrations are read from disk.
"""

from django.apps import apps
from django.conf import settings
from django.db.migrations import Migration
from django.db.migrations.loader import MigrationLoader


def _our_migrations() -> dict[tuple[str, str], Migration]:
    ours = {
        config.label
        for config in apps.get_app_configs()
        if config.path.startswith(str(settings.BASE_DIR)) and ".venv" not in config.path
    }
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {key: migration for key, migration in loader.disk_migrations.items() if key[0] in ours}


def test_each_app_has_one_initial_migration_until_the_first_deployment():
    """Before the first deployment a change is folded into its app's 0001_initial.py (the steps:
    docs/deploy.md, "Migrations"). Delete this test together with that paragraph once the first
    deployment has run: from then on, numbered migrations are the rule."""
    migrations = _our_migrations()
    apps_with_migrations = {app for app, _ in migrations}
    assert {"accounts", "groups", "households", "visits", "activities", "writes"} <= apps_with_migrations
    assert sorted(migrations) == sorted((app, "0001_initial") for app in apps_with_migrations)


def test_every_operation_of_our_migrations_can_be_undone():
    """Raw SQL needs its reverse_sql and Python its reverse_code, or `migrate <app> zero` stops."""
    for (app, name), migration in _our_migrations().items():
        for operation in migration.operations:
            assert operation.reversible, f"{app}.{name}: {operation.describe()} cannot be undone"

"""The project's own migrations: each app has one until the first deployment, and every step of
them can be undone (`migrate <app> zero`). The rules: docs/deploy.md, "Migrations".

No database needed: the migrations are read from disk.
"""

from django.apps import apps
from django.conf import settings
from django.db import migrations
from django.db.migrations import Migration
from django.db.migrations.loader import MigrationLoader
from django.db.models import F, Q


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


def _field_names(index_or_constraint: object) -> set[str]:
    """The names of the fields an index or constraint reads: its `fields`, the `F()` in its
    expressions, the fields its condition filters on or compares with."""
    names = {name.lstrip("-") for name in getattr(index_or_constraint, "fields", ())}
    nodes: list[object] = list(getattr(index_or_constraint, "expressions", ()))
    condition = getattr(index_or_constraint, "condition", None)
    if condition is not None:
        nodes.append(condition)
    while nodes:
        node = nodes.pop()
        if isinstance(node, F):
            _path, (field_path,), _kwargs = node.deconstruct()
            names.add(field_path.split("__")[0])
        elif isinstance(node, Q):
            nodes.extend(node.children)
        elif isinstance(node, tuple):  # a Q's (lookup, value)
            names.add(node[0].split("__")[0])
            nodes.append(node[1])
        else:
            nodes.extend(getattr(node, "get_source_expressions", list)())
    return names


def test_indexes_and_constraints_are_created_with_their_table():
    """An index or constraint of a model that the same migration creates sits in its CreateModel's
    `options`, not in a separate AddIndex or AddConstraint: each of those makes `migrate` render
    the model and every model related to it again (tens of milliseconds of CPU each, for every
    test database and every deployment's first migrate). Only one that reads a field added later
    by an AddField (a foreign key that would close a cycle) stays a separate operation after it."""
    for (app, name), migration in _our_migrations().items():
        created: set[str] = set()
        added_later: dict[str, set[str]] = {}
        for operation in migration.operations:
            if isinstance(operation, migrations.CreateModel):
                created.add(operation.name_lower)
            elif isinstance(operation, migrations.AddField):
                added_later.setdefault(operation.model_name_lower, set()).add(operation.name)
            elif isinstance(operation, migrations.AddIndex | migrations.AddConstraint):
                model = operation.model_name_lower
                if isinstance(operation, migrations.AddIndex):
                    reads = _field_names(operation.index)
                else:
                    reads = _field_names(operation.constraint)
                assert model not in created or reads & added_later.get(model, set()), (
                    f"{app}.{name}: {operation.describe()} belongs in the options of {model}'s CreateModel"
                )

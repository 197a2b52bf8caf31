"""Settings come from the environment, fail loudly on bad values, and pass the deploy check.

Most cases read welzijn/settings.py in this process from the environment they give
(`read_settings`: the file executed anew, as a program started with that environment would
import it) and run Django's system checks, deployment checks included, on what it makes of it
(`deploy_check`). Two cases start `manage.py` as an operator would, for what only a new
process shows: a whole Django started from a production environment passing
`check --deploy`, and a bad value stopping the program with a message that names the variable.

Self-contained: the checks read the PostgreSQL server's version (Django's check of the
generated columns), so they run against the test database this run created; every other case
stops before any connection, and gets a database URL where nothing answers to prove it.
"""

from typing import Any

import pytest
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.test.utils import override_settings

from tests.helpers import NO_DATABASE, PRODUCTION_ENV, manage, read_settings

# Settings the checks must see as this process started with them: the apps are loaded and the
# connections open. The environment changes neither INSTALLED_APPS nor what any check reads of
# DATABASES (no check reads it; the end-to-end case below, with a second alias, would show one).
_NOT_OVERRIDDEN = {"INSTALLED_APPS", "DATABASES"}
_MISSING = object()


def deploy_check(env: dict[str, str]) -> list[str]:
    """What `manage.py check --deploy --fail-level WARNING` fails on with `env`: Django's system
    checks, deployment checks included, run in this process with every setting that `env`
    makes different from the test run's own overridden (the apps and connections excepted,
    `_NOT_OVERRIDDEN`). Returns "<id>: <message>" of each warning or error, not silenced."""
    values = read_settings(env)
    assert values["INSTALLED_APPS"] == settings.INSTALLED_APPS
    changed = {
        name: value
        for name, value in values.items()
        if name not in _NOT_OVERRIDDEN and getattr(settings, name, _MISSING) != value
    }
    with override_settings(**changed):
        messages = checks.run_checks(include_deployment_checks=True)
    return [f"{m.id}: {m.msg}" for m in messages if m.level >= checks.WARNING and not m.is_silenced()]


def test_check_deploy_passes_with_production_settings(production_env):
    assert deploy_check(production_env) == []


def test_check_deploy_fails_when_production_hardening_is_switched_off(production_env):
    # Proves the check above can fail, and that it reads the environment's values: without HSTS,
    # and without the redirect to https that the tests' own environment switches off.
    assert [m.split(":")[0] for m in deploy_check({**production_env, "SECURE_HSTS_SECONDS": "0"})] == [
        "security.W004"
    ]
    assert [m.split(":")[0] for m in deploy_check({**production_env, "SECURE_SSL_REDIRECT": "0"})] == [
        "security.W008"
    ]


def test_check_deploy_passes_in_a_new_process_with_a_replica(production_env):
    """End to end, as the operator runs it: `manage.py check --deploy` in a new Django started
    from a production environment with DATABASE_REPLICA_URL, so with both aliases. The setup
    without a replica (one alias) is the test run's own, checked in-process above."""
    env = {**production_env, "DATABASE_REPLICA_URL": production_env["DATABASE_URL"]}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("EMAIL_PORT", "vijfentwintig"),
        ("DATABASE_URL", "mysql://x@localhost/db"),
        ("DATABASE_REPLICA_STICKY_SECONDS", "-1"),
        ("DATABASE_REPLICA_URL", "mysql://x@localhost/db"),
        ("DATABASE_REPLICA_URL", "postgres://x@localhost:port/db"),
    ],
)
def test_a_bad_value_stops_the_app_naming_the_variable(variable, value):
    with pytest.raises(ImproperlyConfigured, match=variable):
        read_settings({**PRODUCTION_ENV, variable: value})


def test_the_operator_sees_the_bad_variable_named_on_the_last_line():
    """A new process, as `manage.py` starts for the operator: it stops, and the last line of
    what it prints (under any traceback) names the variable. The replica URL is read late in
    settings.py, after the primary's database settings."""
    result = manage("check", env={**PRODUCTION_ENV, "DATABASE_REPLICA_URL": "postgres://x@localhost:port/db"})
    assert result.returncode != 0
    last_line = result.stderr.splitlines()[-1]
    assert "DATABASE_REPLICA_URL" in last_line
    assert "Traceback" not in last_line


def test_without_debug_a_secret_key_is_required():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        read_settings(env)
    assert read_settings({**env, "DEBUG": "1"})["SECRET_KEY"]  # a developer's machine needs none


def test_debug_defaults_to_off():
    # The test process runs with the environment of pyproject.toml, which sets DEBUG=0;
    # read_settings leaves it out, as settings.py would see it without the variable.
    assert read_settings({"SECRET_KEY": "x" * 50, "DATABASE_URL": NO_DATABASE})["DEBUG"] is False


# --- DATABASE_REPLICA_URL (rls/replica.py; the routing itself: tests/test_replica.py) ----------


def _databases(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    return read_settings(env)["DATABASES"]


def test_without_a_replica_url_there_is_one_database_alias():
    assert sorted(_databases(PRODUCTION_ENV)) == ["default"]


def test_the_replica_connects_like_the_primary_as_the_app_role_and_mirrors_it_in_tests():
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://postgres@db.example.be:5432/welzijn",
        "DATABASE_REPLICA_URL": "postgres://postgres@replica.example.be:5432/welzijn",
    }
    databases = _databases(env)
    assert sorted(databases) == ["default", "replica"]
    replica = databases["replica"]
    assert (replica["HOST"], replica["NAME"], replica["TEST"]["MIRROR"]) == (
        "replica.example.be",
        "welzijn",
        "default",
    )
    assert bool(replica["OPTIONS"]["pool"]) is True
    assert replica["DISABLE_SERVER_SIDE_CURSORS"] is False
    options = replica["OPTIONS"]["options"]
    assert "-c statement_timeout=30s" in options and "-c role=welzijn_app" in options
    # Behind PgBouncer in transaction mode (docs/deploy.md): no pool, no server-side cursors.
    replica = _databases({**env, "DB_POOL": "0", "DB_SERVER_SIDE_CURSORS": "0"})["replica"]
    assert replica["OPTIONS"]["pool"] is False
    assert replica["DISABLE_SERVER_SIDE_CURSORS"] is True

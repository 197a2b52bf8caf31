"""Settings come from the environment, fail loudly on bad values, and pass the deploy check.

Self-contained: the deploy check reads the PostgreSQL server's version (Django's check of the
generated columns), so it runs against the test database this run created; every other case
stops before any connection, and gets a database URL where nothing answers to prove it.
"""

import subprocess

import pytest

from tests.helpers import NO_DATABASE, PRODUCTION_ENV, manage, read_settings


def test_check_deploy_passes_with_production_settings(production_env):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_when_production_hardening_is_switched_off(production_env):
    # Proves the check above can fail: without HSTS the deploy check must complain.
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**production_env, "SECURE_HSTS_SECONDS": "0"}
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("EMAIL_PORT", "vijfentwintig"),
        ("DATABASE_URL", "mysql://x@localhost/db"),
        ("DATABASE_REPLICA_STICKY_SECONDS", "-1"),
    ],
)
def test_a_bad_value_stops_the_app_naming_the_variable(variable, value):
    result = manage("check", env={**PRODUCTION_ENV, variable: value})
    assert result.returncode != 0
    assert variable in result.stderr
    assert "Traceback" not in result.stderr.splitlines()[-1]


def test_without_debug_a_secret_key_is_required():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_defaults_to_off():
    # The test process runs with the environment of pyproject.toml, which sets DEBUG=0, so read
    # the default the way settings.py does, without the variable.
    result = read_settings(
        "from django.conf import settings; print(settings.DEBUG)",
        env={"SECRET_KEY": "x" * 50, "DATABASE_URL": NO_DATABASE},
    )
    assert result.stdout.strip() == "False", result.stderr


# --- DATABASE_REPLICA_URL (rls/replica.py; the routing itself: tests/test_replica.py) ----------


def _databases(env: dict[str, str]) -> subprocess.CompletedProcess:
    return read_settings(
        "from django.conf import settings; d = settings.DATABASES; print(sorted(d)); r = d.get('replica');"
        "r and print(r['HOST'], r['NAME'], r['TEST']['MIRROR'], bool(r['OPTIONS']['pool']),"
        " r['DISABLE_SERVER_SIDE_CURSORS'], r['OPTIONS']['options'])",
        env=env,
    )


def test_without_a_replica_url_there_is_one_database_alias():
    result = _databases(PRODUCTION_ENV)
    assert result.stdout.splitlines() == ["['default']"], result.stderr


def test_the_replica_connects_like_the_primary_as_the_app_role_and_mirrors_it_in_tests():
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://postgres@db.example.be:5432/welzijn",
        "DATABASE_REPLICA_URL": "postgres://postgres@replica.example.be:5432/welzijn",
    }
    lines = _databases(env).stdout.splitlines()
    assert lines[0] == "['default', 'replica']"
    host, name, mirror, pool, no_server_cursors, options = lines[1].split(" ", 5)
    assert (host, name, mirror, pool, no_server_cursors) == (
        "replica.example.be",
        "welzijn",
        "default",
        "True",
        "False",
    )
    assert "-c statement_timeout=30s" in options and "-c role=welzijn_app" in options
    # Behind PgBouncer in transaction mode (docs/deploy.md): no pool, no server-side cursors.
    lines = _databases({**env, "DB_POOL": "0", "DB_SERVER_SIDE_CURSORS": "0"}).stdout.splitlines()
    assert lines[1].split(" ")[3:5] == ["False", "True"]


@pytest.mark.parametrize("value", ["mysql://x@localhost/db", "postgres://x@localhost:port/db"])
def test_a_bad_replica_url_stops_the_app_naming_the_variable(value):
    result = manage("check", env={**PRODUCTION_ENV, "DATABASE_REPLICA_URL": value})
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL" in result.stderr
    assert "Traceback" not in result.stderr.splitlines()[-1]


def test_check_deploy_passes_with_a_replica(production_env):
    env = {**production_env, "DATABASE_REPLICA_URL": production_env["DATABASE_URL"]}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr

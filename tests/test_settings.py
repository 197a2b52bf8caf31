"""Settings come from the environment, fail loudly on bad values, and pass the deploy check.

Self-contained: the deploy check reads the PostgreSQL server's version (Django's check of the
generated columns), so it runs against the test database this run created; every other case
stops before any connection, and gets a database URL where nothing answers to prove it.
"""

import pytest

from tests.helpers import NO_DATABASE, PRODUCTION_ENV, manage


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
    [("DEBUG", "maybe"), ("EMAIL_PORT", "vijfentwintig"), ("DATABASE_URL", "mysql://x@localhost/db")],
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
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env={"SECRET_KEY": "x" * 50, "DATABASE_URL": NO_DATABASE},
    )
    assert result.stdout.strip() == "False", result.stderr

"""Settings come from the environment, fail loudly on bad values, and pass the deploy check.

Self-contained: the deploy check reads the PostgreSQL server's version (Django's check of the
generated columns), so it runs against the test database this run created; every other case
stops before any connection, and gets a database URL where nothing answers to prove it.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Where no server answers (port 1): a case that needs none must not try.
NO_DATABASE = "postgres://nobody@127.0.0.1:1/no_database_needed"

PRODUCTION_ENV = {
    "DEBUG": "0",
    # Made fresh for each run, as an operator would: long and random.
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "welzijn.example.be",
    "DATABASE_URL": NO_DATABASE,
    "EMAIL_HOST": "smtp.example.be",
}


@pytest.fixture(scope="module")
def production_env(django_db_setup) -> dict[str, str]:
    """PRODUCTION_ENV with the test database of this run (not the development database)."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    login = quote(db["USER"], safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    host = quote(db["HOST"] or "localhost", safe="")  # a socket directory travels percent-encoded
    url = f"postgres://{login}@{host}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"
    # The app role's name comes from the development database's name unless given.
    return {**PRODUCTION_ENV, "DATABASE_URL": url, "DATABASE_APP_ROLE": settings.DATABASE_APP_ROLE}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The test process's own database settings stay out: each case gives its own.
    inherited = {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "DATABASE_URL", "MIGRATE_DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited and not k.startswith("DATABASE_")}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


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

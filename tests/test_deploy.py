"""The files in deploy/ name commands, modules, settings and headers that exist."""

import importlib
import re
import shlex
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
SETTINGS_SOURCE = (ROOT / "welzijn" / "settings.py").read_text()
CONFIGURATION_DOC = (ROOT / "docs" / "configuration.md").read_text()


def unit(name: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def nginx() -> str:
    return (DEPLOY / "nginx-welzijn.conf").read_text()


UNITS = sorted(path.name for path in DEPLOY.glob("*.service"))


def test_there_is_a_unit_for_the_app_server():
    assert "welzijn.service" in UNITS


@pytest.mark.parametrize("name", UNITS)
def test_each_unit_runs_a_program_of_the_virtualenv_from_the_code_directory(name):
    service = unit(name)
    workdir = service["WorkingDirectory"][0]
    for command in service["ExecStart"]:
        program, *args = shlex.split(command)
        assert program.startswith(f"{workdir}/.venv/bin/"), program
        # The same program exists in this checkout's virtualenv.
        assert (Path(sys.executable).parent / Path(program).name).exists(), program
        if Path(program).name == "python" and args[:1] == ["manage.py"]:
            assert args[1] in get_commands(), f"{name}: no management command {args[1]}"
        if Path(program).name == "python" and args[:1] == ["-m"]:
            assert callable(importlib.import_module(args[1]).main), f"{name}: no module {args[1]}"
    assert "/etc/welzijn/welzijn.env" in service["EnvironmentFile"]
    assert service["User"] != ["root"]


@pytest.mark.parametrize("name", sorted(path.name for path in DEPLOY.glob("*.timer")))
def test_each_timer_starts_a_unit_of_deploy(name):
    assert (DEPLOY / name.replace(".timer", ".service")).exists()
    assert unit(name)["OnCalendar"]


def test_gunicorn_serves_the_projects_wsgi_application_where_nginx_sends_requests():
    command = shlex.split(unit("welzijn.service")["ExecStart"][0])
    module = next(arg for arg in command[1:] if not arg.startswith("-") and "." in arg and ":" not in arg)
    assert f"{module}.application" == settings.WSGI_APPLICATION
    assert callable(importlib.import_module(module).application)
    bind = command[command.index("--bind") + 1]
    assert re.search(rf"upstream welzijn_app \{{\s*server {re.escape(bind)};", nginx())
    # gunicorn waits longer than PostgreSQL lets a statement run.
    timeout = int(command[command.index("--timeout") + 1])
    statement_timeout = re.search(r"DB_STATEMENT_TIMEOUT', (\d+)", SETTINGS_SOURCE)
    assert statement_timeout is not None
    assert timeout > int(statement_timeout.group(1))


def test_nginx_sets_the_headers_the_settings_rely_on():
    conf = nginx()
    header, value = settings.SECURE_PROXY_SSL_HEADER
    assert header == "HTTP_X_FORWARDED_PROTO" and value == "https"
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_set_header Host $host;" in conf
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "proxy_set_header X-Real-IP $remote_addr;" in conf
    # The request id that welzijn.logs.RequestIdMiddleware reads.
    assert "proxy_set_header X-Request-ID $request_id;" in conf
    # The only plain-HTTP location is the health check, which the app does not redirect.
    assert settings.SECURE_REDIRECT_EXEMPT == [r"^healthz$"]
    assert "location = /healthz" in conf


def test_nginx_access_log_has_no_query_strings():
    found = re.search(r"log_format welzijn (.*?);", nginx(), re.S)
    assert found is not None
    log_format = found.group(1)
    for variable in ("$request ", '$request"', "$request_uri", "$args", "$query_string", "$http_referer"):
        assert variable not in log_format
    assert "access_log /var/log/nginx/welzijn.access.log welzijn;" in nginx()


def test_the_environment_example_names_only_variables_settings_read_and_docs_explain():
    names = [
        line.split("=", 1)[0]
        for line in (DEPLOY / "welzijn.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert "SECRET_KEY" in names and "DATABASE_URL" in names
    for name in names:
        assert re.search(rf"env_\w+\(\s*[\"']{name}[\"']", SETTINGS_SOURCE), (
            f"settings.py does not read {name}"
        )
        assert f"`{name}`" in CONFIGURATION_DOC, f"docs/configuration.md does not explain {name}"

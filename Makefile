# Two commands a newcomer needs: `make run` (the app with demo data) and `make test`.
# Both install what they need; see README.md.

SHELL := /bin/bash
.DEFAULT_GOAL := help
UV_VERSION := 0.13.9
# The interpreter named by .python-version (pyenv), else python3.12 on PATH.
PYTHON ?= $(shell pyenv which python 2>/dev/null || command -v python3.12 || command -v python3)
UV := .uv/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

# The database: DATABASE_URL as you set it; if unset, the URL `make db` chose and wrote to
# $(DB_URL_FILE) (the server at 127.0.0.1:5432, or the project's own in .pgdata/, see
# welzijn/dbcheck.py). Expanded when each step runs, so after `db` has written the file.
DB_URL_FILE := .database-url
USER_DATABASE_URL := $(DATABASE_URL)
export DATABASE_URL = $(or $(USER_DATABASE_URL),$(shell cat $(DB_URL_FILE) 2>/dev/null))

.PHONY: help run test lint format install db messages chromium clean backup-check bench

help:
	@echo "make run   – start Welzijn with demo data on http://127.0.0.1:8000"
	@echo "make test  – ruff and the whole test suite, browser tests included"

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { echo "Welzijn needs Python 3.12 or newer (see .python-version); found $(PYTHON)."; exit 1; }
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet uv==$(UV_VERSION)

# Installs exactly what uv.lock says; fails if pyproject.toml and the lock disagree.
install: $(UV)
	$(UV) sync --locked --quiet --python $(PYTHON)

db: install
	@DATABASE_URL="$(USER_DATABASE_URL)" $(PY) -m welzijn.dbcheck --create --write-url $(DB_URL_FILE)
	@# The URL just chosen, read when this line runs (make expands a recipe before running it).
	@DATABASE_URL="$$(cat $(DB_URL_FILE))" SECRET_KEY=unused-by-rls-roles $(PY) -m rls.roles  # the app's role and its grants (docs/deploy.md)

messages: install
	@command -v msgfmt >/dev/null || { \
	  echo "Installing gettext to compile the translations…"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null; }
	@# compilemessages needs no secret, but settings.py insists on one when DEBUG is off.
	@SECRET_KEY=unused-by-compilemessages $(PY) manage.py compilemessages --ignore=.venv --ignore=.uv -v 0

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's Chromium for the browser tests…"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

run: export DEBUG ?= 1
run: db messages
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	@# The task worker runs next to the web server and stops with it; today's lifecycle jobs
	@# (retention, note expiry, access-log purge) are queued once at start (production: a timer).
	$(PY) manage.py enqueue_lifecycle_jobs -v 0
	$(PY) manage.py db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	  $(PY) manage.py runserver 127.0.0.1:8000

lint: db
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	SECRET_KEY=unused-by-mypy $(VENV)/bin/mypy
	@# Models and migrations agree. The model checks of the generated search columns connect to
	@# the database, so this needs the one `make db` chose (make test runs db first).
	SECRET_KEY=unused-by-makemigrations $(PY) manage.py makemigrations --check --dry-run -v 0

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# One pytest-xdist worker per CPU, each with its own test database (test_<name>_gw0, …); the
# browser tests stay together on one worker (one Chromium, see tests/conftest.py). Bytecode
# caches are written (__pycache__/, ignored by git) even where the environment says not to:
# without them every worker and every manage.py the tests start compiles Django and pytest
# rewrites every test module again, seconds of CPU each time.
test: db messages chromium lint
	PYTHONDONTWRITEBYTECODE= $(VENV)/bin/pytest --numprocesses=auto --dist=loadgroup $(PYTEST_ARGS)

# Throughput of the key pages at national scale under gunicorn, beside a bare Django page.
bench: db messages
	@command -v wrk >/dev/null || { \
	  echo "Installing Debian's wrk, the load generator of the benchmark…"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/load.py $(BENCH_ARGS)

# Dump the database, restore it into <name>_restore_check, compare every table (docs/backup.md).
backup-check: db
	$(PY) -m welzijn.backup_check $(BACKUP_CHECK_ARGS)

clean:
	@# The project's own PostgreSQL runs from .venv: stop it before its programs go.
	@if [ -x $(PY) ] && [ -d .pgdata ]; then $(PY) -m welzijn.embedded_db stop; fi
	rm -rf .venv .uv staticfiles $(DB_URL_FILE)
	@if [ -d .pgdata ]; then echo "Kept the project's own PostgreSQL data in .pgdata/; remove it with: rm -rf .pgdata"; fi

# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PG_URL ?= postgres://postgres@127.0.0.1:5432/catalog
HOST ?= 127.0.0.1
PORT ?= 8000
# make serve: the production setup on this machine (docs/operations.md). The environment
# wins over these defaults; `make serve REDIS_URL=` runs without Redis (database cache).
DATABASE_URL ?= $(PG_URL)
REDIS_URL ?= redis://127.0.0.1:6379/0

# The suite runs on every core (pytest-xdist; each worker has a test database of its own);
# `make test PYTEST_ARGS=` runs it in one process, e.g. to debug a failure with -x or --pdb.
PYTEST_ARGS ?= -n auto --dist load

.PHONY: install run serve seed test test-sqlite test-postgres lint format check clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load the seed data, serve on http://127.0.0.1:8000 (SQLite)
run: install
	env -u DATABASE_URL $(BIN)/python manage.py migrate --noinput
	env -u DATABASE_URL $(BIN)/python manage.py load_seed_data
	env -u DATABASE_URL $(BIN)/python manage.py runserver $(HOST):$(PORT)

## make serve: gunicorn (gunicorn.conf.py) with production settings, PostgreSQL and Redis
serve: install
	test -s .secret-key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .secret-key
	$(SERVE_ENV) $(BIN)/python manage.py check --deploy --fail-level ERROR
	$(SERVE_ENV) $(BIN)/python scripts/ensure_database.py
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py createcachetable
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/python manage.py load_seed_data
	$(SERVE_ENV) exec $(BIN)/gunicorn --config gunicorn.conf.py

# Production settings, minus what needs a TLS proxy in front: served over plain HTTP on
# this machine, so no redirect to HTTPS, and no proxy whose X-Forwarded-For to trust.
SERVE_ENV = DJANGO_SETTINGS_MODULE=config.settings.production \
	DATABASE_URL="$(DATABASE_URL)" REDIS_URL="$(REDIS_URL)" \
	SECRET_KEY="$${SECRET_KEY:-$$(cat .secret-key)}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}" \
	TRUSTED_PROXY_COUNT="$${TRUSTED_PROXY_COUNT:-0}" \
	HOST="$(HOST)" PORT="$(PORT)"

seed: install
	$(BIN)/python manage.py load_seed_data

## make test: the suite on SQLite, then on PostgreSQL when DATABASE_URL is set or a server answers
test: install
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then \
		$(MAKE) --no-print-directory test-postgres PG_URL="$$DATABASE_URL"; \
	elif $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "PostgreSQL: no DATABASE_URL and nothing on 127.0.0.1:5432, suite ran on SQLite only."; \
	fi

test-sqlite: install
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	@echo "== test suite on PostgreSQL ($(PG_URL)) =="
	DATABASE_URL="$(PG_URL)" $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run

## make messages: collect the interface's strings into the .po (the translations' source of
## truth: edit msgstr there), then compile it. CI fails when the .po lags behind the code.
messages: install
	env -u DATABASE_URL $(BIN)/python manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=tests --ignore=bench --ignore=scripts --ignore=staticfiles
	env -u DATABASE_URL $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .secret-key

# Etiquette Academy — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
WORKERS ?= 2
FLASK  := $(BIN)/flask --app wsgi
PO     := $(wildcard app/translations/*/LC_MESSAGES/messages.po app/*/translations/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)

.PHONY: run run-prod dev test lint audit e2e bench bench-full translations i18n-update install install-dev clean-db help

help:
	@echo "make run    - install, migrate, sync content, seed demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - install the dev extra and run the whole test suite"
	@echo "make dev    - Flask debug server with reload"
	@echo "make lint   - ruff"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

# Catalogs are compiled by the build (never committed).
%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

translations: $(MO)

i18n-update: $(VENV)/.installed-dev
	$(BIN)/python scripts/i18n.py update

instance/secret_key:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

# The local demo: production settings, a generated key, plain-http cookies on loopback.
RUN_ENV = SECRET_KEY="$$(cat instance/secret_key)" SESSION_COOKIE_SECURE=0

run: install instance/secret_key
	$(RUN_ENV) $(FLASK) db upgrade
	$(RUN_ENV) $(FLASK) content sync
	$(RUN_ENV) $(FLASK) demo seed
	$(RUN_ENV) $(FLASK) readmodels rebuild
	$(RUN_ENV) $(BIN)/gunicorn --workers $(WORKERS) --worker-class sync \
		--bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

# Production-like: gunicorn web workers plus one RQ worker, against DATABASE_URL and REDIS_URL
# (both required; SECRET_KEY too). Stop with Ctrl-C (both processes end).
run-prod: install
	@test -n "$$DATABASE_URL" || (echo "set DATABASE_URL (postgresql+psycopg://…)"; exit 2)
	@test -n "$$REDIS_URL" || (echo "set REDIS_URL (redis://127.0.0.1:6379/0)"; exit 2)
	$(FLASK) db upgrade
	JOBS_BACKEND=rq $(FLASK) jobs run-worker & worker=$$!; \
	trap 'kill $$worker' EXIT INT TERM; \
	JOBS_BACKEND=rq $(BIN)/gunicorn --workers $(WORKERS) --worker-class sync --bind 127.0.0.1:$(PORT) \
		--access-logfile - wsgi:app

dev: install
	APP_ENV=development $(FLASK) db upgrade
	APP_ENV=development $(FLASK) content sync
	APP_ENV=development $(FLASK) demo seed
	APP_ENV=development $(FLASK) readmodels rebuild
	APP_ENV=development $(FLASK) run --debug --port $(PORT)

test: install-dev
	$(BIN)/pytest

e2e: install-dev
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk)
	$(BIN)/pytest tests/e2e -p no:cacheprovider --browser chromium

# Benchmarks (not part of `make test`): generate the organisation, wrk against gunicorn (the app and a
# bare Flask hello-world side by side), the export/close benchmark; writes bench/results/<date>-<variant>.json.
# BENCH_ARGS="--scale 0.1 --duration 3 --runs 1 --no-export" is a quick smoke run.
BENCH_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/bench_academy
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/7
BENCH_RUN = $(BIN)/python bench/run.py
bench: install-dev
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BENCH_RUN) $(BENCH_ARGS)

# Everything issue 15 asks, in one go (about 1.5-2 h on 2 free cores): SQLite and PostgreSQL at 2,000 and
# 20,000 employees, two instances on PostgreSQL + Redis, exports and the close at 10,000 and 100,000,
# then the 20,000-vs-2,000 p50 comparison. BENCH_FULL_ARGS="--duration 10 --runs 3" by default.
BENCH_FULL_ARGS ?= --duration 10 --runs 3
bench-full: install-dev
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BENCH_RUN) $(BENCH_FULL_ARGS) --scale 1 --export-rows 10000 --export-rows 100000
	$(BENCH_RUN) $(BENCH_FULL_ARGS) --scale 10 --no-export
	$(BENCH_RUN) $(BENCH_FULL_ARGS) --scale 1 --no-export --database-url $(BENCH_PG_URL)
	$(BENCH_RUN) $(BENCH_FULL_ARGS) --scale 1 --no-export --database-url $(BENCH_PG_URL) --skip-generate \
		--instances 2 --redis-url $(BENCH_REDIS_URL)
	$(BENCH_RUN) $(BENCH_FULL_ARGS) --scale 10 --no-export --database-url $(BENCH_PG_URL)
	$(BIN)/python bench/scale_report.py

audit: install-dev
	$(BIN)/python scripts/static_checks.py

lint: install-dev
	$(BIN)/ruff check app tests scripts bench

clean-db:
	rm -f instance/academy.db instance/academy.db-wal instance/academy.db-shm

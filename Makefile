# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The newest Python 3.11+ on PATH, unless PYTHON is given.
PYTHON ?= $(shell for candidate in python3.13 python3.12 python3.11 python3; do \
	command -v $$candidate >/dev/null 2>&1 && $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$candidate; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PORT ?= 8000
# The suite runs in two processes (pytest-xdist): every test keeps its own database, broker
# queue and ports.
PYTEST_ARGS ?= -n 2
HOST ?= 127.0.0.1
export PORT HOST
# Every process (web, worker, beat) builds links to the web process.
export SITE_URL ?= http://localhost:$(PORT)

.PHONY: help install calendar-clients run migrate demo test test-slow test-schema test-sqlite test-postgres lint bench messages clean

help:
	@echo "make run    set up, then serve web + worker + scheduler with the demo agenda on :$(PORT)"
	@echo "make test   set up, then run the whole suite (SQLite; PostgreSQL too if DATABASE_URL is one)"
	@echo "make test-slow  the slow lane alone (schema fuzzing, load mix with faults)"
	@echo "make test-schema  the API fuzzed against its OpenAPI schema (schemathesis)"
	@echo "make bench  benchmarks, as ratios against baselines measured in the same run"
	@echo "make lint   ruff"
	@echo "make messages  update locale/fr/LC_MESSAGES/django.po and compile it (needs gettext)"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed on PATH (or set PYTHON=...)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(INSTALLED)

# Calendar clients the suite reads every feed and email calendar with, besides the Python
# parsers: Mozilla's ical.js (npm, pinned by tests/calendar_clients/package-lock.json) and
# libical 3 (Debian's gir1.2-ical-3.0, installed by .ci/run). Without npm their tests skip.
CLIENTS_DIR := tests/calendar_clients
$(CLIENTS_DIR)/node_modules/.package-lock.json: $(CLIENTS_DIR)/package.json $(CLIENTS_DIR)/package-lock.json
	npm ci --prefix $(CLIENTS_DIR) --no-audit --no-fund --silent

calendar-clients:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(CLIENTS_DIR)/node_modules/.package-lock.json; \
	else echo "npm is not on PATH: the ical.js calendar tests are skipped (CI installs it)."; fi

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_agenda --demo-organizer

run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Agenda on $(SITE_URL)/ — API $(SITE_URL)/api/v1/events/, docs $(SITE_URL)/api/docs/, organizers $(SITE_URL)/orga/ (organizer@example.org / demo-organizer-2021), admin $(SITE_URL)/admin/ (Ctrl-C stops everything)"
	PATH="$(abspath $(BIN)):$$PATH" exec $(BIN)/honcho start --procfile Procfile --port $(PORT)

# The suite runs on SQLite, then again on PostgreSQL when DATABASE_URL points at one (CI).
# Then the slow lane (tests/slow: the schema fuzzing; a load mix, with the database and the broker
# restarted) runs once, on the database DATABASE_URL names; its PostgreSQL-only tests skip elsewhere
# (never in CI).
test: install calendar-clients
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS) -m "not slow"
	@case "$${DATABASE_URL:-}" in \
	  postgres*) echo "--- again on PostgreSQL ($${DATABASE_URL})"; $(BIN)/pytest $(PYTEST_ARGS) -m "not slow" ;; \
	  *) echo "DATABASE_URL is not PostgreSQL: the PostgreSQL pass is skipped (CI always runs it)." ;; \
	esac
	$(MAKE) --no-print-directory test-slow

# The slow lane alone, one test at a time (its load and fault tests want the machine to themselves),
# the schema fuzzing included.
test-slow: install
	$(BIN)/pytest -m slow tests/slow

# The schema fuzzing of the slow lane alone: the API against its own OpenAPI schema
# (schemathesis, 10,000+ requests), with the request count and time shown.
test-schema: install
	$(BIN)/pytest -m fuzz tests/slow/test_api_schema.py -s

lint: install
	$(BIN)/ruff check .

# Over real HTTP to gunicorn as the Procfile starts it; one table at the end, also in
# bench-results/summary.md. BENCH_QUICK=1 and BENCH_ONLY=rush,feeds,... shorten it (README).
bench: install
	$(BIN)/python -m benchmarks

# Translations: extract every marked string into the French catalogue, then compile the .mo that
# is committed (so neither CI nor a deployment needs gettext). Translate new entries in between.
messages: install
	$(BIN)/python manage.py makemessages -l fr --no-obsolete --no-location --ignore=.venv --ignore=var \
		--ignore=tests --ignore=benchmarks --ignore=build --ignore='*.egg-info' --ignore=test-artifacts
	$(BIN)/python manage.py compilemessages -l fr --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache *.egg-info $(CLIENTS_DIR)/node_modules

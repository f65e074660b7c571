# Two commands do everything: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Each recipe line that needs the database exports the URL scripts/database-url settles on.
# A plain assignment fails with the script (where `export X="$$(...)"` succeeds whatever it
# does), so when no database can be had the recipe stops there, the script's reason shown.
WITH_DB := DATABASE_URL="$$(scripts/database-url)" && export DATABASE_URL &&

.PHONY: install run serve database stop test lint format clean bench messages

# The locked versions (requirements/dev.txt: the project's, its tests' and the benchmark's
# peers), each checked against the lock's hashes; whatever the lock does not name is removed.
$(BIN)/.installed: requirements/dev.txt
	PYTHON=$(PYTHON) scripts/sync-venv requirements/dev.txt
	touch $@

install: $(BIN)/.installed

# The lock files, written from pyproject.toml by uv: requirements/prod.txt (what the site
# runs) and requirements/dev.txt (with the extras dev and bench), for Python 3.12 and later
# on any platform, with the hashes of every file. `make lock` writes them again keeping
# every version that still satisfies pyproject.toml (after a change there); `make upgrade`
# takes the newest versions, installs them and runs the tests. See README, "Dependencies".
LOCK := $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --universal \
	--python-version 3.12 --custom-compile-command "make lock"

.PHONY: lock upgrade
lock: install
	$(LOCK) $(UPGRADE) -o requirements/prod.txt
	$(LOCK) $(UPGRADE) --extra dev --extra bench -o requirements/dev.txt
	scripts/sync-venv requirements/dev.txt
	touch $(BIN)/.installed

upgrade:
	$(MAKE) lock UPGRADE=--upgrade
	npm outdated || true  # package.json pins exact versions: raise them there, then npm install
	$(MAKE) test

database: install
	$(WITH_DB) $(BIN)/python scripts/ensure_database.py && \
	  $(BIN)/python manage.py migrate --noinput && \
	  $(BIN)/python manage.py import_articles seeds/ && \
	  $(BIN)/python manage.py rank_headlines

# The npm packages of package.json: world-atlas, the boundaries the maps are drawn from
# (and the browser tests' checkers, which scripts/ensure-browser-tools installs likewise).
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed to install the maps' boundaries (the npm package world-atlas)" >&2; exit 1; }
	npm ci --no-audit --no-fund --silent
	touch $@

run: database node_modules/.package-lock.json
	$(WITH_DB) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Stops the project-local PostgreSQL (.postgres/) that `make run` or `make test` started, if
# it runs; a server on 127.0.0.1:5432 is never touched.
stop:
	scripts/stop-database

test: install
	scripts/ensure-browser-tools
	$(WITH_DB) $(BIN)/python scripts/ensure_database.py && \
	  $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null && \
	  $(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports && \
	  $(BIN)/pytest

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

format: install
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

# The interface's catalogues: extract the marked messages, update locale/*/django.po (new
# ones untranslated, for a translator) and compile django.mo beside them (both committed).
messages: install
	$(BIN)/python scripts/messages.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Performance figures on a scratch database (newsarchive_bench, or BENCH_DATABASE=name): see
# bench/run.py. BENCH_ARGS="--only search" measures a subset; BENCH_ARGS="--articles 1000000"
# another size, beside the figures on record at 100,000 (.bench/). The map page is measured
# with its boundaries, as served.
bench: install node_modules/.package-lock.json
	$(WITH_DB) DJANGO_SETTINGS_MODULE=bench.settings $(BIN)/python -m bench.run $(BENCH_ARGS)

# Backups (pg_dump, custom format) of the database `make run` uses. `make backup` writes
# backups/newsarchive-<UTC time>.dump, or BACKUP=path; `make restore` restores DUMP=path,
# by default the newest dump in backups/, replacing what the database holds.
.PHONY: backup restore loadtest deploy-check
BACKUP ?=
DUMP ?= $(lastword $(sort $(wildcard backups/newsarchive-*.dump)))

backup: install
	$(WITH_DB) scripts/backup $(BACKUP)

restore: install
	@test -n "$(DUMP)" || { echo "No dump to restore: make restore DUMP=path" >&2; exit 2; }
	$(WITH_DB) scripts/restore "$(DUMP)"

# Load and fault test: gunicorn with the production settings on 127.0.0.1, a throwaway
# PostgreSQL cluster in .postgres-loadtest/, wrk; not part of `make test`; under 2 minutes.
# See bench/loadtest.py.
loadtest: install
	$(BIN)/python -m bench.loadtest

# The deploy recipe of deploy/, run and checked through nginx (HTTPS, static files, proxy
# headers, request ids, metrics), then stopped: see scripts/deploy-check. Not part of
# `make test`; about half a minute.
deploy-check: install
	$(WITH_DB) scripts/deploy-check

# The archive on several processes as on several machines (README, "Running on more than one
# machine"; bench/cluster.py): PostgreSQL primary and streaming replica, Redis, two gunicorn
# app servers, HAProxy on 127.0.0.1:8080, all in .cluster/. `make cluster-test` runs load
# and faults through it (bench/cluster_test.py), under five minutes; `make cluster-down`
# stops everything.
.PHONY: cluster cluster-down cluster-status cluster-test
cluster: install node_modules/.package-lock.json
	$(BIN)/python -m bench.cluster up

cluster-down:
	$(BIN)/python -m bench.cluster down

cluster-status:
	$(BIN)/python -m bench.cluster status

cluster-test: install node_modules/.package-lock.json
	$(BIN)/python -m bench.cluster_test

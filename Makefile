# Two commands do everything: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Each recipe line that needs the database exports the URL scripts/database-url settles on.
WITH_DB := export DATABASE_URL="$$(scripts/database-url)" &&

.PHONY: install run serve database test lint format clean bench

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check ".[dev]"
	touch $@

install: $(BIN)/.installed

database: install
	$(WITH_DB) $(BIN)/python scripts/ensure_database.py && \
	  $(BIN)/python manage.py migrate --noinput && \
	  $(BIN)/python manage.py import_articles seeds/

run: database
	$(WITH_DB) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	scripts/ensure-browser-tools
	$(WITH_DB) $(BIN)/python scripts/ensure_database.py && \
	  $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null && \
	  $(BIN)/ruff check . && $(BIN)/ruff format --check . && \
	  $(BIN)/pytest

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Performance figures on a scratch database (newsarchive_bench): see bench/run.py.
bench: install
	$(WITH_DB) DJANGO_SETTINGS_MODULE=bench.settings $(BIN)/python bench/run.py

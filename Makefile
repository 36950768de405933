# Jobcenter: the two commands that matter are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := .tools/bin/uv
endif
RUN := $(UV) run --frozen
MANAGE := $(RUN) python manage.py

.PHONY: help setup demo test lint test-sqlite test-postgres rules-scenarios bench clean

help:
	@echo "make demo   set everything up and run Jobcenter with synthetic data on http://127.0.0.1:8000/"
	@echo "make test   set everything up and run the whole suite (lint, SQLite, PostgreSQL if configured, browser)"
	@echo "make bench  run the benchmarks (figures go in docs/benchmarks.md)"

# uv from PyPI into a private folder, when the machine has none.
.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

setup: $(UV) node_modules/.package-lock.json
	$(UV) sync --frozen --quiet
	$(RUN) python -m jobcenter.web.i18n
	mkdir -p var/static

demo: setup
	$(MANAGE) migrate --no-input
	$(MANAGE) load_municipalities
	$(MANAGE) seed_demo
	$(MANAGE) rundemo

lint: setup
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	$(RUN) lint-imports
	JOBCENTER_ENV=production JOBCENTER_ALLOW_FAKE_SERVICES=true JOBCENTER_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  JOBCENTER_ALLOWED_HOSTS=jobcenter.example.dk $(MANAGE) check --deploy --fail-level WARNING

rules-scenarios: setup
	$(RUN) openfisca test --country-package jobcenter.rules tests/rules/scenarios

test-sqlite: setup
	$(RUN) pytest -q -p no:cacheprovider

# The same suite on PostgreSQL, when JOBCENTER_TEST_POSTGRES_URL names a server
# (.ci/run starts one). The browser tests ran in the SQLite pass.
test-postgres: setup
	@if [ -n "$$JOBCENTER_TEST_POSTGRES_URL" ]; then \
	  DATABASE_URL="$$JOBCENTER_TEST_POSTGRES_URL" $(RUN) pytest -q -p no:cacheprovider -m "not browser"; \
	else \
	  echo "PostgreSQL pass skipped: set JOBCENTER_TEST_POSTGRES_URL (as .ci/run does) to run it."; \
	fi

# The two passes run side by side (each pytest uses one core; the machines have two), each
# pass's output printed whole when it ends. `make test-sqlite` or `make test-postgres` runs one.
test: lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

bench: setup
	$(RUN) python benchmarks/bench_rules.py
	$(RUN) python benchmarks/bench_payments.py

clean:
	rm -rf .venv .tools node_modules var/*.sqlite3* test-artifacts

# The two commands: `make run` (the shop, with the offline Stripe emulator when no keys are set)
# and `make test` (every test, linters and type checks). `make bench` prints the benchmarks.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Settings refuse to load without a secret key, and the checks without SITE_URL, when DEBUG is
# off; the checks below only need placeholders.
CHECK_ENV := DJANGO_SECRET_KEY=checks-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
	SITE_URL=http://127.0.0.1:8000

.PHONY: run test lint jslint typecheck djangocheck pytest bench bench-servers browser-deps clean

$(VENV)/installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/installed
	scripts/run.sh

test: lint jslint typecheck djangocheck pytest

lint: $(VENV)/installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# ESLint, pinned in package-lock.json, over the shop's static/js and the emulator's scripts.
node_modules/installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

jslint: node_modules/installed
	npx --no-install eslint .

typecheck: $(VENV)/installed
	$(CHECK_ENV) $(VENV)/bin/mypy .

# The checks run on an empty in-memory database: catalog.W001 reports the items of a real one
# (`make run`'s demo data) that cannot be paid, which says nothing about the code.
djangocheck: $(VENV)/installed
	$(CHECK_ENV) DJANGO_HTTPS=false DATABASE_URL=sqlite:///:memory: $(PY) manage.py check --fail-level WARNING
	$(CHECK_ENV) $(PY) manage.py makemigrations --check --dry-run

# Two pytest-xdist workers (each with its own test database and emulator): the suite's browser,
# gunicorn and emulator waits overlap, so on two cores it takes about half as long.
PYTEST_WORKERS ?= 2
pytest: $(VENV)/installed browser-deps
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium (never a downloaded browser build).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Browser tests need Debian's chromium at /usr/bin/chromium: sudo apt-get install chromium"; \
			exit 1; \
		fi; \
	fi

# The shop against floor apps the bench builds (README, Benchmarks); BENCH_ARGS passes options
# (e.g. BENCH_ARGS="--rounds 5 --seconds 8"). Exits non-zero only when it could not measure.
BENCH_ARGS ?=
bench: $(VENV)/installed
	$(PY) -m stripe_emulator.bench
	$(CHECK_ENV) DJANGO_HTTPS=false $(PY) -m bench $(BENCH_ARGS)

# Server settings compared at 300 ms of Stripe latency and 200 clients (a few minutes).
bench-servers: $(VENV)/installed
	$(CHECK_ENV) DJANGO_HTTPS=false $(PY) -m bench servers

clean:
	rm -rf $(VENV) .venv-samples node_modules staticfiles .mypy_cache .ruff_cache

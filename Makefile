# Beacon: the two commands of the README, and a few helpers.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
BEACON := $(VENV)/bin/beacon
# A real xAPI learning record store for the integration tests, in its own virtualenv: ralph pins
# starlette and pydantic versions that Beacon's do not match.
RALPH_VENV ?= .venv-ralph
RALPH  := $(RALPH_VENV)/bin/ralph

.PHONY: run test lint format bench install install-test migrate schema check-contract clean

## Install, migrate a SQLite database, load the demo content, serve on http://127.0.0.1:8000/graphql
run: install
	$(BEACON) migrate
	$(BEACON) seed-demo
	$(BEACON) serve --host 127.0.0.1 --port 8000

## Lint and type-check, then run the whole test suite (SQLite, and PostgreSQL when reachable)
test: lint
	$(PY) -m tests.harness $(PYTEST_ARGS)

## Benchmarks as ratios against a bare Starlette endpoint (installs wrk from Debian when missing)
bench: install-test
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench $(BENCH_ARGS)

## Lint, format check and strict type check (ruff, mypy --strict on application code); run by `make test`
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

## Rewrite the tree in the project's format and apply safe lint fixes
format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RALPH):
	$(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/python -m pip install --quiet 'ralph-malph[cli,lrs]==5.1.0' requests || \
		echo "ralph could not be installed: the xAPI tests against a local LRS will be skipped"

install: $(PY)
	$(PY) -m pip install --quiet -e .
	@$(BEACON) install-assets || echo "GraphiQL's files could not be installed; the API and the console work without them"

install-test: $(PY) $(RALPH)
	$(PY) -m pip install --quiet -e '.[test]'
	$(BEACON) install-assets
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/conformance --no-audit --no-fund --loglevel=error; \
	else \
		echo "node/npm not found: the graphql-http and graphql-ws conformance tests will be skipped"; \
	fi

migrate: install
	$(BEACON) migrate

## Re-export the committed schema.graphql
schema: install
	$(BEACON) export-schema schema.graphql

check-contract: install
	$(BEACON) check-contract

clean:
	rm -rf $(VENV) $(RALPH_VENV) data .pytest_cache

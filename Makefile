# Beacon: the two commands of the README, and a few helpers.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
BEACON := $(VENV)/bin/beacon
# Every install comes from this lock: exact versions with hashes (refresh with `make lock`).
LOCK   := requirements.lock
# A real xAPI learning record store for the integration tests, in its own virtualenv: ralph pins
# starlette and pydantic versions that Beacon's do not match.
RALPH_VENV ?= .venv-ralph
RALPH  := $(RALPH_VENV)/bin/ralph
# Where `make run` serves: `make run PORT=8080` (HOST=0.0.0.0 to be reachable from other machines).
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint format bench install install-test lock audit migrate schema check-contract clean

## Install, migrate a SQLite database, load the demo content, serve on http://$(HOST):$(PORT)/graphql
run: install
	$(BEACON) migrate
	$(BEACON) seed-demo
	BEACON_PUBLIC_URL=$${BEACON_PUBLIC_URL:-http://$(HOST):$(PORT)} $(BEACON) serve --host $(HOST) --port $(PORT)

## Lint and type-check, then run the whole test suite (SQLite, and PostgreSQL when reachable)
test: lint
	$(PY) -m tests.harness $(PYTEST_ARGS)

## Benchmarks as ratios against a bare Starlette endpoint (installs wrk from Debian when missing)
bench: install-test
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench $(BENCH_ARGS)

## Lint, format check, strict type check and dead code (ruff, mypy --strict, vulture); run by `make test`
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/vulture

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
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@$(BEACON) install-assets || echo "GraphiQL's files could not be installed; the API and the console work without them"

install-test: install $(RALPH)
	$(BEACON) install-assets
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/conformance --no-audit --no-fund --loglevel=error; \
	else \
		echo "node/npm not found: the graphql-http and graphql-ws conformance tests will be skipped"; \
	fi

## Re-resolve the lock from pyproject.toml: the newest versions its bounds allow, with hashes
lock: $(PY)
	$(PY) -m pip install --quiet 'uv>=0.5,<1'
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
		--generate-hashes --upgrade --quiet -o $(LOCK)

## Known vulnerabilities in the locked versions (needs the vulnerability service online; not in `make test`)
audit: $(PY)
	$(PY) -m pip install --quiet 'pip-audit>=2.7,<3'
	$(VENV)/bin/pip-audit --requirement $(LOCK) --require-hashes --disable-pip --strict --format json \
		--output $(VENV)/audit.json || true
	$(PY) deploy/audit.py $(VENV)/audit.json

migrate: install
	$(BEACON) migrate

## Re-export the committed schema.graphql
schema: install
	$(BEACON) export-schema schema.graphql

## The served schema against the frontends' contract (../shared, or `make check-contract CONTRACT=PATH`)
check-contract: install
	$(BEACON) check-contract $(if $(CONTRACT),--contract $(CONTRACT))

clean:
	rm -rf $(VENV) $(RALPH_VENV) data .pytest_cache

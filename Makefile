# coopgraph: `make run` serves the graph, `make test` runs the whole suite.
# Both set up .venv with python3 on first use; `make help` lists every target.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_RUN  := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test validate stats lint bench clean browser vendor virtuoso

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "} {printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# morph-kgc (the RML engine of mappings/) pins pyoxigraph<0.4 and rdflib<7.3, which coopgraph's
# pyoxigraph>=0.5 rules out: it is installed without its dependencies, which pyproject.toml lists.
MORPH_KGC := morph-kgc==2.10.0

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m pip install --quiet --no-deps '$(MORPH_KGC)'
	@touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps '$(MORPH_KGC)'
	@touch $@ $(STAMP_RUN)

run: $(STAMP_RUN) ## Set up, validate and load the data, print a summary, serve on http://127.0.0.1:8000
	$(BIN)/coopgraph validate
	$(BIN)/coopgraph stats
	$(BIN)/coopgraph serve

browser: ## Install Chromium for the browser tests (as root, when /usr/bin/chromium is missing)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else echo "chromium is missing and this is not root: the browser tests will be skipped (or fail under CI=true)"; fi

virtuoso: ## Install Virtuoso Open Source for the tests over a second remote engine (as root, when virtuoso-t is missing)
	@if command -v virtuoso-t >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource; \
	else echo "virtuoso-t is missing and this is not root: the tests over Virtuoso will be skipped (or fail under CI=true)"; fi

vendor: ## Refresh the vendored browser libraries from npm (needs node; records static/vendor/VERSIONS.json)
	npm ci --ignore-scripts --no-audit --no-fund
	$(PYTHON) scripts/vendor.py

# The suite runs as four pytest sessions: Playwright's sync API keeps an event loop running in
# the main thread for the rest of its session (the worker-pool tests call asyncio.run), and the
# services a session starts (over four stores) live until it ends. The library tests and the API
# tests run in two pytest-xdist workers (PARALLEL): tests over one store kind stay on one worker,
# the others stay with their module (tests/conftest.py), so no service starts twice. The security
# tests measure latencies and memory, and the browser tests drive one Chromium: one process each.
PARALLEL ?= -n 2 --dist loadscope
test: $(STAMP_TEST) browser virtuoso lint ## Set up, lint and run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS) $(PARALLEL) --ignore=tests/api --ignore=tests/browser --ignore=tests/security
	$(BIN)/python -m pytest $(PYTEST_ARGS) tests/security
	$(BIN)/python -m pytest $(PYTEST_ARGS) $(PARALLEL) tests/api
	$(BIN)/python -m pytest $(PYTEST_ARGS) tests/browser

validate: $(STAMP_RUN) ## Validate data/ against the SHACL shapes
	$(BIN)/coopgraph validate

stats: $(STAMP_RUN) ## Print triples per graph, instances per class, actors per sector, contributions per currency
	$(BIN)/coopgraph stats

lint: $(STAMP_TEST) ## ruff (lint and format) and mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check --quiet src tests bench
	$(BIN)/mypy src

bench: $(STAMP_TEST) ## Run the benchmarks in bench/ (writes bench/RESULTS.md)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py

clean: ## Remove the virtualenv, the store and build outputs
	rm -rf $(VENV) .coopgraph build .pytest_cache

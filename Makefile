# Set-up and everyday commands. `make site` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: help site test serve validate lint issue-forms clean

## help: list these commands
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install --quiet -e '.[test]'
	@touch $@

# axe-core for the accessibility test, from npm (never a browser download).
E2E_NODE := tests/e2e/node_modules/.installed
$(E2E_NODE): tests/e2e/package.json tests/e2e/package-lock.json
	npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
	@touch $@

## site: install, validate the catalogue, render and build both sites into site/
site: $(VENV)/.installed
	$(BIN)/dl4mic-hub validate
	$(BIN)/dl4mic-hub build

## test: install test dependencies, lint, type-check, and run the whole test suite
# (on every core; worksteal: an idle worker takes tests queued for a busy one, so a few long
# browser tests no longer leave one core idle at the end)
test: $(VENV)/.installed-test $(E2E_NODE)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto --dist worksteal --cov --cov-report=term

## serve: preview the French site at http://127.0.0.1:8000/fr/ (SITE_LANG=en for English)
serve: $(VENV)/.installed
	$(BIN)/dl4mic-hub serve --lang $(or $(SITE_LANG),fr)

## validate: check the catalogue (dl4mic-hub validate)
validate: $(VENV)/.installed
	$(BIN)/dl4mic-hub validate

## issue-forms: after a vocabulary change, rewrite the issue forms' dropdowns to match it
issue-forms: $(VENV)/.installed
	$(BIN)/python tests/support/issue_forms.py

## lint: ruff and mypy only
lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

## clean: remove what builds and tests make (site/, build/, tool caches) and .cache/ (the
##        link checker's cache and history: later checks start afresh); .venv stays
clean:
	rm -rf site build .cache .pytest_cache .ruff_cache .mypy_cache .hypothesis .coverage

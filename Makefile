# Career Tips — the front door. `make run` serves the embedded setup; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | md5sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run serve test test-pg browser-deps lint fmt bench-web ci clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*; touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/careertips migrate --noinput
	$(BIN)/careertips createcachetable
	$(BIN)/careertips collectstatic --noinput --verbosity 0
	$(BIN)/careertips seed_demo
	$(BIN)/careertips serve --bind $(HOST):$(PORT)

browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: setup browser-deps
	$(BIN)/pytest -n 2 -q

# The same suite on a throwaway PostgreSQL cluster.
test-pg: setup browser-deps
	@dir=$$(mktemp -d /tmp/careertips-pg.XXXXXX); \
	url=$$(scripts/pg-cluster start $$dir 54329); \
	trap "scripts/pg-cluster stop $$dir; rm -rf $$dir" EXIT; \
	DATABASE_URL=$$url $(BIN)/pytest -n 2 -q

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy careertips

fmt: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench-web: setup
	$(BIN)/python bench/web.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/static

# Career Tips — the front door. `make run` serves the embedded setup; `make test` runs every test.
SHELL := /bin/bash
# Python 3.13 (.python-version): on PATH, else one that pyenv installed, else python3 (checked).
PYTHON ?= $(shell command -v python3.13 || ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.13*/bin/python3.13 2>/dev/null | sort -V | tail -1 | grep . || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | md5sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run serve test test-pg browser-deps pdf-deps deploy-deps vnu-deps lint fmt api-check bench-api bench-web bench-suggest bench-import bench-opportunity-import bench-contact-page bench-account bench-send bench-scale bench-resume crash-send backup-drill ci clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] < (3, 13))' || \
	  { echo "Career Tips needs Python 3.13: install it (e.g. pyenv install 3.13) or run make PYTHON=/path/to/python3.13"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*; touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/careertips migrate --noinput
	$(BIN)/careertips collectstatic --noinput --verbosity 0
	$(BIN)/careertips seed_demo
	$(BIN)/careertips serve --bind $(HOST):$(PORT)

browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# WeasyPrint (prep sheet, résumé and cover letter PDFs) needs Pango; the résumé tests read
# PDFs back with poppler's pdftotext.
pdf-deps:
	@dpkg -s libpango-1.0-0 libpangoft2-1.0-0 >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }
	@command -v pdftotext >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; }

# The deployment kit's tests run Debian's nginx and Caddy, systemd-analyze and openssl.
deploy-deps:
	@{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null && command -v caddy systemd-analyze openssl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx caddy systemd openssl; }

# The Nu HTML checker (vnu-jar from npm, in .cache/vnu) for the HTML validity test; Debian's Java runs it.
VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar
vnu-deps:
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
	@test -f $(VNU_JAR) && grep -q '"version": "$(VNU_VERSION)"' .cache/vnu/node_modules/vnu-jar/package.json || npm install --silent --no-save --ignore-scripts --prefix .cache/vnu vnu-jar@$(VNU_VERSION)

# Two workers for two cores; pytest exits 5 when it collects nothing, which fails here too.
test: setup browser-deps pdf-deps deploy-deps vnu-deps
	$(BIN)/pytest -n 2 -q

# The same suite on a throwaway PostgreSQL cluster.
test-pg: setup browser-deps pdf-deps deploy-deps vnu-deps
	@dir=$$(mktemp -d /tmp/careertips-pg.XXXXXX); \
	port=$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	url=$$(scripts/pg-cluster start $$dir $$port); \
	trap "scripts/pg-cluster stop $$dir; rm -rf $$dir" EXIT; \
	DATABASE_URL=$$url $(BIN)/pytest -n 2 -q

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy careertips

fmt: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The live API (gunicorn, demo data, throwaway SQLite) against its OpenAPI schema with
# Schemathesis; fails on any server error or answer the schema does not describe.
api-check: setup
	$(BIN)/python scripts/api_check.py

# The API under load on the large account: a page of 50 opportunities, create + move one;
# figures in bench/out/api.json.
bench-api: setup
	$(BIN)/python bench/api.py $(BENCH_ARGS)

# Today, the board, the list, an opportunity, a contact and Insights under load on gunicorn; figures in
# bench/out/web.json. BENCH_ARGS=--pg runs it on a throwaway PostgreSQL cluster.
bench-web: setup
	$(BIN)/python bench/web.py $(BENCH_ARGS)

# Story suggestions for a 40-requirement posting against 500 stories; figures in bench/out/.
bench-suggest: setup
	$(BIN)/python bench/suggest.py

# Import a 10,000-row LinkedIn export into a network of 3,000 (temporary SQLite database).
bench-import: setup
	$(BIN)/python bench/import.py

# Import a 5,000-row tracker export into a pipeline of 2,000 opportunities (temporary SQLite
# database): preview, then confirm; figures in bench/out/opportunity_import.json.
bench-opportunity-import: setup
	$(BIN)/python bench/opportunity_import.py

# The contact page with 3,000 contacts, 20,000 touchpoints and 200 events.
bench-contact-page: setup
	$(BIN)/python bench/contact_page.py

# Download the archive of a large account, then delete it; figures in bench/out/account.json.
bench-account: setup
	$(BIN)/python bench/account.py $(BENCH_ARGS)

# An issue to 20,000 then 100,000 subscribers through two sending workers into Postfix's
# smtp-sink, against plain smtplib as the ceiling; figures in bench/out/send.json.
bench-send: setup
	$(BIN)/python bench/send.py $(BENCH_ARGS)

# Two web servers and two task workers on a throwaway PostgreSQL: 2,000 members at c=16 for
# 60 s while an issue goes to 200,000 subscribers into smtp-sink; bench/out/scale.json.
# BENCH_ARGS="--members 50 --subscribers 5000 --seconds 10" for a quick check.
bench-scale: setup
	$(BIN)/python bench/scale.py $(BENCH_ARGS)

# A tailored résumé (40 requirements, 500 stories in 8 positions), then DOCX and PDF exports;
# figures in bench/out/resume.json.
bench-resume: setup pdf-deps
	$(BIN)/python bench/resume.py $(BENCH_ARGS)

# 2,000 recipients, the sending worker killed with SIGKILL 10 times; bench/out/crash.json.
crash-send: setup
	$(BIN)/python bench/crash.py $(BENCH_ARGS)

# Five backups while a writer changes rows, each restored into a fresh database and checked;
# figures in bench/out/backup.json. BENCH_ARGS=--pg runs it on a throwaway PostgreSQL cluster.
backup-drill: setup
	$(BIN)/python bench/backup_drill.py $(BENCH_ARGS)

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/static

# Run `make help` for the list of targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 0.0.0.0
PORT ?= 8000

# The first interpreter found that is Python 3.12 or newer (Django 6 needs it):
# python3.13, python3.12, pyenv's, then python3.
PYTHON ?= $(shell for c in python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV) python3; do \
	command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$c; break; }; done)

.PHONY: help install demo worker test test-engine lint check audit bench bench-merge bench-claims bench-network clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (Django 6). Install it, or run: make PYTHON=/path/to/python3.12 ..."; exit 1; }
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install the project with its dev tools

# `make demo` serves as production does (cms.settings.demo: DEBUG off, gunicorn, WhiteNoise,
# the page cache), on plain HTTP; the demo's Sites follow PORT. `make dev` is for development.
DEMO_ENV := DJANGO_SETTINGS_MODULE=cms.settings.demo PORT=$(PORT)
.PHONY: dev bench-http bench-faults

demo: install ## Build both demo clinics and serve them as production would (gunicorn, DEBUG off) on :$(PORT)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	@# A demo built on another port: its Sites (canonical, feed, sitemap, robots links) follow PORT.
	@$(DEMO_ENV) $(PY) manage.py shell -c "from wagtail.models import Site; [s.save() for s in Site.objects.exclude(port=$(PORT)) if setattr(s, 'port', $(PORT)) is None]"
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v0
	@# With REDIS_URL, background work and the page cache are on Redis: the Procfile's web
	@# (two gunicorn workers) and worker run under honcho, as production runs them. Without
	@# it, one gunicorn worker (threads) holds the page cache in memory and runs background
	@# work after each commit.
	@if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL is set: the Procfile's web and worker under honcho"; \
		PATH="$(abspath $(VENV))/bin:$$PATH" $(DEMO_ENV) WAGTAILADMIN_BASE_URL=http://localhost:$(PORT) \
			$(VENV)/bin/honcho start --port $(PORT); \
	else \
		echo "No REDIS_URL: background work (publishing fan-out) runs in the web process after each commit"; \
		$(DEMO_ENV) $(VENV)/bin/gunicorn cms.wsgi --bind $(HOST):$(PORT) --workers 1 --threads 8 --access-logfile -; \
	fi

dev: install ## Development: the demo network on runserver with DEBUG on (no page cache) on :$(PORT)
	PORT=$(PORT) $(PY) manage.py migrate --noinput
	PORT=$(PORT) $(PY) manage.py load_demo
	@if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL is set: starting an RQ worker beside the web server"; \
		$(PY) manage.py rqworker $(RQ_WORKER_ARGS) default & worker=$$!; \
		trap "kill $$worker" EXIT; \
	fi; \
	PORT=$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

bench-http: install ## Pages over HTTP under gunicorn (production settings), cached/uncached vs a bare view; publish-to-visible time (own PostgreSQL db, Redis db 11)
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
	$(PY) tests/benchmarks/http.py --clinics $(or $(CLINICS),50)

bench-faults: install ## 5xx on cached pages while PostgreSQL, then Redis, is away 3 s under wrk; a worker killed mid-fan-out (own PostgreSQL cluster and Redis server)
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
	@command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install -y redis-server"; exit 1; }
	$(PY) tests/benchmarks/faults.py --clinics $(or $(CLINICS),30)

# The job and worker classes come from settings.RQ; the scheduler runs retries.
RQ_WORKER_ARGS := --with-scheduler

worker: install ## An RQ worker for background work (needs REDIS_URL; run as many as publishing needs)
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0"; exit 1; }
	$(PY) manage.py rqworker $(RQ_WORKER_ARGS) default

test: install ## Run the test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	@# pytest exits 5 when it collected no test: a suite that ran nothing is a failure here.
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests"; fi; exit $$status

test-engine: install ## The text engine's tests alone, without Django or a database
	$(PY) -m pytest tests/textreview -p no:django -q

check: install ## Django's system checks and the missing-migrations check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run

lint: install ## ruff lint and format check; import-linter's contracts between the apps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: install ## Benchmark the near-duplicate search (200 clinics x 500 articles) and the three-way merge
	$(PY) tests/benchmarks/near_duplicates.py
	$(PY) tests/benchmarks/merge.py

bench-merge: install ## The three-way merge over its generated corpus (clean, conflicts, wrong merges)
	$(PY) tests/benchmarks/merge.py

bench-claims: ## Score the medical-claims rules on the labelled sentences (tuning and held-out parts)
	$(PY) tests/benchmarks/claims.py

bench-network: install ## Publishing pipeline and admin views at N clinics (CLINICS="200 500"; own PostgreSQL db and Redis db 12)
	$(PY) tests/benchmarks/network.py --clinics $(or $(CLINICS),200 500)

clean: ## Remove the virtualenv, the demo database and media
	rm -rf $(VENV) db.sqlite3 media

# npm tools of the audit, pinned; --ignore-scripts: nothing may download a browser or a JRE.
AUDIT_NPM := lighthouse@12.8.2 vnu-jar@26.9.27 sitemap@9.0.1 schema-dts@2.1.0 axe-core@4.14.1
CHROME_PATH ?= /usr/bin/chromium

audit/node_modules/.installed: Makefile
	@command -v node >/dev/null && command -v java >/dev/null && test -x $(CHROME_PATH) || { \
		echo "The audit needs node, java and chromium: apt-get install -y nodejs npm chromium default-jre-headless"; exit 1; }
	npm install --prefix audit --no-audit --no-fund --ignore-scripts $(AUDIT_NPM)
	touch $@

audit: install audit/node_modules/.installed ## Lighthouse, Nu checker, axe-core, JSON-LD, sitemap, robots checks of both demo clinics (offline; own server on :8765)
	$(PY) -m pip install --quiet -e ".[dev,audit]"
	CHROME_PATH=$(CHROME_PATH) $(PY) scripts/audit.py

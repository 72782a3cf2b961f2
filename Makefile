# Prevent Portal: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= demo-password-2026
APT_PACKAGES := chromium fonts-liberation2 libharfbuzz-subset0 poppler-utils libmagic1

export DJANGO_SETTINGS_MODULE ?= prevent_portal.settings

.PHONY: run test install install-dev system-packages lint format migrate demo clean bench \
	load drills

# The stamp files depend on pyproject.toml, so a change of pins reinstalls.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python scripts/requirements.py > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements.txt
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python scripts/requirements.py dev > $(VENV)/requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements-dev.txt
	touch $@

$(VENV)/.installed-load: pyproject.toml $(VENV)/.installed
	$(BIN)/python scripts/requirements.py load > $(VENV)/requirements-load.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/requirements-load.txt
	touch $@

# The W3C Nu HTML checker for the HTML validity tests (docs/accessibility.md): a jar from
# the npm registry, fetched without Node and checked against its pinned SHA-512.
$(VENV)/vnu.jar: scripts/fetch_vnu.py | $(BIN)/python
	$(BIN)/python scripts/fetch_vnu.py $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(VENV)/vnu.jar system-packages

# WeasyPrint needs Pango and HarfBuzz; the browser tests need Debian's Chromium;
# the PDF tests need pdftotext. Installed only when missing and only as root.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null \
	      || echo "WARNING: could not install$$missing; the browser tests will be skipped"; \
	  else \
	    echo "WARNING: missing system packages:$$missing (run as root or: sudo apt-get install$$missing)"; \
	  fi; \
	fi
	@# Java runs the Nu HTML checker; any Java 11 or newer will do, so only when none is there.
	@if ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing system packages: default-jre-headless"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null \
	      || echo "WARNING: could not install Java; the HTML validity tests will fail"; \
	  else \
	    echo "WARNING: no Java (run as root or: sudo apt-get install default-jre-headless)"; \
	  fi; \
	fi

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(BIN)/python manage.py load_reference_data
	DEBUG=1 DEMO_PASSWORD=$(DEMO_PASSWORD) $(BIN)/python manage.py seed_demo

run: demo
	@# The background worker (annual report PDFs) runs beside the server and stops with it.
	DEBUG=1 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install-dev lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks (docs/performance.md): the small preset by default, NATIONAL=1 for national
# scale. Needs PostgreSQL on 127.0.0.1:5432 and wrk; writes bench/results/latest.md.
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = "0" ] && apt-get install -y -qq wrk >/dev/null; } \
	  || { echo "wrk is missing: sudo apt-get install wrk"; exit 1; }
	DJANGO_SETTINGS_MODULE=bench.settings nice -n 19 $(BIN)/python -m bench.run \
	  --preset $(if $(NATIONAL),national,small)

# Load test (docs/performance.md): locust on loopback against gunicorn and PostgreSQL
# (127.0.0.1:5432), USERS=50 for DURATION=2m by default; writes load/results/latest.md
# and fails on any server error.
load: $(VENV)/.installed-load
	nice -n 19 $(BIN)/python -m load.run $(if $(USERS),--users $(USERS)) \
	  $(if $(DURATION),--duration $(DURATION))

# Fault drills (docs/operations.md): the database stopped under a running portal, the
# report worker killed mid-PDF. Makes, stops and drops a PostgreSQL cluster of its own on
# port 5433 (run as root; the machine's own PostgreSQL is never touched).
drills: install
	$(BIN)/python -m load.drills

clean:
	rm -rf $(VENV) staticfiles artifacts .pytest_cache .ruff_cache

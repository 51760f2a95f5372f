# helsetilbud: bygg, test og kjør. «make» alene viser hjelpen.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
PORT ?= 8866
STACK_PORT ?= 8080
LAB_PORT ?= 8888

.PHONY: help venv system-packages lint test serve lab stack pg-start pg-stop pg-url

help:
	@echo "Mål:"
	@echo "  make venv             lag .venv og installer pakken med [dev] (bare når pyproject.toml er endret)"
	@echo "  make system-packages  installer Debian-pakkene som mangler (postgresql, chromium, fonts-dejavu-core)"
	@echo "  make lint             ruff check og ruff format --check"
	@echo "  make test             lint, alle tester (SQLite og en midlertidig PostgreSQL) og notatbøkene"
	@echo "  make serve            start Voilà med eksempellandet på http://127.0.0.1:$(PORT)/"
	@echo "  make lab              JupyterLab med notatbøkene på http://127.0.0.1:$(LAB_PORT)/lab (samme database);"
	@echo "                        brukeren er HELSETILBUD_USER, f.eks. HELSETILBUD_USER=analytiker make lab –"
	@echo "                        uten den viser notatbøkene «Ingen tilgang»"
	@echo "  make stack            hele flerbrukeroppsettet: PostgreSQL, OIDC-innlogging, Apache, 2 Voilà"
	@echo "  make pg-start         start en midlertidig PostgreSQL og vis URL-en (for utviklere)"
	@echo "  make pg-url           vis URL-en til den midlertidige PostgreSQL-en"
	@echo "  make pg-stop          stopp den og slett mappen dens"

venv: $(STAMP)

$(STAMP): pyproject.toml
	@set -e; if [ ! -x $(VENV)/bin/python ]; then \
		$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
			|| { echo "Trenger Python 3.11 eller nyere ($(PYTHON) er for gammel)." >&2; exit 1; }; \
		bash scripts/ensure-system-packages.sh python3-venv; \
		echo "Lager $(VENV) med $(PYTHON) ..."; \
		$(PYTHON) -m venv $(VENV); \
	fi
	$(VENV)/bin/python -m pip install -q -e '.[dev]'
	@touch $@

system-packages:
	@bash scripts/ensure-system-packages.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: venv system-packages
	@bash scripts/run-tests.sh

serve: venv
	$(VENV)/bin/helsetilbud serve --demo --port $(PORT)

lab: venv
	$(VENV)/bin/helsetilbud lab --port $(LAB_PORT)

stack: venv
	@bash scripts/ensure-system-packages.sh postgresql apache2 libapache2-mod-auth-openidc nodejs
	$(VENV)/bin/python -m deploy.stack --port $(STACK_PORT)

pg-start:
	@bash scripts/ensure-system-packages.sh postgresql
	@bash scripts/pg-test.sh start
	@echo "export HELSETILBUD_TEST_PG_URL=$$(bash scripts/pg-test.sh url)"

pg-url:
	@bash scripts/pg-test.sh url

pg-stop:
	@bash scripts/pg-test.sh stop

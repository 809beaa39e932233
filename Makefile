# Neiqin: the single entry point. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup db run test test-compat test-install test-upgrade lint bench stop i18n screenshots clean

help:  ## list the targets
	@grep -E '^[a-z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup:  ## install what is missing (system packages, Odoo source, virtualenv)
	@tools/setup.sh

db: setup
	@tools/pg.sh start

run: db  ## set up, create the demo database once, start Odoo on http://localhost:8069
	@tools/db.sh run-db
	@echo "Neiqin is starting on http://localhost:8069  (login admin / admin, database neiqin)"
	@$(PY) $(VENV)/bin/odoo -c .data/odoo.conf -d neiqin --db-filter='^neiqin$$'

test: db  ## set up and run every test (pytest-odoo) on a fresh copy of the test template
	@tools/db.sh test-db
	@tools/test.sh $(PYTEST_ARGS)

test-compat: db  ## Odoo's own tests of the modules Neiqin extends, with and without Neiqin
	@tools/compat.sh

test-install: db  ## each add-on installs alone on its dependencies and uninstalls cleanly (part of make test)
	@tools/install_check.sh

test-upgrade: db  ## install an earlier commit's add-ons (UPGRADE_FROM=...), update them, check nothing was lost
	@tools/upgrade.sh

bench: db  ## build the benchmark data once (SCALE=1 by default), run every scenario
	@SCALE=$(or $(SCALE),1) tools/bench.sh

lint: setup  ## ruff, pylint-odoo and XML well-formedness on the whole repository
	@tools/lint.sh

screenshots: db  ## run the browser tours and keep their screenshots in docs/screenshots for the README
	@tools/db.sh test-db
	@NEIQIN_SCREENSHOTS="$(CURDIR)/docs/screenshots" tools/test.sh tests/test_tours.py tests/test_shift_tours.py

i18n: db  ## regenerate each add-on's .pot from the installed test template
	@tools/i18n.sh

stop:  ## stop the private PostgreSQL cluster
	@tools/pg.sh stop

clean: stop  ## remove the virtualenv and the private cluster's data
	rm -rf $(VENV) .data

# cc-terminal: `make demo` sets everything up and starts the demo floor; `make test` runs
# every test. Only Python 3.11+ and standard system tools are assumed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOCALES := src/cc_terminal/locale
POT := $(LOCALES)/cc_terminal.pot
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard $(LOCALES)/*/LC_MESSAGES/cc_terminal.po))

.PHONY: help setup demo run test lint format bench bench-quick clean i18n screenshot mutation

help:
	@echo "make demo         set everything up and start the workstation on a demo floor"
	@echo "make test         run every test (installs PostgreSQL, tmux, faketime, chromium if missing)"
	@echo "make lint         ruff, mypy and the import contracts (docs/ARCHITECTURE.md)"
	@echo "make format       let ruff fix and format the code"
	@echo "make setup        only create .venv and install the exact versions"
	@echo "make run          start the workstation on the configured database"
	@echo "make bench        measure speed at scale (bench/results/); bench-quick: smaller"
	@echo "make bench-quick  the same, on smaller data"
	@echo "make mutation     mutation-test the rules (MODULES=..., CHANGED=1, RETEST=1, RESUME=1)"
	@echo "make i18n         refresh the .pot template and the catalogues (extract, update, compile)"
	@echo "make screenshot   redraw docs/screenshot.svg"
	@echo "make clean        remove .venv, caches, bench data and mutation work"

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'
	$(BIN)/python -m compileall -q src/cc_terminal >/dev/null  # as an installed package starts
	@touch $@

setup: $(STAMP) $(CATALOGUES)

demo: $(STAMP) $(CATALOGUES)
	$(BIN)/cc-terminal demo

run: $(STAMP) $(CATALOGUES)
	$(BIN)/cc-terminal

# One worker more than the cores: a worker waits on its app's timers, threads, tmux and
# servers for about half its time (tests/screens and tests/tally on 2 cores: 290 s with two
# workers, 230 s with three, 213 s with four).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

test: $(STAMP) $(CATALOGUES)
	./scripts/system-deps
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --durations=15

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	./scripts/system-deps
	$(BIN)/python -m bench.run

bench-quick: $(STAMP)
	./scripts/system-deps
	$(BIN)/python -m bench.run --quick

# Mutation testing of the rules' modules, module by module (mutation/REPORT.md); too slow for
# `make test`. MODULES="pay masks" picks modules; CHANGED=1 keeps those changed since main;
# RETEST=1 tests only the last run's survivors again; RESUME=1 goes on with a stopped run.
mutation: $(STAMP)
	$(BIN)/python -m mutation.run $(MODULES) $(if $(CHANGED),--changed) $(if $(RETEST),--retest) $(if $(RESUME),--resume)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache bench/data .mutation

# Collect every translatable string into the template a translator starts from.
i18n: $(STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 -k pgettext:1c,2 --no-location \
		--sort-output -o $(POT) src
	$(BIN)/pybabel --quiet update -D cc_terminal -i $(POT) -d $(LOCALES) --ignore-obsolete \
		--no-fuzzy-matching
	$(BIN)/pybabel --quiet compile -D cc_terminal -d $(LOCALES)

# The compiled catalogues are built here, never committed (a missing or older .mo is read
# from its .po at start, slower: cc_terminal/i18n.py).
$(LOCALES)/%/LC_MESSAGES/cc_terminal.mo: $(LOCALES)/%/LC_MESSAGES/cc_terminal.po $(STAMP)
	$(BIN)/pybabel --quiet compile -D cc_terminal -d $(LOCALES) -l $*

screenshot: $(STAMP)
	$(BIN)/python scripts/screenshot.py

# Two entry points for a fresh machine (see README):
#   make run    set up .venv and open the seed article in the window
#   make test   set up .venv and run the whole test suite (what CI runs)
# Needs python3 (3.11 or newer) and, on Debian/Ubuntu, installs the system packages it lacks
# (python3-venv, Qt's libraries, a font) through .ci/system-deps, with sudo unless root.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SEED   := seeds/gb-news-russian-deserters.txt

.PHONY: run test lint lint-tree setup system-deps

run: setup
	$(BIN)/quotebench open $(SEED)

test: setup lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

# The boundaries (import-linter contracts), types (mypy) and style (ruff, line length included).
lint: setup lint-tree
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/ruff check core gui tests
	$(BIN)/ruff format --check core gui tests

# mypy reads the packages under the names they install as (quotebench.core, ...): a tree of
# links to the source folders, in .venv/src, stands in for the installed layout.
lint-tree:
	@mkdir -p $(VENV)/src/quotebench
	@for d in core gui resources; do ln -sfn ../../../$$d $(VENV)/src/quotebench/$$d; done

setup: system-deps $(BIN)/.installed

system-deps:
	@PYTHON=$(PYTHON) bash .ci/system-deps

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "Quotebench needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) -V 2>&1)." >&2; \
	  echo "Install one (Debian 12: apt install python3 python3-venv) and run: make PYTHON=python3.11 ..." >&2; \
	  exit 1; }
	@# a venv left without pip by an earlier failure (no python3-venv then) is made again
	@[ -x $(BIN)/pip ] || rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,distributed]'
	touch $@

# Two entry points for a fresh machine (see README):
#   make run    set up .venv and open the seed article in the window
#   make test   set up .venv and run the whole test suite (what CI runs)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SEED   := seeds/gb-news-russian-deserters.txt

.PHONY: run test setup system-deps

run: setup
	$(BIN)/quotebench open $(SEED)

test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

setup: system-deps $(BIN)/.installed

system-deps:
	@bash .ci/system-deps

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

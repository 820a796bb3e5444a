# Intake Kiosk — `make run` starts the kiosk, `make test` runs the tests (headless).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=

.PHONY: run test bench soak lint screenshots setup clean

setup: $(STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the pinned dependencies change.
$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/python main.py $(ARGS)

test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

soak: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/soak.py 300

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

screenshots: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m kiosk.ui.screenshots screenshots

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache

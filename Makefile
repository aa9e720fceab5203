# The two commands of the README: `make run` and `make test`. Each sets up what it needs:
# `make run` the app alone, `make test` the app with what the tests need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test quick typecheck bench clean

# pip's second --quiet keeps setuptools' notices about editable installs off a newcomer's
# first screen; errors still show.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml setup.py | $(BIN)/python $(VENV)/typing/kring
	$(BIN)/python -m pip install --quiet --quiet -e .
	touch $@

# The folders as the package kring they are installed as, for mypy and an editor's Pylance
# (pyproject.toml's [tool.mypy] and [tool.pyright]): the editable install's import hook is
# invisible to static tools. Links, not copies: nothing here can go stale.
$(VENV)/typing/kring: | $(BIN)/python
	mkdir -p $@
	for folder in tui sessions templates; do ln -sfn ../../../$$folder $@/$$folder; done

$(VENV)/.installed-test: pyproject.toml setup.py | $(BIN)/python $(VENV)/typing/kring
	$(BIN)/python -m pip install --quiet --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/kring

# A build/ left by a pip run in the tree holds copies of modules (some deleted since) that
# editors and search tools would take for the code: gone before every test run.
# The privacy guard's lists are built once per virtual environment (minutes, the first time)
# before the tests, which share them: no test waits on another's build.
GUARD_CACHE := $(abspath $(VENV))/kring-guard-cache

test: $(VENV)/.installed-test
	rm -rf build
	$(BIN)/ruff check .
	$(BIN)/mypy
	KRING_GUARD_CACHE=$(GUARD_CACHE) $(BIN)/python -m kring.sessions.guard.engine $(VENV)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# The edit-test loop: everything but the end-to-end tests (tmux, chromium, Syncthing, the
# wheel) and the slow ones (tests/conftest.py says which are which). `make test` runs all.
quick: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -m "not e2e and not slow" $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info

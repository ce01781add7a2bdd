# The briefing pipeline. `make` builds output/ (a no-op when nothing changed); `make test` tests.
# Make's own dependency graph decides whether to start Python at all.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSDEPS := $(VENV)/.sysdeps
# Folders too: removing or renaming a source changes its folder's time, not any file's.
INPUTS := $(shell find inputs templates pipeline -not -name '*.pyc' -not -path '*/__pycache__*' 2>/dev/null)

.PHONY: all build check test clean eval bench update-golden lint

all: output/manifest.json

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $@

$(SYSDEPS): scripts/system-deps.sh | $(STAMP)
	@scripts/system-deps.sh
	@touch $@

output/manifest.json: $(INPUTS) pyproject.toml $(STAMP) $(SYSDEPS)
	@$(PY) -m pipeline build

build: $(STAMP) $(SYSDEPS)
	@$(PY) -m pipeline build

check: $(STAMP)
	@$(PY) -m pipeline check

test: $(STAMP) $(SYSDEPS)
	@scripts/system-deps.sh --test
	@$(PY) -m ruff check pipeline tests bench
	@$(PY) -m pytest

eval: $(STAMP)
	@$(PY) -m pipeline.evaluate

bench: $(STAMP) $(SYSDEPS)
	@scripts/system-deps.sh --bench
	@$(PY) bench/run.py

update-golden: $(STAMP) $(SYSDEPS)
	@$(PY) -m pytest tests/test_visual.py --update-golden -q

clean:
	rm -rf output/* .cache .output-* .build.lock
	@touch output/.gitkeep

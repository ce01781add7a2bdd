# The briefing pipeline. `make` builds output/ (a no-op when nothing changed); `make test` tests.
# Make's own dependency graph decides whether to start Python at all.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSDEPS := $(VENV)/.sysdeps
# What the build reads, as one fingerprint (every file's path, size and time under inputs/, templates/
# and pipeline/). Make cannot list file names with spaces, colons or '$' as prerequisites
# ("Oslo Followup.txt"), so the names never reach make: only the fingerprint's hash does, and
# the stamp file is rewritten when it changes. Adding, removing, renaming or editing any file
# rebuilds; nothing changed starts no Python. Folders are left out: a first build's byte code
# (pipeline/**/__pycache__/) changes its folders' times, and that must not rebuild again.
INPUT_STATE := $(shell find inputs templates pipeline -not -type d -not -name '*.pyc' -not -path '*/__pycache__*' \
  -printf '%p\t%s\t%T@\n' 2>/dev/null | LC_ALL=C sort | sha256sum | cut -c1-32)
INPUTS := .cache/inputs.state
$(shell mkdir -p .cache && { test "$$(cat $(INPUTS) 2>/dev/null)" = "$(INPUT_STATE)" || echo "$(INPUT_STATE)" > $(INPUTS); })

.PHONY: all build check test clean eval bench profile update-golden lint constraints
# make deletes a target whose recipe it interrupted (Ctrl-C, kill): never the manifest of a
# briefing that was already swapped in whole (pipeline/publish/).
.PRECIOUS: output/manifest.json
# The pipeline's own exit code (0, 1, 2, 74, 75: README "Exit codes"), printed before make turns
# any failure into its own exit 2.
BRIEFING = $(PY) -m pipeline
define run-briefing
@$(BRIEFING) $(1) || { rc=$$?; echo "make: briefing $(1) exited $$rc (see README, Exit codes; make itself exits 2)" >&2; exit $$rc; }
endef

all: output/manifest.json

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
	@$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test,dask]'
	@touch $@

# Re-resolve the dependencies from pyproject.toml's ranges alone (newest releases) into constraints.txt.
constraints:
	@rm -rf .venv-resolve && $(PYTHON) -m venv .venv-resolve
	@.venv-resolve/bin/python -m pip install -q --disable-pip-version-check -e '.[test,profile,dask]'
	@{ sed -n '1,3p' constraints.txt; .venv-resolve/bin/python -m pip freeze --exclude-editable | grep -v '^-e\|^#'; } \
	  > constraints.txt.new && mv constraints.txt.new constraints.txt && rm -rf .venv-resolve
	@echo "constraints.txt refreshed: run make test, look at git diff constraints.txt, then commit"

$(SYSDEPS): scripts/system-deps.sh | $(STAMP)
	@scripts/system-deps.sh
	@touch $@

output/manifest.json: $(INPUTS) pyproject.toml $(STAMP) $(SYSDEPS)
	$(call run-briefing,build)

build: $(STAMP) $(SYSDEPS)
	$(call run-briefing,build)

check: $(STAMP)
	$(call run-briefing,check)

test: $(STAMP) $(SYSDEPS)
	@scripts/system-deps.sh --test
	@$(PY) -m ruff check pipeline tests bench tools
	@$(PY) -m pytest -n auto --maxprocesses=4

eval: $(STAMP)
	@$(PY) -m tools.evaluate
	@$(PY) bench/article_extraction.py
	@$(PY) bench/printed_pages.py

bench: $(STAMP) $(SYSDEPS)
	@scripts/system-deps.sh --bench
	@$(PY) bench/run.py

# Where a build's CPU goes, in every process, at each size of the bench's ladder (py-spy, installed
# into .venv on first use).
profile: $(STAMP) $(SYSDEPS)
	@test -x $(VENV)/bin/py-spy || $(PY) -m pip install -q --disable-pip-version-check -c constraints.txt py-spy
	@$(PY) bench/cpu_profile.py --ladder 20,100,200,1000

update-golden: $(STAMP) $(SYSDEPS)
	@$(PY) -m pytest tests/test_visual.py --update-golden -q

clean:
	rm -rf output/* .cache .output-* .build.lock
	@touch output/.gitkeep

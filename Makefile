# Two commands: `make run` (the app) and `make test` (the suite). Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test truth bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, pinned to the local CPU build: a bare `torch` requirement would pull a multi-GB CUDA build
	$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -n 2
	$(VENV)/bin/lint-imports

# the generated tables of docs/presets.md and docs/lessons.md: every preset, every lesson's scenes and every
# challenge on seeds 0-9 and the unseen 10-19 (~15 min + ~10 min on 2 cores)
truth: $(STAMP)
	$(PY) -m ganviz presets --check --seeds 0-9 --unseen 10-19 --write docs/presets.md
	$(PY) -m ganviz lesson --check --seeds 0-9 --unseen 10-19 --write docs/lessons.md

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m ganviz bench --json docs/benchmarks.json

# the README's pictures, made by the app itself
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) docs/make_screenshots.py
	$(PY) docs/make_contact_sheet.py

clean:
	rm -rf $(VENV) build *.egg-info

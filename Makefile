# Every target installs what it needs into .venv first, so a fresh clone needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean soak

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tremplin demo --db output/demo.db --port 8001

test: $(STAMP)
	-sh scripts/ensure_chromium.sh
	-sh scripts/ensure_redis.sh
	$(BIN)/ruff check .
	$(BIN)/pytest -q

# The long hostile-web run (minutes, not part of `make test`): checks and figures for the README.
soak: $(STAMP)
	$(BIN)/python bench/soak.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) output/*.db output/snapshots

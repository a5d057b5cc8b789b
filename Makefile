# Every target installs what it needs into .venv first, so a fresh clone needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean soak bench docs-images

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# `make demo PORT=8080` serves elsewhere; a busy port is refused before the crawl starts.
PORT ?= 8001

demo: $(STAMP)
	$(BIN)/tremplin demo --db output/demo.db --port $(PORT)

test: $(STAMP)
	sh scripts/ensure_chromium.sh
	sh scripts/ensure_redis.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q -n auto --dist loadfile

# The long hostile-web run (minutes, not part of `make test`): checks and figures for the README.
soak: $(STAMP)
	$(BIN)/python bench/soak.py

# Performance figures for the README (about 25 minutes on 2 cores; not part of `make test`).
# Each benchmark prints its side-by-side figures and adds them to output/bench/results.json.
bench: $(STAMP)
	$(BIN)/pip install --quiet "requests>=2.31,<3" "beautifulsoup4>=4.12,<5"
	$(BIN)/python bench/bench_extract.py --profile
	$(BIN)/python bench/bench_crawl.py
	$(BIN)/python bench/bench_storage.py
	$(BIN)/python bench/prepare_queries_db.py & $(BIN)/python bench/bench_memory.py; status=$$?; wait $$! && exit $$status
	$(BIN)/python bench/bench_queries.py
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_hostile.py

# The README's screenshots of the site: the browser test writes them into docs/images/.
docs-images: $(STAMP)
	sh scripts/ensure_chromium.sh
	TREMPLIN_DOCS_IMAGES=docs/images $(BIN)/pytest -q tests/test_browser.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) output/*.db output/snapshots

# Everything runs from the project's own virtualenv (.venv), made on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test build bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## Build the warehouse from the bundled samples and print the summary.
demo: setup
	$(BIN)/jixiao build

## Run the test suite (what CI runs).
test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/bench_ingest.py

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs warehouse/*.duckdb warehouse/*.wal

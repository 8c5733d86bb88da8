# Everything runs from the project's own virtualenv (.venv), made on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup fonts libreoffice demo test lab report notebooks clean-notebooks build bench bench-national bench-scale clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## A CJK font for charts (fonts-noto-cjk via apt-get, when root or sudo allows).
fonts:
	bash .ci/install_cjk_font.sh

## LibreOffice, headless, to read .doc, .wps, .rtf, .odt and presentations (apt-get, when root or sudo allows).
libreoffice:
	bash .ci/install_libreoffice.sh

setup: $(STAMP) fonts libreoffice

## Build the warehouse from the bundled samples and print the summary.
demo: setup
	$(BIN)/jixiao build

## Run the test suite (what CI runs).
test: setup
	$(BIN)/python -m pytest

## JupyterLab on the project's environment, opened on notebooks/ (root, as in containers, needs --allow-root).
lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

## Notebooks are kept in git without outputs, so that diffs stay readable.
clean-notebooks: setup
	$(BIN)/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb

## The audit working paper (A4 DOCX, HTML), charts (PNG, SVG) and findings (XLSX) in reports/.
report: setup
	$(BIN)/jixiao report

## The notebooks run on the published warehouse and exported as offline HTML in reports/notebooks/.
notebooks: setup
	$(BIN)/jixiao notebooks

bench: setup
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_formats.py
	$(BIN)/python benchmarks/bench_build.py 20

## Build, report and notebooks on 250 documents (about 2,500 forms) moved across two provinces.
bench-national: setup
	$(BIN)/python benchmarks/national.py 250

## A national-scale run: FORMS generated forms through jixiao build, one corrected document, the notebooks' queries; one RESULT line.
FORMS ?= 20000
bench-scale: setup
	$(BIN)/python benchmarks/run.py --forms $(FORMS)

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs warehouse/*.duckdb warehouse/*.wal warehouse/*.duckdb.lock warehouse/*.duckdb.runs.jsonl warehouse/.*.dbt

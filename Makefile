# plantrack: two commands on a fresh machine with Python 3.11 — `make reports` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: reports test lab validate lint bench clean bytecode

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

## Compile the package's bytecode: an editable install has none, and kernels would compile
## every module again on each start (where PYTHONDONTWRITEBYTECODE is set, nothing caches it).
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q src

## Render every region's report into reports/ from the bundled data.
reports: bytecode
	$(BIN)/plantrack validate
	$(BIN)/plantrack render

## Run the whole test suite: unit tests, notebooks under nbval, browser test, lint.
test: bytecode
	$(BIN)/ruff check src tests scripts
	$(BIN)/pytest

## Check the data tables and their provenance.
validate: $(STAMP)
	$(BIN)/plantrack validate

## Open JupyterLab on the exploration notebook (the other notebooks are in the same folder).
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/05_explore.ipynb

## Measure rendering speed and report sizes (see README).
bench: bytecode
	$(BIN)/python scripts/benchmark.py

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts

clean:
	rm -rf $(VENV) reports/*.html

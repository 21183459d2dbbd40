# The two set-up-and-go commands (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -U pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/caseflow demo

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/peers.py
	$(BIN)/python bench/stages.py
	$(BIN)/python bench/commands.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/sweep.py
	$(BIN)/python bench/reads.py
	$(BIN)/python bench/import.py

clean:
	rm -rf $(VENV) caseflow.db caseflow.db-wal caseflow.db-shm

# Two commands set up everything on a fresh Debian/Ubuntu machine:
#   make pdf   -> .venv, the package, TeX when missing, then every derivation PDF
#   make test  -> the same set-up, then the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test pdf check setup tex lint docs clean

setup: $(STAMP) tex

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,pdf,docs]'
	touch $(STAMP)

tex:
	@scripts/ensure-tex

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -q -b html docs build/docs

test: setup lint docs
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/whysoftmax check derivations

pdf: setup
	$(BIN)/whysoftmax build derivations --out build

clean:
	rm -rf build .pytest_cache .ruff_cache

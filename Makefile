# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv and install everything the project needs from its own files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SEEDS  := $(wildcard seeds/*.txt seeds/*.md seeds/*.html)

.PHONY: setup demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	@mkdir -p out
	@for f in $(SEEDS); do \
		stem=$$(basename "$${f%.*}"); \
		$(BIN)/fic2book inspect --json "$$f" > "out/$$stem.json" && echo "out/$$stem.json"; \
	done

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

test: lint typecheck unit

clean:
	rm -rf $(VENV) out build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis

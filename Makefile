# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv and install everything the project needs from its own files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SEEDS  := $(filter-out seeds/README.md,$(wildcard seeds/*.txt seeds/*.md seeds/*.html))

.PHONY: setup fonts demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# A good book serif for the PDFs (Debian's EB Garamond). Best effort: without it the
# themes fall back to DejaVu Serif, and nothing else changes.
fonts:
	@if fc-list 2>/dev/null | grep -qi "EB Garamond"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get install -y -qq fonts-ebgaramond >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq fonts-ebgaramond >/dev/null 2>&1)) \
		|| echo "note: could not install fonts-ebgaramond; PDFs will use DejaVu Serif"; \
	else echo "note: install fonts-ebgaramond for the best PDFs (falling back to DejaVu Serif)"; fi

setup: $(STAMP) fonts

demo: setup
	$(BIN)/fic2book convert $(SEEDS) --format epub --format pdf --format html --output out
	$(BIN)/fic2book anthology --manifest seeds/anthology/anthology.toml --output out/anthology.epub --format epub --format pdf --format html

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

test: lint typecheck unit

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) out build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis

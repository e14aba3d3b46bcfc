# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv and install everything the project needs from its own files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SEEDS  := $(filter-out seeds/README.md,$(wildcard seeds/*.txt seeds/*.md seeds/*.html))

.PHONY: setup fonts ace demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Fonts for the PDFs: Debian's EB Garamond (classic), Noto CJK (Chinese, Japanese,
# Korean), Noto Color Emoji and Symbola (emoji a PDF can draw). The themes ship their
# own bold Garamond and Atkinson Hyperlegible. Best effort: without them the PDF falls
# back to DejaVu, and convert warns about any character no installed font can draw.
FONT_PACKAGES := fonts-ebgaramond fonts-noto-cjk fonts-noto-color-emoji fonts-symbola

fonts:
	@if fc-list 2>/dev/null | grep -qi "EB Garamond" && fc-list 2>/dev/null | grep -qi "Noto Serif CJK" \
		&& fc-list 2>/dev/null | grep -qi "Symbola"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get install -y -qq $(FONT_PACKAGES) >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $(FONT_PACKAGES) >/dev/null 2>&1)) \
		|| echo "note: could not install $(FONT_PACKAGES); PDFs fall back to DejaVu"; \
	else echo "note: install $(FONT_PACKAGES) for the best PDFs (falling back to DejaVu)"; fi

# Ace by DAISY (accessibility checks for `convert --check` and the tests), driving the
# machine's Chromium through ace-puppeteer. Best effort: without it those checks are
# skipped with a note. Electron and puppeteer's own browsers are not downloaded.
ace:
	@if command -v ace-puppeteer >/dev/null && \
		(command -v chromium >/dev/null || command -v chromium-browser >/dev/null); then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && command -v npm >/dev/null; then \
		(command -v chromium >/dev/null || apt-get install -y -qq chromium >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1)) && \
		PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
		npm install -g --silent @daisy/ace >/dev/null 2>&1 \
		|| echo "note: could not install Ace by DAISY; accessibility checks will be skipped"; \
	else echo "note: npm install -g @daisy/ace and install chromium for accessibility checks"; fi

setup: $(STAMP) fonts ace

demo: setup
	$(BIN)/fic2book convert $(SEEDS) --format epub --format kepub --format pdf --format html --output out
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
	$(BIN)/python benchmarks/hostile.py

clean:
	rm -rf $(VENV) out build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis

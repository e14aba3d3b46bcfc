"""Shared test helpers: paths, the golden-file flag, and text normalisation."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT / "seeds"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"

_FOLD = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "…": "...", "\u00a0": " "}
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite the golden JSON files beside the reader fixtures",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def fold(text: str) -> str:
    """Text compared without typography: straight quotes, hyphens, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    text = text.replace("--", "-")
    return re.sub(r"\s+", " ", text).strip()

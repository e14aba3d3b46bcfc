"""Golden files: every reader fixture parses to the tree stored as JSON beside it.

Regenerate with ``pytest tests/test_golden.py --update-goldens`` and read the diff
before committing it: a golden is a claim about what a correct reading is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES
from fic2book import parse
from fic2book.serialize import story_to_data

INPUTS = sorted(
    p
    for p in FIXTURES.iterdir()
    if p.suffix in {".txt", ".md", ".html"} and p.stat().st_size and p.name != "EXPECTED_NOTES.md"
)


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_fixture_matches_golden(path: Path, update_goldens: bool) -> None:
    got = story_to_data(parse(path))
    golden = path.with_name(path.name + ".json")
    if update_goldens:
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden for {path.name}: run with --update-goldens"
    assert got == json.loads(golden.read_text(encoding="utf-8"))

"""The corpus tier: the real stories in ../shared/seeds read as EXPECTED.md describes.

These are other people's stories: the tests read them at run time and never hold their
text. Line numbers below come from EXPECTED.md. Skipped when ../shared/seeds is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED_SEEDS, fold
from fic2book import parse
from fic2book.model import Gap, SceneBreak, Story, Verse
from tree import blocks_text, chapter_text, count, notes_text

pytestmark = pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is absent")


def seed(prefix: str) -> Path:
    return next(SHARED_SEEDS.glob(f"{prefix}_*.txt"))


def source_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").split("\n")


def assert_lines_in_order(path: Path, first: int, last: int, text: str) -> None:
    """Every non-blank source line first..last (1-based) appears in text, in order."""
    haystack = fold(text)
    pos = 0
    for number, line in enumerate(source_lines(path)[first - 1 : last], start=first):
        if not line.strip():
            continue
        j = haystack.find(fold(line), pos)
        assert j >= 0, f"{path.name}:{number} missing or out of order"
        pos = j


@pytest.fixture(scope="module")
def s000() -> Story:
    return parse(seed("000"))


@pytest.fixture(scope="module")
def s001() -> Story:
    return parse(seed("001"))


@pytest.fixture(scope="module")
def s002() -> Story:
    return parse(seed("002"))


def test_000_header_fields(s000: Story) -> None:
    lines = source_lines(seed("000"))
    meta = s000.metadata
    assert meta.title == "Untitled" and meta.authors == ()
    assert meta.rating == lines[1].split(":", 1)[1].strip()
    assert ("World", lines[2].split(":", 1)[1].strip()) in meta.extra
    assert fold(blocks_text(meta.disclaimer)[0]) == fold(lines[0].split(":", 1)[1])
    assert fold(blocks_text(meta.notes)[0]) == fold(lines[3].split(":", 1)[1])


def test_000_epigraph_keeps_its_four_lines(s000: Story) -> None:
    lines = source_lines(seed("000"))
    first = s000.chapters[0].blocks[0]
    assert isinstance(first, Verse) and first.role == "epigraph"
    got = [fold(x) for x in blocks_text([first])[0].split("\n")]
    assert got == [fold(x) for x in lines[5:9]]


def test_000_story_text_and_gaps(s000: Story) -> None:
    assert len(s000.chapters) == 1
    assert_lines_in_order(seed("000"), 11, 345, chapter_text(s000.chapters[0]))
    assert count(s000, Gap) >= 3
    assert count(s000, SceneBreak) == 0


def test_001_preface(s001: Story) -> None:
    lines = source_lines(seed("001"))
    meta = s001.metadata
    assert meta.title == lines[4].strip()
    assert meta.authors == ()
    assert fold(blocks_text(meta.summary)[0]) == fold(lines[8])
    notes = [fold(t) for t in blocks_text(meta.notes)]
    assert [fold(lines[i]) for i in (12, 14, 16, 18)] == notes


def test_001_chapters_breaks_record_and_end_notes(s001: Story) -> None:
    path = seed("001")
    lines = source_lines(path)
    one, two = s001.chapters
    assert (one.number, one.title, two.number, two.title) == (1, None, 2, None)
    assert_lines_in_order(path, 23, 277, chapter_text(one))
    assert_lines_in_order(path, 287, 587, chapter_text(two))
    assert count(s001, SceneBreak) == 8
    records = [b for b in two.blocks if isinstance(b, Verse) and b.role == "record"]
    assert len(records) == 1
    want = [fold(lines[i]) for i in range(306, 318) if lines[i].strip()]
    assert [fold(x) for x in blocks_text(records)[0].split("\n")] == want
    assert [fold(t) for t in notes_text(two.notes_after)] == [
        fold(lines[i]) for i in (590, 592, 594)
    ]
    assert one.notes_after == () and two.notes_before == ()


def test_001_chrome_is_gone(s001: Story) -> None:
    everything = "\n".join(chapter_text(c) for c in s001.chapters)
    for chrome in ("Actions", "Work Header", "Chapter Text", "Series this work belongs to:"):
        assert chrome not in everything.split("\n")
    assert "(See the end of the chapter for notes.)" not in everything


def test_002_opening_author_talk_is_notes(s002: Story) -> None:
    lines = source_lines(seed("002"))
    meta = s002.metadata
    assert [fold(t) for t in blocks_text(meta.disclaimer)] == [fold(lines[0])]
    assert [fold(t) for t in blocks_text(meta.notes)] == [fold(lines[i]) for i in (2, 4, 6)]
    assert_lines_in_order(seed("002"), 9, 349, chapter_text(s002.chapters[0]))


def test_002_mixed_quotes_are_curled_and_edges_repaired(s002: Story) -> None:
    line = source_lines(seed("002"))[158]
    text = chapter_text(s002.chapters[0])
    fixed = [p for p in text.split("\n") if fold(p) == fold(line)]
    assert fixed, "line 159 missing"
    assert fixed[0].startswith("“") and fixed[0].endswith("”")
    assert '"' not in text

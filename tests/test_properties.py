"""Property tests: any text gives a Story, and no word of it is lost.

Words that a reader may legitimately consume are exempt: metadata labels, page chrome
and heading words (their values and numbers are kept in the tree, the words are not).
"""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fic2book import parse
from fic2book.lang.labels import EXTRA_LABELS, FIELD_OF_LABEL
from fic2book.read.sites.ao3 import CHROME, MARKERS
from fic2book.serialize import to_data

_WORD = re.compile(r"[A-Za-z0-9]+")
EXEMPT = {
    w
    for phrase in [*FIELD_OF_LABEL, *EXTRA_LABELS, *CHROME, *MARKERS]
    for w in _WORD.findall(phrase.lower())
} | {
    "chapter",
    "chap",
    "ch",
    "prologue",
    "epilogue",
    "interlude",
    "afterword",
    "foreword",
    "preface",
    "part",
    "by",
    "untitled",
    "xxx",
}  # a scene-break marker token, not a word of the story

WORDS = st.sampled_from(
    [
        "the",
        "rain",
        "Mira",
        "said",
        "*soft*",
        "_quiet_",
        "don't",
        "Chapter",
        "1",
        "2",
        "Title:",
        "Notes:",
        "A/N:",
        "***",
        "xXx",
        "--",
        "...",
        '"',
        "'",
        "\u00a0",
        "Summary:",
        "Prologue",
        "lantern",
        "road",
        "I",
        "thanks",
        "reviews",
        "Rating:",
        "T",
        "—",
        "#",
    ]
)
LINE = st.lists(WORDS, min_size=0, max_size=12).map(" ".join)
TEXT = st.lists(LINE, min_size=1, max_size=40).map("\n".join)


def tree_words(value: object) -> set[str]:
    """Every word in every string or number anywhere in the serialised tree."""
    blob = json.dumps(to_data(value), ensure_ascii=False)
    return {w.lower() for w in _WORD.findall(blob)}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_reads_and_keeps_every_word(text: str) -> None:
    if not text.strip():
        return
    story = parse(text.encode("utf-8"), name="story.txt")
    assert story.chapters
    kept = tree_words(story)
    # "Chapter I" is read as chapter number 1: the numeral itself is not kept as a word.
    numerals = {w.lower() for w in re.findall(r"(?i)\b(?:chapter|part)\s+([A-Za-z0-9]+)", text)}
    lost = {w.lower() for w in _WORD.findall(text)} - kept - EXEMPT - numerals
    assert not lost, lost


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_arbitrary_unicode_never_crashes(text: str) -> None:
    data = text.encode("utf-8")
    if b"\x00" in data or not text.strip():
        return
    try:
        story = parse(data, name="x.txt")
    except Exception as exc:  # only the documented error is allowed
        from fic2book.errors import Fic2BookError

        assert isinstance(exc, Fic2BookError), exc
        return
    assert story.chapters

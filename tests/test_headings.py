"""Chapter headings in text."""

import pytest

from fic2book.read.rules.headings import HeadingInfo, find_headings, parse_heading


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("Chapter 1", HeadingInfo(1, None)),
        ("Chapter 12: The Long Road", HeadingInfo(12, "The Long Road")),
        ("CHAPTER SEVEN", HeadingInfo(7, None)),
        ("Chapter IV - Snow", HeadingInfo(4, "Snow")),
        ("Chapter 3: Chapter 3", HeadingInfo(3, None)),
        ("Prologue", HeadingInfo(None, "Prologue")),
        ("Epilogue: After", HeadingInfo(None, "Epilogue: After")),
        ("Part One", HeadingInfo(None, "Part One")),
    ],
)
def test_headings(line: str, want: HeadingInfo) -> None:
    assert parse_heading(line) == want


@pytest.mark.parametrize(
    "line",
    [
        "Chapter and verse were quoted at length by everyone in the room that day, loudly.",
        "The chapter ended.",
        "Chapterhouse",
        "",
    ],
)
def test_not_headings(line: str) -> None:
    assert parse_heading(line) is None


def test_headings_must_stand_alone_and_run_in_order() -> None:
    text = [
        "Chapter 1",
        "",
        "Text.",
        "",
        "Chapter 2",
        "",
        "More.",
        "",
        "Chapter 1",
        "",
        "Quoted.",
        "Chapter 3",
        "Not alone.",
        "",
        "Chapter 3",
        "",
    ]
    found = [(i, h.number) for i, h in find_headings(text)]
    assert found == [(0, 1), (4, 2), (14, 3)]

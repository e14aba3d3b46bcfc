"""Chapter headings in text: which lines start a chapter, and splitting the text there.

Conservative rules: a heading stands alone (blank lines or the file edge around it), is
short, and reads ``Chapter N``, ``Chapter N: Title``, ``Prologue``, ``Epilogue``,
``Interlude`` or ``Part One``. Numbered headings must run in order (each one more than
the last), so a stray ``Chapter 1`` quoted inside the story does not split it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER_WORDS = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
    *("seventeen", "eighteen", "nineteen", "twenty"),
]
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_NUM = r"(\d{1,4}|[ivxlc]{1,7}|" + "|".join(_NUMBER_WORDS) + r")"
_SEP = r"(?:\s*[:.\-–—]\s*|\s+)"

_CHAPTER = re.compile(rf"^(?:chapter|chap\.?|ch\.?)\s*{_NUM}(?:{_SEP}(.*))?$", re.IGNORECASE)
_NAMED = re.compile(
    r"^(prologue|epilogue|interlude|afterword|foreword|preface)(?:\s*[:.\-–—]\s*(.+))?$",
    re.IGNORECASE,
)
_PART = re.compile(rf"^part\s+{_NUM}(?:\s*[:.\-–—]\s*(.+))?$", re.IGNORECASE)
_MAX_LEN = 80


@dataclass(frozen=True)
class HeadingInfo:
    """What a chapter heading line says."""

    number: int | None
    """The chapter number, or None for a named or part heading."""
    title: str | None
    """The title without the ``Chapter N`` prefix, or None."""


def parse_number(token: str) -> int | None:
    """Read a chapter number written as digits, a word (``seven``) or a roman numeral."""
    t = token.lower()
    if t.isdigit():
        return int(t)
    if t in _NUMBER_WORDS:
        return _NUMBER_WORDS.index(t)
    if set(t) <= set(_ROMAN):
        total, prev = 0, 0
        for ch in reversed(t):
            value = _ROMAN[ch]
            total += -value if value < prev else value
            prev = max(prev, value)
        return total or None
    return None


def clean_title(title: str | None, number: int | None) -> str | None:
    """Drop a title that only repeats the number (``Chapter 3: Chapter 3``) or is empty."""
    if not title:
        return None
    t = title.strip(" :.-–—")
    if not t:
        return None
    again = _CHAPTER.match(t)
    if again and parse_number(again.group(1)) == number and not again.group(2):
        return None
    return t


def parse_heading(line: str) -> HeadingInfo | None:
    """Read a line as a chapter heading, or return None when it is not one."""
    s = line.strip().strip("#*_ ").strip()
    if not s or len(s) > _MAX_LEN:
        return None
    m = _CHAPTER.match(s)
    if m:
        number = parse_number(m.group(1))
        if number is None:
            return None
        title = m.group(2)
        if title and len(title.split()) > 12:
            return None
        return HeadingInfo(number, clean_title(title, number))
    m = _NAMED.match(s)
    if m:
        return HeadingInfo(None, s)
    m = _PART.match(s)
    if m:
        return HeadingInfo(None, s)
    return None


def _stands_alone(lines: list[str], i: int) -> bool:
    """A heading line has a blank line (or the file edge) on both sides."""
    before = i == 0 or not lines[i - 1].strip()
    after = i + 1 >= len(lines) or not lines[i + 1].strip()
    return before and after


def find_headings(lines: list[str]) -> list[tuple[int, HeadingInfo]]:
    """Find chapter heading lines, keeping numbered ones only while they run in order."""
    found: list[tuple[int, HeadingInfo]] = []
    last: int | None = None
    for i, line in enumerate(lines):
        info = parse_heading(line)
        if info is None or not _stands_alone(lines, i):
            continue
        if info.number is not None:
            if last is not None and info.number != last + 1:
                continue
            last = info.number
        found.append((i, info))
    return found


def split_at_headings(
    lines: list[str],
) -> tuple[list[str], list[tuple[HeadingInfo | None, list[str]]]]:
    """Split lines into the preamble before the first heading and one part per chapter."""
    heads = find_headings(lines)
    if not heads:
        return [], [(None, lines)]
    preamble = lines[: heads[0][0]]
    parts: list[tuple[HeadingInfo | None, list[str]]] = []
    for k, (i, info) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        parts.append((info, lines[i + 1 : end]))
    return preamble, parts

"""Inline text: emphasis markers in plain text, and helpers to tidy runs of inlines.

Rule: ``***word***`` becomes strong emphasis, ``**word**`` strong, ``*word*`` and
``_word_`` emphasis, but only at word boundaries (the marker is not touching a letter or
digit on its outer side, and not touching a space on its inner side), never inside a
word (``snake_case_name``, ``f***ing``) and never inside a URL.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable

from fic2book.model import Emph, Inline, LineBreak, Strong, Text, inline_text

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

# The markers, strongest first; on a tie at one position the first listed wins.
_MARKERS: tuple[tuple[str, Callable[[tuple[Inline, ...]], Inline]], ...] = (
    ("***", lambda children: Strong((Emph(children),))),
    ("**", Strong),
    ("*", Emph),
    ("_", Emph),
)
_WORD_CHAR = re.compile(r"\w")


def parse_emphasis(text: str) -> tuple[Inline, ...]:
    """Turn a line of plain text with emphasis markers into inlines (URLs left untouched)."""
    out: list[Inline] = []
    pos = 0
    for url in _URL.finditer(text):
        out.extend(_parse_markers(text[pos : url.start()]))
        out.append(Text(url.group(0)))
        pos = url.end()
    out.extend(_parse_markers(text[pos:]))
    return merge_text(out)


class _MarkerScan:
    """Where one marker can open and close in a text, found once, then matched in order.

    Rule (the same as the module's): an opener is not preceded by a word character or
    the marker character (the start of the text, or of what is left after the previous
    match, counts as a boundary) and is followed by neither a space nor the marker
    character; a closer is the mirror image. A span pairs an opener with the first
    closer after at least one character, on the same line. Finding every candidate once
    and pairing them with a binary search keeps a long paragraph linear, where a regular
    expression retried from every unclosed marker was quadratic.
    """

    def __init__(self, text: str, marker: str) -> None:
        self.text = text
        self.marker = marker
        ch = marker[0]
        n = len(marker)
        self.openers: list[int] = []
        self.closers: list[int] = []
        start = text.find(marker)
        while start >= 0:
            after = text[start + n : start + n + 1]
            if after and not after.isspace() and after != ch:
                self.openers.append(start)
            before = text[start - 1 : start] if start else ""
            end = text[start + n : start + n + 1]
            if before and not before.isspace() and before != ch and not _is_word_or(end, ch):
                self.closers.append(start)
            start = text.find(marker, start + 1)

    def first(self, pos: int) -> tuple[int, int] | None:
        """The first span (opener index, closer index) starting at or after ``pos``."""
        text, n, ch = self.text, len(self.marker), self.marker[0]
        k = bisect.bisect_left(self.openers, pos)
        while k < len(self.openers):
            i = self.openers[k]
            k += 1
            if i > pos and _is_word_or(text[i - 1], ch):
                continue
            c = bisect.bisect_left(self.closers, i + n + 1)
            if c == len(self.closers):
                return None  # no closer after this opener, so none after any later one
            j = self.closers[c]
            newline = text.find("\n", i, j)
            if newline < 0:
                return i, j
            k = bisect.bisect_left(self.openers, newline, k)
        return None


def _is_word_or(char: str, marker_char: str) -> bool:
    """True when a character is a word character or the marker character itself."""
    return bool(char) and (char == marker_char or bool(_WORD_CHAR.match(char)))


def _parse_markers(text: str) -> list[Inline]:
    """Find emphasis spans left to right, recursing only into a span's content."""
    if not text:
        return []
    if "*" not in text and "_" not in text:
        return [Text(text)]
    scans = [(_MarkerScan(text, marker), make) for marker, make in _MARKERS]
    out: list[Inline] = []
    pos = 0
    while True:
        best: tuple[int, int, int, Callable[[tuple[Inline, ...]], Inline]] | None = None
        for scan, make in scans:
            found = scan.first(pos)
            if found and (best is None or found[0] < best[0]):
                best = (found[0], found[1], len(scan.marker), make)
        if best is None:
            break
        i, j, n, make = best
        out.append(Text(text[pos:i]))
        out.append(make(tuple(_parse_markers(text[i + n : j]))))
        pos = j + n
    if pos < len(text):
        out.append(Text(text[pos:]))
    return out


def merge_text(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    """Join adjacent Text runs and drop empty ones. The pieces of a run are joined
    once (adding each to the run so far copied it again: quadratic on many lines)."""
    out: list[Inline] = []
    run: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            if node.text:
                run.append(node.text)
            continue
        if run:
            out.append(Text("".join(run)))
            run = []
        out.append(node)
    if run:
        out.append(Text("".join(run)))
    return tuple(out)


def strip_inlines(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Remove leading and trailing whitespace (and line breaks) from a run of inlines."""
    items = list(inlines)
    while items and (isinstance(items[0], LineBreak) or inline_text([items[0]]).strip() == ""):
        items.pop(0)
    while items and (isinstance(items[-1], LineBreak) or inline_text([items[-1]]).strip() == ""):
        items.pop()
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip())
    if items and isinstance(items[-1], Text):
        items[-1] = Text(items[-1].text.rstrip())
    return tuple(items)

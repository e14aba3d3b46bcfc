"""Inline text: emphasis markers in plain text, and helpers to read inlines back as text.

Rule: ``**word**`` becomes strong, ``*word*`` and ``_word_`` become emphasis, but only at
word boundaries (the marker is not touching a letter or digit on its outer side, and
not touching a space on its inner side), never inside a word (``snake_case_name``) and
never inside a URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from fic2book.model import Emph, Inline, LineBreak, Link, Span, Strike, Strong, Text, Underline

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

# One pattern per marker, tried strongest first. Outer side: not a word char nor the
# marker itself; inner side: not a space.
_MARKERS: tuple[tuple[re.Pattern[str], Callable[[tuple[Inline, ...]], Inline]], ...] = (
    (re.compile(r"(?<![\w*])\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*(?![\w*])"), Strong),
    (re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"), Emph),
    (re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"), Emph),
)


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


def _parse_markers(text: str) -> list[Inline]:
    """Apply the first marker pattern that matches, recursing into and around the match."""
    if not text:
        return []
    best: tuple[re.Match[str], Callable[[tuple[Inline, ...]], Inline]] | None = None
    for pattern, make in _MARKERS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0].start()):
            best = (m, make)
    if best is None:
        return [Text(text)]
    m, make = best
    inner = tuple(_parse_markers(m.group(1)))
    return [Text(text[: m.start()]), make(inner), *_parse_markers(text[m.end() :])]


def merge_text(inlines: Iterable[Inline]) -> tuple[Inline, ...]:
    """Join adjacent Text runs and drop empty ones."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
                continue
        out.append(node)
    return tuple(out)


def plain_text(inlines: Iterable[Inline]) -> str:
    """The text of some inlines, with line breaks as newlines and no markup."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        elif isinstance(node, Emph | Strong | Strike | Underline | Span | Link):
            parts.append(plain_text(node.children))
    return "".join(parts)


def strip_inlines(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Remove leading and trailing whitespace (and line breaks) from a run of inlines."""
    items = list(inlines)
    while items and (isinstance(items[0], LineBreak) or plain_text([items[0]]).strip() == ""):
        items.pop(0)
    while items and (isinstance(items[-1], LineBreak) or plain_text([items[-1]]).strip() == ""):
        items.pop()
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip())
    if items and isinstance(items[-1], Text):
        items[-1] = Text(items[-1].text.rstrip())
    return tuple(items)

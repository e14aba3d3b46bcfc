"""Which characters of a book no installed font can draw (they would print as boxes).

The rule: a character needs a glyph unless it is a space, a control, a format character
(joiners, direction marks) or a variation selector; it has one when any font fontconfig
knows covers it, since the PDF renderer (Pango) falls back to any installed font. The
union of every font's character set is read once per process with one ``fc-list`` call.
When fontconfig is missing, nothing is reported (nothing can be known).
"""

from __future__ import annotations

import bisect
from functools import cache

from fic2book.model import Book, Story, inline_text, iter_runs
from fic2book.render.cover import _needs_glyph, _parse_charset, fontconfig

Ranges = tuple[tuple[int, ...], tuple[int, ...]]


@cache
def installed_coverage() -> Ranges | None:
    """Every character some installed font has, as merged sorted ranges, or None when
    fontconfig cannot tell."""
    out = fontconfig("fc-list", "--format", "%{charset}\n", timeout=30)
    if not out:
        return None
    pairs = sorted(
        (start, end)
        for line in out.splitlines()
        for start, end in zip(*_parse_charset(line), strict=True)
    )
    starts: list[int] = []
    ends: list[int] = []
    for start, end in pairs:
        if ends and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return tuple(starts), tuple(ends)


def _covered(ranges: Ranges, code: int) -> bool:
    """Whether merged ranges hold a code point."""
    starts, ends = ranges
    i = bisect.bisect_right(starts, code) - 1
    return i >= 0 and code <= ends[i]


def story_text(story: Story) -> str:
    """Every character a story's book shows: titles, names, fields and all its text."""
    meta = story.metadata
    parts = [meta.title or "", *meta.authors, *meta.fandoms, *meta.relationships]
    parts += [*meta.characters, *meta.tags, *meta.warnings, meta.series or ""]
    parts += [value for _, value in meta.extra]
    parts += [chapter.title or "" for chapter in story.chapters]
    parts += [inline_text(run) for run in iter_runs(story)]
    return "".join(parts)


def missing_glyphs(text: str, coverage: Ranges | None = None) -> list[str]:
    """The distinct characters of a text that need a glyph no installed font has, in
    order of first appearance (empty when fontconfig cannot tell)."""
    ranges = coverage if coverage is not None else installed_coverage()
    if ranges is None:
        return []
    seen = dict.fromkeys(c for c in text if _needs_glyph(c))
    return [c for c in seen if not _covered(ranges, ord(c))]


def book_missing_glyphs(book: Book) -> list[str]:
    """``missing_glyphs`` over every story of a book."""
    return missing_glyphs("".join(story_text(s) for s in book.stories))


def describe(chars: list[str], limit: int = 12) -> str:
    """Characters named for a message: ``'𓀀' (U+13000), ...`` (at most ``limit``)."""
    named = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in chars[:limit])
    more = len(chars) - limit
    return named + (f" and {more} more" if more > 0 else "")

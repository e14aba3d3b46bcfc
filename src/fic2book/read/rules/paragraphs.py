"""Paragraph layout: from the lines of a text file to paragraphs, gaps, breaks and verse.

A file has one layout, measured once over all its story lines and then applied to each
chapter:

* **block** layout: every non-blank line is a paragraph; paragraphs are separated by a
  usual number of blank lines (the file's *separator*, usually one). A longer run of
  blank lines is a gap. Consecutive short lines with no blank line between them, in a
  file that otherwise separates paragraphs, are verse.
* **wrapped** layout: lines were cut near a fixed width, so consecutive lines join into
  one paragraph; paragraphs end at blank lines, or at an indented line when the file
  indents its paragraphs.
* **markdown** (asked for by the markdown reader): lines join as in wrapped text, two
  trailing spaces or a backslash force a line break, ``>`` starts a block quote.

AO3 text marks scene breaks with a non-breaking-space line, blank lines, and another
such line; a lone non-breaking-space line is an empty paragraph the author used as space.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from fic2book.model import (
    Block,
    BlockQuote,
    Gap,
    Heading,
    Inline,
    LineBreak,
    Paragraph,
    SceneBreak,
    Text,
    Verse,
    inline_text,
)
from fic2book.read.inlines import merge_text, parse_emphasis
from fic2book.read.rules.breaks import NBSP, is_nbsp_line, is_scene_break_line

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
_VERSE_MAX = 100
_SET_IN = 6
_VERSE_MEDIAN = 70


@dataclass(frozen=True)
class Layout:
    """How a file lays out its paragraphs."""

    wrapped: bool = False
    """Lines were hard-wrapped: consecutive lines join into one paragraph."""
    separator: int = 1
    """The usual number of blank lines between paragraphs (0: one paragraph per line)."""
    indented: bool = False
    """Paragraphs start with an indent (in wrapped text, an indent starts a paragraph)."""
    markdown: bool = False
    """Markdown rules for line breaks and block quotes."""
    width: int = 0
    """In wrapped text, the width lines were wrapped at (0 when unknown)."""
    indent: int = 0
    """The usual indent of a paragraph's first line, in columns (0: none)."""


def _is_blank(line: str) -> bool:
    """A blank line holds nothing but ordinary whitespace."""
    return not line.strip(" \t") or (not line.strip() and NBSP not in line)


def _separators(lines: list[str]) -> list[int]:
    """Count the blank lines between each pair of consecutive text lines."""
    counts: list[int] = []
    run = -1
    for line in lines:
        if is_nbsp_line(line):
            run = -1
        elif _is_blank(line):
            if run >= 0:
                run += 1
        else:
            if run >= 0:
                counts.append(run)
            run = 0
    return counts


def _looks_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped: most text lines continue onto the next, cut near one width.

    Rule: at least half the text lines are followed by another text line, the longest
    lines sit between 50 and 100 columns, and most continued lines come close to that
    width (poems have continued lines too, but of every length). Lines set in by
    ``_SET_IN`` columns or more (verse, letters inside the prose) are not measured.
    """
    lines = [ln for ln in lines if _indent(ln) < _SET_IN]
    text = [ln.rstrip() for ln in lines if not _is_blank(ln) and not is_nbsp_line(ln)]
    if len(text) < 6:
        return False
    lengths = sorted(len(t) for t in text)
    width = lengths[int(len(lengths) * 0.9) - 1]
    if not 50 <= width <= 100 or sum(n > width + 15 for n in lengths) > len(lengths) * 0.03:
        return False
    pairs = [
        (a.rstrip(), b.strip())
        for a, b in itertools.pairwise(lines)
        if not _is_blank(a) and not _is_blank(b)
    ]
    continued = [len(a) for a, _ in pairs]
    pairs = [(a, b) for a, b in pairs if a.strip() and b.strip()]
    if len(continued) >= len(text) * 0.5:
        near = sum(n >= width * 0.75 for n in continued)
        if near >= len(continued) * 0.6:
            return True
    return _cut_for_width(pairs, width)


def _cut_for_width(pairs: list[tuple[str, str]], width: int) -> bool:
    """Lines cut because the next word would not fit, even when short paragraphs abound.

    Rule: at least three lines run on into the next, and nearly all of those (90%) come
    near the file's ``width`` and end where the next line's first word would have pushed
    them past the wrap width (the longest such line). A file of one-line paragraphs
    (dialogue) with wrapped narration between them passes; verse fails, since a poet
    ends lines where the next word would still fit, and at every length.
    """
    if len(pairs) < 3:
        return False
    wrap = max(len(a) for a, _ in pairs)
    cut = sum(len(a) >= width * 0.75 and len(a) + 1 + len(b.split()[0]) > wrap for a, b in pairs)
    return cut >= len(pairs) * 0.9


def detect_layout(lines: list[str], *, markdown: bool = False) -> Layout:
    """Measure a file's layout from all its story lines (see the module docstring)."""
    wrapped = markdown or _looks_wrapped(lines)
    counts = _separators(lines)
    nonzero = [c for c in counts if c > 0]
    zeros = len(counts) - len(nonzero)
    if not wrapped and zeros > 2 * len(nonzero):
        separator = 0
    else:
        separator = Counter(nonzero).most_common(1)[0][0] if nonzero else 1
    text = [ln for ln in lines if ln.strip()]
    indented = sum(ln[:1] in (" ", "\t") for ln in text) > len(text) * 0.3 if text else False
    indents = Counter(_indent(ln) for ln in text if _indent(ln))
    lengths = sorted(len(ln.rstrip()) for ln in text)
    return Layout(
        wrapped=wrapped,
        separator=separator,
        indented=indented,
        markdown=markdown,
        width=lengths[int(len(lengths) * 0.9) - 1] if wrapped and len(lengths) >= 2 else 0,
        indent=indents.most_common(1)[0][0] if indented and indents else 0,
    )


def _indent(line: str) -> int:
    """A line's indent in columns (a tab counts as four)."""
    expanded = line.replace("\t", "    ")
    return len(expanded) - len(expanded.lstrip(" "))


def blocks_from_lines(lines: list[str], layout: Layout | None = None) -> tuple[Block, ...]:
    """Read a chapter's lines into blocks under the file's layout."""
    layout = layout or detect_layout(lines)
    verse = _set_in_verse(lines, layout)
    blocks: list[Block] = []
    run: list[str] = []
    run_verse: int | None = None
    pending: list[str] = []

    def flush_run() -> None:
        if run and run_verse is not None:
            blocks.append(Verse(tuple(parse_emphasis(ln.strip()) for ln in run)))
        elif run:
            blocks.extend(_run_blocks(run, layout))
        run.clear()

    for k, line in enumerate(lines):
        if _is_blank(line) or is_nbsp_line(line):
            pending.append(line)
            continue
        if pending:
            flush_run()
            sep = _separator_block(pending, layout)
            if sep is not None:
                blocks.append(sep)
            pending = []
        if verse[k] != run_verse:
            flush_run()
            run_verse = verse[k]
        elif run_verse is None and layout.wrapped and layout.indented and line[:1] in " \t":
            flush_run()
        run.append(line)
    flush_run()
    return tidy(blocks)


def _is_verse_line(line: str, layout: Layout) -> bool:
    """In wrapped prose, a line set in from the prose (deeper than a paragraph's own
    indent) and well short of the wrap width: a line of verse, a letter, a song."""
    return _indent(line) > layout.indent + 1 and _is_short(line, layout)


def _is_short(line: str, layout: Layout) -> bool:
    """A line well short of the wrap width."""
    return len(line.rstrip()) < layout.width * 0.85


def _set_in_verse(lines: list[str], layout: Layout) -> list[int | None]:
    """Which lines of wrapped prose are verse, as a group number per line (None: prose).

    Rules: two or more consecutive lines set in deeper than the prose and well short of
    the wrap width are verse (``_is_verse_line``); so are four or more consecutive short
    lines whose indents alternate (every other line set in). Blank lines end a group.
    """
    out: list[int | None] = [None] * len(lines)
    if not layout.wrapped or layout.markdown or not layout.width:
        return out
    groups = 0
    k = 0
    while k < len(lines):
        end = _verse_end(lines, k, layout)
        if end > k:
            groups += 1
            out[k:end] = [groups] * (end - k)
            k = end
        else:
            k += 1
    return out


def _verse_end(lines: list[str], k: int, layout: Layout) -> int:
    """The end of a verse group starting at line ``k``, or ``k`` when none starts there."""
    end = k
    while end < len(lines) and lines[end].strip() and _is_verse_line(lines[end], layout):
        end += 1
    if end - k >= 2:
        return end
    end = k
    while (
        end < len(lines)
        and lines[end].strip()
        and _is_short(lines[end], layout)
        and (end == k or _deep(lines[end], layout) != _deep(lines[end - 1], layout))
    ):
        end += 1
    return end if end - k >= 4 else k


def _deep(line: str, layout: Layout) -> bool:
    """A line set in deeper than a paragraph's own indent."""
    return _indent(line) > layout.indent + 1


def _separator_block(pending: list[str], layout: Layout) -> Block | None:
    """What the blank lines between two text lines mean.

    Two non-breaking-space lines are AO3's scene break; one is a gap; more blank lines
    than the file's usual separator are a gap; otherwise it is a paragraph boundary
    (None).
    """
    nbsp = sum(is_nbsp_line(p) for p in pending)
    if nbsp >= 2:
        return SceneBreak(NBSP)
    if nbsp == 1 or len(pending) > layout.separator:
        return Gap()
    return None


def _run_blocks(run: list[str], layout: Layout) -> list[Block]:
    """Blocks from a run of consecutive text lines (no blank line between them).

    In markdown, a run of ``>`` lines is one block quote, read before break markers so
    that a lone ``>`` (a quoted blank line) is not mistaken for one.
    """
    if layout.markdown and all(ln.lstrip().startswith(">") for ln in run):
        inner = [re.sub(r"^\s*>\s?", "", ln) for ln in run]
        return [BlockQuote(blocks_from_lines(inner, layout))]
    out: list[Block] = []
    piece: list[str] = []
    for line in run:
        if is_scene_break_line(line) and not (layout.markdown and _is_setext(piece, line)):
            if piece:
                out.extend(_piece_blocks(piece, layout))
                piece = []
            out.append(SceneBreak(line.strip()))
        else:
            piece.append(line)
    if piece:
        out.extend(_piece_blocks(piece, layout))
    return out


def _is_setext(piece: list[str], line: str) -> bool:
    """A markdown ``---`` or ``===`` line right under text underlines a heading."""
    return bool(piece) and bool(re.fullmatch(r"\s*(=+|-+)\s*", line))


def md_heading(line: str) -> tuple[int, str] | None:
    """A markdown ATX heading (``## Title ##``) as its level and text, else None.

    The closing run of ``#`` and the spaces around it are removed with string methods
    after a regular expression with no lazy part: ``(.*?)\\s*#*\\s*$`` retried the tail
    from every position, quadratic on a heading padded with ``#`` or spaces.
    """
    m = _MD_HEADING.match(line)
    if m is None:
        return None
    return len(m.group(1)), m.group(2).rstrip().rstrip("#").rstrip()


def _piece_blocks(lines: list[str], layout: Layout) -> list[Block]:
    """Blocks from consecutive text lines with no break marker among them."""
    if layout.markdown and len(lines) == 1 and (h := md_heading(lines[0])):
        return [Heading(h[0], parse_emphasis(h[1]))]
    if layout.markdown:
        return [_markdown_paragraph(lines)]
    if layout.wrapped:
        return [Paragraph(parse_emphasis(" ".join(ln.strip() for ln in lines)))]
    if len(lines) > 1 and layout.separator > 0 and is_verse(lines):
        return [Verse(tuple(parse_emphasis(ln.strip()) for ln in lines))]
    return [Paragraph(parse_emphasis(ln.strip())) for ln in lines]


def is_verse(lines: list[str]) -> bool:
    """Consecutive lines are verse when every one is short and most are very short."""
    lengths = [len(ln.strip()) for ln in lines]
    return max(lengths) <= _VERSE_MAX and statistics.median(lengths) <= _VERSE_MEDIAN


def _markdown_paragraph(lines: list[str]) -> Block:
    """Join markdown lines; a line ending in two spaces or a backslash keeps its break.

    When every line but the last ends in a hard break, the lines are verse.
    """
    hard = [ln.endswith("  ") or ln.rstrip().endswith("\\") for ln in lines[:-1]]
    cleaned = [re.sub(r"\\$", "", ln.rstrip()).strip() for ln in lines]
    if hard and all(hard):
        return Verse(tuple(parse_emphasis(ln) for ln in cleaned))
    inlines: list[Inline] = []
    for i, ln in enumerate(cleaned):
        if i:
            inlines.append(LineBreak() if hard[i - 1] else Text(" "))
        inlines.extend(parse_emphasis(ln))
    return Paragraph(merge_text(inlines))


# --------------------------------------------------------------------------- tidying

_POINTER = re.compile(
    r"^\s*\(See the end of the (?:chapter|work) for (?:more )?notes\.?\)\s*$", re.IGNORECASE
)
_FOOTNOTE = re.compile(r"^\s*(?:\[\d{1,3}\]|\(\d{1,3}\)|[¹²³⁴⁵⁶⁷⁸⁹]|\*{1,3}\s|\d{1,2}\.\s|†)")
_RECORD_LINE = re.compile(r"^[A-Z][\w .'/&()-]{0,30}:\s+\S")
_RECORD_MIN = 3
_RECORD_MAX_LEN = 140


def tidy(blocks: list[Block]) -> tuple[Block, ...]:
    """Clean a block list: records grouped, separators merged, none at either end.

    Rules: a scene break absorbs gaps next to it; two breaks in a row are one; a chapter
    neither starts nor ends with a break or a gap; AO3's non-breaking-space break right
    before footnotes (``[1] ...``, ``¹ ...``) is only a gap; AO3's ``(See the end of the
    chapter for notes.)`` pointer is dropped.
    """
    blocks = _footnote_gaps([b for b in group_records(blocks) if not is_pointer(b)])
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Gap | SceneBreak) and out and isinstance(out[-1], Gap | SceneBreak):
            if isinstance(block, SceneBreak) and isinstance(out[-1], Gap):
                out[-1] = block
            continue
        out.append(block)
    while out and isinstance(out[0], Gap | SceneBreak):
        out.pop(0)
    while out and isinstance(out[-1], Gap | SceneBreak):
        out.pop()
    return tuple(out)


def is_pointer(block: Block) -> bool:
    """AO3's ``(See the end of the chapter for notes.)`` line, which only points elsewhere."""
    return isinstance(block, Paragraph) and bool(_POINTER.match(inline_text(block.inlines)))


def _footnote_gaps(blocks: list[Block]) -> list[Block]:
    """A non-breaking-space break followed by a footnote paragraph becomes a gap."""
    out = list(blocks)
    for k in range(len(out) - 1):
        here, after = out[k], out[k + 1]
        if (
            isinstance(here, SceneBreak)
            and here.marker == NBSP
            and isinstance(after, Paragraph)
            and _FOOTNOTE.match(inline_text(after.inlines))
        ):
            out[k] = Gap()
    return out


def group_records(blocks: list[Block]) -> list[Block]:
    """Three or more consecutive ``Label: value`` paragraphs (or verse lines) are a record.

    A record (a character sheet, a bingo-book entry, a form) keeps each field on its
    own line, so it becomes a Verse with the ``record`` role.
    """
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if (
            isinstance(block, Verse)
            and len(block.lines) >= _RECORD_MIN
            and all(_is_record_text(inline_text(line)) for line in block.lines)
        ):
            out.append(Verse(block.lines, role="record"))
            i += 1
            continue
        j = i
        while j < len(blocks) and _is_record_line(blocks[j]):
            j += 1
        if j - i >= _RECORD_MIN:
            lines = tuple(b.inlines for b in blocks[i:j] if isinstance(b, Paragraph))
            out.append(Verse(lines, role="record"))
            i = j
        else:
            out.append(blocks[i])
            i += 1
    return out


def _is_record_line(block: Block) -> bool:
    """A short paragraph that starts with a capitalised label and a colon."""
    if not isinstance(block, Paragraph):
        return False
    return _is_record_text(inline_text(block.inlines))


def _is_record_text(text: str) -> bool:
    """A short line that starts with a capitalised label and a colon."""
    return len(text) <= _RECORD_MAX_LEN and bool(_RECORD_LINE.match(text))

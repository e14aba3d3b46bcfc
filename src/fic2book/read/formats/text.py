"""Plain text and ``key: value`` header text (FORMATS.md dialects 3, 4 and hard-wrapped 5).

A header is a block of recognised ``Key: value`` lines at the top of the file (and
sometimes a second one at the very end); a value may run on over the following lines
until a blank line. Only recognised keys count, and only at the edges: ``Age: 11`` in
the middle of the story is story text. Plain text may open with a title line and a
``by Name`` line, and with the author talking to readers before the story starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fic2book.lang.labels import FIELD_OF_LABEL, is_known_label, normalize_label
from fic2book.model import Chapter, Paragraph
from fic2book.read.draft import Draft, MetaBuilder, text_blocks
from fic2book.read.rules.edges import peel_edges
from fic2book.read.rules.headings import HeadingInfo, parse_heading, split_at_headings
from fic2book.read.rules.notes import NOTE_LABEL, is_labelled_note, note, sort_notes
from fic2book.read.rules.paragraphs import Layout, blocks_from_lines, detect_layout
from fic2book.read.rules.ruler import Ruler

_KEY_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z '’/&.]{0,24}?)\s*[:：]\s*(.*)$")
# "by", then a colon with spaces after it, or spaces alone: the two never overlap, so a
# long run of spaces is read once (``\s*:?\s+`` split every run of n spaces n ways).
_BYLINE = re.compile(r"^\s*(?:by|written by|author)(?:\s*:\s+|\s+)(\S.{0,60})$", re.IGNORECASE)
_TEXT_FIELDS = {"summary", "notes", "disclaimer"}
_ILLUSTRATION = re.compile(r"^\s*\[(?:illustration|image|picture)[^\]]*\]\s*$", re.IGNORECASE)
_MAX_LEAD_LINES = 3
_PG_START = re.compile(r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG", re.IGNORECASE)
_PG_END = re.compile(r"^\s*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG", re.IGNORECASE)
_CONTENTS = re.compile(r"^\s*(?:table of\s+)?contents\s*:?\s*$", re.IGNORECASE)
_CONTENTS_LINE_MAX = 70
# Words that start a sentence after "by" ("by the time", "by then"), never a pen name.
_NOT_A_NAME = {
    *("the", "a", "an", "this", "that", "these", "those", "then", "now", "noon", "night"),
    *("nightfall", "morning", "evening", "dawn", "dusk", "midnight", "sunset", "sunrise"),
    *("tomorrow", "today", "tonight", "my", "his", "her", "their", "our", "your", "its"),
    *("all", "no", "means", "way", "far", "himself", "herself", "myself", "themselves"),
    *("itself", "which", "what", "who", "whom", "how", "accident", "chance", "design"),
    *("mistake", "hand", "heart", "foot", "car", "train", "bus", "boat", "mail", "post"),
}


def key_value(line: str) -> tuple[str, str] | None:
    """Read ``Key: value`` when the key is one we recognise, else None."""
    m = _KEY_LINE.match(line)
    if not m or not is_known_label(m.group(1)):
        return None
    return m.group(1), m.group(2)


def _next_text(lines: list[str], i: int) -> int:
    """Index of the next non-blank line at or after i (len(lines) when none)."""
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def read_header(lines: list[str], start: int = 0) -> tuple[list[tuple[str, str]], int]:
    """Read a leading header block; return its fields and the index where the story starts.

    Rule: recognised key lines, possibly with blank lines between them; a value runs on
    over the next lines until a blank line, but only for a key whose value is still empty
    or is free text (summary, notes, disclaimer).
    """
    fields: list[tuple[str, str]] = []
    i = _next_text(lines, start)
    while i < len(lines):
        kv = key_value(lines[i])
        if kv is None:
            break
        label, value = kv
        i += 1
        free = FIELD_OF_LABEL.get(normalize_label(label)) in _TEXT_FIELDS
        while i < len(lines) and lines[i].strip() and key_value(lines[i]) is None:
            if not (free or not value.strip()):
                break
            value = join_value(value, lines[i].strip(), free=free)
            i += 1
        fields.append((label, value))
        j = _next_text(lines, i)
        if j < len(lines) and key_value(lines[j]) is not None:
            i = j
        elif i < len(lines) and lines[i].strip():
            break
        else:
            i = j
            break
    if not fields:
        return [], start
    return fields, i


def join_value(value: str, line: str, *, free: bool) -> str:
    """Add a continuation line to a header value.

    Rule: in free text (summary, notes, disclaimer) a line that follows one ending
    mid-sentence (no closing punctuation) continues the same paragraph: the value was
    hard-wrapped. Otherwise the line break is kept (a list, or a new sentence's line).
    """
    if not value.strip():
        return line
    if free and not value.rstrip().endswith((".", "!", "?", ":", '"', "”", "’", ")", "…")):
        return f"{value.rstrip()} {line}"
    return f"{value}\n{line}"


def read_trailer(lines: list[str]) -> tuple[list[tuple[str, str]], int]:
    """Read a trailing block of recognised one-line ``Key: value`` fields at the file's end.

    Returns the fields and the index where the trailer starts (len(lines) when none).
    """
    fields: list[tuple[str, str]] = []
    end = len(lines)
    i = end - 1
    while i >= 0:
        if not lines[i].strip():
            i -= 1
            continue
        kv = key_value(lines[i])
        if kv is None or (i > 0 and lines[i - 1].strip() and key_value(lines[i - 1]) is None):
            break
        fields.insert(0, kv)
        end = i
        i -= 1
    return fields, end


def read_title_lines(lines: list[str], meta: MetaBuilder) -> int:
    """A plain file may open with a title line and a ``by Name`` line; read them.

    Rule: the first non-blank line is short and not a sentence, and the next non-blank
    line is a byline. Up to ``_MAX_LEAD_LINES`` lines before the title that are an
    ``[Illustration]`` mark or a note (``A/N: ...``) are passed over; the notes become
    work notes. Returns where the rest begins.
    """
    i = _next_text(lines, 0)
    skipped: list[str] = []
    while (
        i < len(lines)
        and len(skipped) < _MAX_LEAD_LINES
        and (_ILLUSTRATION.match(lines[i]) or is_labelled_note(lines[i]))
    ):
        skipped.append(lines[i].strip())
        i = _next_text(lines, i + 1)
    start = read_title_pair(lines, i, meta)
    if start == 0 and skipped:
        return read_title_pair(lines, _next_text(lines, 0), meta)
    notes = [NOTE_LABEL.sub("", ln) for ln in skipped if not _ILLUSTRATION.match(ln)]
    meta.add_blocks("notes", text_blocks("\n".join(notes)))
    return start


def read_title_pair(lines: list[str], i: int, meta: MetaBuilder) -> int:
    """A title line at ``i`` and a byline after it (see ``read_title_lines``); returns
    where the rest begins, or 0 when the lines are not a title and byline."""
    j = _next_text(lines, i + 1)
    if i >= len(lines) or j >= len(lines):
        return 0
    title = lines[i].strip()
    author = byline_name(lines[j])
    if author and len(title) <= 80 and not title.endswith((".", ",", "!", "?", '"', "”")):
        meta.set("title", title)
        meta.set("authors", author)
        return j + 1
    return 0


def byline_name(line: str) -> str | None:
    """The name in a byline (``by Corrie Vane``, ``Written by: amberlark``), or None.

    Rule: ``by`` and at most six words that read as a name: no sentence punctuation at
    the end, no clause after a comma, and not a phrase such as ``by the time`` or
    ``by morning`` (a sentence that happens to start with "by").
    """
    m = _BYLINE.match(line)
    if not m:
        return None
    name = m.group(1).strip()
    words = name.split()
    if len(words) > 6 or name.endswith((".", "!", "?", ";", ":", '"', "”", "…")):
        return None
    if re.search(r",\s*(?!and\b|&)[a-z]", name):
        return None
    if words[0] in _NOT_A_NAME:
        return None
    return name


def add_fields(meta: MetaBuilder, fields: list[tuple[str, str]], *, trailing: bool) -> None:
    """Record header fields; notes in a trailing block are end notes."""
    for label, value in fields:
        name = FIELD_OF_LABEL.get(normalize_label(label))
        if trailing and name == "notes":
            meta.set("end_notes", value)
        else:
            meta.add(label, value)


@dataclass
class TextState:
    """What the text rules share: the lines still to read, what was read so far, and
    whether the file is header text (its first line a recognised ``Key: value``)."""

    lines: list[str]
    """The lines not yet taken by a rule."""
    header: bool
    """The file opens with a header block."""
    draft: Draft = field(default_factory=Draft)
    """The metadata and chapters read so far."""


def gutenberg_rule(state: TextState) -> None:
    """A Project Gutenberg text: its header's fields read, its header prose and licence
    set apart as the disclaimer and end notes, and only the book left to read (no
    header block after that)."""
    parts = split_gutenberg(state.lines)
    if parts is not None:
        state.lines = read_gutenberg_edges(*parts, state.draft.meta)
        state.header = False


def header_rule(state: TextState) -> None:
    """Header text: the leading ``Key: value`` block is metadata (``read_header``)."""
    if state.header:
        fields, start = read_header(state.lines)
        add_fields(state.draft.meta, fields, trailing=False)
        state.lines = state.lines[start:]


def trailer_rule(state: TextState) -> None:
    """A trailing block of ``Key: value`` lines is metadata in header text, or in any
    text when it holds two fields or more (one could be the story's last line)."""
    trailer, end = read_trailer(state.lines)
    if state.header or len(trailer) >= 2:
        add_fields(state.draft.meta, trailer, trailing=True)
        state.lines = state.lines[:end]


def title_rule(state: TextState) -> None:
    """Plain text with no title yet may open with a title line and a byline
    (``read_title_lines``)."""
    if not state.header and not state.draft.meta.has("title"):
        state.lines = state.lines[read_title_lines(state.lines, state.draft.meta) :]


def contents_rule(state: TextState) -> None:
    """A table of contents near the top is front matter: dropped (``drop_contents``)."""
    state.lines = drop_contents(state.lines)


def chapters_rule(state: TextState) -> None:
    """The rest is the story: split at chapter headings, each part's lines read into
    blocks under the file's layout, notes peeled off the edges (``build_chapters``)."""
    state.draft.chapters = build_chapters(state.lines, state.draft.meta, detect_layout(state.lines))


TEXT_RULES: Ruler[TextState] = Ruler(
    [
        ("gutenberg", gutenberg_rule),
        ("header", header_rule),
        ("trailer", trailer_rule),
        ("title", title_rule),
        ("contents", contents_rule),
        ("chapters", chapters_rule),
    ]
)
"""The plain and header text reader: its rules, in the order they run."""


def read_text(text: str, *, header: bool) -> Draft:
    """Read plain or header text into a draft story with ``TEXT_RULES``."""
    return TEXT_RULES.run(TextState(text.split("\n"), header)).draft


def split_gutenberg(lines: list[str]) -> tuple[list[str], list[str], list[str]] | None:
    """A Project Gutenberg text's three parts: the header before ``*** START OF THE
    PROJECT GUTENBERG EBOOK ... ***``, the book, and the licence after ``*** END OF
    ...``; None when the file has no such markers."""
    start = next((i for i, ln in enumerate(lines) if _PG_START.match(ln)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if _PG_END.match(lines[i])), len(lines))
    return lines[:start], lines[start + 1 : end], lines[end + 1 :]


def read_gutenberg_edges(
    head: list[str], body: list[str], tail: list[str], meta: MetaBuilder
) -> list[str]:
    """Read a Gutenberg header's ``Title:``/``Author:``/``Language:`` lines, keep its
    licence paragraphs and the closing licence as the disclaimer (set apart, never
    story), and return the book's lines."""
    prose: list[str] = []
    for line in head:
        kv = key_value(line)
        if kv is not None:
            meta.add(*kv)
        else:
            prose.append(line)
    meta.add_blocks("disclaimer", text_blocks(_joined_paragraphs(prose)))
    meta.add_blocks("end_notes", text_blocks(_joined_paragraphs(tail)))
    return body


def _joined_paragraphs(lines: list[str]) -> str:
    """Blank-line separated paragraphs, each joined onto one line, one per line."""
    paragraphs = " ".join(ln.strip() if ln.strip() else "\n" for ln in lines).split("\n")
    return "\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def drop_contents(lines: list[str]) -> list[str]:
    """Drop a table of contents near the top: a ``Contents`` line and the short lines
    after it, up to the first that repeats its first entry's heading (where the text
    really starts) or a long line. It is front matter: never chapters, never notes."""
    at = next((i for i, ln in enumerate(lines[:300]) if _CONTENTS.match(ln)), None)
    if at is None:
        return lines
    entries: list[str] = []
    j = at + 1
    by_text = False
    while j < len(lines):
        s = lines[j].strip()
        if s and entries and _same_heading(s, entries[0]):
            by_text = parse_heading(s) is None
            break
        if s and len(s) > _CONTENTS_LINE_MAX:
            break
        if s:
            entries.append(s)
        j += 1
    if len(entries) < 2 or j >= len(lines):
        return lines
    k = j - 1
    while k > at and not lines[k].strip():
        k -= 1
    if by_text and parse_heading(lines[k]) is not None and lines[k].strip() == entries[-1]:
        j = k  # the chapter's own heading, its title on the line the entry matched
    return lines[:at] + lines[j:]


def _same_heading(line: str, entry: str) -> bool:
    """Whether a line is the heading a contents entry points to (same number or text)."""
    a, b = parse_heading(line), parse_heading(entry)
    if a is not None and b is not None and a.number is not None:
        return a.number == b.number
    return " ".join(line.lower().split()) == " ".join(entry.lower().split())


def build_chapters(lines: list[str], meta: MetaBuilder, layout: Layout) -> list[Chapter]:
    """Split text at chapter headings and read each part, peeling notes off the edges.

    Notes before the first heading (or, in a file with no heading, at the start of the
    text) are the work's notes, and notes closing the untitled text before the first
    heading are that text's end notes; notes at the end of the last chapter are end
    notes when the file has a single chapter, and that chapter's notes otherwise.
    """
    preamble, parts = split_at_headings(lines)
    return chapters_from_parts(preamble, parts, meta, layout)


def chapters_from_parts(
    preamble: list[str],
    parts: list[tuple[HeadingInfo | None, list[str]]],
    meta: MetaBuilder,
    layout: Layout,
) -> list[Chapter]:
    """Read the preamble and each chapter's lines (see ``build_chapters``)."""
    pre_blocks = blocks_from_lines(preamble, layout) if preamble else ()
    edges = peel_edges(pre_blocks, title=meta.text("title"), authors=meta.items("authors"), keep=0)
    lead, pre_story, trail = edges.lead, edges.blocks, edges.trail
    _store_work_notes(meta, lead)
    chapters: list[Chapter] = []
    if pre_story:
        disclaimer, after = sort_notes(trail)
        meta.add_blocks("disclaimer", disclaimer)
        chapters.append(Chapter(number=None, blocks=pre_story, notes_after=note("end-note", after)))
    single = len(parts) == 1
    for k, (info, part) in enumerate(parts):
        chapters.append(_chapter(info, part, layout, meta, work_level=single and k == 0))
    return chapters


def _store_work_notes(meta: MetaBuilder, paragraphs: list[Paragraph]) -> None:
    """Work-level notes: disclaimers to the disclaimer, the rest to the work notes."""
    disclaimer, notes = sort_notes(paragraphs)
    meta.add_blocks("disclaimer", disclaimer)
    meta.add_blocks("notes", notes)


def _chapter(
    info: HeadingInfo | None,
    lines: list[str],
    layout: Layout,
    meta: MetaBuilder,
    *,
    work_level: bool,
) -> Chapter:
    """One chapter from its lines (its edges read by ``edges.peel_edges``); in a
    one-chapter file its edge notes are the work's."""
    number = info.number if info else None
    title = info.title if info else None
    edges = peel_edges(
        blocks_from_lines(lines, layout),
        title=meta.text("title"),
        authors=meta.items("authors"),
        number=number,
        chapter_title=title,
    )
    if edges.heading is not None:
        number, title = edges.heading.number, edges.heading.title
    lead, blocks, trail = edges.lead, edges.blocks, edges.trail
    if work_level:
        _store_work_notes(meta, lead)
        disclaimer, end = sort_notes(trail)
        meta.add_blocks("disclaimer", disclaimer)
        meta.add_blocks("end_notes", end)
        return Chapter(number=number, title=title, blocks=blocks)
    lead_disc, lead_notes = sort_notes(lead)
    trail_disc, trail_notes = sort_notes(trail)
    meta.add_blocks("disclaimer", lead_disc + trail_disc)
    return Chapter(
        number=number,
        title=title,
        notes_before=note("author-note", lead_notes),
        blocks=blocks,
        notes_after=note("end-note", trail_notes),
    )

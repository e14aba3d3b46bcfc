"""AO3 page text copied from the browser (FORMATS.md dialect 1, the ``ao3`` adapter).

Page text is read in regions. AO3 marks where each chapter's text begins with a
``Chapter Text`` line (``Work Text:`` on a one-chapter work); everything between the end
of one chapter's text and the next marker is that chapter's head (``Chapter N: Title``,
its ``Summary:`` and ``Notes:``); the text before the first chapter is the work's preface
(tags, title, byline, summary, notes); a ``Notes:`` line after a chapter's text starts
its end notes. Page chrome (``Actions``, ``Work Header``, navigation, kudos prompts,
``Series this work belongs to:`` and what follows) is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fic2book.limits import small_int
from fic2book.model import Block, Chapter
from fic2book.read.draft import Draft, MetaBuilder, text_blocks
from fic2book.read.rules.notes import is_author_note, note
from fic2book.read.rules.paragraphs import Layout, blocks_from_lines, detect_layout
from fic2book.read.sites.ao3.common import (
    STAT_LABELS,
    TAG_LABELS,
)
from fic2book.read.sites.base import Kind, Source

MARKERS = {"chapter text", "work text:", "work text"}
CHROME = {
    "actions",
    "work header",
    "chapter management",
    "entire work",
    "chapter index",
    "full-page index",
    "share",
    "download",
    "comments",
    "kudos",
    "kudos ♥",
    "bookmark",
    "subscribe",
    "mark for later",
    "hide comments",
    "post comment",
    "leave kudos",
    "↑ top",
    "top",
    "← previous chapter",
    "next chapter →",
    "previous chapter",
    "next chapter",
    "« previous chapter",
    "next chapter »",
    "edit",
    "edit tags",
    "add chapter",
    "delete",
}
_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z ]{1,20}):\s*(.*)$")
_HEADING = re.compile(r"^\s*Chapter\s+(\d+)\s*(?::\s*(.*))?$")
_POINTER = re.compile(r"^\s*\(See the end of the (chapter|work) for (?:more )?notes\.\)\s*$", re.I)
_SECTION = re.compile(r"^\s*(Summary|Notes|Chapter Summary|Chapter Notes|End Notes):\s*$")
# A section label with its text on the same line (``Summary: Mara fixes the lamp.``).
# (``((?:.*\S)?)`` is ``(.*?)`` before ``\s*$`` without retrying the spaces after it
# from each of its characters: quadratic on a label followed by long runs of spaces.)
_SECTION_INLINE = re.compile(
    r"^\s*(Summary|Notes|Chapter Summary|Chapter Notes|End Notes):\s*((?:.*\S)?)\s*$"
)
_SERIES_CUT = re.compile(r"^\s*Series this work belongs to:\s*$")
# Series lines are matched on text with its spaces collapsed, by patterns with no lazy
# part (``(.+?)\s*$`` retried the tail from every position: quadratic on long spaces);
# ``_series_part`` trims the name.
_SERIES_PART = re.compile(r"Part\s+(\d+)\s+of\s+(?:the\s+)?(\S.*)$")
_ARROWS = re.compile(r"^[\s←→↑↓«»‹›]*$")


def looks_like_ao3(text: str) -> int:
    """Score how strongly a text looks like a copied AO3 page (3 or more: it is one)."""
    head = text[:20000]
    score = 0
    # ``[^\S\n]*`` where ``^\s*`` would cross blank lines: it was tried from every
    # line start of thousands of blank lines, each time to their end.
    for pattern, weight in (
        (r"(?m)^[^\S\n]*Chapter Text\s*$", 3),
        (r"(?m)^[^\S\n]*Work Text:\s*$", 3),
        (r"(?m)^[^\S\n]*Work Header\s*$", 2),
        (r"(?m)^[^\S\n]*Archive Warnings?:", 2),
        (r"(?m)^[^\S\n]*Additional Tags:", 2),
        (r"(?m)^[^\S\n]*\(See the end of the (?:chapter|work) for (?:more )?notes\.\)", 2),
        (r"(?m)^[^\S\n]*Series this work belongs to:", 2),
        (r"(?m)^[^\S\n]*Stats:\s*$", 1),
        (r"(?m)^[^\S\n]*Summary:\s*$", 1),
        (r"(?m)^[^\S\n]*Notes:\s*$", 1),
    ):
        if re.search(pattern, head):
            score += weight
    return score


def _key(line: str) -> str:
    """A line compared without case and surrounding space."""
    return line.strip().lower()


def _is_chrome(line: str) -> bool:
    """Page chrome: a known navigation or action label, or a line of arrows."""
    return _key(line) in CHROME or (bool(line.strip()) and bool(_ARROWS.match(line)))


@dataclass
class _Head:
    """A chapter's head: its heading and the sections before its text."""

    number: int | None = None
    title: str | None = None
    sections: dict[str, list[str]] = field(default_factory=dict)


def read_ao3_text(text: str) -> Draft:
    """Read copied AO3 page text into a draft story (see the module docstring)."""
    draft = Draft()
    lines = _cut_series(text.split("\n"), draft.meta)
    if not any(_key(ln) in MARKERS for ln in lines):
        lines = _add_markers(lines)
    markers = [i for i, ln in enumerate(lines) if _key(ln) in MARKERS]
    starts = [_head_start(lines, m, markers[k - 1] if k else 0) for k, m in enumerate(markers)]
    _read_preface(lines[: starts[0]], draft.meta)
    bodies = [
        lines[m + 1 : starts[k + 1] if k + 1 < len(markers) else len(lines)]
        for k, m in enumerate(markers)
    ]
    layout = detect_layout([ln for body in bodies for ln in body])
    for k, m in enumerate(markers):
        head = _read_head(lines[starts[k] : m])
        body, notes = _split_end_notes(bodies[k])
        if k == len(markers) - 1 and len(notes) > 1:
            draft.meta.add_blocks("end_notes", _blocks(notes[-1], layout))
            notes = notes[:-1]
        draft.chapters.append(_chapter(k + 1, head, body, notes, layout))
    return draft


def _add_markers(lines: list[str]) -> list[str]:
    """A copy without ``Chapter Text``/``Work Text:`` gets them where each text starts.

    Rule: with ``Chapter N`` headings (in order), each chapter's text starts after its
    heading and the ``Summary:``/``Notes:`` sections right under it; with none, the
    work's text starts after the preface (tags, title, byline, sections). See
    ``_text_start`` for where a section ends when no marker says so.
    """
    heads = _chapter_headings(lines)
    out = list(lines)
    if not heads:
        out.insert(_text_start(out, 0, len(out), preface=True), "Work Text:")
        return out
    ends = [*heads[1:], len(lines)]
    for h, end in reversed(list(zip(heads, ends, strict=True))):
        out.insert(_text_start(out, h + 1, end, preface=False), "Chapter Text")
    return out


def _chapter_headings(lines: list[str]) -> list[int]:
    """Indices of ``Chapter N`` lines, each numbered one more than the last one kept."""
    found: list[int] = []
    last: int | None = None
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        number = small_int(m.group(1)) if m else None
        if number is not None and (last is None or number == last + 1):
            found.append(i)
            last = number
    return found


def _paragraph_end(lines: list[str], i: int, end: int) -> int:
    """The index just after the run of non-blank lines starting at i."""
    while i < end and lines[i].strip():
        i += 1
    return i


def _next_content(lines: list[str], i: int, end: int) -> int:
    """The next line at or after i that is neither blank, chrome nor a notes pointer."""
    while i < end and (not lines[i].strip() or _is_chrome(lines[i]) or _POINTER.match(lines[i])):
        i += 1
    return i


def _text_start(lines: list[str], begin: int, end: int, *, preface: bool) -> int:
    """Where the text starts in lines[begin:end] when no marker line says so.

    Rules: in the preface, the tag block, then a title line and a byline (short single
    lines), come first. Then each ``Summary:``/``Notes:`` section holds its first
    paragraph; a notes section also holds the paragraphs after it that read as the
    author talking (``is_author_note``). The text starts at the first paragraph after
    that.
    """
    i = _next_content(lines, begin, end)
    if preface:
        i = _next_content(lines, i + _tag_fields(lines[i:end])[1], end)
        for limit in (200, 80):
            if i >= end or _SECTION_INLINE.match(lines[i]) or not _is_preface_line(lines, i, limit):
                break
            i = _next_content(lines, i + 1, end)
    while i < end and (sec := _SECTION_INLINE.match(lines[i])):
        first = i + 1 if not sec.group(2) else i
        i = _paragraph_end(lines, _next_content(lines, first, end), end)
        j = _next_content(lines, i, end)
        while "Notes" in sec.group(1) and j < end and not _SECTION_INLINE.match(lines[j]):
            stop = _paragraph_end(lines, j, end)
            if not is_author_note(" ".join(ln.strip() for ln in lines[j:stop])):
                break
            i, j = stop, _next_content(lines, stop, end)
        i = j
    return i


def _is_preface_line(lines: list[str], i: int, limit: int) -> bool:
    """A title or byline: one short line standing alone, not ending a sentence."""
    one_line = i + 1 >= len(lines) or not lines[i + 1].strip()
    text = lines[i].strip()
    return one_line and len(text) <= limit and not text.endswith((".", "!", "?", '"', "”"))


def _series_part(text: str) -> tuple[int | None, str] | None:
    """``Part 2 of the Long Road series Next Work →`` as (2, "Long Road"), else None.

    The rule: after ``Part N of`` (and an optional ``the``), the name runs up to the
    first ``Next Work`` (when something comes before it), less a trailing ``series``
    word. A part number too long to be one (over 9 digits) is None.
    """
    m = _SERIES_PART.search(" ".join(text.split()))
    if m is None:
        return None
    name = m.group(2)
    cut = name.find("Next Work")
    if cut > 0:
        name = name[:cut]
    name = name.rstrip()
    if name.endswith(" series"):
        name = name[: -len(" series")].rstrip()
    return small_int(m.group(1)), name


def _cut_series(lines: list[str], meta: MetaBuilder) -> list[str]:
    """Drop ``Series this work belongs to:`` and all after it, reading the series from it."""
    for i in range(len(lines) - 1, -1, -1):
        if _SERIES_CUT.match(lines[i]):
            for ln in lines[i + 1 :]:
                part = _series_part(ln.strip().lstrip("← ").replace("Previous Work", ""))
                if part:
                    meta.set_series(part[1], part[0])
                    break
            return lines[:i]
    return lines


def _head_start(lines: list[str], marker: int, floor: int) -> int:
    """Where the head of the chapter whose text starts after ``marker`` begins.

    Rule: the nearest ``Chapter N`` heading above the marker (after the previous
    marker); with none, the marker itself.
    """
    for i in range(marker - 1, floor, -1):
        if _HEADING.match(lines[i]):
            return i
        if _key(lines[i]) in MARKERS:
            break
    return marker


def _read_head(lines: list[str]) -> _Head:
    """Read a chapter head: heading line, then ``Summary:`` and ``Notes:`` sections."""
    head = _Head()
    current: list[str] | None = None
    for line in lines:
        m = _HEADING.match(line)
        if m and head.number is None and small_int(m.group(1)) is not None:
            head.number = small_int(m.group(1))
            head.title = (m.group(2) or "").strip() or None
            continue
        sec = _SECTION_INLINE.match(line)
        if sec:
            current = head.sections.setdefault(sec.group(1).split()[-1].lower(), [])
            if sec.group(2):
                current.append(sec.group(2))
            continue
        if _POINTER.match(line) or _is_chrome(line):
            continue
        if current is not None:
            current.append(line)
        elif line.strip() and head.title is None and head.number is not None:
            head.title = line.strip()
    return head


def _split_end_notes(body: list[str]) -> tuple[list[str], list[list[str]]]:
    """Split a chapter's text from the ``Notes:`` sections after it."""
    cuts = [i for i, ln in enumerate(body) if _SECTION.match(ln) and i > 0]
    if not cuts:
        return [ln for ln in body if not _is_chrome(ln)], []
    ends = [*cuts[1:], len(body)]
    notes = [body[c + 1 : e] for c, e in zip(cuts, ends, strict=True)]
    return [ln for ln in body[: cuts[0]] if not _is_chrome(ln)], notes


def _blocks(lines: list[str], layout: Layout) -> tuple[Block, ...]:
    """Blocks from a section's lines, with page chrome dropped."""
    return blocks_from_lines([ln for ln in lines if not _is_chrome(ln)], layout)


def _chapter(
    position: int, head: _Head, body: list[str], notes: list[list[str]], layout: Layout
) -> Chapter:
    """Build one chapter from its head, text and end-note sections."""
    after: tuple[Block, ...] = ()
    for section in notes:
        after += _blocks(section, layout)
    return Chapter(
        number=head.number or position,
        title=head.title,
        summary=_blocks(head.sections.get("summary", []), layout),
        notes_before=note("author-note", _blocks(head.sections.get("notes", []), layout)),
        blocks=_blocks(body, layout),
        notes_after=note("end-note", after),
    )


def _read_preface(lines: list[str], meta: MetaBuilder) -> None:
    """Read the work's preface: tag block, title, byline, summary and notes.

    Loose lines after the title and byline that no label claims are kept as notes
    rather than dropped.
    """
    lines = [ln for ln in lines if not _is_chrome(ln)]
    i = _read_tags(lines, meta)
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    loose: list[str] = []
    for line in lines[i:]:
        sec = _SECTION_INLINE.match(line)
        if sec:
            current = sections.setdefault(sec.group(1).split()[-1].lower(), [])
            if sec.group(2):
                current.append(sec.group(2))
        elif _POINTER.match(line):
            continue
        elif current is not None:
            current.append(line)
        elif line.strip():
            loose.append(line.strip())
    if loose:
        meta.set("title", loose[0])
    if len(loose) > 1:
        meta.set("authors", re.sub(r"^by\s+", "", loose[1], flags=re.I))
    layout = Layout()
    meta.add_blocks("summary", blocks_from_lines(sections.get("summary", []), layout))
    meta.add_blocks("notes", blocks_from_lines(sections.get("notes", []), layout))
    meta.add_blocks("notes", text_blocks("\n".join(loose[2:])))


def _read_tags(lines: list[str], meta: MetaBuilder) -> int:
    """Read AO3's tag block at the top of the preface (see ``_tag_fields``); return
    where it ends."""
    fields, end = _tag_fields(lines)
    for name, value in fields:
        _store_tag(meta, name, value)
    return end


def _tag_fields(lines: list[str]) -> tuple[list[tuple[str, list[str]]], int]:
    """AO3's tag block at the top of the preface: its fields and where it ends.

    Rule: a tag label (``Rating:``, ``Fandom:``, ``Stats:``...) takes its inline value
    and the lines after it that are indented, or, when it has no inline value, the
    following lines up to a blank line or the next label.
    """
    fields: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    end = i
    while i < len(lines):
        m = _LABEL.match(lines[i])
        name = TAG_LABELS.get(m.group(1).strip().lower()) if m else None
        if not m or name is None:
            if lines[i].strip():
                break
            i += 1
            continue
        value = [m.group(2).strip()] if m.group(2).strip() else []
        i += 1
        while i < len(lines) and lines[i].strip():
            sub = _LABEL.match(lines[i])
            if sub and sub.group(1).strip().lower() in TAG_LABELS:
                break
            if value and not lines[i][:1].isspace() and name != "stats":
                break
            value.append(lines[i].strip())
            i += 1
        fields.append((name, value))
        end = i
    return fields, end


def _store_tag(meta: MetaBuilder, name: str, value: list[str]) -> None:
    """Store one tag block field; ``Stats:`` holds several sub-fields."""
    joined = "\n".join(v for v in value if v)
    if name == "stats":
        flat = " ".join(value)
        for label in STAT_LABELS:
            m = re.search(rf"\b{label}:\s*(\S+)", flat)
            if m:
                meta.add(label, m.group(1))
    elif name == "series":
        part = _series_part(" ".join(value))
        if part:
            meta.set_series(part[1], part[0])
        elif joined:
            meta.set("series", joined)
    elif name[0].isupper():
        meta.add_extra(name, joined)
    else:
        meta.set(name, joined)


class Ao3Text:
    """AO3 page text copied from the browser (its ``Chapter Text`` landmarks and tags)."""

    name = "ao3"
    kind: Kind = "text"
    description = "AO3 work page text copied from the browser"

    def matches(self, source: Source) -> bool:
        """Text (not HTML) that scores as AO3 page text (see ``looks_like_ao3``)."""
        return not source.html and looks_like_ao3(source.text) >= 3

    def read(self, source: Source) -> Draft:
        """Read the text with ``read_ao3_text``."""
        return read_ao3_text(source.text)

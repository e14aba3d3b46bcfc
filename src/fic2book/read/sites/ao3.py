"""Archive of Our Own: everything fic2book knows about AO3's files, in one place.

Three adapters read AO3's three kinds of file: page text copied from the browser
(FORMATS.md dialect 1, ``ao3``), a work page saved from the browser (``ao3-work``:
``div#workskin`` or ``dl.work.meta``) and AO3's own HTML download (``ao3-download``:
``div#preface`` beside ``div#chapters``).

Page text is read in regions. AO3 marks where each chapter's text begins with a
``Chapter Text`` line (``Work Text:`` on a one-chapter work); everything between the end
of one chapter's text and the next marker is that chapter's head (``Chapter N: Title``,
its ``Summary:`` and ``Notes:``); the text before the first chapter is the work's preface
(tags, title, byline, summary, notes); a ``Notes:`` line after a chapter's text starts
its end notes. Page chrome (``Actions``, ``Work Header``, navigation, kudos prompts,
``Series this work belongs to:`` and what follows) is dropped.

Saved pages are read from their markup: the tag list (``dl.work.meta``, or the
download's ``dl.tags``), the preface's title, byline, summary and notes, and each
chapter's heading, summary, notes, text and end notes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from fic2book.limits import small_int
from fic2book.model import Block, Chapter, Paragraph
from fic2book.read.assemble import note
from fic2book.read.fields import MetaBuilder, text_blocks
from fic2book.read.headings import clean_title
from fic2book.read.html.convert import clean_line, element_blocks, inline_nodes
from fic2book.read.html.dom import attr, classes, is_inside, text_of
from fic2book.read.html.dom import label as dt_label
from fic2book.read.notes import is_author_note
from fic2book.read.paragraphs import Layout, blocks_from_lines, detect_layout, tidy
from fic2book.read.sites.base import HtmlAdapter, Kind, Source
from fic2book.read.text import Draft

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
# AO3's tag fields, by label (page text, downloads) or by dd class (saved work pages).
TAG_LABELS = {
    "rating": "rating",
    "ratings": "rating",
    "warning": "warnings",
    "warnings": "warnings",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "freeform": "tags",
    "additional tags": "tags",
    "language": "language",
    "series": "series",
    "collections": "Collections",
    "collection": "Collections",
    "stats": "stats",
}
STAT_LABELS = (
    "Published",
    "Updated",
    "Completed",
    "Words",
    "Chapters",
    "Comments",
    "Kudos",
    "Bookmarks",
    "Hits",
)
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
# ``Words: 1,234`` in a stats line; a label starts where its letters start.
_STATS_PAIR = re.compile(r"(?<![A-Za-z])([A-Za-z]+):\s*(\S+)")
_SERIES_CUT = re.compile(r"^\s*Series this work belongs to:\s*$")
# Series lines are matched on text with its spaces collapsed, by patterns with no lazy
# part (``(.+?)\s*$`` retried the tail from every position: quadratic on long spaces);
# ``_series_part`` trims the name.
_SERIES_PART = re.compile(r"Part\s+(\d+)\s+of\s+(?:the\s+)?(\S.*)$")
_ARROWS = re.compile(r"^[\s←→↑↓«»‹›]*$")
_AO3_WORK_URL = re.compile(r"(?:https?://[^/\s\"']*archiveofourown\.org)?/works/(\d+)")
_CHAPTER_TITLE = re.compile(r"^\s*Chapter\s+(\d+)\s*(?:[:.]\s*(.*))?$", re.IGNORECASE)
_SERIES_POSITION = re.compile(r"Part\s+(\d+)\s+of\s+(\S.*)$", re.IGNORECASE)
_LIST_FIELDS = frozenset(
    {"authors", "fandoms", "warnings", "categories", "relationships", "characters", "tags"}
)


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


# --------------------------------------------------------------------------- saved pages


def _set_series(meta: MetaBuilder, tag: Tag) -> None:
    """``Part 2 of <a>Name</a>`` gives the series name (the link's text, else what
    follows ``of``) and the work's position in it; the first series listed wins."""
    text = text_of(tag)
    link = tag.select_one("a")
    m = _SERIES_POSITION.search(" ".join(text.split()))
    name = text_of(link) if link is not None else (m.group(2).strip() if m else text)
    meta.set_series(name, small_int(m.group(1)) if m else None)


def _tag_items(dd: Tag) -> list[str]:
    """The tags in an AO3 ``<dd>``: its links' texts, else its text split at commas."""
    links = dd.select("a.tag") or dd.select("a")
    if links:
        return [text_of(a) for a in links if text_of(a)]
    return [t.strip() for t in text_of(dd).split(",") if t.strip()]


def store_ao3_field(meta: MetaBuilder, key: str, dd: Tag) -> None:
    """Store one AO3 tag field (by dd class or dt label) from its ``<dd>``."""
    name = TAG_LABELS.get(key)
    if name is None:
        return
    if name == "stats":
        _store_stats(meta, dd)
    elif name == "series":
        _set_series(meta, dd.select_one("span.position") or dd)
    elif name == "rating":
        meta.set("rating", ", ".join(_tag_items(dd)))
    elif name == "language":
        meta.set("language", text_of(dd))
    elif name in _LIST_FIELDS:
        meta.add_items(name, _tag_items(dd))
    else:
        meta.add_extra(name, ", ".join(_tag_items(dd)))


def _store_stats(meta: MetaBuilder, dd: Tag) -> None:
    """AO3 stats: a nested ``dl.stats`` (work page) or ``Label: value`` text (download)."""
    pairs = dd.select("dl.stats > dt")
    if pairs:
        for dt in pairs:
            value = dt.find_next_sibling("dd")
            if isinstance(value, Tag):
                meta.add(text_of(dt).rstrip(": "), text_of(value))
        return
    for label, value in _STATS_PAIR.findall(text_of(dd)):
        meta.add(label, value)


def _note_module_blocks(module: Tag) -> tuple[Block, ...]:
    """An AO3 notes or summary module: its ``blockquote.userstuff`` content.

    Without a blockquote, the module's own content minus its heading and the
    ``(See the end of the chapter for notes.)`` pointer.
    """
    quotes = module.select("blockquote.userstuff")
    if quotes:
        return tuple(b for q in quotes for b in element_blocks(q))
    for chrome in module.select("h3.heading, p.jump, div.endnote-link"):
        chrome.decompose()
    return element_blocks(module)


def _associations(module: Tag) -> tuple[Block, ...]:
    """AO3's ``Inspired by ...`` / translation lines, which belong to the work notes."""
    blocks: list[Block] = []
    for li in module.select("ul.associations > li"):
        line = clean_line(inline_nodes(li.children))
        if line:
            blocks.append(Paragraph(line))
    return tuple(blocks)


def parse_chapter_title(text: str, position: int) -> tuple[int, str | None]:
    """``Chapter 3: Title`` gives (3, "Title"); a bare title keeps its text and takes the
    chapter's position as its number; a title that only repeats the number is None."""
    m = _CHAPTER_TITLE.match(text)
    number = small_int(m.group(1)) if m else None
    if m and number is not None:
        return number, clean_title(m.group(2), number)
    return position, clean_title(text, position)


# --------------------------------------------------------------------------- AO3 work page


def read_work_page(soup: BeautifulSoup, draft: Draft) -> None:
    """An AO3 work page saved from the browser (see the module docstring)."""
    meta = draft.meta
    for dd in soup.select("dl.work.meta > dd"):
        for cls in classes(dd):
            if cls in TAG_LABELS:
                store_ao3_field(meta, cls, dd)
                break
    if not meta.has("series"):
        position = soup.select_one("#series span.position, span.series span.position")
        if position:
            _set_series(meta, position)
    skin = soup.select_one("div#workskin") or soup
    meta.set("title", text_of(skin.select_one("h2.title")))
    _read_byline(meta, skin.select_one("h3.byline"))
    chapters_div = skin.select_one("div#chapters")
    outside = [t for t in (chapters_div, skin.select_one("#work_endnotes")) if t is not None]
    for module in skin.select("div.summary.module"):
        if not is_inside(module, outside):
            meta.add_blocks("summary", _note_module_blocks(module))
            break
    for module in skin.select("div.notes.module"):
        if not is_inside(module, outside) and "end" not in classes(module):
            meta.add_blocks("notes", _associations(module))
            for assoc in module.select("ul.associations"):
                assoc.decompose()
            meta.add_blocks("notes", _note_module_blocks(module))
            break
    endnotes = skin.select_one("div#work_endnotes")
    if endnotes:
        meta.add_blocks("end_notes", _note_module_blocks(endnotes))
    meta.set("source_url", _ao3_work_url(soup) or "")
    draft.chapters = _ao3_work_chapters(chapters_div or skin)


def _read_byline(meta: MetaBuilder, byline: Tag | None) -> None:
    """Authors from a byline: its ``rel=author`` links, else its text without ``by``."""
    if byline is None:
        return
    authors = [text_of(a) for a in byline.select('a[rel="author"]')]
    if not authors:
        authors = [re.sub(r"^by\s+", "", text_of(byline), flags=re.IGNORECASE)]
    meta.add_items("authors", authors)


def _ao3_work_url(soup: BeautifulSoup) -> str | None:
    """The work's address: the work id that most links and forms on the page point to.

    Counting, rather than taking the first ``/works/N`` link, keeps an ``Inspired by``
    link in the notes from naming the wrong work.
    """
    votes: Counter[str] = Counter()
    for tag in soup.select("a[href], form[action], link[href]"):
        m = _AO3_WORK_URL.match(attr(tag, "href") or attr(tag, "action"))
        if m:
            votes[m.group(1)] += 1
    if not votes:
        return None
    return f"https://archiveofourown.org/works/{votes.most_common(1)[0][0]}"


def _ao3_work_chapters(container: Tag) -> list[Chapter]:
    """The chapters of an AO3 work page: one per ``div.chapter``, or one for a one-shot."""
    divs = container.select(":scope > div.chapter")
    if not divs:
        text = container.select_one('div.userstuff[role="article"]') or container.select_one(
            "div.userstuff"
        )
        return [Chapter(number=None, blocks=_chapter_text(text or container))]
    return [_ao3_work_chapter(div, k + 1) for k, div in enumerate(divs)]


def _chapter_text(div: Tag) -> tuple[Block, ...]:
    """A chapter's text without its ``Chapter Text`` / ``Work Text:`` landmark heading."""
    for landmark in div.select("h3.landmark"):
        landmark.decompose()
    return element_blocks(div)


def _work_chapter_heading(heading: Tag | None, position: int) -> tuple[int, str | None]:
    """``<h3 class="title"><a>Chapter 3</a>: Title</h3>``: the link's text gives the
    number, the text after it (less the ``: ``) the title; without a link the heading is
    read as ``Chapter N: Title``."""
    if heading is None:
        return position, None
    link = heading.select_one("a")
    digits = re.search(r"\d+", text_of(link)) if link is not None else None
    number = small_int(digits.group(0)) if digits is not None else None
    if link is None or number is None:
        return parse_chapter_title(text_of(heading), position)
    link.decompose()
    return number, clean_title(text_of(heading).lstrip(":.-–— "), number)


def _ao3_work_chapter(div: Tag, position: int) -> Chapter:
    """One ``div.chapter``: heading, summary, notes, text and end notes."""
    text_div = div.select_one('div.userstuff[role="article"]') or div.select_one(
        ":scope > div.userstuff"
    )
    blocks: tuple[Block, ...] = ()
    if text_div is not None:
        text_div.extract()
        blocks = _chapter_text(text_div)
    number, title = _work_chapter_heading(div.select_one("h3.title"), position)
    summary: tuple[Block, ...] = ()
    before: tuple[Block, ...] = ()
    after: tuple[Block, ...] = ()
    for module in div.select("div#summary, div.summary"):
        summary += _note_module_blocks(module)
    for module in div.select("div#notes, div.notes"):
        if "end" in classes(module) or "endnotes" in attr(module, "id"):
            after += _note_module_blocks(module)
        else:
            before += _note_module_blocks(module)
    return Chapter(
        number=number,
        title=title,
        summary=summary,
        notes_before=note("author-note", before),
        blocks=blocks,
        notes_after=note("end-note", after),
    )


# --------------------------------------------------------------------------- AO3 download


def read_download(soup: BeautifulSoup, draft: Draft) -> None:
    """AO3's own HTML download (see the module docstring)."""
    meta = draft.meta
    for message in soup.select("p.message"):
        for a in message.select("a[href]"):
            m = _AO3_WORK_URL.search(attr(a, "href"))
            if m:
                meta.set("source_url", f"https://archiveofourown.org/works/{m.group(1)}")
        message.decompose()
    preface = soup.select_one("div#preface")
    assert preface is not None
    for dt in preface.select("dl.tags > dt"):
        dd = dt.find_next_sibling(["dd", "dt"])
        if isinstance(dd, Tag) and dd.name == "dd":
            store_ao3_field(meta, dt_label(dt), dd)
    meta.set("title", text_of(preface.select_one("h1")))
    _read_byline(meta, preface.select_one("div.byline"))
    for heading, name in (("summary", "summary"), ("notes", "notes")):
        meta.add_blocks(name, _labelled_quote(preface, {heading}))
    for li in preface.select("div.meta > ul > li"):
        line = clean_line(inline_nodes(li.children))
        if line:
            meta.add_blocks("notes", (Paragraph(line),))
    afterword = soup.select_one("div#afterword")
    if afterword is not None:
        end = afterword.select_one("#endnotes") or afterword
        meta.add_blocks("end_notes", _labelled_quote(end, {"end notes"}))
    chapters = soup.select_one("div#chapters")
    assert chapters is not None
    draft.chapters = _download_chapters(chapters)


def _labelled_quote(container: Tag, labels: set[str]) -> tuple[Block, ...]:
    """The blockquote that follows a ``<p>`` label (``Summary``, ``Chapter Notes``...)."""
    blocks: tuple[Block, ...] = ()
    for p in container.select("p"):
        if p.find_parent("blockquote") or text_of(p).rstrip(":").lower() not in labels:
            continue
        quote = p.find_next_sibling(["blockquote", "p", "div"])
        if isinstance(quote, Tag) and quote.name == "blockquote":
            blocks += element_blocks(quote)
    return blocks


def _is_end_notes(div: Tag) -> bool:
    """A download's chapter end-notes box: ``#endnotesN``, ``.endnotes`` or labelled so."""
    return (
        attr(div, "id").startswith("endnotes")
        or "endnotes" in classes(div)
        or any(text_of(p).lower() == "chapter end notes" for p in div.select(":scope > p"))
    )


@dataclass
class _DownloadChapter:
    """The parts of one download chapter, collected as its boxes are met."""

    number: int
    title: str | None
    summary: tuple[Block, ...] = ()
    before: tuple[Block, ...] = ()
    blocks: tuple[Block, ...] = ()
    after: tuple[Block, ...] = ()

    def build(self) -> Chapter:
        """The finished chapter."""
        return Chapter(
            number=self.number,
            title=self.title,
            summary=self.summary,
            notes_before=note("author-note", self.before),
            blocks=self.blocks,
            notes_after=note("end-note", self.after),
        )


def _download_chapters(container: Tag) -> list[Chapter]:
    """The download's chapters: each ``div.meta.group`` heads one, the ``div.userstuff``
    after it is its text and an end-notes box after that its end notes. A one-chapter
    work has only the ``div.userstuff``: one chapter with neither number nor title."""
    parts: list[_DownloadChapter] = []
    loose: list[Block] = []
    for child in container.children:
        if not isinstance(child, Tag):
            continue
        names = classes(child)
        if _is_end_notes(child):
            if parts:
                parts[-1].after += _labelled_quote(child, {"chapter end notes", "end notes"})
        elif "meta" in names:
            parts.append(_download_head(child, len(parts) + 1))
        elif "userstuff" in names:
            if parts:
                parts[-1].blocks += element_blocks(child)
            else:
                loose.extend(element_blocks(child))
    chapters = [part.build() for part in parts]
    if loose or not chapters:
        text = tidy(loose) if loose else element_blocks(container)
        chapters.insert(0, Chapter(number=None, blocks=text))
    return chapters


def _download_head(div: Tag, position: int) -> _DownloadChapter:
    """A download chapter's head: heading, chapter summary and chapter notes."""
    number, title = parse_chapter_title(text_of(div.select_one("h2.heading, h2")), position)
    return _DownloadChapter(
        number=number,
        title=title,
        summary=_labelled_quote(div, {"chapter summary", "summary"}),
        before=_labelled_quote(div, {"chapter notes", "notes"}),
    )


# --------------------------------------------------------------------------- adapters


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


class Ao3WorkPage(HtmlAdapter):
    """An AO3 work page saved from the browser."""

    name = "ao3-work"
    description = "AO3 work page saved from the browser (div#workskin, dl.work.meta)"

    def matches_page(self, soup: BeautifulSoup) -> bool:
        """``div#workskin`` or ``dl.work.meta`` on the page."""
        return bool(soup.select_one("div#workskin") or soup.select_one("dl.work.meta"))

    def read_soup(self, soup: BeautifulSoup, draft: Draft) -> None:
        """Read the page with ``read_work_page``."""
        read_work_page(soup, draft)


class Ao3Download(HtmlAdapter):
    """AO3's own HTML download."""

    name = "ao3-download"
    description = "AO3's HTML download (div#preface beside div#chapters)"

    def matches_page(self, soup: BeautifulSoup) -> bool:
        """``div#preface`` and ``div#chapters`` on the page."""
        return bool(soup.select_one("div#preface") and soup.select_one("div#chapters"))

    def read_soup(self, soup: BeautifulSoup, draft: Draft) -> None:
        """Read the page with ``read_download``."""
        read_download(soup, draft)

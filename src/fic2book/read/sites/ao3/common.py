"""What AO3's three kinds of file share: its tag fields (by label or by a ``<dd>``'s
class), its stats, series and chapter-title forms, and reading a saved page's tag list,
notes modules and ``Inspired by`` associations.
"""

from __future__ import annotations

import re

from bs4 import Tag

from fic2book.limits import small_int
from fic2book.model import Block, Paragraph
from fic2book.read.draft import MetaBuilder
from fic2book.read.formats.html.convert import element_blocks
from fic2book.read.formats.html.dom import text_of
from fic2book.read.formats.html.inlines import clean_line, inline_nodes
from fic2book.read.rules.headings import clean_title

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
# ``Words: 1,234`` in a stats line; a label starts where its letters start.
_STATS_PAIR = re.compile(r"(?<![A-Za-z])([A-Za-z]+):\s*(\S+)")
_CHAPTER_TITLE = re.compile(r"^\s*Chapter\s+(\d+)\s*(?:[:.]\s*(.*))?$", re.IGNORECASE)
_SERIES_POSITION = re.compile(r"Part\s+(\d+)\s+of\s+(\S.*)$", re.IGNORECASE)
WORK_URL = re.compile(r"(?:https?://[^/\s\"']*archiveofourown\.org)?/works/(\d+)")
_LIST_FIELDS = frozenset(
    {"authors", "fandoms", "warnings", "categories", "relationships", "characters", "tags"}
)


def set_series(meta: MetaBuilder, tag: Tag) -> None:
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
        set_series(meta, dd.select_one("span.position") or dd)
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


def note_module_blocks(module: Tag) -> tuple[Block, ...]:
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


def associations(module: Tag) -> tuple[Block, ...]:
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


def read_byline(meta: MetaBuilder, byline: Tag | None) -> None:
    """Authors from a byline: its ``rel=author`` links, else its text without ``by``."""
    if byline is None:
        return
    authors = [text_of(a) for a in byline.select('a[rel="author"]')]
    if not authors:
        authors = [re.sub(r"^by\s+", "", text_of(byline), flags=re.IGNORECASE)]
    meta.add_items("authors", authors)

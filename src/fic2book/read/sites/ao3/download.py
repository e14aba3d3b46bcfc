"""AO3's own HTML download (``ao3-download``: ``div#preface`` beside ``div#chapters``):
the preface's tags (``dl.tags``), title, byline, summary and notes, and each chapter's
heading, notes, text and end notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from fic2book.model import Block, Chapter, Paragraph
from fic2book.read.draft import Draft
from fic2book.read.formats.html.convert import element_blocks
from fic2book.read.formats.html.dom import attr, classes, text_of
from fic2book.read.formats.html.dom import label as dt_label
from fic2book.read.formats.html.inlines import clean_line, inline_nodes
from fic2book.read.rules.notes import note
from fic2book.read.rules.paragraphs import tidy
from fic2book.read.sites.ao3.common import (
    WORK_URL,
    parse_chapter_title,
    read_byline,
    store_ao3_field,
)
from fic2book.read.sites.base import HtmlAdapter


def read_download(soup: BeautifulSoup, draft: Draft) -> None:
    """AO3's own HTML download (see the module docstring)."""
    meta = draft.meta
    for message in soup.select("p.message"):
        for a in message.select("a[href]"):
            m = WORK_URL.search(attr(a, "href"))
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
    read_byline(meta, preface.select_one("div.byline"))
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

"""An AO3 work page saved from the browser (``ao3-work``: ``div#workskin`` or
``dl.work.meta``): the tag list, the preface's title, byline, summary and notes, and each
chapter's heading, summary, notes, text and end notes, read from the markup.
"""

from __future__ import annotations

import re
from collections import Counter

from bs4 import BeautifulSoup, Tag

from fic2book.limits import small_int
from fic2book.model import Block, Chapter
from fic2book.read.draft import Draft
from fic2book.read.formats.html.convert import element_blocks
from fic2book.read.formats.html.dom import attr, classes, is_inside, text_of
from fic2book.read.rules.headings import clean_title
from fic2book.read.rules.notes import note
from fic2book.read.sites.ao3.common import (
    TAG_LABELS,
    WORK_URL,
    associations,
    note_module_blocks,
    parse_chapter_title,
    read_byline,
    set_series,
    store_ao3_field,
)
from fic2book.read.sites.base import HtmlAdapter


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
            set_series(meta, position)
    skin = soup.select_one("div#workskin") or soup
    meta.set("title", text_of(skin.select_one("h2.title")))
    read_byline(meta, skin.select_one("h3.byline"))
    chapters_div = skin.select_one("div#chapters")
    outside = [t for t in (chapters_div, skin.select_one("#work_endnotes")) if t is not None]
    for module in skin.select("div.summary.module"):
        if not is_inside(module, outside):
            meta.add_blocks("summary", note_module_blocks(module))
            break
    for module in skin.select("div.notes.module"):
        if not is_inside(module, outside) and "end" not in classes(module):
            meta.add_blocks("notes", associations(module))
            for assoc in module.select("ul.associations"):
                assoc.decompose()
            meta.add_blocks("notes", note_module_blocks(module))
            break
    endnotes = skin.select_one("div#work_endnotes")
    if endnotes:
        meta.add_blocks("end_notes", note_module_blocks(endnotes))
    meta.set("source_url", _ao3_work_url(soup) or "")
    draft.chapters = _ao3_work_chapters(chapters_div or skin)


def _ao3_work_url(soup: BeautifulSoup) -> str | None:
    """The work's address: the work id that most links and forms on the page point to.

    Counting, rather than taking the first ``/works/N`` link, keeps an ``Inspired by``
    link in the notes from naming the wrong work.
    """
    votes: Counter[str] = Counter()
    for tag in soup.select("a[href], form[action], link[href]"):
        m = WORK_URL.match(attr(tag, "href") or attr(tag, "action"))
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
        summary += note_module_blocks(module)
    for module in div.select("div#notes, div.notes"):
        if "end" in classes(module) or "endnotes" in attr(module, "id"):
            after += note_module_blocks(module)
        else:
            before += note_module_blocks(module)
    return Chapter(
        number=number,
        title=title,
        summary=summary,
        notes_before=note("author-note", before),
        blocks=blocks,
        notes_after=note("end-note", after),
    )


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

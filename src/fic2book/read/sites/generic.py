"""Any other saved HTML page: the generic reader, used when no site adapter claims it.

The title comes from the first ``<h1>`` (removed from the text) or the ``<title>``, the
author from ``<meta name=author>`` or a ``by Name`` paragraph under the ``<h1>``;
chapters start at ``<h2>`` headings when there are two or more.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from fic2book.model import Block, Chapter, Heading, Paragraph, inline_text
from fic2book.read.draft import Draft, MetaBuilder
from fic2book.read.formats.html.convert import Context, alignment, child_blocks
from fic2book.read.formats.html.dom import attr, text_of
from fic2book.read.formats.html.page import page_title
from fic2book.read.formats.text import byline_name
from fic2book.read.rules.headings import parse_heading
from fic2book.read.rules.paragraphs import tidy
from fic2book.read.sites.base import HtmlAdapter


def read_generic(soup: BeautifulSoup, draft: Draft) -> None:
    """Any other HTML: title from the first ``<h1>`` (removed from the text) or the
    ``<title>``; chapters at ``<h2>`` headings when there are two or more."""
    meta = draft.meta
    body = soup.body or soup
    h1 = body.select_one("h1")
    if h1 is not None and text_of(h1):
        meta.set("title", text_of(h1))
        h1.decompose()
    else:
        meta.set("title", page_title(soup))
    author = soup.select_one('meta[name="author"]')
    if author is not None and attr(author, "content").strip():
        meta.add_items("authors", [attr(author, "content")])
    blocks = child_blocks(body.children, Context(align=alignment(body)))
    if h1 is not None:
        blocks = take_byline(blocks, meta)
    draft.chapters = split_at_h2(blocks)


def take_byline(blocks: list[Block], meta: MetaBuilder) -> list[Block]:
    """A first paragraph under the ``<h1>`` that reads ``by Name`` is the author."""
    first = blocks[0] if blocks else None
    name = byline_name(inline_text(first.inlines)) if isinstance(first, Paragraph) else None
    if name is None:
        return blocks
    meta.set("authors", name)
    return blocks[1:]


def split_at_h2(blocks: list[Block]) -> list[Chapter]:
    """Chapters from top-level level-2 headings when there are two or more, else one.

    Text before the first heading is an unnumbered chapter of its own; a heading that
    reads ``Chapter N[: Title]`` gives the number and title, any other its title.
    """
    heads = [k for k, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 2]
    if len(heads) < 2:
        return [Chapter(number=None, blocks=tidy(blocks))]
    chapters: list[Chapter] = []
    pre = tidy(blocks[: heads[0]])
    if pre:
        chapters.append(Chapter(number=None, blocks=pre))
    for k, at in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(blocks)
        head = blocks[at]
        assert isinstance(head, Heading)
        text = " ".join(inline_text(head.inlines).split())
        info = parse_heading(text)
        number = info.number if info else None
        title = info.title if info else text
        chapters.append(Chapter(number=number, title=title, blocks=tidy(blocks[at + 1 : end])))
    return chapters


class GenericPage(HtmlAdapter):
    """Any HTML page (the last HTML adapter: it claims every HTML source)."""

    name = "html"
    description = "any other HTML page (title from <h1> or <title>, chapters at <h2>)"

    def matches_page(self, soup: BeautifulSoup) -> bool:
        """Every page."""
        return True

    def read_soup(self, soup: BeautifulSoup, draft: Draft) -> None:
        """Read the page with ``read_generic``."""
        read_generic(soup, draft)

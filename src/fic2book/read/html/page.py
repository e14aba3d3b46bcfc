"""A saved HTML page as a whole: parsing it, the address it was saved from, and the
last-resort flat reading for markup nested too deeply to walk.

Which site's page it is, and how that site's markup is read, is each site adapter's
business (``fic2book.read.sites``); ``read_page`` runs one adapter's page reader with the
steps every page shares.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, XMLParsedAsHTMLWarning
from bs4.element import PreformattedString

from fic2book.model import Chapter, Paragraph, Text
from fic2book.read.html.dom import attr, collapse_space, text_of
from fic2book.read.text import Draft

_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)")

PageReader = Callable[[BeautifulSoup, Draft], None]


@dataclass
class Page:
    """A parsed page with what is never read removed, and the address it was saved from."""

    soup: BeautifulSoup
    saved_from: str | None


def parse_page(text: str) -> Page:
    """Parse a page: note its ``saved from`` address, then drop scripts and comments."""
    with warnings.catch_warnings():  # an XHTML file is read as HTML on purpose
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    saved_from = _saved_from_url(soup)
    _empty_voids(soup)
    _drop_unread(soup)
    return Page(soup, saved_from)


_VOID = ("embed", "source", "track", "wbr", "keygen", "param", "area", "col", "basefont")
"""HTML5 elements that never hold anything, some of which libxml2's HTML 4 parser does
not know: it nests the rest of the page inside them."""


def _empty_voids(soup: BeautifulSoup) -> None:
    """Put whatever a parser nested inside a void element in the element's place (the
    element itself is never read): a stray ``<embed>`` or ``<source>``, skipped as an
    embed, must not take the rest of the story with it."""
    for tag in soup.find_all(_VOID):
        if tag.contents:
            tag.unwrap()


def read_page(text: str, page: Page, reader: PageReader) -> Draft:
    """Read a parsed page with one site's page reader, then set its source address.

    Markup nested too deeply to walk is read again flat (see ``flat_reading``).
    """
    draft = Draft()
    soup = page.soup
    try:
        reader(soup, draft)
    except RecursionError:
        soup = parse_page(text).soup
        draft = flat_reading(soup)
    url = page.saved_from or _canonical_url(soup)
    if url:
        draft.meta.set("source_url", url)
    return draft


def flat_reading(soup: BeautifulSoup) -> Draft:
    """The last resort for markup nested too deeply to walk: the page's title and its
    text, one paragraph per line, with no formatting."""
    draft = Draft()
    draft.meta.set("title", text_of(soup.select_one("title")))
    body = soup.body or soup
    lines = (collapse_space(line).strip() for line in body.get_text("\n").split("\n"))
    blocks = tuple(Paragraph((Text(line),)) for line in lines if line)
    draft.chapters = [Chapter(number=None, blocks=blocks)]
    return draft


def _saved_from_url(soup: BeautifulSoup) -> str | None:
    """The address in a browser's ``<!-- saved from url=(0047)https://... -->`` comment."""
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        m = _SAVED_FROM.search(str(node))
        if m and m.group(1).startswith(("http://", "https://")):
            return m.group(1)
    return None


def _canonical_url(soup: BeautifulSoup) -> str | None:
    """The page's own address from ``<link rel=canonical>`` or ``og:url``, when absolute."""
    for tag, name in (
        (soup.select_one('link[rel="canonical"]'), "href"),
        (soup.select_one('meta[property="og:url"]'), "content"),
    ):
        value = attr(tag, name) if tag else ""
        if value.startswith(("http://", "https://")):
            return value
    return None


def _drop_unread(soup: BeautifulSoup) -> None:
    """Remove what is never read anywhere: scripts, styles, embedded frames and comments."""
    for tag in soup.select("script, style, noscript, iframe, template"):
        tag.decompose()
    for node in soup.find_all(string=lambda s: isinstance(s, PreformattedString)):
        node.extract()

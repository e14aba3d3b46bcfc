"""A saved HTML page as a whole: parsing it, the address it was saved from, and the
last-resort flat reading for markup nested too deeply to walk.

Which site's page it is, and how that site's markup is read, is each site adapter's
business (``fic2book.read.sites``); ``read_page`` runs one adapter's page reader with the
steps every page shares.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, XMLParsedAsHTMLWarning
from bs4.element import PreformattedString

from fic2book.model import Chapter, Paragraph, Text
from fic2book.read.draft import Draft
from fic2book.read.formats.html.dom import attr, collapse_space, text_of

_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)")
_SCRIPT_VAR = re.compile(r"""\bvar\s+(\w+)\s*=\s*(?:'([^'\n]*)'|"([^"\n]*)"|(-?\d+))""")
# Separators between a page's title and its site's name.
# A run of spaces is entered at its first: tried from each, ``\s+`` was quadratic.
_TITLE_PARTS = re.compile(r"(?<!\s)\s+(?:\||-|–|—|::|»|«|·)\s+")
_SITE_WORDS = re.compile(
    r"fanfiction|fan fiction|fanfic|archive|wattpad|livejournal|dreamwidth|tumblr|\.\w{2,4}$",
    re.IGNORECASE,
)

PageReader = Callable[["Page", Draft], None]


@dataclass
class Page:
    """A parsed page with what is never read removed, the address it was saved from and
    the values of its inline scripts' ``var name = value`` lines (old pages keep their
    metadata there)."""

    soup: BeautifulSoup
    saved_from: str | None
    script_vars: dict[str, str] = field(default_factory=dict)
    json_ld: list[object] = field(default_factory=list)


def parse_page(text: str) -> Page:
    """Parse a page: note its ``saved from`` address and script variables, then drop
    scripts and comments."""
    with warnings.catch_warnings():  # an XHTML file is read as HTML on purpose
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    saved_from = _saved_from_url(soup)
    script_vars = _script_vars(soup)
    json_ld = _json_ld(soup)
    _empty_voids(soup)
    _drop_unread(soup)
    return Page(soup, saved_from, script_vars, json_ld)


def _json_ld(soup: BeautifulSoup) -> list[object]:
    """The page's JSON-LD data blocks that parse as JSON."""
    found: list[object] = []
    for script in soup.select('script[type="application/ld+json"]'):
        try:
            found.append(json.loads(script.get_text()))
        except ValueError:
            continue
    return found


def _script_vars(soup: BeautifulSoup) -> dict[str, str]:
    """``var name = 'value';`` lines in inline scripts (the first value of each name)."""
    found: dict[str, str] = {}
    for script in soup.find_all("script"):
        for m in _SCRIPT_VAR.finditer(script.get_text()):
            value = next(g for g in m.groups()[1:] if g is not None)
            found.setdefault(m.group(1), value)
    return found


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
    """Read a parsed page with one site's page reader, then set its source address, and
    its title from ``<title>`` or ``og:title`` when the reader found none.

    Markup nested too deeply to walk is read again flat (see ``flat_reading``).
    """
    draft = Draft()
    soup = page.soup
    try:
        reader(page, draft)
    except RecursionError:
        soup = parse_page(text).soup
        draft = flat_reading(soup)
    if not draft.meta.has("title"):
        draft.meta.set("title", page_title(soup))
    url = page.saved_from or _canonical_url(soup)
    if url:
        draft.meta.set("source_url", url)
    lang = markup_language(soup)
    if lang and not draft.meta.has("language"):
        draft.meta.set_language(lang, "markup")
    return draft


def markup_language(soup: BeautifulSoup) -> str | None:
    """The page's language as its markup declares it: ``lang`` (or ``xml:lang``) on
    ``<html>``, else on ``<body>``."""
    for tag in (soup.html, soup.body):
        if tag is not None:
            value = (attr(tag, "lang") or attr(tag, "xml:lang")).strip()
            if value:
                return value
    return None


def page_title(soup: BeautifulSoup, site: str | None = None) -> str:
    """The page's title from ``og:title`` or ``<title>``, without the site's name.

    Rule: the title is cut at separators (`` | ``, `` - ``, `` :: ``...); a part that is
    the page's ``og:site_name`` (or the ``site`` given), or reads as a site
    (``FanFiction``, ``Archive of Our Own``, a domain), is dropped, as long as something
    is left.
    """
    og = soup.select_one('meta[property="og:title"]')
    title = attr(og, "content").strip() if og is not None else ""
    title = title or text_of(soup.select_one("title"))
    if site is None:
        site_tag = soup.select_one('meta[property="og:site_name"]')
        site = attr(site_tag, "content").strip().lower() if site_tag is not None else ""
    return strip_site_name(title, site)


def strip_site_name(title: str, site: str = "") -> str:
    """A page title without its site's name (see ``page_title``)."""
    parts = _TITLE_PARTS.split(title.strip())
    kept = [
        p
        for p in parts
        if not (site and _names_site(p, site))
        and not (_SITE_WORDS.search(p) and len(p.split()) <= 5)
    ]
    return " - ".join(kept) if kept else title.strip()


def _names_site(part: str, site: str) -> bool:
    """A title part that is the site's name, or the site's name and a word or two
    (``Tapas Community`` for the site ``Tapas``)."""
    low = part.strip().lower()
    return low == site or (low.startswith(site + " ") and len(low.split()) <= 3)


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

"""A chapter page saved from an archive we have no adapter for (any site's reading page).

Such pages carry site chrome around the story: menus, sidebars, comments, share
buttons, font previews. When a page shows that chrome (``nav`` or ``aside`` elements,
or menu, sidebar, comment or share boxes), the story is found by a
main-content extractor (readability-lxml, the algorithm of Firefox's reader view); if
the extractor keeps too little of the page's text, the page less its chrome boxes is
read instead. The title comes from JSON-LD, ``og:title`` or ``<title>`` without the
site's name (a page's ``<h1>`` naming the chapter becomes the chapter's title); the
author from JSON-LD, ``<meta name=author>``, a ``rel=author`` link or a byline, never
the site's own name; the language from the markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

from fic2book.model import Chapter
from fic2book.read.draft import Draft, MetaBuilder
from fic2book.read.formats.html.convert import Context, alignment, child_blocks
from fic2book.read.formats.html.dom import attr, classes, text_of
from fic2book.read.formats.html.page import Page, page_title, strip_site_name
from fic2book.read.formats.text import byline_name
from fic2book.read.rules.headings import parse_heading
from fic2book.read.sites.base import HtmlAdapter
from fic2book.read.sites.generic import split_at_h2, take_byline

_CHROME_WORDS = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|sidebar|comments?|footer|share|social|"
    r"breadcrumbs?|related|recommend\w*|widget|banner|login|signup|toolbar|pagination|"
    r"ads?|advert\w*)(?:$|[-_\s])",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"https?://(?:www\.|m\.)?([\w-]+)\.[\w.]+(?:[/?#]|$)")
_NOT_A_NAME = re.compile(
    r"\b(?:my|profile|account|log ?in|sign ?(?:in|up)|settings|home|register)\b", re.I
)
_KEEP_SHARE = 0.3
_CHROME_SHARE = 0.4
# A link to a writer's profile page (``/profile/123``, ``/users/name``, ``/author/x``).
_PROFILE_LINK = re.compile(
    r"/(?:profile|profiles|user|users|u|author|authors|member|members|writer|writers)/[^/?#]+",
    re.IGNORECASE,
)
# A separator in a title; a run of spaces is entered at its first (not retried from each).
_TITLE_SEPARATOR = re.compile(r"(?<!\s)\s+[-–—|:·]\s+")
_WORK_TYPES = {"article", "creativework", "book", "chapter", "blogposting", "newsarticle"}


def has_site_chrome(soup: BeautifulSoup) -> bool:
    """Whether a page wears a site's chrome: a ``nav`` or ``aside`` element, or a menu,
    sidebar, comment or share box. A ``header`` or ``footer`` alone is not enough (a
    document's title block uses them too)."""
    body = soup.body or soup
    if body.find(("nav", "aside")) is not None:
        return True
    return any(_is_chrome_box(tag) for tag in body.find_all(True, limit=2000))


def _is_chrome_box(tag: Tag) -> bool:
    """An element whose id or class names a menu, sidebar, comment or share box."""
    names = " ".join((attr(tag, "id"), *classes(tag)))
    return bool(names.strip()) and bool(_CHROME_WORDS.search(names))


def read_archive_page(soup: BeautifulSoup, draft: Draft, json_ld: list[object]) -> None:
    """Read a chapter page of an archive we have no adapter for (see the module
    docstring); ``json_ld`` holds the page's JSON-LD data."""
    meta = draft.meta
    site = _site_name(soup)
    works = list(_works(json_ld))
    title = _work_title(soup, works, site)
    h1 = soup.select_one("h1")
    chapter_title = text_of(h1) if h1 is not None else ""
    if h1 is not None:
        h1.decompose()
    meta.set("title", without_chapter(title, chapter_title) or chapter_title)
    _read_author(soup, works, meta, site)
    content = _main_content(soup)
    blocks = child_blocks(content.children, Context(align=alignment(content)))
    chapters = split_at_h2(take_byline(blocks, meta) if chapter_title else blocks)
    if len(chapters) == 1 and chapter_title and chapter_title != title:
        info = parse_heading(chapter_title)
        number = info.number if info else None
        name = info.title if info else chapter_title
        chapters = [Chapter(number=number, title=name, blocks=chapters[0].blocks)]
    draft.chapters = chapters


def without_chapter(title: str, chapter: str) -> str:
    """A page title less the chapter's own heading: ``Episode 5 - The Drain - Hollow
    Frequency`` with the heading ``Episode 5 - The Drain`` names the work ``Hollow
    Frequency``. A title that is only the heading, or does not hold it, is kept."""
    if not chapter or not title or title == chapter:
        return title
    for rest in (
        title[len(chapter) :] if title.startswith(chapter) else "",
        title[: -len(chapter)] if title.endswith(chapter) else "",
    ):
        rest = rest.strip(" -–—|:·»«")
        if rest:
            return rest
    parts = [p for p in _TITLE_SEPARATOR.split(title) if p.strip() != chapter]
    return " - ".join(parts) if parts else title


def _site_name(soup: BeautifulSoup) -> str:
    """The site's name, lower-cased: ``og:site_name``, ``application-name`` or an app
    name when it reads as a name (a few words, no title separators), else the main part
    of the page's own address (``tapas`` for ``https://tapas.io/...``)."""
    for selector in (
        'meta[property="og:site_name"]',
        'meta[name="application-name"]',
        'meta[property="al:ios:app_name"]',
        'meta[name="twitter:app:name:iphone"]',
    ):
        tag = soup.select_one(selector)
        value = attr(tag, "content").strip() if tag is not None else ""
        if value and len(value.split()) <= 4 and not re.search(r"::|\s[-|–—]\s", value):
            return value.lower()
    addresses = (
        ('link[rel="canonical"]', "href"),
        ('meta[property="og:url"]', "content"),
        ('meta[name="twitter:domain"]', "content"),
    )
    for selector, name in addresses:
        tag = soup.select_one(selector)
        value = attr(tag, name).strip() if tag is not None else ""
        m = _DOMAIN.match(value if "//" in value else f"https://{value}")
        if m:
            return m.group(1).lower()
    return ""


def _work_title(soup: BeautifulSoup, works: list[dict[str, object]], site: str) -> str:
    """The work's title: JSON-LD ``headline``/``name``, else the page title without the
    site's name (see ``page_title``)."""
    for item in works:
        for key in ("headline", "name"):
            value = item.get(key)
            if isinstance(value, str) and value.strip():
                return strip_site_name(value.strip(), site)
    return page_title(soup, site)


def _works(json_ld: list[object]) -> Iterator[dict[str, object]]:
    """The JSON-LD objects that describe a work (an article, a book, a chapter)."""
    for data in json_ld:
        items = data if isinstance(data, list) else [data]
        if isinstance(data, dict) and isinstance(data.get("@graph"), list):
            items = data["@graph"]
        for item in items:
            if not isinstance(item, dict):
                continue
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.lower() in _WORK_TYPES for k in kinds):
                yield item


def _read_author(
    soup: BeautifulSoup, works: list[dict[str, object]], meta: MetaBuilder, site: str
) -> None:
    """The first author found (see the module docstring) that reads as a name (two
    letters or more, not an address) and is not the site itself."""
    for name in _author_candidates(soup, works):
        name = " ".join(name.split())
        if (
            sum(ch.isalpha() for ch in name) >= 2
            and not name.startswith(("http://", "https://"))
            and not _is_site(name, site)
            and not _NOT_A_NAME.search(name)
        ):
            meta.add_items("authors", [name])
            return


def _is_site(name: str, site: str) -> bool:
    """A name that is the site's (``Tapas``, ``Inkwell Stories``) rather than a person's."""
    low = name.lower()
    return bool(site) and (low == site or low in site or site in low)


def _author_candidates(soup: BeautifulSoup, works: list[dict[str, object]]) -> Iterator[str]:
    """Author names in the order they are trusted."""
    for item in works:
        author = item.get("author")
        for one in author if isinstance(author, list) else [author]:
            if isinstance(one, dict) and isinstance(one.get("name"), str):
                yield str(one["name"])
            elif isinstance(one, str):
                yield one
    for selector in (
        'meta[name="author"]',
        'meta[property="article:author"]',
        'meta[property="book:author"]',
    ):
        tag = soup.select_one(selector)
        if tag is not None:
            yield attr(tag, "content")
    for link in soup.select('a[rel="author"]'):
        yield text_of(link)
    for box in soup.select('[class*="author"], [class*="byline"], [id*="author"]'):
        named = box.select_one("a")
        yield (byline_name(text_of(box)) or "") if named is None else text_of(named)
    for tag in soup.select("h2, h3, h4, h5, p, span, div"):
        text = text_of(tag)
        if len(text) <= 60 and (name := byline_name(text)):
            yield name
            break
    for link in soup.select("a[href]"):
        text = text_of(link)
        if _PROFILE_LINK.search(attr(link, "href")) and 0 < len(text.split()) <= 4:
            yield text
            break


def _main_content(soup: BeautifulSoup) -> Tag:
    """The element holding the story: readability's pick when it keeps enough of the
    page's text and every chapter heading (``<h2>``), else the body without its chrome.
    A chrome-classed box holding much of the page's text is not chrome but the story's
    wrapper, and stays."""
    body = soup.body or soup
    total = _words(body)
    for tag in list(body.find_all(True)):
        if not tag.decomposed and _is_chrome(tag) and _words(tag) < _CHROME_SHARE * total:
            tag.decompose()
    extracted = _readability(str(soup))
    if (
        extracted is not None
        and _words(extracted) >= _KEEP_SHARE * _words(body)
        and len(extracted.find_all("h2")) >= len(body.find_all("h2"))
    ):
        return extracted
    return body


def _is_chrome(tag: Tag) -> bool:
    """Site chrome to remove: menus, sidebars, forms and chrome boxes anywhere; headers
    and footers of the page (not those inside the story's article or section)."""
    if tag.name in ("nav", "aside", "form") or _is_chrome_box(tag):
        return True
    return tag.name in ("header", "footer") and tag.find_parent(("article", "section")) is None


def _readability(html: str) -> Tag | None:
    """readability-lxml's main content of a page, parsed, or None when it finds none."""
    from readability import Document

    try:
        summary = Document(html).summary(html_partial=True)
    except Exception:  # readability raises its own errors on odd pages
        return None
    fragment = BeautifulSoup(summary, "lxml")
    return fragment.body or fragment


def _words(tag: Tag) -> int:
    """How many words of text an element holds."""
    return len(tag.get_text(" ").split())


class ArchivePage(HtmlAdapter):
    """A chapter page from an archive without an adapter of its own."""

    name = "archive-page"
    description = "any other site's chapter page (site chrome around the story)"

    def matches_page(self, soup: BeautifulSoup) -> bool:
        """A page wearing site chrome (``has_site_chrome``)."""
        return has_site_chrome(soup)

    def read_soup(self, soup: BeautifulSoup, draft: Draft) -> None:
        """Read the page with ``read_archive_page``, without JSON-LD."""
        read_archive_page(soup, draft, [])

    def read_parsed(self, page: Page, draft: Draft) -> None:
        """Read the page with ``read_archive_page`` and its JSON-LD data."""
        read_archive_page(page.soup, draft, page.json_ld)

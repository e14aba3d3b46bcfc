"""The PDF writer: the single-file HTML, with the theme's print layer, through WeasyPrint.

The print stylesheet does the book-making (``@page`` sizes and margins, running heads
with ``string-set``, folios, ``target-counter`` page numbers in the contents,
``bookmark-level`` for the outline, chapters on new pages, widows and orphans,
hyphenation through ``<html lang>``); this module only feeds WeasyPrint and keeps it
locked in: the renderer may read ``data:`` URIs and the theme's own files, and nothing
else (no network, no other file on the disk). WeasyPrint subsets and embeds every font
it uses, and takes the PDF's title, author and language from the page's ``<title>``,
``<meta name=author>`` and ``<html lang>``; they are also set from the book directly.

WeasyPrint is imported only inside ``render`` (and the fetcher factory), through
``load_weasyprint``, so listing the writers or building another format never loads it,
and a machine without Pango gets one line saying what to install.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from contextlib import redirect_stdout
from functools import cache
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit
from urllib.request import url2pathname

from fic2book.book import xml_safe
from fic2book.errors import Fic2BookError
from fic2book.images import without_images
from fic2book.limits import check_css
from fic2book.model import Book
from fic2book.options import RenderOptions
from fic2book.render.glyphs import book_missing_glyphs, describe
from fic2book.render.html import book_language, single_page
from fic2book.render.labels import book_authors, book_title
from fic2book.render.page import language_css, page_css
from fic2book.themes import Layer, Theme, stylesheet
from fic2book.typography import for_print
from fic2book.writers.weasy import weasyprint_quiet

log = logging.getLogger(__name__)

REFUSED = "fic2book refused to fetch"
"""The start of every refusal message (also how WeasyPrint's reports of them are found)."""


class FetchRefused(ValueError):
    """The renderer asked for a resource outside what a book may use."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{REFUSED} {_short(url)}: {reason}")
        self.url = url
        """The address that was asked for."""
        self.reason = reason
        """Why it was refused."""


def _short(url: str, limit: int = 120) -> str:
    """An address cut short for messages (``data:`` URIs can be megabytes long)."""
    return url if len(url) <= limit else url[:limit] + "…"


PANGO_HINT = (
    "install it (Debian/Ubuntu: apt install libpango-1.0-0 libpangoft2-1.0-0;"
    " Fedora: dnf install pango; macOS: brew install pango; Windows: see WeasyPrint's"
    " installation docs, https://doc.courtbouillon.org/weasyprint/stable/first_steps.html)"
)
"""What to install when WeasyPrint cannot load Pango and its companions."""


def load_weasyprint() -> Any:
    """The ``weasyprint`` module, or one clear error when a system library is missing.

    WeasyPrint loads Pango, GObject, HarfBuzz and fontconfig with ``cffi`` when it is
    first imported; a missing one is an ``OSError`` ("cannot load library
    'libpango-1.0-0'...") after a banner WeasyPrint prints on standard output. The rule:
    the banner is swallowed (standard output carries the books' paths) and the error
    becomes a ``Fic2BookError`` naming the library and the packages to install.
    """
    try:
        with redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError as exc:
        found = re.search(r"cannot load library '([^']+)'", str(exc))
        library = f" (cannot load {found.group(1)})" if found else ""
        raise Fic2BookError(f"PDF needs the Pango library{library}: {PANGO_HINT}") from None
    return weasyprint


def theme_roots(theme: Theme) -> tuple[Path, ...]:
    """The theme's folders on disk, symlinks resolved: the only places files may come from.

    A folder that is not on the file system (a theme inside a zip file) gives no root, so
    nothing in it can be read as a file; its CSS is still inlined in the page.
    """
    roots: list[Path] = []
    for folder in theme.chain:
        path = Path(str(folder))
        if path.is_dir():
            roots.append(path.resolve())
    return tuple(roots)


def check_url(url: str, roots: Sequence[Path]) -> None:
    """Allow a fetch, or raise FetchRefused. The rule:

    - ``data:`` URIs are allowed (they are already in the page; nothing is fetched);
    - ``file:`` URLs (no host, or ``localhost``) are allowed only when the path, with
      ``..`` and symlinks resolved, is an existing file inside one of ``roots`` (the
      theme's folders, at any depth);
    - everything else is refused: ``http``, ``https``, ``ftp`` and any other scheme,
      files anywhere else, and addresses that are not absolute (WeasyPrint resolves
      relative ones against the theme folder, so ``../../etc/passwd`` arrives as a
      ``file:`` URL outside the roots and is refused by the rule above).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return
    if scheme != "file":
        raise FetchRefused(url, f"scheme {scheme or '(none)'} is not allowed")
    if parts.netloc not in ("", "localhost"):
        raise FetchRefused(url, "remote file hosts are not allowed")
    path = Path(url2pathname(parts.path)).resolve()
    if not any(path.is_relative_to(root) for root in roots):
        raise FetchRefused(url, "only the theme's own files may be read")
    if not path.is_file():
        raise FetchRefused(url, "no such file in the theme")


@cache
def _fetcher_class() -> type[Any]:
    """The WeasyPrint fetcher class (made on first use, so WeasyPrint loads lazily)."""
    load_weasyprint()
    from weasyprint.urls import URLFetcher

    class ThemeOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """A WeasyPrint URL fetcher that applies ``check_url`` before every fetch.

        Allowed addresses are read by WeasyPrint's own fetcher limited to the ``data``
        and ``file`` schemes, without redirects; refused ones raise FetchRefused (which
        WeasyPrint reports and skips) and are remembered in ``refused``.
        """

        def __init__(self, roots: Sequence[Path]) -> None:
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
            self.roots = tuple(roots)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            """Fetch ``url`` when the rule allows it, else raise FetchRefused."""
            try:
                check_url(url, self.roots)
            except FetchRefused:
                self.refused.append(url)
                raise
            return super().fetch(url, headers)

    return ThemeOnlyFetcher


def theme_fetcher(theme: Theme) -> Any:
    """A WeasyPrint URL fetcher that reads only ``data:`` URIs and the theme's files."""
    return _fetcher_class()(theme_roots(theme))


def _is_refusal(record: logging.LogRecord) -> bool:
    """Whether a WeasyPrint log record is about a fetch this module refused on purpose
    (in its message or its exception)."""
    if REFUSED in record.getMessage():
        return True
    exc = record.exc_info[1] if record.exc_info else None
    return exc is not None and REFUSED in str(exc)


def base_url(theme: Theme) -> str:
    """Where relative ``url()`` references resolve: the theme's own (most specific) folder.

    Empty when the theme is not on the file system, so relative references resolve to
    nothing rather than to the working directory.
    """
    roots = theme_roots(theme)
    return roots[-1].as_uri() + "/" if roots else ""


def label_bookmarks(page: str) -> str:
    """Copy each contents entry's label onto the part it links to, as ``data-bookmark``.

    The rule: every ``nav.toc`` link ``href="#id"`` gives the element with that id a
    ``data-bookmark`` attribute holding the link's text (``Chapter 1: The Wrong Owl``), so
    the print stylesheet can label the PDF outline exactly as the contents reads
    (``bookmark-label: attr(data-bookmark)``), including for a chapter with no heading.
    """
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(page)
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    for link in root.iterfind(".//nav[@id='contents']//a[@href]"):
        href = link.get("href", "")
        target = by_id.get(href[1:]) if href.startswith("#") else None
        if target is not None:
            target.set("data-bookmark", "".join(str(t) for t in link.itertext()))
    text: str = lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return text + "\n"


class PdfWriter:
    """A print-ready PDF book, made with WeasyPrint."""

    name: ClassVar[str] = "pdf"
    suffix: ClassVar[str] = ".pdf"
    media_type: ClassVar[str] = "application/pdf"
    layer: ClassVar[Layer] = "print"
    description: ClassVar[str] = "a print-ready PDF book (WeasyPrint): contents, page numbers"

    def layout(self, book: Book, theme: Theme, options: RenderOptions) -> Any:
        """The book laid out in pages: WeasyPrint's ``Document``, before it is written.

        The page is the single-file HTML without chapter navigation links and without
        the cover image; the stylesheet is the theme's print layer at the asked page
        size, then the user's CSS. Refused fetches are logged once each, after layout.
        """
        book = self.prepare(book, options)
        page = label_bookmarks(
            single_page(
                book,
                self.page_css(book, theme, options),
                chapter_links=False,
                credit=options.credit,
                colophon=options.colophon,
            )
        )
        return self.layout_page(page, theme)

    @staticmethod
    def prepare(book: Book, options: RenderOptions) -> Book:
        """The book as print sets it: XML-safe, print typography (``for_print``), and
        without its pictures when the user asked for none."""
        book = for_print(xml_safe(book))
        return book if options.images else without_images(book)

    def page_css(self, book: Book, theme: Theme, options: RenderOptions) -> str:
        """The whole stylesheet: the theme's print layer at the page size, the type
        scale for that page, the language's rules, then the user's CSS (each checked
        against the size limit: a 40 MB stylesheet is refused)."""
        css = stylesheet(theme, self.layer, page_size=options.page_size)
        css += page_css(theme.options, options.page_size) + language_css(book_language(book))
        for number, extra in enumerate(options.user_css, 1):
            check_css(extra, f"user CSS {number}")
        return css + "".join(f"\n/* user css */\n{extra}" for extra in options.user_css)

    def layout_page(self, page: str, theme: Theme) -> Any:
        """One HTML page laid out by WeasyPrint, reading only what ``check_url`` allows."""
        weasyprint = load_weasyprint()
        fetcher = theme_fetcher(theme)
        with weasyprint_quiet(_is_refusal):
            html = weasyprint.HTML(string=page, base_url=base_url(theme), url_fetcher=fetcher)
            document = html.render()
        for url in dict.fromkeys(fetcher.refused):
            log.warning("%s %s (only the theme's own files may be used)", REFUSED, _short(url))
        return document

    def render(self, book: Book, theme: Theme, options: RenderOptions) -> bytes:
        """The book as PDF bytes (``layout``, then written); an anthology too long for
        one part is made in parts and joined (``pdf_volume``).

        Title, authors and language go into the PDF's document information from the
        book's metadata; no creation date is written, so the same book, theme and
        options give the same bytes.
        """
        book = xml_safe(book)
        missing = book_missing_glyphs(book)
        if missing:
            log.warning(
                "fic2book: warning: %s: no installed font has %s; the PDF shows them as "
                "empty boxes (install a font that has them, such as the Noto fonts)",
                book_title(book),
                describe(missing),
            )
        from fic2book.writers.pdf_volume import needs_parts, render_volume

        if needs_parts(book):
            css = self.page_css(book, theme, options)
            printed = self.prepare(book, options)
            return render_volume(
                lambda page: self.layout_page(page, theme),
                printed,
                css,
                credit=options.credit,
                colophon=options.colophon,
            )
        document = self.layout(book, theme, options)
        meta = document.metadata
        meta.title = book_title(book)
        meta.authors = list(book_authors(book))
        meta.lang = book_language(book)
        meta.generator = "fic2book"
        with weasyprint_quiet(_is_refusal):
            data: bytes = document.write_pdf()
        return data

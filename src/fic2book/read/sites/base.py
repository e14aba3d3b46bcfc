"""What every site adapter is: an object that says whether a file is its kind
(``matches``) and reads it into a Draft (``read``), and the Source both are given."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from fic2book.read.draft import Draft

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

    from fic2book.read.formats.html.page import Page, PageReader

Kind = Literal["html", "text"]


@dataclass
class Source:
    """A decoded file: its text, its name, and whether it is read as HTML.

    The parsed page is made once, on first use, and shared by every adapter that looks
    at it (matching never changes it; reading may).
    """

    text: str
    name: str | None = None
    html: bool = False
    _page: Page | None = field(default=None, repr=False)

    @property
    def page(self) -> Page:
        """The parsed page (see ``fic2book.read.formats.html.page.parse_page``)."""
        if self._page is None:
            from fic2book.read.formats.html.page import parse_page

            self._page = parse_page(self.text)
        return self._page

    @property
    def soup(self) -> BeautifulSoup:
        """The parsed page's tree."""
        return self.page.soup


class Adapter(Protocol):
    """A reader for one site's files (or one generic format)."""

    name: str
    kind: Kind
    description: str

    def matches(self, source: Source) -> bool:
        """Whether the file is this adapter's kind."""

    def read(self, source: Source) -> Draft:
        """Read the file into a draft story."""


class HtmlAdapter:
    """An adapter for one kind of saved HTML page: a test on the page's markup and a
    page reader; the shared steps (flat reading, source address) are ``read_page``'s."""

    name = "html"
    kind: Kind = "html"
    description = ""

    def matches(self, source: Source) -> bool:
        """An HTML source whose markup is this site's (see ``matches_page``)."""
        return source.html and self.matches_page(source.soup)

    def matches_page(self, soup: BeautifulSoup) -> bool:
        """Whether a parsed page is this site's page."""
        raise NotImplementedError

    def read_soup(self, soup: BeautifulSoup, draft: Draft) -> None:
        """Read the page's tree into the draft."""
        raise NotImplementedError

    def read_parsed(self, page: Page, draft: Draft) -> None:
        """Read a parsed page; adapters that need more than its tree (its script
        variables) override this rather than ``read_soup``."""
        self.read_soup(page.soup, draft)

    def read(self, source: Source) -> Draft:
        """Read the page with ``read_parsed`` (see ``read.formats.html.page.read_page``)."""
        from fic2book.read.formats.html.page import read_page

        reader: PageReader = self.read_parsed
        return read_page(source.text, source.page, reader)

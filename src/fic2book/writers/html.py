"""The single-file HTML writer: one self-contained page for a browser or a phone.

Inline CSS (the theme's screen layer), the cover as a ``data:`` URI, no script and no
external resource; a contents list with in-page links and previous/next links between
chapters; dark mode and a print stylesheet come from the theme.
"""

from __future__ import annotations

from typing import ClassVar

from fic2book.book import xml_safe
from fic2book.images import cover_picture, data_uri, without_images
from fic2book.model import Book
from fic2book.options import RenderOptions
from fic2book.render.html import single_page
from fic2book.themes import Layer, Theme, stylesheet


class HtmlWriter:
    """Single-file HTML5."""

    name: ClassVar[str] = "html"
    suffix: ClassVar[str] = ".html"
    media_type: ClassVar[str] = "text/html"
    layer: ClassVar[Layer] = "screen"
    description: ClassVar[str] = "one self-contained HTML page (phones, browsers)"

    def render(self, book: Book, theme: Theme, options: RenderOptions) -> bytes:
        """The book as one HTML page, UTF-8 encoded."""
        book = xml_safe(book)
        if not options.images:
            book = without_images(book)
        css = stylesheet(theme, self.layer, user_css=options.user_css)
        cover = None
        own = cover_picture(book, options)
        if own is not None:
            cover = data_uri(own)
        elif options.cover:
            from fic2book.render.cover import cover_data_uri

            cover = cover_data_uri(book)
        page = single_page(
            book, css, cover_uri=cover, credit=options.credit, colophon=options.colophon
        )
        return page.encode("utf-8")

"""Saved HTML pages (FORMATS.md dialect 6): the HTML-to-model converter (``convert``),
page-level steps (``page``) and DOM helpers (``dom``). Which site a page comes from,
and what its markup means, is the site adapters' business (``fic2book.read.sites``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fic2book.read.text import Draft


def read_html(text: str) -> Draft:
    """Read a saved HTML page, choosing the site adapter from its markup."""
    from fic2book.read.sites import choose
    from fic2book.read.sites.base import Source

    source = Source(text, html=True)
    return choose(source).read(source)

"""Site adapters and the one ordered registry that chooses among them.

Each adapter (see ``base.Adapter``) says whether a file is its kind (``matches``) and
reads it (``read``). ``ADAPTERS`` lists them most specific first, as pandoc's reader
list and FanFicFare's adapters do: the first that matches reads the file. HTML adapters
come first and only match HTML sources; the generic HTML adapter claims any HTML page,
plain text any file. Adding a site is one new module here and one line in ``ADAPTERS``.
"""

from __future__ import annotations

import re

from fic2book.errors import Fic2BookError
from fic2book.read.detect import looks_like_html
from fic2book.read.draft import Draft
from fic2book.read.sites.ao3 import Ao3Download, Ao3Text, Ao3WorkPage
from fic2book.read.sites.archive import ArchivePage
from fic2book.read.sites.base import Adapter, Source
from fic2book.read.sites.ffn import FfnPage, FfnText
from fic2book.read.sites.formats import Header, Markdown, Plain
from fic2book.read.sites.generic import GenericPage

ADAPTERS: tuple[Adapter, ...] = (
    Ao3WorkPage(),
    Ao3Download(),
    FfnPage(),
    ArchivePage(),
    GenericPage(),
    Ao3Text(),
    FfnText(),
    Markdown(),
    Header(),
    Plain(),
)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_MD_SUFFIXES = (".md", ".markdown")
_WHOLE_PAGE = re.compile(r"<!doctype html|<html[\s>]", re.IGNORECASE)


def adapter_names() -> tuple[str, ...]:
    """Every adapter's name, in registry order (what ``--dialect`` accepts)."""
    return tuple(a.name for a in ADAPTERS)


def source_of(text: str, name: str | None = None) -> Source:
    """A Source for a decoded text: HTML when its name or its markup says so.

    Markdown (a ``.md`` name, or front matter at the top) may hold inline HTML
    paragraphs; it is HTML only when it is a whole page (a doctype or ``<html>``).
    """
    lowered = (name or "").lower()
    if lowered.endswith(_HTML_SUFFIXES):
        return Source(text, name, html=True)
    markdown = lowered.endswith(_MD_SUFFIXES) or text.lstrip("\ufeff").startswith(
        ("---\n", "+++\n")
    )
    if markdown:
        return Source(text, name, html=bool(_WHOLE_PAGE.search(text[:4000])))
    return Source(text, name, html=looks_like_html(text))


def choose(source: Source, dialect: str | None = None) -> Adapter:
    """The adapter for a source: the one named by ``dialect``, else the first that matches.

    Naming ``html`` reads the file as HTML and still lets a site's page adapter claim it
    (an AO3 page forced to ``html`` is read as an AO3 page).
    """
    if dialect == "html":
        source.html = True
    elif dialect is not None:
        for adapter in ADAPTERS:
            if adapter.name == dialect:
                return adapter
        names = ", ".join(adapter_names())
        raise Fic2BookError(f"unknown dialect {dialect!r} (choose from {names})")
    return next(a for a in ADAPTERS if a.matches(source))


def read_source(text: str, name: str | None = None, dialect: str | None = None) -> Draft:
    """Read a decoded text with the adapter ``choose`` picks."""
    source = source_of(text, name)
    return choose(source, dialect).read(source)


def detect(text: str, name: str | None = None) -> str:
    """Name the dialect of a text (FORMATS.md): ``html`` for any saved page, else the
    name of the text adapter that would read it (``ao3``, ``ffn``, ``markdown``...)."""
    adapter = choose(source_of(text, name))
    return "html" if adapter.kind == "html" else adapter.name


def read_html(text: str) -> Draft:
    """Read a saved HTML page, choosing the site adapter from its markup."""
    source = Source(text, html=True)
    return choose(source).read(source)

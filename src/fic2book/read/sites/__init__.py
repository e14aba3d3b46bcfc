"""Site adapters and the one ordered registry that chooses among them.

Each adapter (see ``base.Adapter``) says whether a file is its kind (``matches``) and
reads it (``read``). ``ADAPTERS`` lists them most specific first, as pandoc's reader
list and FanFicFare's adapters do: the first that matches reads the file. HTML adapters
come first and only match HTML sources; the generic HTML adapter claims any HTML page,
plain text any file. Adding a site is one new module here and one line in ``ADAPTERS``.
"""

from __future__ import annotations

from fic2book.errors import Fic2BookError
from fic2book.read.detect import looks_like_html
from fic2book.read.sites.ao3 import Ao3Download, Ao3Text, Ao3WorkPage
from fic2book.read.sites.base import Adapter, Source
from fic2book.read.sites.ffn import FfnPage, FfnText
from fic2book.read.sites.formats import Header, Markdown, Plain
from fic2book.read.sites.generic import GenericPage
from fic2book.read.text import Draft

ADAPTERS: tuple[Adapter, ...] = (
    Ao3WorkPage(),
    Ao3Download(),
    FfnPage(),
    GenericPage(),
    Ao3Text(),
    FfnText(),
    Markdown(),
    Header(),
    Plain(),
)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def adapter_names() -> tuple[str, ...]:
    """Every adapter's name, in registry order (what ``--dialect`` accepts)."""
    return tuple(a.name for a in ADAPTERS)


def source_of(text: str, name: str | None = None) -> Source:
    """A Source for a decoded text: HTML when its name or its markup says so."""
    lowered = (name or "").lower()
    return Source(text, name, html=lowered.endswith(_HTML_SUFFIXES) or looks_like_html(text))


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

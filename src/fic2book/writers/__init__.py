"""Writers: one module per format, found through the ``fic2book.writers`` entry points.

A writer is a class with documented capability attributes and one method,
``render(book, theme, options) -> bytes``; the CLI writes the bytes to disk, so a writer
never touches the file system. Built-in writers register through the same entry-point
group a third-party writer would use, and heavy libraries (WeasyPrint, ebooklib) are
imported only inside ``render``.
"""

from __future__ import annotations

from functools import cache
from typing import ClassVar, Protocol

from fic2book.errors import Fic2BookError
from fic2book.model import Book
from fic2book.options import RenderOptions
from fic2book.themes import Layer, Theme

GROUP = "fic2book.writers"


class Writer(Protocol):
    """What every writer declares and does."""

    name: ClassVar[str]
    """The format's name, as given to ``--format``."""
    suffix: ClassVar[str]
    """The output file's suffix, with its dot."""
    media_type: ClassVar[str]
    """The output's media type."""
    layer: ClassVar[Layer]
    """Which CSS layer of a theme the writer uses."""
    description: ClassVar[str]
    """One line for help texts."""

    def render(self, book: Book, theme: Theme, options: RenderOptions) -> bytes:
        """The whole output file as bytes."""
        ...


BUILTIN = {
    "epub": "fic2book.writers.epub:EpubWriter",
    "pdf": "fic2book.writers.pdf:PdfWriter",
    "html": "fic2book.writers.html:HtmlWriter",
}
"""The built-in writers, loaded without an entry-point scan (which costs start-up time);
other names are looked up in the entry-point group."""


def builtin_writer(name: str) -> type[Writer] | None:
    """A built-in writer class, importing only its own module; None for other names."""
    target = BUILTIN.get(name)
    if target is None:
        return None
    from importlib import import_module

    module, _, attr = target.partition(":")
    found: type[Writer] = getattr(import_module(module), attr)
    return found


@cache
def registry() -> dict[str, type[Writer]]:
    """Every installed writer by name, loaded from the entry-point group."""
    from importlib.metadata import entry_points

    found: dict[str, type[Writer]] = {}
    for ep in entry_points(group=GROUP):
        found[ep.name] = ep.load()
    return found


def writer_names() -> list[str]:
    """Installed writer names, built-ins first in a fixed order."""
    names = list(entry_point_names())
    order = {"epub": 0, "pdf": 1, "html": 2}
    return sorted(names, key=lambda n: (order.get(n, 9), n))


def entry_point_names() -> list[str]:
    """The names in the entry-point group, without importing any writer module."""
    from importlib.metadata import entry_points

    return [ep.name for ep in entry_points(group=GROUP)]


def get_writer(name: str) -> Writer:
    """An instance of the named writer."""
    try:
        return (builtin_writer(name) or registry()[name])()
    except KeyError:
        raise Fic2BookError(
            f"unknown format {name!r} (installed: {', '.join(writer_names())})"
        ) from None

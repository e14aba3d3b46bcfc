"""fic2book: turn raw fan fiction files into valid, beautiful EPUB, PDF and HTML books.

``parse`` reads a raw file into a Story (the chapter tree of ``fic2book.model``);
``build`` renders a Story or Book in one format and returns the file's bytes. Both are
``fic2book.pipeline``'s, imported on first use so ``fic2book --help`` loads no reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fic2book.errors import Fic2BookError

if TYPE_CHECKING:
    from fic2book.pipeline import build, parse

__all__ = ["Fic2BookError", "build", "parse"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``parse`` and ``build`` are imported on first use."""
    if name in ("parse", "build"):
        from fic2book import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'fic2book' has no attribute {name!r}")

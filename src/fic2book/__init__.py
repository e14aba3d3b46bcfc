"""fic2book: turn raw fan fiction files into valid, beautiful EPUB, PDF and HTML books.

``parse`` reads a raw file into a Story (the chapter tree of ``fic2book.model``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fic2book.errors import Fic2BookError

if TYPE_CHECKING:
    from fic2book.api import parse

__all__ = ["Fic2BookError", "parse"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``parse`` is imported on first use, so ``fic2book --help`` loads no reader."""
    if name == "parse":
        from fic2book.api import parse

        return parse
    raise AttributeError(f"module 'fic2book' has no attribute {name!r}")

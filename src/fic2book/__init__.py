"""fic2book: turn raw fan fiction files into valid, beautiful EPUB, PDF and HTML books.

``parse`` reads a raw file into a Story (the chapter tree of ``fic2book.model``).
"""

from fic2book.api import parse
from fic2book.errors import Fic2BookError

__all__ = ["Fic2BookError", "parse"]
__version__ = "0.1.0"

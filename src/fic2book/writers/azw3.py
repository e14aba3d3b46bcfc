"""The Kindle writer: the EPUB writer's book converted to AZW3 (KF8) by calibre.

fic2book does not write Amazon's formats itself; calibre's ``ebook-convert`` does, from
the EPUB the EPUB writer makes (which already passes what Send to Kindle checks). When
``ebook-convert`` is not on the PATH, the writer fails with one line naming what to
install. The conversion runs in a temporary folder, so nothing half-written is left.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import ClassVar

from fic2book.errors import Fic2BookError
from fic2book.model import Book
from fic2book.options import RenderOptions
from fic2book.themes import Layer, Theme
from fic2book.writers.epub import EpubWriter

CONVERTER = "ebook-convert"
INSTALL_HINT = (
    "--format azw3 needs calibre's ebook-convert, which was not found: install calibre"
    " (Debian/Ubuntu: apt install calibre; others: https://calibre-ebook.com/download)"
)
TIMEOUT = 600
"""Seconds one conversion may take."""


def converter() -> str:
    """The path of ``ebook-convert``, or a Fic2BookError naming what to install."""
    found = shutil.which(CONVERTER)
    if found is None:
        raise Fic2BookError(INSTALL_HINT)
    return found


def epub_to_azw3(epub: bytes) -> bytes:
    """AZW3 bytes from EPUB bytes, by ``ebook-convert``; its last error line becomes a
    Fic2BookError when it fails."""
    tool = converter()
    with tempfile.TemporaryDirectory(prefix="fic2book-azw3-") as tmp:
        source, target = Path(tmp) / "book.epub", Path(tmp) / "book.azw3"
        source.write_bytes(epub)
        try:
            run = subprocess.run(
                [tool, str(source), str(target)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise Fic2BookError(f"ebook-convert took longer than {TIMEOUT} s") from None
        if run.returncode != 0 or not target.is_file():
            lines = [line for line in (run.stderr or run.stdout).splitlines() if line.strip()]
            reason = lines[-1] if lines else f"exit status {run.returncode}"
            raise Fic2BookError(f"ebook-convert could not make the AZW3 ({reason})")
        return target.read_bytes()


class Azw3Writer(EpubWriter):
    """Kindle AZW3 (KF8), through calibre's ``ebook-convert``."""

    name: ClassVar[str] = "azw3"
    suffix: ClassVar[str] = ".azw3"
    media_type: ClassVar[str] = "application/vnd.amazon.ebook"
    layer: ClassVar[Layer] = "epub"
    description: ClassVar[str] = "Kindle AZW3, converted by calibre's ebook-convert"

    def render(self, book: Book, theme: Theme, options: RenderOptions) -> bytes:
        """The EPUB of ``EpubWriter.render`` converted to AZW3 (calibre required)."""
        converter()  # fail before building a book that cannot be converted
        return epub_to_azw3(super().render(book, theme, options))

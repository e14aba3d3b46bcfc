"""The options of the pipeline's two stages, one frozen type each: how a story is read
(``ReadOptions``) and how a book is rendered (``RenderOptions``).

Every front end (the CLI's commands, the batch workers, a Dask cluster, the public API)
builds these two values and hands them to ``fic2book.pipeline``; nothing below the
pipeline sees a front end's own option shapes. A new option is one field here, one
place in the front end that fills it (``fic2book.app.options`` for the CLI), and the
stage that uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from fic2book.model import Picture

NotesMode = Literal["keep", "end", "drop"]
"""Where author's notes go: in place, gathered at the end, or left out."""
NOTES_MODES: tuple[str, ...] = get_args(NotesMode)


@dataclass(frozen=True)
class ReadOptions:
    """What the user asked of reading a story file."""

    title: str | None = None
    """A title that overrides the file's."""
    authors: tuple[str, ...] = ()
    """Authors that override the file's."""
    lang: str | None = None
    """A language (a tag or a name) that overrides the file's."""
    smart: bool = True
    """Run the typography pass (False: ``--no-smart`` keeps the text as written)."""
    dialect: str | None = None
    """Force a reader (an adapter's name) instead of detecting one."""
    images: bool = True
    """Read the pictures a page shows from its own folder (False: ``--no-images``)."""


@dataclass(frozen=True)
class RenderOptions:
    """What the user asked of a build, beyond the book and the theme."""

    notes: NotesMode = "keep"
    """Where author's notes go: ``keep``, ``end`` or ``drop``."""
    page_size: str | None = None
    """The PDF page size (A5, A4, letter, 6x9... or a CSS size); None: the theme's."""
    user_css: tuple[str, ...] = ()
    """The user's own CSS, applied after the theme."""
    cover: bool = True
    """Whether the book has a cover (False: ``--cover none``, not even the story's art)."""
    credit: bool = True
    """Whether the title page says where the story was posted (``Posted originally at``)."""
    colophon: bool = True
    """Whether a short colophon (source, date, fic2book and its version) ends the book."""
    cover_image: Picture | None = None
    """The reader's own cover (``--cover FILE``), shown instead of any other."""
    images: bool = True
    """False (``--no-images``): the pictures in the text are left out."""

"""One file's work in a batch: bytes and a frozen set of options in, books' bytes out.

``convert_one`` is the unit every runner uses (in-process, the local worker pool, a Dask
cluster): a plain module-level function whose arguments and result pickle, that never
touches the file system (the caller reads the input and writes the books), and that
turns every failure into a result with a one-line reason instead of an exception.
A new ``convert`` option becomes a field of ``ConvertOptions``.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal

from fic2book.errors import Fic2BookError

if TYPE_CHECKING:
    from fic2book.model import Metadata
    from fic2book.themes import Theme
    from fic2book.writers import BuildOptions

NotesMode = Literal["keep", "end", "drop"]


@dataclass(frozen=True)
class ConvertOptions:
    """Everything that decides a batch's books and their names (not how it runs)."""

    formats: tuple[str, ...] = ("epub",)
    """Output formats, in order, without repeats."""
    style: str = "classic"
    """A theme name or theme folder."""
    user_css: tuple[str, ...] = ()
    """The text of the user's CSS files."""
    notes: NotesMode = "keep"
    """``keep``, ``end`` or ``drop`` the author's notes."""
    page_size: str | None = None
    """The PDF page size, or None for the theme's."""
    cover: bool = True
    """Generate a cover when the story has none."""
    credit: bool = True
    """The "Posted originally at" line on the title page."""
    colophon: bool = True
    """The colophon at the end of the book."""
    title: str | None = None
    """A title that overrides the file's."""
    authors: tuple[str, ...] = ()
    """Authors that override the file's."""
    lang: str | None = None
    """A language that overrides the file's."""
    smart: bool = True
    """Run the typography pass."""
    dialect: str | None = None
    """Force a reader instead of detecting one."""
    name: str = "{title}_{author}"
    """The ``--name`` template for book file names."""
    ascii_names: bool = False
    """Transliterate names to ASCII."""

    def build_options(self) -> BuildOptions:
        """The writers' view of these options."""
        from fic2book.writers import BuildOptions

        return BuildOptions(
            notes=self.notes,
            page_size=self.page_size,
            user_css=self.user_css,
            cover=self.cover,
            credit=self.credit,
            colophon=self.colophon,
        )

    def digest(self) -> str:
        """A SHA-256 of every field, stable across runs and machines."""
        text = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class JobResult:
    """What one input gave: its books' bytes and facts for the report, or an error."""

    error: str | None = None
    """The one-line reason it failed, or None."""
    metadata: Metadata | None = None
    """The story's metadata (for the book's name)."""
    words: int = 0
    """Words in the story."""
    chapters: int = 0
    """Chapters in the story."""
    books: tuple[tuple[str, bytes], ...] = field(default=(), repr=False)
    """(suffix, bytes) for each format, in the options' order."""
    seconds: float = 0.0
    """Time the work took, in seconds."""


@cache
def theme_for(style: str) -> Theme:
    """A theme loaded once per process."""
    from fic2book.themes import load_theme

    return load_theme(style)


def _relabel(message: str, name: str, label: str) -> str:
    """An error message naming the input as the user gave it (``label``) rather than by
    its bare file name."""
    prefix = f"{name}: "
    return label + ": " + message[len(prefix) :] if message.startswith(prefix) else message


def convert_one(data: bytes, name: str, label: str, options: ConvertOptions) -> JobResult:
    """Read one story from its bytes (``name`` is its file name, ``label`` how errors name
    it) and render it in every format of ``options``; any failure is a JobResult with a
    one-line error, never an exception."""
    start = time.perf_counter()
    try:
        from fic2book.api import parse
        from fic2book.book import apply_notes_mode, book_of
        from fic2book.stats import story_stats
        from fic2book.writers import get_writer

        story = parse(
            data,
            name=name,
            title=options.title,
            authors=options.authors or None,
            language=options.lang,
            smart=options.smart,
            dialect=options.dialect,
        )
        theme = theme_for(options.style)
        build = options.build_options()
        book = apply_notes_mode(book_of(story), build.notes)
        books = tuple(
            (writer.suffix, writer.render(book, theme, build))
            for writer in (get_writer(f) for f in options.formats)
        )
        stats = story_stats(story)
        return JobResult(
            metadata=book.metadata,
            words=int(stats["words"]),
            chapters=int(stats["chapters"]),
            books=books,
            seconds=time.perf_counter() - start,
        )
    except Fic2BookError as exc:
        error = _relabel(str(exc), name, label)
    except MemoryError:
        error = f"{label}: could not be converted (out of memory)"
    except Exception as exc:  # one bad file must not stop a batch
        error = f"{label}: could not be converted ({type(exc).__name__}: {exc})"
    return JobResult(error=error, seconds=time.perf_counter() - start)

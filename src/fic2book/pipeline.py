"""The one build path: read a file into a Story, make it a Book, render it in every
format asked for.

```
bytes ─ decode ─▶ text ─ adapter ─▶ Draft ─ finish ─▶ Story ─ pictures, typography ─▶ Story
Story(s) ─ book_of / volume ─▶ Book ─ notes ─▶ Book ─ writer.render ─▶ (suffix, bytes)
```

``read`` and ``render_all`` are what every front end calls: ``convert``'s workers (in
process, in a pool, on a Dask cluster), ``convert --join``, ``anthology`` and the public
``parse`` and ``build``. Each takes one options value per stage (``ReadOptions``,
``RenderOptions`` from ``fic2book.options``), so an option added once reaches every
command. Nothing here touches the disk but reading the input (and the pictures beside a
saved page); books come back as bytes for the caller to write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any

from fic2book import limits
from fic2book.book import apply_notes_mode, book_of
from fic2book.errors import Fic2BookError
from fic2book.images import ImageOptions, resolve
from fic2book.lang import language_tag
from fic2book.model import Book, Story
from fic2book.options import ReadOptions, RenderOptions
from fic2book.read.assemble import finish_story
from fic2book.read.decode import decode
from fic2book.themes import DEFAULT_THEME, Theme, load_theme
from fic2book.typography import smarten
from fic2book.writers import Writer, get_writer

log = logging.getLogger("fic2book")

Warn = Callable[[str], None]
READ_DEFAULTS = ReadOptions()
RENDER_DEFAULTS = RenderOptions()


# --------------------------------------------------------------------------- reading


def read_source(source: str | Path | bytes) -> tuple[bytes, Path | None]:
    """The raw bytes of a source and its path (None for bytes given directly).

    The file is only read, never modified, and only when it is a regular file within
    the size limit (``limits.read_bounded``).
    """
    if isinstance(source, bytes):
        limits.check_input_size(source, "input")
        return source, None
    path = Path(source)
    return limits.read_bounded(path), path


def read(
    source: str | Path | bytes,
    options: ReadOptions = READ_DEFAULTS,
    *,
    name: str | None = None,
    folder: Path | None = None,
    warn: Warn | None = None,
) -> Story:
    """Read a raw story file (a path, or its bytes) into a Story under ``options``.

    ``name`` is the file's name when bytes are given (it helps detection and the title
    fallback); ``folder`` is where a page given as bytes lives, for its pictures (a
    path's own folder is used otherwise); warnings (pictures left out) go to ``warn``,
    by default the ``fic2book`` logger, each naming the input.
    """
    data, path = read_source(source)
    name = name or (path.name if path else None)
    label = str(path) if path else (name or "input")
    return read_text(
        decode(data, label),
        options,
        name=name,
        label=label,
        folder=path.parent if path else folder,
        warn=warn,
    )


def read_text(
    text: str,
    options: ReadOptions,
    *,
    name: str | None,
    label: str,
    folder: Path | None,
    warn: Warn | None = None,
) -> Story:
    """A decoded text read into a Story: the adapter's draft finished with the user's
    overrides, the input limits checked, pictures resolved, typography applied."""
    if not text.strip():
        raise Fic2BookError(f"{label}: the file is empty")
    from fic2book.read.sites import read_source as read_dialect  # HTML readers load bs4

    limits.check_text(text, label)
    lang = (language_tag(options.lang) or options.lang) if options.lang else None
    try:
        draft = read_dialect(text, name, options.dialect)
        story = finish_story(
            draft.meta,
            draft.chapters,
            source_name=name,
            title=options.title,
            authors=options.authors or None,
            language=lang,
        )
    except RecursionError:
        raise limits.LimitError(
            f"{label}: nested too deeply to read (quotes, lists or markup inside each other)"
        ) from None
    limits.check_story(story, label)
    story, warnings = resolve(story, folder, ImageOptions(keep=options.images))
    for message in warnings:
        (warn or log.warning)(f"{label}: {message}")
    return smarten(story) if options.smart else story


# --------------------------------------------------------------------------- rendering


@cache
def theme_for(style: str) -> Theme:
    """A theme (a built-in name or a theme folder) loaded once per process."""
    return load_theme(style)


def writers_for(formats: Sequence[str]) -> list[Writer]:
    """The writer of each format asked for, in order, each once."""
    return [get_writer(name) for name in dict.fromkeys(formats)]


def prepare(book: Book | Story, options: RenderOptions) -> Book:
    """What every writer is given: a Book (a single story as a one-story book), its
    author's notes placed as ``options.notes`` says (each writer makes it XML-safe)."""
    if isinstance(book, Story):
        book = book_of(book)
    return apply_notes_mode(book, options.notes)


def render_all(
    book: Book | Story,
    formats: Sequence[str],
    theme: Theme | str = DEFAULT_THEME,
    options: RenderOptions = RENDER_DEFAULTS,
) -> list[tuple[str, bytes]]:
    """Render a book (or a single story) in each format: ``(suffix, bytes)`` in the order
    asked, each format once. The one render path of every command."""
    if isinstance(theme, str):
        theme = theme_for(theme)
    ready = prepare(book, options)
    return [(w.suffix, w.render(ready, theme, options)) for w in writers_for(formats)]


# --------------------------------------------------------------------------- the public API


def parse(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    title: str | None = None,
    authors: tuple[str, ...] | list[str] | str | None = None,
    language: str | None = None,
    smart: bool = True,
    dialect: str | None = None,
    images: bool = True,
    warn: Warn | None = None,
    folder: Path | None = None,
) -> Story:
    """Read a raw story file (a path, or its bytes) into a Story.

    ``title``, ``authors`` and ``language`` override what the file says; ``smart=False``
    keeps the text's punctuation exactly as written; ``dialect`` forces a reader (the
    name of an adapter in ``fic2book.read.sites.ADAPTERS``) instead of detecting it;
    ``images=False`` leaves the page's pictures out. See ``read`` for the rest.
    """
    if isinstance(authors, str):
        authors = (authors,)
    options = ReadOptions(
        title=title,
        authors=tuple(authors or ()),
        lang=language,
        smart=smart,
        dialect=dialect,
        images=images,
    )
    return read(source, options, name=name, folder=folder, warn=warn)


_RENDER_FIELDS = frozenset(f.name for f in fields(RenderOptions))


def build(
    book: Book | Story,
    format: str = "epub",
    *,
    theme: Theme | str = DEFAULT_THEME,
    **options: Any,
) -> bytes:
    """Render a book (or a single story) in one format and return the file's bytes;
    the keywords are ``RenderOptions``' fields (``notes``, ``page_size``, ``user_css``,
    ``cover``, ``credit``, ``colophon``, ``cover_image``, ``images``)."""
    unknown = sorted(set(options) - _RENDER_FIELDS)
    if unknown:
        raise TypeError(f"build() got unknown options: {', '.join(unknown)}")
    return render_all(book, (format,), theme, RenderOptions(**options))[0][1]

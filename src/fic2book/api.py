"""The public API: ``parse`` a raw file into a Story (``build`` joins it with the writers)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from fic2book import limits
from fic2book.errors import Fic2BookError
from fic2book.images import ImageOptions, resolve
from fic2book.model import Story
from fic2book.read.assemble import finish_story
from fic2book.read.decode import decode
from fic2book.read.fields import language_tag
from fic2book.typography import smarten

log = logging.getLogger("fic2book")


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


def parse(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    title: str | None = None,
    authors: tuple[str, ...] | list[str] | str | None = None,
    language: str | None = None,
    smart: bool = True,
    dialect: str | None = None,
    images: ImageOptions | bool = True,
    warn: Callable[[str], None] | None = None,
    folder: Path | None = None,
) -> Story:
    """Read a raw story file (a path, or its bytes) into a Story.

    ``title``, ``authors`` and ``language`` override what the file says; ``smart=False``
    keeps the text's punctuation exactly as written; ``dialect`` forces a reader (the
    name of an adapter in ``fic2book.read.sites.ADAPTERS``) instead of detecting it.
    ``images`` (False, or ``ImageOptions``) says whether and how the page's pictures are
    read from the file's folder; a warning about pictures left out goes to ``warn``
    (default: the ``fic2book`` logger). ``folder`` is where a page given as bytes lives
    (a path's own folder is used otherwise).
    """
    data, path = read_source(source)
    name = name or (path.name if path else None)
    label = str(path) if path else (name or "input")
    text = decode(data, label)
    if not text.strip():
        raise Fic2BookError(f"{label}: the file is empty")
    from fic2book.read.sites import read_source as read_dialect  # HTML readers load bs4

    limits.check_text(text, label)
    if isinstance(authors, str):
        authors = (authors,)
    lang = (language_tag(language) or language) if language else None
    try:
        draft = read_dialect(text, name, dialect)
        story = finish_story(
            draft.meta,
            draft.chapters,
            source_name=name,
            title=title,
            authors=tuple(authors) if authors else None,
            language=lang,
        )
    except RecursionError:
        raise limits.LimitError(
            f"{label}: nested too deeply to read (quotes, lists or markup inside each other)"
        ) from None
    limits.check_story(story, label)
    base = path.parent if path else folder
    story, warnings = resolve(story, base, _image_options(images))
    for message in warnings:
        (warn or log.warning)(f"{label}: {message}")
    return smarten(story) if smart else story


def _image_options(images: ImageOptions | bool) -> ImageOptions:
    """``True``: the default caps; ``False``: no pictures in the text."""
    if isinstance(images, ImageOptions):
        return images
    return ImageOptions(keep=images)

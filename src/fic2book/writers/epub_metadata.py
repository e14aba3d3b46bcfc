"""What an EPUB says about its book in the package document: the identifier, the
dates, the cover picture and the other pictures, and the OPF metadata (title, creators
with their roles, languages, description, subjects, series, source, accessibility).

Every value is derived from the Book, never from the clock, so identical input gives
identical metadata.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from fic2book.images import cover_picture
from fic2book.model import Book, Metadata, Picture
from fic2book.options import RenderOptions
from fic2book.render.html import (
    Document,
    book_language,
    clean_language,
    is_anthology,
)
from fic2book.render.labels import book_authors, book_title, contents_description
from fic2book.stats import block_text

DEFAULT_MTIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""``dcterms:modified`` when the metadata has no usable date."""
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "fic2book.invalid")
"""The uuid5 namespace of book identifiers."""
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")


# --------------------------------------------------------------------------- identity


def language_of(book: Book) -> str:
    """The book's language tag when it is a well-formed BCP 47 tag, else ``en``."""
    return book_language(book)


def book_identifier(book: Book, docs: Sequence[Document]) -> str:
    """``urn:uuid:`` + a uuid5 over the title, the authors and the chapters' text, so the
    same book always gets the same identifier and a different text a different one."""
    text = "\n".join(
        "".join(str(t) for t in d.element.itertext()) for d in docs if d.kind == "chapter"
    )
    key = json.dumps([book_title(book), list(book_authors(book)), text], ensure_ascii=False)
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, key)}"


def iso_date(value: str | None) -> dt.datetime | None:
    """A metadata date as a UTC datetime when it starts with an ISO date, else None."""
    if not value:
        return None
    m = _ISO_DATE.match(value.strip())
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in m.groups())
    try:
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except ValueError:
        return None


def modified_date(book: Book) -> dt.datetime:
    """``dcterms:modified``: the book's updated, completed or published date (the first
    that reads as an ISO date); for a book without one, the latest such date of its
    stories; else 2000-01-01. Never the clock, so builds are reproducible."""

    def of(meta: Metadata) -> dt.datetime | None:
        for value in (meta.updated, meta.completed, meta.published):
            when = iso_date(value)
            if when is not None:
                return when
        return None

    own = of(book.metadata)
    if own is not None:
        return own
    dates = [d for s in book.stories if (d := of(s.metadata)) is not None]
    return max(dates, default=DEFAULT_MTIME)


def cover_image(book: Book, options: RenderOptions) -> Picture | None:
    """The cover: the reader's ``--cover`` image, else the story's own art (stored once,
    as ``images/<hash>``, even when the text shows it too), else the generated cover
    (``images/cover.png``) when ``options.cover`` is true; ``--cover none``: none."""
    if not options.cover:
        return None
    own = cover_picture(book, options)
    if own is not None:
        return own
    from fic2book.render.cover import cover_png

    return Picture("cover.png", "image/png", cover_png(book), 1600, 2400)


# --------------------------------------------------------------------------- metadata


def plain_text(blocks: Iterable[Any]) -> str:
    """Blocks as plain text, paragraphs separated by blank lines (for dc:description)."""
    return "\n\n".join(t for b in blocks if (t := block_text(b).strip()))


def subjects(book: Book) -> list[str]:
    """One dc:subject per fandom, relationship, character and tag, each value once;
    a book without its own (an anthology) collects its stories'."""
    metas = [book.metadata]
    if not any(m.fandoms or m.relationships or m.characters or m.tags for m in metas):
        metas = [s.metadata for s in book.stories]
    seen: dict[str, None] = {}
    for meta in metas:
        for value in (*meta.fandoms, *meta.relationships, *meta.characters, *meta.tags):
            if value.strip():
                seen.setdefault(value.strip(), None)
    return list(seen)


def accessibility_summary(has_cover: bool) -> str:
    """The plain-language accessibility summary."""
    text = (
        "Text-only book with a table of contents, a heading for each chapter and a "
        "logical reading order; author's notes are labelled and kept in the flow."
    )
    if has_cover:
        text += " The cover image has a text alternative."
    return text


def add_metadata(eb: Any, book: Book, has_cover: bool) -> None:
    """Dublin Core, series, calibre and accessibility metadata on an ebooklib book.

    Creators get ``role`` ``aut``; the summary becomes dc:description as plain text; a
    series is an EPUB 3 ``belongs-to-collection`` (with ``collection-type`` and
    ``group-position``) and the ``calibre:series`` / ``calibre:series_index`` pair that
    calibre and Kobo read; dc:date only when the published date is an ISO date.
    """
    meta = book.metadata
    eb.set_unique_metadata("OPF", "generator", "", {"name": "generator", "content": _generator()})
    if book.editors:
        add_volume_people(eb, book)
    else:
        for i, author in enumerate(book_authors(book), 1):
            eb.add_author(author, role="aut", uid=f"creator-{i}")
    for i, extra_lang in enumerate(story_languages(book), 1):
        eb.add_metadata("DC", "language", extra_lang, {"id": f"language-{i}"})
    summary = plain_text(meta.summary)
    if not summary and is_anthology(book):
        summary = contents_description(book)
    if summary:
        eb.add_metadata("DC", "description", summary)
    for subject in subjects(book):
        eb.add_metadata("DC", "subject", subject)
    if meta.source_url:
        eb.add_metadata("DC", "source", meta.source_url)
    published = iso_date(meta.published)
    if published is not None:
        eb.add_metadata("DC", "date", published.strftime("%Y-%m-%d"))
    if meta.series:
        eb.add_metadata(
            None, "meta", meta.series, {"property": "belongs-to-collection", "id": "series"}
        )
        eb.add_metadata(
            None, "meta", "series", {"refines": "#series", "property": "collection-type"}
        )
        if meta.series_index is not None:
            eb.add_metadata(
                None,
                "meta",
                str(meta.series_index),
                {"refines": "#series", "property": "group-position"},
            )
        eb.add_metadata(None, "meta", "", {"name": "calibre:series", "content": meta.series})
        if meta.series_index is not None:
            eb.add_metadata(
                None,
                "meta",
                "",
                {"name": "calibre:series_index", "content": str(meta.series_index)},
            )
    modes = ["textual", "visual"] if has_cover else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if has_cover:
        features.append("alternativeText")
    for prop, values in (
        ("schema:accessMode", modes),
        ("schema:accessModeSufficient", ["textual"]),
        ("schema:accessibilityFeature", features),
        ("schema:accessibilityHazard", ["none"]),
        ("schema:accessibilitySummary", [accessibility_summary(has_cover)]),
    ):
        for value in values:
            eb.add_metadata(None, "meta", value, {"property": prop})


def add_volume_people(eb: Any, book: Book) -> None:
    """An edited volume's people: each editor a ``dc:creator`` with role ``edt``, each
    story author (once) a ``dc:contributor`` with role ``aut``."""
    for i, editor in enumerate(book.editors, 1):
        eb.add_author(editor, role="edt", uid=f"creator-{i}")
    authors: dict[str, None] = {}
    for story in book.stories:
        authors.update(dict.fromkeys(a.strip() for a in story.metadata.authors if a.strip()))
    for i, author in enumerate(authors, 1):
        uid = f"contributor-{i}"
        eb.add_metadata("DC", "contributor", author, {"id": uid})
        role = {"refines": f"#{uid}", "property": "role", "scheme": "marc:relators"}
        eb.add_metadata(None, "meta", "aut", role)


def story_languages(book: Book) -> list[str]:
    """The stories' languages other than the book's own, each once (an anthology's
    ``dc:language`` is the union of its stories')."""
    main = language_of(book)
    langs = {clean_language(s.metadata.language) for s in book.stories}
    return sorted(lang for lang in langs if lang and lang != main)


def _generator() -> str:
    """The generator meta's content: ``fic2book`` and its version."""
    from fic2book import __version__

    return f"fic2book {__version__}"

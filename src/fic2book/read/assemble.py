"""The last steps every reader shares: epigraphs marked, empty chapters dropped, the
title's fallbacks, the language's source, and the final Story (``finish_story``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath

from fic2book.lang.identify import detect_language, story_sample
from fic2book.model import (
    Chapter,
    Inline,
    Metadata,
    Story,
    Verse,
    inline_text,
)
from fic2book.read.draft import MetaBuilder


def mark_epigraph(chapters: list[Chapter]) -> list[Chapter]:
    """Verse at the very start of the story, before the first prose, is an epigraph."""
    if not chapters:
        return chapters
    first = chapters[0]
    blocks = list(first.blocks)
    if len(blocks) > 1 and isinstance(blocks[0], Verse) and blocks[0].role == "verse":
        blocks[0] = replace(blocks[0], role="epigraph")
        chapters = [replace(first, blocks=tuple(blocks)), *chapters[1:]]
    return chapters


def title_from_filename(name: str | None) -> str | None:
    """A title made from a file name when the stem reads like words, else None.

    Rule: separators become spaces; the stem must hold a word of three or more letters
    and must not look like a hash or an id (long runs of hex digits or digits).
    """
    if not name:
        return None
    stem = PurePath(name).stem
    if re.search(r"[0-9a-f]{8,}", stem, re.IGNORECASE) or re.fullmatch(r"[\d_\-\s]+", stem):
        return None
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", words)
    if not re.search(r"[A-Za-z]{3,}", words):
        return None
    return words[:1].upper() + words[1:]


def inline_title(inlines: tuple[Inline, ...]) -> str:
    """A heading's inlines as a one-line title."""
    return " ".join(inline_text(inlines).split())


def _has_content(chapter: Chapter) -> bool:
    """A chapter is kept when it has text, notes, a summary, or at least a heading."""
    return bool(
        chapter.blocks
        or chapter.notes_before
        or chapter.notes_after
        or chapter.summary
        or chapter.title
        or chapter.number is not None
    )


def with_language_source(meta: Metadata, chapters: list[Chapter], *, forced: bool) -> Metadata:
    """Say where the language came from: the user's option, the source (as the reader
    noted), or, when neither gave one, detection from the story text (which may fail)."""
    if forced:
        return replace(meta, language_source="option", language_confidence=None)
    if meta.language:
        return meta
    found = detect_language(story_sample(chapters))
    if found is None:
        return meta
    tag, confidence = found
    return replace(
        meta, language=tag, language_source="detected", language_confidence=round(confidence, 2)
    )


def finish_story(
    builder: MetaBuilder,
    chapters: list[Chapter],
    *,
    source_name: str | None = None,
    title: str | None = None,
    authors: tuple[str, ...] | None = None,
    language: str | None = None,
) -> Story:
    """Build the Story: epigraph marked, empty chapters dropped, overrides applied.

    The title comes from, in order: the user's ``title``, the source's labels, the file
    name when it reads like words, and finally ``Untitled``.
    """
    chapters = [c for c in chapters if _has_content(c)]
    if not chapters:
        chapters = [Chapter(number=None)]
    chapters = mark_epigraph(chapters)
    meta: Metadata = builder.build(title=title, authors=authors, language=language)
    meta = with_language_source(meta, chapters, forced=language is not None)
    if not meta.title:
        meta = replace(meta, title=title_from_filename(source_name) or "Untitled")
    return Story(metadata=meta, chapters=tuple(chapters), source_name=source_name)

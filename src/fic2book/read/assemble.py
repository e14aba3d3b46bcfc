"""Assembly steps every reader shares: pulling notes off a chapter's edges, epigraphs,
titles, and building the final Story.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath

from fic2book.model import (
    Block,
    Chapter,
    Gap,
    Inline,
    Metadata,
    Note,
    Paragraph,
    SceneBreak,
    Story,
    Text,
    Verse,
)
from fic2book.read.fields import MetaBuilder
from fic2book.read.inlines import merge_text, plain_text
from fic2book.read.language import detect_language, story_sample
from fic2book.read.notes import is_author_note, is_disclaimer

_NOTE_LABEL = re.compile(
    r"^\s*(?:a/n|a\.n\.|(?-i:AN)|author['’]?s?\s+notes?|notes?)\s*(?::|-|–|—)\s*", re.IGNORECASE
)
_DISCLAIMER_LABEL = re.compile(r"^\s*disclaimer\s*[:\-–—]\s*", re.IGNORECASE)


def _paragraph_text(block: Block) -> str | None:
    """The text of a paragraph block, or None for any other kind of block."""
    return plain_text(block.inlines) if isinstance(block, Paragraph) else None


def is_labelled_note(text: str) -> bool:
    """True for a paragraph that labels itself a note (``A/N:``, ``Author's Note:``)."""
    return bool(_NOTE_LABEL.match(text) or _DISCLAIMER_LABEL.match(text))


def drop_label(block: Paragraph, pattern: re.Pattern[str]) -> Paragraph:
    """Remove a leading label (``A/N:``) from a paragraph's first text run."""
    inlines = list(block.inlines)
    if inlines and isinstance(inlines[0], Text):
        rest = pattern.sub("", inlines[0].text, count=1)
        inlines[0] = Text(rest)
    return Paragraph(merge_text(inlines), block.align)


def _is_edge_note(block: Block, *, labelled_only: bool) -> bool:
    """Whether a block at a chapter's edge is the author talking."""
    text = _paragraph_text(block)
    if text is None:
        return False
    if is_labelled_note(text):
        return True
    return not labelled_only and is_author_note(text)


def peel_notes(
    blocks: tuple[Block, ...], *, labelled_only: bool = False, keep: int = 1
) -> tuple[list[Paragraph], tuple[Block, ...], list[Paragraph]]:
    """Split a chapter's blocks into leading notes, story blocks and trailing notes.

    Rule: paragraphs at the very start (and end) that label themselves notes or score as
    the author's voice are notes, up to the first that is not. At least ``keep`` blocks
    of story always remain. Scene breaks between the notes and the story are dropped.
    """
    items = list(blocks)
    lead: list[Paragraph] = []
    while len(items) > keep and _is_edge_note(items[0], labelled_only=labelled_only):
        block = items.pop(0)
        assert isinstance(block, Paragraph)
        lead.append(block)
        _drop_separators(items, 0)
    trail: list[Paragraph] = []
    while len(items) > keep and _is_edge_note(items[-1], labelled_only=labelled_only):
        block = items.pop()
        assert isinstance(block, Paragraph)
        trail.insert(0, block)
        _drop_separators(items, -1)
    return lead, tuple(items), trail


def _drop_separators(items: list[Block], where: int) -> None:
    """Remove breaks and gaps left at one end of a block list."""
    while items and isinstance(items[where], Gap | SceneBreak):
        items.pop(where)


def sort_notes(paragraphs: list[Paragraph]) -> tuple[tuple[Block, ...], tuple[Block, ...]]:
    """Split note paragraphs into (disclaimer, notes), removing their labels."""
    disclaimer: list[Block] = []
    notes: list[Block] = []
    for p in paragraphs:
        text = plain_text(p.inlines)
        if _DISCLAIMER_LABEL.match(text):
            disclaimer.append(drop_label(p, _DISCLAIMER_LABEL))
        elif is_disclaimer(text) and not _NOTE_LABEL.match(text):
            disclaimer.append(p)
        else:
            notes.append(drop_label(p, _NOTE_LABEL))
    return tuple(disclaimer), tuple(notes)


def note(role: str, blocks: tuple[Block, ...]) -> tuple[Note, ...]:
    """A one-note tuple for non-empty blocks, else an empty tuple."""
    return (Note(role, blocks),) if blocks else ()  # type: ignore[arg-type]


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
    return " ".join(plain_text(inlines).split())


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

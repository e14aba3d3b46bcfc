"""Helpers for reading a Story in tests."""

from __future__ import annotations

from collections.abc import Iterable

from fic2book.model import Block, Chapter, Note, Paragraph, SceneBreak, Story, Verse
from fic2book.stats import block_text


def blocks_text(blocks: Iterable[Block]) -> list[str]:
    """The text of each block that has text."""
    return [t for b in blocks if (t := block_text(b))]


def notes_text(notes: Iterable[Note]) -> list[str]:
    return [t for n in notes for t in blocks_text(n.blocks)]


def chapter_text(chapter: Chapter) -> str:
    return "\n".join(blocks_text(chapter.blocks))


def count(story: Story, kind: type) -> int:
    return sum(isinstance(b, kind) for c in story.chapters for b in c.blocks)


def paragraphs(chapter: Chapter) -> list[Paragraph]:
    return [b for b in chapter.blocks if isinstance(b, Paragraph)]


__all__ = [
    "SceneBreak",
    "Verse",
    "blocks_text",
    "chapter_text",
    "count",
    "notes_text",
    "paragraphs",
]

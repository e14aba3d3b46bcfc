"""Derived counts: words, paragraphs, scene breaks and notes, never stored in the model."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from fic2book.model import (
    Block,
    BlockQuote,
    Chapter,
    Gap,
    Image,
    Note,
    Paragraph,
    SceneBreak,
    Story,
    Verse,
)
from fic2book.read.inlines import plain_text

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def block_text(block: Block) -> str:
    """The plain text of a block (verse lines joined by newlines)."""
    if isinstance(block, Paragraph):
        return plain_text(block.inlines)
    if isinstance(block, Verse):
        return "\n".join(plain_text(line) for line in block.lines)
    if isinstance(block, BlockQuote | Note):
        return "\n".join(block_text(b) for b in block.blocks)
    if isinstance(block, SceneBreak | Gap):
        return ""
    if isinstance(block, Image):
        return plain_text(block.caption)
    return plain_text(block.inlines)


def count_words(text: str) -> int:
    """Words are runs of letters and digits, with inner apostrophes (``don't`` is one)."""
    return len(_WORD.findall(text))


def blocks_words(blocks: Iterable[Block]) -> int:
    """Words in some blocks."""
    return sum(count_words(block_text(b)) for b in blocks)


def chapter_stats(chapter: Chapter) -> dict[str, int]:
    """Counts for one chapter's text (notes not included in words)."""
    return {
        "words": blocks_words(chapter.blocks),
        "paragraphs": sum(isinstance(b, Paragraph) for b in chapter.blocks),
        "scene_breaks": sum(isinstance(b, SceneBreak) for b in chapter.blocks),
        "gaps": sum(isinstance(b, Gap) for b in chapter.blocks),
        "verses": sum(isinstance(b, Verse) for b in chapter.blocks),
        "notes": len(chapter.notes_before) + len(chapter.notes_after) + bool(chapter.summary),
    }


def story_stats(story: Story) -> dict[str, Any]:
    """Counts for a whole story and for each of its chapters."""
    per = [chapter_stats(c) for c in story.chapters]
    return {
        "words": sum(c["words"] for c in per),
        "chapters": len(story.chapters),
        "scene_breaks": sum(c["scene_breaks"] for c in per),
        "per_chapter": per,
    }

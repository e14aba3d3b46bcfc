"""Derived counts: words, paragraphs, scene breaks and notes, never stored in the model.

Words are counted the way AO3 counts them: runs of letters and digits (with inner
apostrophes), except that each Chinese character, kana and other CJK ideograph counts
as one word, since those scripts put no spaces between words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from fic2book.model import (
    Block,
    Chapter,
    Gap,
    Paragraph,
    SceneBreak,
    Story,
    Verse,
    inline_text,
    iter_runs,
)

_CJK = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c"
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f\U00020000-\U0003134f"
)
_WORD = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])\w)+(?:['’](?:(?![{_CJK}])\w)+)*")


def block_text(block: Block) -> str:
    """The plain text of a block: its inline runs (paragraph, heading, each verse line,
    everything inside quotes and notes) joined by newlines."""
    return "\n".join(inline_text(run) for run in iter_runs((block,)))


def count_words(text: str) -> int:
    """Words are runs of letters and digits, with inner apostrophes (``don't`` is one);
    each CJK character (Han, kana) is a word of its own (``我爱你`` is three)."""
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

"""Identifying a story's language from its text, when no label, markup or front matter
names it: py3langid (a naive Bayes model shipped inside its package, loaded once, on
first use), believed only above ``THRESHOLD`` confidence and for enough text.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from fic2book.model import Block, Chapter, Note, Paragraph, Verse, inline_text, iter_blocks

THRESHOLD = 0.9
"""The lowest confidence (0-1) at which a detected language is believed."""
MIN_LETTERS = 40
"""Fewer letters of story text than this are too few to detect a language from."""
_SAMPLE = 4000


@cache
def _identifier() -> Any:
    """py3langid's identifier with normalised probabilities (loaded once, on first use)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float] | None:
    """The language of a text and the model's confidence, or None when unsure.

    Rule: at least ``MIN_LETTERS`` letters, and a confidence of ``THRESHOLD`` or more.
    """
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    tag, confidence = _identifier().classify(text)
    if confidence < THRESHOLD:
        return None
    return str(tag), float(confidence)


def _block_texts(blocks: Iterable[Block]) -> Iterable[str]:
    """The plain text of paragraphs and verse lines, quotes included, in order (notes,
    headings and captions are not story text)."""
    for block in iter_blocks(blocks, skip=(Note,)):
        if type(block) is Paragraph:
            yield inline_text(block.inlines)
        elif type(block) is Verse:
            yield from (inline_text(line) for line in block.lines)


def story_sample(chapters: Iterable[Chapter], size: int = _SAMPLE) -> str:
    """Up to ``size`` characters of story text (never notes), from the first chapters."""
    parts: list[str] = []
    total = 0
    for chapter in chapters:
        for text in _block_texts(chapter.blocks):
            parts.append(text)
            total += len(text)
            if total >= size:
                return "\n".join(parts)[:size]
    return "\n".join(parts)

"""The author's-note detector: is this unlabelled paragraph the author talking to readers?

``note_score`` adds evidence for the author's voice (disclaimers, talk of chapters,
updates, reviews and readers, thanks, emoticons, first person about writing) and takes
away evidence for story text (dialogue, third-person narration, past-tense narration).
A paragraph is a note when its score reaches ``NOTE_THRESHOLD``. Only paragraphs at the
very start or end of a story are ever asked: a note detector never reaches into the
middle of the text. The labels that mark a note or a disclaimer (``A/N:``,
``Disclaimer:``), and peeling and sorting the notes at a chapter's edges, live here too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fic2book.model import Block, Gap, Note, Paragraph, SceneBreak, Text, inline_text
from fic2book.read.inlines import merge_text

NOTE_THRESHOLD = 3

_SIGNALS: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), weight)
    for pattern, weight in (
        (r"\bdisclaimer\b", 5),
        (r"\b(?:i|we)\s+(?:do not|don['’]t|dont|never)\s+own\b", 5),
        (r"\bown(?:s|ed)?\s+(?:nothing|none of)\b", 4),
        # "belongs to" then, on its line, "not me": only a line's first "belongs to"
        # is tried (atomic), not each of thousands, every one scanning the line again.
        (r"(?m)^(?>.*?\b(?:belongs?|belonged) to\b).*\b(?:not me|author|creator)", 3),
        (r"^\s*(?:a/n|an|author['’]?s? notes?|note)\s*[:\-]", 6),
        (r"\b(?:reviews?|reviewers?|reviewed|reviewing)\b", 3),
        (r"\bR\s*&\s*R\b", 4),
        (r"\bkudos\b", 3),
        (r"\b(?:readers?|reading this|for reading|you read)\b", 2),
        (r"\b(?:next|last|previous|this|new)\s+(?:chapter|update|part|installment)s?\b", 2),
        (r"\b(?:tumblr|ao3|ffn|wattpad|discord|livejournal|fanfiction\.net)\b", 3),
        (r"\bthank(?:s| you)\b", 2),
        (r"\b(?:enjoy|hope you (?:like|liked|enjoy|enjoyed))\b", 2),
        (r"\b(?:chapters?|update[sd]?|updating|posted?|posting|oneshot|one-shot)\b", 2),
        (r"\b(?:fic|fics|fanfic|fanfiction|story|stories|drabble|series|sequel|prequel)\b", 1),
        (r"\b(?:beta|beta-?read|betaed|prompt|request(?:ed)?|AU|OOC|canon|fandom)\b", 2),
        (r"\bI\b[^.!?]{0,50}\b(?:writ\w*|wrote|post\w*|upload\w*|publish\w*)", 3),
        (r"\b(?:lol|haha|omg|xoxo)\b", 2),
        (r"(?:[:;]-?[)(DPp]|\^\^|\bxD\b|<3)", 2),
        (r"\bsorry for\b", 2),
        (r"\b(?:follow|favou?rite|fav)(?:s|ed)?\b", 1),
        (r"\bplease\b", 1),
    )
)

_DIALOGUE = re.compile(r"^\s*[\"“”„«]")
_THIRD_PERSON = re.compile(r"\b(?:she|he|her|his|him|they|their)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:i|i['’]m|i['’]ve|i['’]ll|my|me)\b", re.IGNORECASE)
_NARRATION = re.compile(
    r"\b(?:he|she|they)\s+(?:had|was|were|did|could|would|said|told|asked|\w+ed)\b"
    r"|\bhad\s+(?:been|\w+ed)\b",
    re.IGNORECASE,
)
_YOU = re.compile(r"\b(?:you|your|you['’]re|you['’]ll|guys|everyone|y['’]all)\b", re.IGNORECASE)


def note_score(text: str) -> int:
    """Score how much a paragraph sounds like the author speaking to readers."""
    score = sum(weight for pattern, weight in _SIGNALS if pattern.search(text))
    words = max(len(text.split()), 1)
    if _DIALOGUE.match(text):
        score -= 4
    third = len(_THIRD_PERSON.findall(text))
    if third / words > 0.04:
        score -= 2 + min(third, 4)
    if _FIRST_PERSON.search(text) and _YOU.search(text):
        score += 1
    if is_narration(text):
        score -= 3
    return score


def is_narration(text: str) -> bool:
    """Story narration: a third-person subject with a past-tense verb (``he had told``,
    ``she walked``) or the past perfect (``had been``), and no first person anywhere (an
    author says "I" or "my", even when writing about a character).
    """
    return bool(_NARRATION.search(text)) and not _FIRST_PERSON.search(text)


def is_author_note(text: str) -> bool:
    """True when the paragraph scores as the author's voice."""
    return note_score(text) >= NOTE_THRESHOLD


def is_disclaimer(text: str) -> bool:
    """True for a disclaimer: it says so, or says the author owns nothing."""
    return bool(
        re.match(r"\s*disclaimer\b", text, re.IGNORECASE)
        or re.search(r"\b(?:do not|don['’]t|dont)\s+own\b|\bown(?:s)?\s+nothing\b", text, re.I)
    )


def leading_note_count(paragraphs: Sequence[str], limit: int = 8) -> int:
    """How many of the opening paragraphs are the author talking, stopping at the story.

    Rule: count from the top while paragraphs score as notes; stop at the first that
    does not. At most ``limit`` paragraphs are ever taken.
    """
    n = 0
    for text in paragraphs[:limit]:
        if not is_author_note(text):
            break
        n += 1
    return n


def trailing_note_count(paragraphs: Sequence[str], limit: int = 8) -> int:
    """How many of the closing paragraphs are the author talking (counted from the end)."""
    return leading_note_count(list(reversed(paragraphs)), limit)


# --------------------------------------------------------------------------- labels

NOTE_LABEL = re.compile(
    r"^\s*(?:a/n|a\.n\.|(?-i:AN)|author['’]?s?\s+notes?|notes?)\s*(?::|-|–|—)\s*", re.IGNORECASE
)
"""The label that opens an author's note paragraph (``A/N:``, ``Author's Note -``, ``AN:``)."""
DISCLAIMER_LABEL = re.compile(r"^\s*disclaimer\s*[:\-–—]\s*", re.IGNORECASE)
"""The label that opens a disclaimer paragraph."""


def _paragraph_text(block: Block) -> str | None:
    """The text of a paragraph block, or None for any other kind of block."""
    return inline_text(block.inlines) if isinstance(block, Paragraph) else None


def is_labelled_note(text: str) -> bool:
    """True for a paragraph that labels itself a note (``A/N:``, ``Author's Note:``)."""
    return bool(NOTE_LABEL.match(text) or DISCLAIMER_LABEL.match(text))


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
        text = inline_text(p.inlines)
        if DISCLAIMER_LABEL.match(text):
            disclaimer.append(drop_label(p, DISCLAIMER_LABEL))
        elif is_disclaimer(text) and not NOTE_LABEL.match(text):
            disclaimer.append(p)
        else:
            notes.append(drop_label(p, NOTE_LABEL))
    return tuple(disclaimer), tuple(notes)


def note(role: str, blocks: tuple[Block, ...]) -> tuple[Note, ...]:
    """A one-note tuple for non-empty blocks, else an empty tuple."""
    return (Note(role, blocks),) if blocks else ()  # type: ignore[arg-type]

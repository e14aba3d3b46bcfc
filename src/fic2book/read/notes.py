"""The author's-note detector: is this unlabelled paragraph the author talking to readers?

``note_score`` adds evidence for the author's voice (disclaimers, talk of chapters,
updates, reviews and readers, thanks, emoticons, first person about writing) and takes
away evidence for story text (dialogue, third-person narration, past-tense narration).
A paragraph is a note when its score reaches ``NOTE_THRESHOLD``. Only paragraphs at the
very start or end of a story are ever asked: a note detector never reaches into the
middle of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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

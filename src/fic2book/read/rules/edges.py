"""A chapter's edges in fan fiction as posted: what the author put around the story.

Fan-fiction story text often carries its own front and back matter: the title and
``by Author`` repeated at the top, the chapter's heading again (``Chapter Six``,
``Chapter 1 - Banishment``), a ``Summary:`` line, a disclaimer that is not the first
paragraph, a key legend (``'Talking'``, ``"Thinking"``, ``*flashback*``), bold or
unlabelled opening notes; and at the end ``End of Prologue``, ``Please review!``,
``AN- ...`` and the author's signature. ``peel_edges`` drops the repeats (keeping an
in-text heading so the chapter can be titled by it) and takes the notes off both ends;
everything else stays story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from fic2book.model import Block, Gap, Paragraph, SceneBreak, Strong, Text, inline_text
from fic2book.read.rules.headings import HeadingInfo, parse_heading
from fic2book.read.rules.notes import is_author_note, is_disclaimer, is_labelled_note, note_score

_LEAD_LIMIT = 12
_TRAIL_LIMIT = 8
_LEGEND_WORDS = re.compile(
    r"\b(?:talking|thinking|thoughts?|speech|speaking|telepathy|mind ?speak\w*|flashbacks?|"
    r"dreams?|letters?|notes?|texts?|translations?|demons?|inner \w+|parseltongue|"
    r"sign language|japanese|english|yelling|shouting|whisper\w*|emphasis|normal)\b",
    re.IGNORECASE,
)
_LEGEND_ITEM = re.compile(r"""^\s*(?:["'“‘*_<\[(~][^"'”’*_>\])~]{1,30}["'”’*_>\])~]|-)""")
_SUMMARY = re.compile(r"^\s*summary\s*[:\-–—]", re.IGNORECASE)
_CLOSING = re.compile(
    r"^\s*(?:the\s+)?end\s+of\s+(?:the\s+)?(?:prologue|epilogue|chapter|part|story|book|"
    r"act|volume|arc)\b|^\s*(?:TBC|to be continued|please (?:read and )?review\w*)\b",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(r"^\s*(?:[~\-–—]+\s*|(?:love|cheers|xoxo|yours),?\s+)\S.{0,40}$", re.I)


@dataclass
class Edges:
    """A chapter split at its edges: notes before, the story, notes after, and an
    in-text heading found at the top (None when there was none)."""

    lead: list[Paragraph] = field(default_factory=list)
    blocks: tuple[Block, ...] = ()
    trail: list[Paragraph] = field(default_factory=list)
    heading: HeadingInfo | None = None


def _key(text: str) -> str:
    """A text compared without case, punctuation or spacing."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _repeats(title: str | None, authors: Iterable[str]) -> set[str]:
    """The lines that only repeat the work's title or byline."""
    keys = {_key(title)} if title else set()
    for name in authors:
        keys |= {_key(name), _key(f"by {name}"), _key(f"by: {name}"), _key(f"written by {name}")}
    keys.discard("")
    return keys


def is_legend(text: str) -> bool:
    """A key legend: short items such as ``'Talking'`` or ``*flashback*`` naming what a
    way of writing means (talking, thinking, flashbacks...)."""
    if len(text) > 200 or not _LEGEND_WORDS.search(text):
        return False
    items = [part for part in re.split(r"\s*(?:\n|[,;|]|\s-\s|\s{2,})\s*", text) if part]
    return bool(items) and sum(bool(_LEGEND_ITEM.match(p)) for p in items) >= max(
        1, len(items) // 2
    )


def _is_bold(block: Paragraph) -> bool:
    """A paragraph written wholly in bold."""
    inlines = [i for i in block.inlines if not (isinstance(i, Text) and not i.text.strip())]
    return bool(inlines) and all(isinstance(i, Strong) for i in inlines)


def _lead_kind(
    block: Block, repeats: set[str], known: tuple[int | None, str | None], found: bool
) -> str | None:
    """What an opening block is: ``repeat``, ``heading``, ``note``, ``separator`` or None
    (story). An in-text heading repeats the chapter's ``known`` number or title, or is
    the heading of a chapter that has none; another heading is story."""
    if isinstance(block, Gap | SceneBreak):
        return "separator"
    if not isinstance(block, Paragraph):
        return None
    text = inline_text(block.inlines).strip()
    if _key(text) in repeats:
        return "repeat"
    info = parse_heading(text) if len(text) <= 80 else None
    if info is not None and not found and not text.endswith(("!", "?")):
        number, name = known
        if number is None and name is None:
            return "heading"
        same_title = bool(info.title and name and _key(info.title) == _key(name))
        same_number = info.number is not None and info.number == number
        return "repeat" if same_number or same_title else None
    if is_labelled_note(text) or _SUMMARY.match(text) or is_disclaimer(text) or is_legend(text):
        return "note"
    if is_author_note(text) or (_is_bold(block) and note_score(text) >= 1):
        return "note"
    return None


def peel_edges(
    blocks: tuple[Block, ...],
    *,
    title: str | None = None,
    authors: Iterable[str] = (),
    number: int | None = None,
    chapter_title: str | None = None,
    keep: int = 1,
) -> Edges:
    """Split a chapter's blocks at its edges (see the module docstring).

    Rules: from the top, repeats of the title or byline are dropped, an in-text chapter
    heading that repeats the chapter's ``number`` or ``chapter_title`` is dropped, one in
    a chapter with neither is dropped and returned, and notes (labelled, summary, disclaimer,
    legend, bold or scoring as the author's voice) are taken, up to the first block of
    story; separators among them go too. From the end, closing lines (``End of
    Prologue``, ``Please review!``), notes, and a signature after a note are taken. At
    least ``keep`` blocks of story always remain.
    """
    names = list(authors)
    repeats = _repeats(title, names)
    edges = Edges()
    items = list(blocks)
    taken = 0
    while len(items) > keep and taken < _LEAD_LIMIT:
        kind = _lead_kind(items[0], repeats, (number, chapter_title), edges.heading is not None)
        if kind is None:
            break
        block = items.pop(0)
        taken += 1
        if kind == "heading":
            edges.heading = parse_heading(inline_text(block.inlines))  # type: ignore[union-attr]
        elif kind == "note":
            assert isinstance(block, Paragraph)
            edges.lead.append(block)
    _drop_separators(items, 0)
    taken = 0
    while len(items) > keep and taken < _TRAIL_LIMIT:
        if not _take_trailing(items, edges):
            break
        taken += 1
    edges.blocks = tuple(items)
    return edges


def _take_trailing(items: list[Block], edges: Edges) -> bool:
    """Take one closing note (with a signature right after a note) off the end."""
    _drop_separators(items, -1)
    if not items or not isinstance(items[-1], Paragraph):
        return False
    text = inline_text(items[-1].inlines).strip()
    if _CLOSING.match(text) or _is_note(text):
        edges.trail.insert(0, items.pop())  # type: ignore[arg-type]
        return True
    if _SIGNATURE.match(text) and len(text.split()) <= 5 and len(items) > 1:
        before = items[-2]
        if isinstance(before, Paragraph) and _is_note(inline_text(before.inlines)):
            edges.trail.insert(0, items.pop())  # type: ignore[arg-type]
            return True
    return False


def _is_note(text: str) -> bool:
    """A closing paragraph that is the author talking (labelled or by its score)."""
    return is_labelled_note(text) or is_author_note(text)


def _drop_separators(items: list[Block], where: int) -> None:
    """Remove breaks and gaps left at one end of a block list."""
    while items and isinstance(items[where], Gap | SceneBreak):
        items.pop(where)

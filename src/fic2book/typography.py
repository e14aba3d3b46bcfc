"""Typography: curly quotes, dashes and ellipses, as a transform over a whole Story.

Rules (FORMATS.md): straight quotes curl by context; a quote mark at the very start of
a paragraph opens and one at the very end closes, whatever way it was curled (repairing
mis-curled quotes at the edges); apostrophes in elisions (``'em``, ``'tis``, ``'80s``)
turn the right way; ``--``/``---`` and a spaced en dash used as a dash become an em
dash; ``...`` becomes an ellipsis. Nothing else in the wording changes.

Quotes are decided on a paragraph's whole text, across emphasis boundaries, so
``"*Hello*"`` curls correctly; the one-for-one replacement keeps every run's length.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

from fic2book.model import (
    Block,
    BlockQuote,
    Chapter,
    Heading,
    Inline,
    InlineImage,
    LineBreak,
    Metadata,
    Note,
    Paragraph,
    Story,
    Text,
    Verse,
)

_ELISIONS = (
    "em|tis|twas|twere|twill|til|till|cause|cos|coz|bout|round|nother|n|s|ere|ave|ow|e|im|"
    "ello|allo|ey|uns|kay|nough|nuff|fore|gainst|mongst|neath|ya|yer|course|sup|fraid|"
    "scuse|spose|sides"
)
_ELISION = re.compile(rf"['‘](?=(?:{_ELISIONS})\b|\d\ds\b|\d\d\b)", re.IGNORECASE)
_OPENERS = set(" \t\n([{<—–-/\u00a0“‘\"'")
_DOUBLE = set('"“”')
_QUOTE = re.compile("[\"“”'‘’]")
_SINGLE = set("'‘’")
_DASH = re.compile(
    r"(?<=\S) ?(?<!-)-{2,3}(?!-) ?(?=\S)|(?<=\S) -{2,3}(?=\s|$)|(?<=\s)-{2,3} (?=\S)"
    r"|(?<=[^\s-])-{2,3}$|^-{2,3}(?=[^\s-])"
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SPACED_EN = re.compile(r"(?<=\S) – (?=\S)")
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")

T = TypeVar("T")


def smart_quotes(text: str) -> str:
    """Curl every quote mark in one paragraph's text (length is preserved)."""
    chars = list(text)
    elided = {m.start() for m in _ELISION.finditer(text)}
    last = len(chars) - 1
    first_text = len(text) - len(text.lstrip())
    last_text = len(text.rstrip()) - 1
    doubles = 0
    for m in _QUOTE.finditer(text):
        i, ch = m.start(), m.group(0)
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i < last else " "
        opening = before in _OPENERS and not after.isspace()
        if ch in _DOUBLE:
            if _ambiguous_double(before, after):
                opening = doubles % 2 == 0  # balanced so far: this one opens
            doubles += 1
        if i <= first_text:
            opening = True
        elif i >= last_text:
            opening = False
        elif ch in "“”‘’" and not (before in _OPENERS or after.isspace()):
            continue  # already curled, mid-word: trust the author
        if ch in _DOUBLE:
            chars[i] = "“" if opening else "”"
        elif i in elided or (before.isalnum() and after.isalnum()):
            chars[i] = "’"
        else:
            chars[i] = "‘" if opening and not before.isalnum() else "’"
    return "".join(chars)


def _ambiguous_double(before: str, after: str) -> bool:
    """A double quote with no space on either side, text before and a word after.

    ``stopped..."Really`` opens and ``"Wait..."she said`` closes: only the quotes
    before it can tell which, so it opens when the double quotes before it are balanced.
    """
    return before not in _OPENERS and not before.isspace() and after.isalnum()


def smart_dashes(text: str) -> str:
    """``--`` (or ``---``) and a spaced en dash used as a dash become an em dash."""
    text = _DASH.sub(lambda m: m.group(0).replace("---", "—").replace("--", "—"), text)
    return _SPACED_EN.sub(" — ", text)


def smart_text(text: str) -> str:
    """Dashes and ellipses for one run of text (quotes are done per paragraph).

    Web addresses are left exactly as written (``a--b`` in a URL is not a dash).
    """
    out: list[str] = []
    pos = 0
    for url in _URL.finditer(text):
        out.append(_ELLIPSIS.sub("…", smart_dashes(text[pos : url.start()])))
        out.append(url.group(0))
        pos = url.end()
    out.append(_ELLIPSIS.sub("…", smart_dashes(text[pos:])))
    return "".join(out)


def smarten_inlines(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Apply every typography rule to one paragraph's (or one line's) inlines."""
    runs: list[Text] = []
    _collect_text(inlines, runs)
    curled = smart_quotes("".join(r.text for r in runs))
    mapping: dict[int, str] = {}
    pos = 0
    for run in runs:
        mapping[id(run)] = smart_text(curled[pos : pos + len(run.text)])
        pos += len(run.text)
    return _rebuild(inlines, mapping)


def _collect_text(inlines: tuple[Inline, ...], out: list[Text]) -> None:
    """All Text runs of some inlines, in reading order."""
    for node in inlines:
        if isinstance(node, Text):
            out.append(node)
        elif not isinstance(node, LineBreak | InlineImage):
            _collect_text(node.children, out)


def _rebuild(inlines: tuple[Inline, ...], mapping: dict[int, str]) -> tuple[Inline, ...]:
    """The same inlines with each Text run replaced by its new text."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(Text(mapping.get(id(node), node.text)))
        elif isinstance(node, LineBreak | InlineImage):
            out.append(node)
        else:
            out.append(replace(node, children=_rebuild(node.children, mapping)))
    return tuple(out)


def smarten_block(block: Block) -> Block:
    """Apply typography to one block and everything inside it."""
    if isinstance(block, Paragraph | Heading):
        return replace(block, inlines=smarten_inlines(block.inlines))
    if isinstance(block, Verse):
        return replace(block, lines=tuple(smarten_inlines(line) for line in block.lines))
    if isinstance(block, BlockQuote | Note):
        return replace(block, blocks=tuple(smarten_block(b) for b in block.blocks))
    return block


def _blocks(blocks: tuple[T, ...]) -> tuple[T, ...]:
    """Smarten a tuple of blocks or notes."""
    return tuple(smarten_block(b) for b in blocks)  # type: ignore[arg-type,misc]


def smarten_chapter(chapter: Chapter) -> Chapter:
    """Apply typography to a chapter's title, summary, notes and text."""
    return replace(
        chapter,
        title=smart_quotes(smart_text(chapter.title)) if chapter.title else None,
        summary=_blocks(chapter.summary),
        notes_before=_blocks(chapter.notes_before),
        blocks=_blocks(chapter.blocks),
        notes_after=_blocks(chapter.notes_after),
    )


def smarten_metadata(meta: Metadata) -> Metadata:
    """Apply typography to the metadata's free text (title, summary, notes)."""
    changes: dict[str, object] = {}
    for f in fields(meta):
        value = getattr(meta, f.name)
        if f.name in ("summary", "notes", "end_notes", "disclaimer"):
            changes[f.name] = _blocks(value)
        elif f.name == "title" and value:
            changes[f.name] = smart_quotes(smart_text(value))
    return replace(meta, **changes)  # type: ignore[arg-type]


def smarten(story: Story) -> Story:
    """The whole story with typography applied (see the module docstring)."""
    assert is_dataclass(story)
    return replace(
        story,
        metadata=smarten_metadata(story.metadata),
        chapters=tuple(smarten_chapter(c) for c in story.chapters),
    )

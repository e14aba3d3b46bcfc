"""The chapter tree: an immutable model of a story and of a book of stories.

Everything here is a frozen dataclass holding tuples, so a tree, once built, cannot
change under a writer's feet. The module does no I/O and imports nothing else from the
package; readers build these values, transforms return new ones, writers only read them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    """A run of plain text."""

    text: str
    """The characters, exactly as they will be shown (never markup)."""


@dataclass(frozen=True)
class Emph:
    """Emphasis, usually shown in italics."""

    children: tuple[Inline, ...]
    """The emphasised inlines."""


@dataclass(frozen=True)
class Strong:
    """Strong importance, usually shown in bold."""

    children: tuple[Inline, ...]
    """The strong inlines."""


@dataclass(frozen=True)
class Strike:
    """Struck-through text."""

    children: tuple[Inline, ...]
    """The struck inlines."""


@dataclass(frozen=True)
class Underline:
    """Underlined text."""

    children: tuple[Inline, ...]
    """The underlined inlines."""


@dataclass(frozen=True)
class LineBreak:
    """A forced line break inside a paragraph or verse line."""


@dataclass(frozen=True)
class Link:
    """A hyperlink kept from a saved page (only http, https and mailto targets)."""

    children: tuple[Inline, ...]
    """The link text."""
    href: str
    """The target address."""


@dataclass(frozen=True)
class Span:
    """The escape hatch: inlines carrying classes the writers may style."""

    children: tuple[Inline, ...]
    """The inlines inside the span."""
    classes: tuple[str, ...] = ()
    """Class names, such as ``smallcaps`` or ``sc``."""


ImageRole = Literal["illustration", "cover", "divider"]


@dataclass(frozen=True)
class Picture:
    """An image ready for a book: decoded and re-encoded (``images.py``), never a file
    copied as it came. Equal bytes give an equal key, so a book names it the same way
    every time."""

    key: str
    """The file name in a book (``<hash>.png``), derived from the bytes."""
    media_type: str
    """``image/png`` or ``image/jpeg``."""
    data: bytes = field(repr=False)
    """The encoded image."""
    width: int
    """Its width in pixels."""
    height: int
    """Its height in pixels."""


@dataclass(frozen=True)
class InlineImage:
    """A picture inside a line of text, as the page placed it."""

    src: str
    """The source as the page wrote it (a relative path, for reference)."""
    alt: str = ""
    """The text alternative (``Illustration`` once resolved, when the page gave none)."""
    role: ImageRole = "illustration"
    """What the page marks it as: an illustration, the work's cover, a scene divider."""
    picture: Picture | None = None
    """The image itself once resolved; writers show only images that have one."""


Inline = Text | Emph | Strong | Strike | Underline | LineBreak | Link | Span | InlineImage

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose."""

    inlines: tuple[Inline, ...]
    """The paragraph's content."""
    align: Literal["left", "center", "right"] | None = None
    """An alignment the source asked for explicitly, or None for the default."""


@dataclass(frozen=True)
class SceneBreak:
    """An explicit scene break: the author put a marker between two scenes."""

    marker: str = ""
    """The marker as written in the source (``* * *``, ``xXx``, ``<hr>``...), for reference."""


@dataclass(frozen=True)
class Gap:
    """Ambiguous extra space between paragraphs: shown as space, never as an ornament."""


VerseRole = Literal["verse", "epigraph", "record"]


@dataclass(frozen=True)
class Verse:
    """A group of lines whose line breaks matter: lyrics, a poem, a letter, a record card."""

    lines: tuple[tuple[Inline, ...], ...]
    """One tuple of inlines per line."""
    role: VerseRole = "verse"
    """``epigraph`` before the story's first prose, ``record`` for ``Label: value`` cards."""


@dataclass(frozen=True)
class BlockQuote:
    """A quoted passage set off from the surrounding text."""

    blocks: tuple[Block, ...]
    """The quoted blocks."""


@dataclass(frozen=True)
class Heading:
    """A heading inside a chapter's text (not the chapter's own title)."""

    level: int
    """1 to 6, relative to the chapter heading."""
    inlines: tuple[Inline, ...]
    """The heading's content."""


NoteRole = Literal["author-note", "summary", "disclaimer", "end-note"]


@dataclass(frozen=True)
class Note:
    """Words from the author to the reader, kept apart from the story text."""

    role: NoteRole
    """What kind of note this is."""
    blocks: tuple[Block, ...]
    """The note's content."""


@dataclass(frozen=True)
class Image:
    """A picture standing on its own between blocks, with an optional caption."""

    src: str
    """The source as the page wrote it (a relative path, for reference)."""
    alt: str = ""
    """The text alternative (``Illustration`` once resolved, when the page gave none)."""
    caption: tuple[Inline, ...] = ()
    """A caption shown under the picture, if the page gave one."""
    role: ImageRole = "illustration"
    """What the page marks it as: an illustration, the work's cover, a scene divider."""
    picture: Picture | None = None
    """The image itself once resolved; writers show only images that have one."""


Block = Paragraph | SceneBreak | Gap | Verse | BlockQuote | Heading | Note | Image

# --------------------------------------------------------------------------- structure


@dataclass(frozen=True)
class Chapter:
    """One chapter of a story."""

    number: int | None
    """The chapter's number as the source gave it (None for a prologue, epilogue, or none)."""
    title: str | None = None
    """The chapter's own title without any ``Chapter N`` prefix, or None."""
    summary: tuple[Block, ...] = ()
    """The chapter summary, if the source labelled one."""
    notes_before: tuple[Note, ...] = ()
    """Author's notes shown before the chapter text."""
    blocks: tuple[Block, ...] = ()
    """The chapter text."""
    notes_after: tuple[Note, ...] = ()
    """Author's notes shown after the chapter text (the chapter's end notes)."""


@dataclass(frozen=True)
class Metadata:
    """What the source says about a work. Word and chapter counts are derived, not stored."""

    title: str | None = None
    """The work's title, or None when the source has none."""
    authors: tuple[str, ...] = ()
    """Author names in the order given."""
    fandoms: tuple[str, ...] = ()
    """Fandoms (the canon the work is based on)."""
    rating: str | None = None
    """The rating as the source wrote it (``T``, ``Teen And Up Audiences``...)."""
    warnings: tuple[str, ...] = ()
    """Archive warnings or content warnings."""
    categories: tuple[str, ...] = ()
    """AO3 categories (``F/M``, ``Gen``...)."""
    relationships: tuple[str, ...] = ()
    """Relationships or pairings."""
    characters: tuple[str, ...] = ()
    """Characters."""
    tags: tuple[str, ...] = ()
    """Additional freeform tags and genres."""
    language: str | None = None
    """The work's language as a BCP 47 tag (``en``), or None when unknown."""
    language_source: str | None = None
    """Where the language came from: ``label``, ``markup`` (HTML ``lang``), ``front matter``,
    ``detected`` (from the story text) or ``option`` (the user's ``--lang``)."""
    language_confidence: float | None = None
    """The detector's confidence (0-1) when the language was detected, else None."""
    summary: tuple[Block, ...] = ()
    """The work's summary."""
    notes: tuple[Block, ...] = ()
    """Work notes shown on the title page."""
    end_notes: tuple[Block, ...] = ()
    """Work end notes shown after the last chapter."""
    disclaimer: tuple[Block, ...] = ()
    """The disclaimer (``I don't own...``)."""
    series: str | None = None
    """The series the work belongs to."""
    series_index: int | None = None
    """The work's position in its series."""
    status: str | None = None
    """``Complete``, ``In Progress``... as the source said it."""
    published: str | None = None
    """Publication date, ISO 8601 when it could be read as a date, else as written."""
    updated: str | None = None
    """Last update date, ISO 8601 when it could be read as a date, else as written."""
    completed: str | None = None
    """Completion date, ISO 8601 when it could be read as a date, else as written."""
    source_url: str | None = None
    """Where the work was published."""
    extra: tuple[tuple[str, str], ...] = ()
    """Any other labelled field, in source order, as (label, value) pairs."""
    cover: Picture | None = None
    """The work's own cover art (the page's, or the reader's ``--cover``), or None."""


@dataclass(frozen=True)
class Story:
    """One work: its metadata and its chapters."""

    metadata: Metadata
    """What the source says about the work."""
    chapters: tuple[Chapter, ...]
    """The chapters in reading order (at least one)."""
    source_name: str | None = None
    """The file name the story was read from, for messages only."""


@dataclass(frozen=True)
class Book:
    """What writers render: one story, or many compiled into an anthology."""

    metadata: Metadata
    """The book's own metadata (for a single story, the story's)."""
    stories: tuple[Story, ...] = field(default_factory=tuple)
    """The stories in the book, in order."""
    editors: tuple[str, ...] = ()
    """Who compiled the book (an anthology's editors); the stories' authors are its
    contributors."""


# --------------------------------------------------------------------------- walking

InlineRun = tuple[Inline, ...]
"""One paragraph's, heading's or verse line's inlines: the unit typography works on."""


def map_inlines(inlines: InlineRun, f: Callable[[Inline], Inline]) -> InlineRun:
    """Every inline rebuilt bottom-up: children first, then ``f`` on the node itself
    (pandoc's ``walk`` over inlines). Text, line breaks and inline images are leaves."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text | LineBreak | InlineImage):
            out.append(f(node))
        else:
            out.append(f(replace(node, children=map_inlines(node.children, f))))
    return tuple(out)


def map_runs(block: Block, f: Callable[[InlineRun], InlineRun]) -> Block:
    """A block with ``f`` applied to each of its inline runs (a paragraph's or
    heading's inlines, each verse line), inside quotes and notes too."""
    if isinstance(block, Paragraph | Heading):
        return replace(block, inlines=f(block.inlines))
    if isinstance(block, Verse):
        return replace(block, lines=tuple(f(line) for line in block.lines))
    if isinstance(block, BlockQuote | Note):
        return replace(block, blocks=tuple(map_runs(b, f) for b in block.blocks))
    if isinstance(block, Image) and block.caption:
        return replace(block, caption=f(block.caption))
    return block


def map_story_runs(story: Story, f: Callable[[InlineRun], InlineRun]) -> Story:
    """The whole story with ``f`` applied to every inline run: the metadata's summary,
    notes, end notes and disclaimer, and each chapter's summary, notes and text."""

    def blocks(items: tuple[Block, ...]) -> tuple[Block, ...]:
        return tuple(map_runs(b, f) for b in items)

    def notes(items: tuple[Note, ...]) -> tuple[Note, ...]:
        return tuple(replace(n, blocks=blocks(n.blocks)) for n in items)

    meta = story.metadata
    return replace(
        story,
        metadata=replace(
            meta,
            summary=blocks(meta.summary),
            notes=blocks(meta.notes),
            end_notes=blocks(meta.end_notes),
            disclaimer=blocks(meta.disclaimer),
        ),
        chapters=tuple(
            replace(
                c,
                summary=blocks(c.summary),
                notes_before=notes(c.notes_before),
                blocks=blocks(c.blocks),
                notes_after=notes(c.notes_after),
            )
            for c in story.chapters
        ),
    )


def iter_inlines(inlines: Iterable[Inline]) -> Iterator[Inline]:
    """Every inline, parents before their children, in reading order (for queries)."""
    for node in inlines:
        yield node
        if not isinstance(node, Text | LineBreak | InlineImage):
            yield from iter_inlines(node.children)


def iter_runs(blocks: Iterable[Block]) -> Iterator[InlineRun]:
    """Every inline run of some blocks, in reading order, inside quotes and notes (a
    picture's caption is one)."""
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            yield block.inlines
        elif isinstance(block, Verse):
            yield from block.lines
        elif isinstance(block, BlockQuote | Note):
            yield from iter_runs(block.blocks)
        elif isinstance(block, Image) and block.caption:
            yield block.caption


def inline_text(inlines: Iterable[Inline]) -> str:
    """The plain text of some inlines: Text as written, a line break as a newline."""
    return "".join(
        n.text if isinstance(n, Text) else "\n"
        for n in iter_inlines(inlines)
        if isinstance(n, Text | LineBreak)
    )

"""The chapter tree: an immutable model of a story and of a book of stories.

Everything here is a frozen dataclass holding tuples, so a tree, once built, cannot
change under a writer's feet. The module does no I/O and imports nothing else from the
package; readers build these values, transforms return new ones, writers only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


Inline = Text | Emph | Strong | Strike | Underline | LineBreak | Link | Span

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


Block = Paragraph | SceneBreak | Gap | Verse | BlockQuote | Heading | Note

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

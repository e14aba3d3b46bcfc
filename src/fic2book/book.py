"""Books from stories, and the book-level transforms the build options ask for."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from fic2book.model import Block, Book, Chapter, Heading, Metadata, Node, Note, Story, Text, walk
from fic2book.options import NotesMode
from fic2book.render.labels import chapter_label

N = TypeVar("N", bound=Node)

_XML_ILLEGAL = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd\U00010000-\U0010ffff]"
)
"""Characters XML 1.0 (so XHTML, EPUB and lxml) cannot hold: C0 controls but tab and
newlines, lone surrogates, U+FFFE and U+FFFF; and those HTML forbids in a document
although XML allows them: DEL, the C1 controls (U+0080 to U+009F, invisible; stray
ones come from mis-decoded text) and the noncharacters U+FDD0 to U+FDEF."""


def book_of(story: Story) -> Book:
    """A single story as a one-story book; the book's metadata is the story's."""
    return Book(metadata=story.metadata, stories=(story,))


def anthology(stories: Sequence[Story], metadata: Metadata) -> Book:
    """Many stories compiled into one book with its own metadata."""
    return Book(metadata=metadata, stories=tuple(stories))


def xml_safe(value: N) -> N:
    """A model value (a Book, a Story, any node) with every character XML cannot hold
    removed from every string in it (every text field the model's walker knows, in
    tuples and ``extra`` pairs too); unchanged parts are the same objects.

    Readers already remove them from the files they decode; this guards what reaches a
    writer by other ways (``--title $'\\a'``, a Story built through the API), where lxml
    would otherwise refuse the whole book.
    """
    return walk(value, text=_xml_clean)


def _xml_clean(text: str) -> str:
    """A string without the characters XML cannot hold (the same string when it has
    none)."""
    return _XML_ILLEGAL.sub("", text)


def apply_notes_mode(book: Book, mode: NotesMode) -> Book:
    """``keep`` leaves notes where they are; ``end`` moves every chapter's notes to the
    story's end notes, after the work's own end notes, each chapter's under the chapter's
    name (so nothing unlabelled follows a chapter's notes); ``drop`` removes the author's
    notes, disclaimers and end notes (summaries stay: they describe the story)."""
    if mode == "keep":
        return book
    return replace(book, stories=tuple(_story_notes(s, mode) for s in book.stories))


def _story_notes(story: Story, mode: NotesMode) -> Story:
    """One story with its notes moved to the end or dropped."""
    collected: list[Block] = []
    chapters: list[Chapter] = []
    for chapter in story.chapters:
        notes = chapter.notes_before + chapter.notes_after
        if mode == "end" and notes:
            label = chapter_label(chapter, story.metadata.title)
            collected.append(Heading(1, (Text(label),)))
            collected.extend(Note(n.role, n.blocks) for n in notes)
        chapters.append(replace(chapter, notes_before=(), notes_after=()))
    meta = story.metadata
    if mode == "drop":
        meta = replace(meta, notes=(), end_notes=(), disclaimer=())
    elif collected:
        meta = replace(meta, end_notes=meta.end_notes + tuple(collected))
    return replace(story, metadata=meta, chapters=tuple(chapters))

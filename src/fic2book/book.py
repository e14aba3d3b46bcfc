"""Books from stories, and the book-level transforms the build options ask for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from fic2book.model import Block, Book, Chapter, Heading, Metadata, Note, Story, Text
from fic2book.render.labels import chapter_label

NotesMode = Literal["keep", "end", "drop"]


def book_of(story: Story) -> Book:
    """A single story as a one-story book; the book's metadata is the story's."""
    return Book(metadata=story.metadata, stories=(story,))


def anthology(stories: Sequence[Story], metadata: Metadata) -> Book:
    """Many stories compiled into one book with its own metadata."""
    return Book(metadata=metadata, stories=tuple(stories))


def apply_notes_mode(book: Book, mode: NotesMode) -> Book:
    """``keep`` leaves notes where they are; ``end`` moves every chapter's notes to the
    story's end notes, under the chapter's name; ``drop`` removes the author's notes,
    disclaimers and end notes (summaries stay: they describe the story)."""
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
        meta = replace(meta, end_notes=tuple(collected) + meta.end_notes)
    return replace(story, metadata=meta, chapters=tuple(chapters))

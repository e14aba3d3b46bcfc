"""Volumes: many stories in one Book, and one story joined from many files.

Everything here works on Stories and returns Stories and Books; no file is read and no
writer is touched (the application reads the inputs and the manifest:
``fic2book.app.anthology``). The pieces, each a plain function:

- ``natural_key``: the order a person means for names (``ch2`` before ``ch10``);
- ``join_stories``: the chapters of several files as one story;
- ``order_stories``: ``given``, ``title``, ``author``, ``date`` or ``series`` order;
- ``name_untitled``: distinct, readable titles for stories that have none;
- ``volume_metadata`` and ``make_volume``: the Book with the volume's own metadata.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from typing import Any, Literal, get_args

from fic2book.errors import Fic2BookError
from fic2book.model import (
    Block,
    Book,
    Chapter,
    Heading,
    Metadata,
    Note,
    Paragraph,
    Story,
    Text,
    inline_text,
)
from fic2book.read.assemble import title_from_filename
from fic2book.render.labels import authors_of, title_of

Order = Literal["given", "title", "author", "date", "series"]
ORDERS: tuple[str, ...] = get_args(Order)
DEFAULT_TITLE = "Collected Stories"
"""A volume's title when nobody gave one and its stories are not one series."""

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_ARTICLE = re.compile(r"^(?:the|an?)\s+", re.IGNORECASE)
_OPENING_WORDS = 7


# --------------------------------------------------------------------------- names


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that orders runs of digits by their value and letters without case,
    so ``ch2`` sorts before ``ch10`` and ``Part 9`` before ``part 10``."""
    parts = re.split(r"(\d+)", text)
    return tuple((1, int(p)) if p.isdigit() else (0, p.casefold()) for p in parts if p)


# --------------------------------------------------------------------------- joining


def stated_title(story: Story) -> str | None:
    """The title a story's file states, or None when the reader only fell back to the
    file name or ``Untitled``."""
    title = story.metadata.title
    if not title or title == "Untitled" or title == title_from_filename(story.source_name):
        return None
    return title


def _first_stated(metas: Sequence[Metadata], name: str) -> Any:
    """The first non-empty value of one metadata field among several files."""
    for meta in metas:
        value = getattr(meta, name)
        if value:
            return value
    return getattr(metas[0], name)


def _numbered(chapters: Sequence[Chapter], start: int) -> list[Chapter]:
    """A file's chapters with position numbers given to ones that have neither number
    nor title (a file holding one bare chapter is chapter ``start``)."""
    out = []
    for k, chapter in enumerate(chapters):
        if chapter.number is None and not (chapter.title or "").strip():
            chapter = replace(chapter, number=start + k)
        out.append(chapter)
    return out


def _file_preface(story: Story, kept: Metadata) -> tuple[Note, ...]:
    """What a later file says on its own title page that the joined story's does not
    already say (a chapter-specific note or disclaimer), as notes for its first chapter;
    repeats of the work's summary, notes and disclaimer are dropped."""
    meta = story.metadata
    notes: list[Note] = []
    if meta.disclaimer and meta.disclaimer != kept.disclaimer:
        notes.append(Note("disclaimer", meta.disclaimer))
    if meta.notes and meta.notes != kept.notes:
        notes.append(Note("author-note", meta.notes))
    return tuple(notes)


def join_stories(stories: Sequence[Story], folder_name: str | None = None) -> Story:
    """Several files' stories as one story, files in the order given.

    Rules: each metadata field comes from the first file that states it (a title only
    counts when the file states it, else the folder's name when it reads like words,
    else the first file's fallback); every file's chapters follow in order, a bare
    chapter numbered by its position; a later file's title-page notes that differ from
    the work's go before its first chapter, and any file's work end notes but the last
    file's go after its last chapter, so nothing is repeated and nothing is lost.
    """
    if not stories:
        raise Fic2BookError("nothing to join")
    if len(stories) == 1:
        return stories[0]
    metas = [s.metadata for s in stories]
    values = {f.name: _first_stated(metas, f.name) for f in fields(Metadata)}
    title = next((t for s in stories if (t := stated_title(s))), None)
    values["title"] = title or title_from_filename(folder_name) or metas[0].title
    values["end_notes"] = metas[-1].end_notes
    meta = Metadata(**values)
    chapters: list[Chapter] = []
    for i, story in enumerate(stories):
        own = _numbered(story.chapters, len(chapters) + 1)
        if i and (preface := _file_preface(story, meta)):
            own[0] = replace(own[0], notes_before=preface + own[0].notes_before)
        if i < len(stories) - 1 and story.metadata.end_notes:
            end = Note("end-note", story.metadata.end_notes)
            own[-1] = replace(own[-1], notes_after=(*own[-1].notes_after, end))
        chapters.extend(own)
    return Story(metadata=meta, chapters=tuple(chapters), source_name=stories[0].source_name)


# --------------------------------------------------------------------------- ordering


def _title_key(story: Story) -> tuple[tuple[int, int | str], ...]:
    """A title's sort key: natural order, without case or a leading article."""
    return natural_key(_ARTICLE.sub("", title_of(story.metadata)))


def _author_key(story: Story) -> tuple[Any, ...]:
    """By first author (stories without one last), then by title."""
    authors = authors_of(story.metadata)
    return (not authors, natural_key(authors[0]) if authors else (), _title_key(story))


def _date_key(story: Story) -> tuple[Any, ...]:
    """By published date (ISO dates only; stories without one last, as given)."""
    date = story.metadata.published or ""
    return (0, date[:10]) if _ISO_DAY.match(date) else (1, "")


def _series_key(story: Story) -> tuple[Any, ...]:
    """By series name, then part number (unnumbered parts after numbered ones);
    stories in no series last, as given."""
    meta = story.metadata
    if not meta.series:
        return (1,)
    index = meta.series_index if meta.series_index is not None else float("inf")
    return (0, natural_key(meta.series), index)


_ORDER_KEYS: dict[str, Callable[[Story], Any]] = {
    "title": _title_key,
    "author": _author_key,
    "date": _date_key,
    "series": _series_key,
}


def order_stories(stories: Sequence[Story], order: Order = "given") -> list[Story]:
    """Stories in the asked order; the sort is stable, so ties keep the given order."""
    if order == "given":
        return list(stories)
    return sorted(stories, key=_ORDER_KEYS[order])


# --------------------------------------------------------------------------- titles


def opening_words(story: Story, count: int = _OPENING_WORDS) -> str | None:
    """A story's first words as a title, the way untitled poems are named by their
    first line: the first prose paragraph's first sentence, cut after ``count`` words
    with an ellipsis, quotation marks at its edges removed; None for a story with no
    prose."""
    for chapter in story.chapters:
        for block in chapter.blocks:
            if isinstance(block, Paragraph):
                words = inline_text(block.inlines).split()
                if words:
                    return _cut(words, count)
    return None


def _cut(words: list[str], count: int) -> str:
    """Words up to the end of the first sentence (its full stop dropped, as in a title)
    or ``count`` words, then ``…``."""
    out: list[str] = []
    for word in words[:count]:
        out.append(word)
        if word.rstrip("\"'”’»)").endswith((".", "!", "?")):
            return " ".join(out).strip("\"'“”‘’«» ").rstrip(".")
    text = " ".join(out).strip("\"'“”‘’«» ").rstrip(",;:—–-")
    return text + ("…" if len(words) > len(out) else "")


def name_untitled(stories: Sequence[Story]) -> list[Story]:
    """Stories with distinct, readable titles where they had none (``Untitled``).

    Rule: an untitled story is named by its opening words (longer and longer while
    another story has that title); a story with no prose at all, or whose opening
    words are all taken, gets ``Untitled`` and its author, then the file it came from.
    Stories that have titles keep them.
    """
    taken = {title_of(s.metadata).casefold() for s in stories}
    out: list[Story] = []
    for story in stories:
        if title_of(story.metadata) != "Untitled":
            out.append(story)
            continue
        title = _fresh_title(story, taken)
        taken.add(title.casefold())
        out.append(replace(story, metadata=replace(story.metadata, title=title)))
    return out


def _fresh_title(story: Story, taken: set[str]) -> str:
    """The first of a story's candidate titles no other story has."""
    candidates = [opening_words(story, n) for n in (_OPENING_WORDS, 12, 20)]
    authors = authors_of(story.metadata)
    if authors:
        candidates.append(f"Untitled, by {authors[0]}")
    if story.source_name:
        candidates.append(f"Untitled ({story.source_name})")
    for title in candidates:
        if title and title.casefold() not in taken:
            return title
    n = 2
    while f"untitled {n}" in taken:
        n += 1
    return f"Untitled {n}"


# --------------------------------------------------------------------------- the volume


def one_series(stories: Sequence[Story]) -> str | None:
    """The series every story belongs to, when they all belong to the same one."""
    names = {(s.metadata.series or "").strip().casefold() for s in stories}
    if len(names) == 1 and "" not in names:
        return (stories[0].metadata.series or "").strip()
    return None


def volume_metadata(
    stories: Sequence[Story],
    *,
    title: str | None = None,
    description: str | None = None,
    language: str | None = None,
) -> Metadata:
    """The volume's own metadata: the title given, else the series when every story is
    a part of one, else ``Collected Stories``; the description given (without one, the
    EPUB's description lists the stories: ``labels.contents_description``); the
    language given (else the writers take the stories'). Authors, subjects and
    languages of the stories are gathered by the writers from the stories themselves,
    so they are left empty here."""
    series = one_series(stories)
    text = (description or "").strip()
    return Metadata(
        title=(title or "").strip() or series or DEFAULT_TITLE,
        language=language,
        summary=(Paragraph((Text(text),)),) if text else (),
        series=series,
    )


def make_volume(
    stories: Sequence[Story],
    *,
    title: str | None = None,
    editors: Sequence[str] = (),
    description: str | None = None,
    language: str | None = None,
    order: Order = "given",
    gathered: Sequence[bool] = (),
) -> Book:
    """The anthology: stories in order, untitled ones named, the volume's metadata, and
    the end notes of the stories ``gathered`` marks (``--notes end``, one flag per
    story as given) moved to the volume's end matter."""
    if not stories:
        raise Fic2BookError("an anthology needs at least one story")
    flags = {id(s): flag for s, flag in zip(stories, gathered, strict=False)}
    ordered = order_stories(stories, order)
    marks = [flags.get(id(s), False) for s in ordered]
    named, end_matter = gather_end_notes(name_untitled(ordered), marks)
    meta = volume_metadata(named, title=title, description=description, language=language)
    meta = replace(meta, end_notes=end_matter)
    return Book(metadata=meta, stories=tuple(named), editors=tuple(editors))


def gather_end_notes(
    stories: Sequence[Story], marks: Sequence[bool]
) -> tuple[list[Story], tuple[Block, ...]]:
    """The marked stories' end notes taken from them and filed, in order, under each
    story's title (its own headings one level down), as the volume's end matter."""
    out: list[Story] = []
    gathered: list[Block] = []
    for story, mark in zip(stories, marks, strict=True):
        notes = story.metadata.end_notes
        if mark and notes:
            gathered.append(Heading(1, (Text(title_of(story.metadata)),)))
            gathered.extend(
                replace(b, level=b.level + 1) if isinstance(b, Heading) else b for b in notes
            )
            story = replace(story, metadata=replace(story.metadata, end_notes=()))
        out.append(story)
    return out, tuple(gathered)


def _demoted(block: Block) -> Block:
    """A heading one level down (under the story's title); any other block as it is."""
    return replace(block, level=min(block.level + 1, 6)) if isinstance(block, Heading) else block

"""How things are named in a book: chapter labels and the title page's fields.

Fields follow AO3's preface order (rating, warnings, category, fandom, relationships,
characters, tags, language, series, then stats); empty fields are left out. Word and
chapter counts are this book's, derived from the text; when the book holds part of a
work, it says so (``Chapter 1 of 41``) and the work's own totals are labelled as the
work's. A saved page's kudos, hits, bookmarks and comment counts are left out.
"""

from __future__ import annotations

import re

from fic2book.lang import endonym
from fic2book.model import Book, Chapter, Metadata, Story
from fic2book.stats import story_stats

_FIELDS: tuple[tuple[str, str], ...] = (
    ("rating", "Rating"),
    ("warnings", "Archive Warning"),
    ("categories", "Category"),
    ("fandoms", "Fandom"),
    ("relationships", "Relationship"),
    ("characters", "Characters"),
    ("tags", "Additional Tags"),
    ("language", "Language"),
    ("series", "Series"),
    ("status", "Status"),
    ("published", "Published"),
    ("completed", "Completed"),
    ("updated", "Updated"),
)
_DERIVED = {"words", "chapters"}
_SITE_STATS = {"kudos", "hits", "bookmarks", "comments", "reviews", "favs", "follows"}
"""A saved page's counters: about the page, not the work, so left off the title page."""


def clean(text: str | None) -> str | None:
    """A title or name with its edges trimmed; None when nothing visible is left (a
    ``--title "  "`` must not make an empty ``<title>`` or ``dc:title``)."""
    text = (text or "").strip()
    return text or None


def chapter_label(chapter: Chapter, story_title: str | None = None) -> str:
    """A chapter's name in a table of contents: ``Chapter 2: Title``, ``Chapter 2``, its
    title, or (for a chapter with neither) the story's title; never blank."""
    title = clean(chapter.title)
    if chapter.number is not None and title:
        return f"Chapter {chapter.number}: {title}"
    if chapter.number is not None:
        return f"Chapter {chapter.number}"
    return title or clean(story_title) or "Untitled"


def language_name(tag: str) -> str:
    """A language tag's own name when known (``en`` -> ``English``, ``fr`` ->
    ``Français``), else the tag."""
    return endonym(tag) or tag


def _value(meta: Metadata, name: str) -> str | None:
    """One field's displayed value, or None when it is empty."""
    value = getattr(meta, name)
    if name == "language" and value:
        return language_name(value)
    if name == "series" and value:
        return f"Part {meta.series_index} of {value}" if meta.series_index else str(value)
    if isinstance(value, tuple):
        return ", ".join(value) or None
    return str(value) if value else None


def preface_fields(story: Story) -> list[tuple[str, str, str]]:
    """The title page's labelled fields as (css class, label, value), in AO3's order."""
    meta = story.metadata
    out = [(name, label, v) for name, label in _FIELDS if (v := _value(meta, name))]
    stats = story_stats(story)
    stated = dict((k.lower(), v) for k, v in meta.extra)
    part = part_of_work(story, stated.get("chapters"))
    out.append(("words", "Words", f"{stats['words']:,}"))
    if part:
        out.append(("part", "This Book", part))
        out.append(("chapters", "Chapters", str(stats["chapters"])))
        out.append(("work-chapters", "Work’s Chapters", stated["chapters"]))
        if "words" in stated:
            out.append(("work-words", "Work’s Words", stated["words"]))
    else:
        out.append(("chapters", "Chapters", stated.get("chapters", str(stats["chapters"]))))
    out.extend(
        ("extra", label, value)
        for label, value in meta.extra
        if label.lower() not in _DERIVED | _SITE_STATS
    )
    return out


def part_of_work(story: Story, stated: str | None) -> str | None:
    """``Chapter 1 of 41`` (or ``Chapters 3–5 of 41``) when the source says the work has
    more chapters than the story holds (``Chapters: 41/41`` over a one-chapter file),
    else None. Chapter numbers come from the chapters when they have them."""
    m = re.match(r"\s*(\d+)\s*/\s*(\d+|\?)", stated or "")
    if not m:
        return None
    total = int(m.group(2)) if m.group(2).isdigit() else int(m.group(1))
    held = len(story.chapters)
    if held >= total:
        return None
    numbers = [c.number for c in story.chapters]
    first, last = (numbers[0], numbers[-1]) if None not in numbers else (1, held)
    if held == 1 or first == last:
        return f"Chapter {first} of {total}"
    return f"Chapters {first}–{last} of {total}"


def title_of(meta: Metadata) -> str:
    """A story's or book's title, ``Untitled`` when it has none (or only spaces)."""
    return clean(meta.title) or "Untitled"


def authors_of(meta: Metadata) -> tuple[str, ...]:
    """The names in a metadata's authors, trimmed, blank ones left out."""
    return tuple(name for a in meta.authors if (name := clean(a)))


def book_title(book: Book) -> str:
    """The book's title, ``Untitled`` when it has none."""
    return title_of(book.metadata)


def book_authors(book: Book) -> tuple[str, ...]:
    """The book's authors; for a book without its own (an anthology), every story's
    authors in order, each name once."""
    own = authors_of(book.metadata)
    if own:
        return own
    names: dict[str, None] = {}
    for story in book.stories:
        names.update(dict.fromkeys(authors_of(story.metadata)))
    return tuple(names)


def cover_byline(book: Book) -> str:
    """The line under a generated cover's title: the authors; for an edited volume
    ``Edited by`` its editors and how many stories it holds (``Edited by Ann Reader ·
    12 stories``)."""
    if not book.editors and len(book.stories) < 2:
        return ", ".join(book_authors(book))
    n = len(book.stories)
    count = f"{n} {'story' if n == 1 else 'stories'}"
    editors = ", ".join(name for e in book.editors if (name := clean(e)))
    return f"Edited by {editors} · {count}" if editors else count


def contents_description(book: Book) -> str:
    """An anthology's description when nobody wrote one: ``Contains: Title by Author;
    Title by Author; ...`` (a story without an author is its title alone)."""
    items = []
    for story in book.stories:
        authors = authors_of(story.metadata)
        title = title_of(story.metadata)
        items.append(f"{title} by {', '.join(authors)}" if authors else title)
    return "Contains: " + "; ".join(items)

"""The front-matter labels readers recognise, and the Metadata field each one fills.

Labels are free-form and case-insensitive (``Rated``, ``Pairings``, ``Summery``); each
known one maps to a Metadata field, and a few known ones are kept as labelled extras
(``World``, ``Words``). A label nobody knows is kept as written by the reader.
"""

from __future__ import annotations

import re

# label (lower case, spaces collapsed) -> Metadata field
FIELD_OF_LABEL: dict[str, str] = {
    "title": "title",
    "story": "title",
    "author": "authors",
    "authors": "authors",
    "by": "authors",
    "writer": "authors",
    "written by": "authors",
    "summary": "summary",
    "summery": "summary",
    "description": "summary",
    "blurb": "summary",
    "rating": "rating",
    "rated": "rating",
    "pairing": "relationships",
    "pairings": "relationships",
    "relationship": "relationships",
    "relationships": "relationships",
    "ship": "relationships",
    "ships": "relationships",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "series": "series",
    "warning": "warnings",
    "warnings": "warnings",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "content warning": "warnings",
    "content warnings": "warnings",
    "genre": "tags",
    "genres": "tags",
    "tags": "tags",
    "additional tags": "tags",
    "category": "categories",
    "categories": "categories",
    "character": "characters",
    "characters": "characters",
    "disclaimer": "disclaimer",
    "note": "notes",
    "notes": "notes",
    "a/n": "notes",
    "an": "notes",
    "author's note": "notes",
    "author's notes": "notes",
    "authors note": "notes",
    "authors notes": "notes",
    "author note": "notes",
    "author notes": "notes",
    "status": "status",
    "completed": "completed",
    "complete": "completed",
    "published": "published",
    "updated": "updated",
    "language": "language",
    "source": "source_url",
    "url": "source_url",
    "link": "source_url",
}

# Labels we recognise but keep as labelled extras (the setting, counts, credits...).
EXTRA_LABELS: dict[str, str] = {
    "world": "World",
    "setting": "Setting",
    "word count": "Words",
    "words": "Words",
    "wordcount": "Words",
    "chapters": "Chapters",
    "beta": "Beta",
    "beta reader": "Beta",
    "dedication": "Dedication",
    "spoilers": "Spoilers",
    "timeline": "Timeline",
    "prompt": "Prompt",
    "feedback": "Feedback",
    "archive": "Archive",
    "universe": "Universe",
    "era": "Era",
    "reviews": "Reviews",
    "favs": "Favs",
    "follows": "Follows",
    "kudos": "Kudos",
    "hits": "Hits",
    "bookmarks": "Bookmarks",
    "comments": "Comments",
    "id": "ID",
    "part": "Part",
}


def normalize_label(label: str) -> str:
    """Lower-case a label, straighten its apostrophes and collapse its spaces."""
    label = label.replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", label.strip().lower())


def is_known_label(label: str) -> bool:
    """True for a label that any reader recognises as metadata."""
    key = normalize_label(label)
    return key in FIELD_OF_LABEL or key in EXTRA_LABELS

"""A readable summary of a Story for ``fic2book inspect``."""

from __future__ import annotations

from fic2book.model import Metadata, Story
from fic2book.render.labels import chapter_label
from fic2book.stats import blocks_words, chapter_stats, story_stats

_LIST_LABELS = (
    ("fandoms", "Fandom"),
    ("rating", "Rating"),
    ("warnings", "Warnings"),
    ("categories", "Category"),
    ("relationships", "Relationships"),
    ("characters", "Characters"),
    ("tags", "Tags"),
    ("language", "Language"),
    ("series", "Series"),
    ("series_index", "Part"),
    ("status", "Status"),
    ("published", "Published"),
    ("updated", "Updated"),
    ("completed", "Completed"),
    ("source_url", "Source"),
)
_BLOCK_LABELS = (
    ("summary", "Summary"),
    ("disclaimer", "Disclaimer"),
    ("notes", "Notes"),
    ("end_notes", "End notes"),
)


def language_origin(meta: Metadata) -> str:
    """Where the language came from, as inspect shows it (``detected, 0.99``)."""
    if meta.language_confidence is not None:
        return f"{meta.language_source}, {meta.language_confidence:.2f}"
    return meta.language_source or ""


def metadata_lines(meta: Metadata) -> list[str]:
    """One line per labelled field that has a value, in AO3's order."""
    lines = []
    for name, label in _LIST_LABELS:
        value = getattr(meta, name)
        if value in (None, (), ""):
            continue
        text = ", ".join(value) if isinstance(value, tuple) else str(value)
        if name == "language" and meta.language_source:
            text += f" ({language_origin(meta)})"
        lines.append(f"{label}: {text}")
    lines.extend(f"{label}: {value}" for label, value in meta.extra)
    for name, label in _BLOCK_LABELS:
        blocks = getattr(meta, name)
        if blocks:
            lines.append(f"{label}: {len(blocks)} paragraph(s), {blocks_words(blocks)} words")
    return lines


def story_summary(story: Story) -> str:
    """The whole readable summary: title, authors, fields, then one line per chapter."""
    meta = story.metadata
    totals = story_stats(story)
    out = [
        meta.title or "Untitled",
        f"by {', '.join(meta.authors)}" if meta.authors else "(no author)",
        "",
        *metadata_lines(meta),
        "",
        f"{totals['chapters']} chapter(s), {totals['words']} words, "
        f"{totals['scene_breaks']} scene break(s)",
    ]
    for chapter in story.chapters:
        s = chapter_stats(chapter)
        notes = []
        if chapter.summary:
            notes.append("summary")
        if chapter.notes_before:
            notes.append("notes before")
        if chapter.notes_after:
            notes.append("notes after")
        out.append(
            f"  {chapter_label(chapter)}: {s['paragraphs']} paragraphs, {s['words']} words, "
            f"{s['scene_breaks']} scene breaks, {s['gaps']} gaps, {s['verses']} verse"
            + (f"; {', '.join(notes)}" if notes else "")
        )
    return "\n".join(out)

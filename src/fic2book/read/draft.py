"""The readers' shared draft: what a reader found (``Draft``), and the builder every
reader records metadata through (``MetaBuilder``), from ``Label: value`` pairs to
Metadata.

Labels are free-form and case-insensitive; the known ones (``fic2book.lang.labels``)
map to Metadata fields. A label we do not know is kept as it was written in
``Metadata.extra``, in source order, so nothing the source labelled is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from fic2book.lang import language_tag
from fic2book.lang.labels import EXTRA_LABELS, FIELD_OF_LABEL, normalize_label
from fic2book.model import Block, Chapter, Metadata, Paragraph
from fic2book.read.inlines import parse_emphasis

_LIST_FIELDS = {
    "authors",
    "fandoms",
    "warnings",
    "categories",
    "relationships",
    "characters",
    "tags",
}
_BLOCK_FIELDS = {"summary", "notes", "end_notes", "disclaimer"}


def iso_date(value: str) -> str:
    """Read a date as ISO 8601 when it is one (2019-03-01, 6/29/2008, 6/29/08, 6-29-08),
    else keep it.

    Numeric dates with slashes are read month first, as the English-language archives
    write them.
    """
    v = value.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", v)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return _valid(y, mo, d) or v
    m = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})", v)
    if m:
        mo, d, y = (int(g) for g in m.groups())
        if y < 100:
            y += 2000 if y < 70 else 1900
        return _valid(y, mo, d) or v
    return v


def _valid(y: int, mo: int, d: int) -> str | None:
    """The ISO form of a calendar date, or None when it is not one."""
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def split_list(value: str) -> list[str]:
    """Split a list value on commas, semicolons and newlines; drop empties."""
    return [p.strip() for p in re.split(r"[,;\n]", value) if p.strip()]


def text_blocks(value: str) -> tuple[Block, ...]:
    """A free-text value (summary, notes) as paragraphs, one per non-empty line."""
    return tuple(Paragraph(parse_emphasis(ln.strip())) for ln in value.split("\n") if ln.strip())


# ``A and B``, ``A & B`` between authors; a run of spaces is entered at its first (tried
# from each, ``\s+`` was quadratic on a name padded with thousands of spaces).
_AUTHOR_AND = re.compile(r"(?<!\s)\s+(?:and|&)\s+")


@dataclass
class MetaBuilder:
    """Collects labelled fields while a reader works, then builds the Metadata."""

    values: dict[str, object] = field(default_factory=dict)
    extra: list[tuple[str, str]] = field(default_factory=list)

    def add(self, label: str, value: str) -> None:
        """Record one labelled field; unknown labels are kept as extras."""
        key = normalize_label(label)
        name = FIELD_OF_LABEL.get(key)
        if key == "chapters":
            self._status_from_chapters(value)
        if name is None:
            self.add_extra(EXTRA_LABELS.get(key, label.strip()), value)
        else:
            self.set(name, value)

    def add_extra(self, label: str, value: str) -> None:
        """Keep a labelled field the model has no place for."""
        if value.strip():
            self.extra.append((label, value.strip()))

    def set(self, name: str, value: str) -> None:
        """Set a Metadata field from text, parsing it the way that field wants."""
        value = value.strip()
        if not value:
            return
        if name == "status":
            self._set_status(value)
        elif name == "authors":
            self.add_items(name, split_list(_AUTHOR_AND.sub(",", value)))
        elif name in _LIST_FIELDS:
            self.add_items(name, split_list(value))
        elif name in _BLOCK_FIELDS:
            self.add_blocks(name, text_blocks(value))
        elif name == "language":
            self.set_language(value, "label")
        elif name in ("published", "updated", "completed"):
            self.set_scalar(name, iso_date(value))
            if name == "completed":
                self.values.setdefault("status", "Complete")
        else:
            self.set_scalar(name, value)

    def set_scalar(self, name: str, value: str) -> None:
        """Set a one-value field; a second, different value is kept as a labelled extra."""
        current = self.values.get(name)
        if current is None:
            self.values[name] = value
        elif current != value:
            self.add_extra(name.replace("_", " ").capitalize(), value)

    def add_items(self, name: str, items: Iterable[str]) -> None:
        """Append whole items to a list field (no splitting), skipping repeats and blanks.

        Readers that know where each item ends (HTML tag lists) call this directly, so
        a tag such as ``Friends and Rivals`` or ``Hurt/Comfort, sort of`` stays whole.
        """
        assert name in _LIST_FIELDS, name
        current: list[str] = list(self.values.get(name, ()))  # type: ignore[call-overload]
        for item in items:
            item = " ".join(item.split())
            if item and item not in current:
                current.append(item)
        if current:
            self.values[name] = tuple(current)

    def _status_from_chapters(self, value: str) -> None:
        """AO3's ``Chapters: 3/3`` means complete, ``2/?`` or ``2/5`` in progress; a
        status the source states in words is kept."""
        m = re.fullmatch(r"\s*([\d,]+)\s*/\s*([\d,]+|\?)\s*", value)
        if m is None or self.has("status"):
            return
        done, total = m.group(1).replace(",", ""), m.group(2).replace(",", "")
        complete = total != "?" and int(done) >= int(total)
        self.set_scalar("status", "Complete" if complete else "In Progress")

    def _set_status(self, value: str) -> None:
        """``Status: Completed 6/29/08`` gives a status and, when present, its date."""
        m = re.search(r"\d{1,4}[/-]\d{1,2}[/-]\d{1,4}", value)
        words = value[: m.start()].strip(" -:,") if m else value
        if words:
            self.set_scalar("status", words)
        if m:
            key = "completed" if re.search(r"complete", words, re.I) else "updated"
            self.set_scalar(key, iso_date(m.group(0)))

    def set_series(self, name: str | None, index: int | None = None) -> None:
        """Name the series and the work's place in it; the first series named wins."""
        if name:
            self.values.setdefault("series", name)
        if index is not None:
            self.values.setdefault("series_index", index)

    def set_language(self, value: str, source: str) -> None:
        """Set the language from a name or tag, noting where it came from (``label``,
        ``markup``, ``front matter``); a value that names no language is kept as an
        extra, and a later, different language as a second one."""
        tag = language_tag(value)
        if tag is None:
            self.add_extra("Language", value.strip())
            return
        if not self.has("language"):
            self.values["language_source"] = source
        self.set_scalar("language", tag)

    def has(self, name: str) -> bool:
        """Whether a field has been given a value."""
        return name in self.values

    def text(self, name: str) -> str | None:
        """A one-value text field's value so far (the title...), or None."""
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    def items(self, name: str) -> tuple[str, ...]:
        """A list field's items so far (the authors...)."""
        value = self.values.get(name, ())
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, tuple) else ()

    def add_blocks(self, name: str, blocks: tuple[Block, ...]) -> None:
        """Append blocks to a block-valued field (summary, notes, end notes, disclaimer)."""
        if blocks:
            current: tuple[Block, ...] = self.values.get(name, ())  # type: ignore[assignment]
            self.values[name] = current + blocks

    def build(self, **overrides: object) -> Metadata:
        """The Metadata collected so far, with any overrides applied last."""
        meta = Metadata(**self.values, extra=tuple(self.extra))  # type: ignore[arg-type]
        clean: dict[str, Any] = {k: v for k, v in overrides.items() if v not in (None, (), "")}
        return replace(meta, **clean) if clean else meta


@dataclass
class Draft:
    """What a reader found, before the shared finishing steps (``assemble.finish_story``)."""

    meta: MetaBuilder = field(default_factory=MetaBuilder)
    """The metadata recorded so far."""
    chapters: list[Chapter] = field(default_factory=list)
    """The chapters read so far, in order."""

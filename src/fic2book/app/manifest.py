"""``anthology.toml``: a volume's metadata and its ordered stories, read and checked.

Every problem is one error naming the manifest and the entry (not TOML, an unknown key,
a wrong type, a missing or unreadable file, a file named twice), all checked before any
story is read or any book is written. Paths are relative to the manifest.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from fic2book.book import apply_notes_mode
from fic2book.errors import Fic2BookError
from fic2book.model import Book, Story
from fic2book.options import NOTES_MODES, NotesMode
from fic2book.volume import ORDERS, Order, join_stories

_TOP_KEYS = {"title", "editor", "description", "language", "theme", "cover", "order", "story"}
_ENTRY_KEYS = {"path", "title", "author", "notes"}


@dataclass(frozen=True)
class Entry:
    """One story of a volume: a file, or several files joined, with overrides."""

    paths: tuple[Path, ...]
    """The file, or the files joined in this order."""
    title: str | None = None
    """A title that replaces the file's."""
    authors: tuple[str, ...] = ()
    """Authors that replace the file's."""
    notes: NotesMode | None = None
    """Where this story's notes go (``keep``, ``end``, ``drop``); None: the volume's."""


@dataclass(frozen=True)
class Manifest:
    """An ``anthology.toml``: the volume's metadata and its ordered entries."""

    path: Path
    """The manifest file."""
    title: str | None = None
    """The volume's title."""
    editors: tuple[str, ...] = ()
    """The volume's editors."""
    description: str | None = None
    """The volume's description (else one listing the stories)."""
    language: str | None = None
    """The volume's language tag."""
    theme: str | None = None
    """A theme name, or a theme folder (relative to the manifest)."""
    cover: Path | None = None
    """A cover image (a local file), checked and kept for the cover option."""
    order: Order | None = None
    """The order of the stories (else the order of the entries)."""
    entries: tuple[Entry, ...] = ()
    """The stories, in order."""


def _names(value: Any, where: str) -> tuple[str, ...]:
    """A string or a list of strings as a tuple of names."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Fic2BookError(f"{where}: must be a name or a list of names")
    return tuple(v.strip() for v in value if v.strip())


def _text(table: dict[str, Any], key: str, where: str) -> str | None:
    """An optional string value of a TOML table."""
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise Fic2BookError(f"{where}: {key} must be a string")
    return value


def _choice(value: str | None, choices: Sequence[str], where: str) -> str | None:
    """An optional value that must be one of some choices."""
    if value is not None and value not in choices:
        raise Fic2BookError(f"{where}: must be one of {', '.join(choices)}, not {value!r}")
    return value


def _check_file(path: Path, where: str) -> None:
    """A manifest's file must exist and be readable: an error naming it otherwise."""
    try:
        with path.open("rb"):
            pass
    except FileNotFoundError:
        raise Fic2BookError(f"{where}: {path}: no such file") from None
    except IsADirectoryError:
        raise Fic2BookError(f"{where}: {path}: is a directory, not a story file") from None
    except OSError as exc:
        raise Fic2BookError(f"{where}: {path}: cannot be read ({exc.strerror})") from None


def _entry(table: Any, n: int, base: Path, label: str) -> Entry:
    """One ``[[story]]`` table as an Entry, its paths resolved against the manifest."""
    where = f"{label}: story {n}"
    if isinstance(table, str):
        table = {"path": table}
    if not isinstance(table, dict):
        raise Fic2BookError(f"{where}: must be a table with a path")
    unknown = sorted(set(table) - _ENTRY_KEYS)
    if unknown:
        raise Fic2BookError(f"{where}: unknown key {unknown[0]!r}")
    raw = table.get("path")
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not items or not all(isinstance(p, str) for p in items):
        raise Fic2BookError(f"{where}: path must be a file name or a list of file names")
    paths = tuple(base / p for p in items)
    for path in paths:
        _check_file(path, where)
    notes = _choice(_text(table, "notes", where), NOTES_MODES, f"{where}: notes")
    authors = _names(table["author"], f"{where}: author") if "author" in table else ()
    return Entry(paths, _text(table, "title", where), authors, cast("NotesMode | None", notes))


def no_repeats(entries: Sequence[Entry], label: str) -> None:
    """No file may be in a volume twice: an error naming the file and both entries."""
    seen: dict[Path, int] = {}
    for n, entry in enumerate(entries, 1):
        for path in entry.paths:
            key = path.resolve()
            if key in seen:
                raise Fic2BookError(
                    f"{label}: story {n}: {path} is already in the volume (story {seen[key]})"
                )
            seen[key] = n


def load_manifest(path: Path) -> Manifest:
    """Read and check an ``anthology.toml``.

    Every problem is one error naming the manifest and the entry: not TOML, an unknown
    key, a wrong type, an entry whose file is missing or unreadable, a file named twice.
    All of it is checked before any story is read or any book is written.
    """
    label = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Fic2BookError(f"{label}: no such manifest") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise Fic2BookError(f"{label}: cannot read the manifest ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise Fic2BookError(f"{label}: not a valid TOML manifest ({exc})") from None
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise Fic2BookError(f"{label}: unknown key {unknown[0]!r}")
    base = path.parent
    stories = data.get("story", [])
    if not isinstance(stories, list):
        raise Fic2BookError(f"{label}: story must be a list of [[story]] tables")
    entries = tuple(_entry(t, n, base, label) for n, t in enumerate(stories, 1))
    no_repeats(entries, label)
    cover_name = _text(data, "cover", label)
    cover = base / cover_name if cover_name else None
    if cover is not None:
        _check_file(cover, f"{label}: cover")
    theme = _text(data, "theme", label)
    if theme and (base / theme).is_dir():
        theme = str(base / theme)
    order = _choice(_text(data, "order", label), ORDERS, f"{label}: order")
    return Manifest(
        path=path,
        title=_text(data, "title", label),
        editors=_names(data["editor"], f"{label}: editor") if "editor" in data else (),
        description=_text(data, "description", label),
        language=_text(data, "language", label),
        theme=theme,
        cover=cover,
        order=cast("Order | None", order),
        entries=entries,
    )


def read_entry(entry: Entry, parse: Callable[[Path], Story], notes: NotesMode) -> Story:
    """An entry's story: its file read (or its files read and joined), the overrides
    applied, and its notes placed by its own mode or else the volume's."""
    story = join_stories([parse(p) for p in entry.paths])
    meta = story.metadata
    if entry.title:
        meta = replace(meta, title=entry.title)
    if entry.authors:
        meta = replace(meta, authors=entry.authors)
    story = replace(story, metadata=meta)
    mode = entry.notes or notes
    return apply_notes_mode(Book(meta, (story,)), mode).stories[0]

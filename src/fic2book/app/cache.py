"""The incremental cache: which books are already up to date, so a rerun rewrites nothing.

One small JSON file, ``.fic2book-cache.json``, in the output folder (or ``--cache DIR``).
For each input (by resolved path) it keeps the key its books were made with and the
books' paths, sizes and modification times. The key is a SHA-256 over the input's
bytes, every option that shapes the books or their names, the theme's files and
fic2book's version; an input is up to date when its key is unchanged and every book it
made is still there with the size and time recorded. The file is written atomically,
and only when something changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CACHE_FILE = ".fic2book-cache.json"
FORMAT = 1
"""The cache file's format number; a file of another format is ignored."""


def input_key(data: bytes, settings: str) -> str:
    """The key of one input's books: its bytes' SHA-256 and the run's settings digest."""
    return hashlib.sha256(hashlib.sha256(data).digest() + settings.encode("ascii")).hexdigest()


def settings_digest(options_digest: str, theme_digest: str, version: str) -> str:
    """One digest of everything besides the input that decides its books."""
    text = f"{options_digest}\n{theme_digest}\n{version}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """What the cache remembers about one input."""

    key: str
    """The key its books were made with."""
    books: tuple[tuple[str, int, int], ...]
    """Each book: path relative to the output folder, size, mtime in ns."""
    facts: dict[str, Any]
    """Title, authors, words and chapters, for the report."""


class Cache:
    """The cache of one output folder; a disabled cache remembers nothing."""

    def __init__(self, folder: Path, output: Path, *, enabled: bool = True) -> None:
        self.file = folder / CACHE_FILE
        self.output = output
        self.enabled = enabled
        self.entries: dict[str, Entry] = {}
        self.changed = False
        if enabled:
            self._load()

    def _load(self) -> None:
        """Read the cache file; a missing, unreadable or foreign one is an empty cache."""
        try:
            raw = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            return
        for name, item in (raw.get("inputs") or {}).items():
            with contextlib.suppress(KeyError, TypeError, ValueError):
                books = tuple((str(p), int(s), int(m)) for p, s, m in item["books"])
                self.entries[name] = Entry(str(item["key"]), books, dict(item["facts"]))

    def claimed(self) -> set[Path]:
        """Every book path the cache knows, so new books never take an older one's name."""
        return {self.output / p for e in self.entries.values() for p, _, _ in e.books}

    def own(self, source: Path) -> set[Path]:
        """The book paths an input made last time (it may reuse them)."""
        entry = self.entries.get(_name(source))
        return {self.output / p for p, _, _ in entry.books} if entry else set()

    def fresh(self, source: Path, key: str) -> Entry | None:
        """The input's entry when its books are up to date: same key, every book present
        with the recorded size and modification time."""
        entry = self.entries.get(_name(source))
        if entry is None or entry.key != key:
            return None
        for rel, size, mtime in entry.books:
            try:
                st = (self.output / rel).stat()
            except OSError:
                return None
            if st.st_size != size or st.st_mtime_ns != mtime:
                return None
        return entry

    def record(self, source: Path, key: str, books: list[Path], facts: dict[str, Any]) -> None:
        """Remember the books just written for an input."""
        if not self.enabled:
            return
        rows = []
        for path in books:
            st = path.stat()
            rows.append((os.path.relpath(path, self.output), st.st_size, st.st_mtime_ns))
        self.entries[_name(source)] = Entry(key, tuple(rows), facts)
        self.changed = True

    def forget(self, source: Path) -> None:
        """Drop an input whose conversion failed."""
        if self.enabled and self.entries.pop(_name(source), None) is not None:
            self.changed = True

    def save(self) -> None:
        """Write the cache file atomically when anything changed."""
        if not (self.enabled and self.changed):
            return
        from fic2book.app.output import write_atomic

        data = {
            "format": FORMAT,
            "inputs": {
                name: {"key": e.key, "books": [list(b) for b in e.books], "facts": e.facts}
                for name, e in sorted(self.entries.items())
            },
        }
        with contextlib.suppress(OSError):
            write_atomic(self.file, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        self.changed = False


def _name(source: Path) -> str:
    """How the cache names an input: its resolved path."""
    return str(source.resolve())

"""Book file names from a template: ``--name``, Unicode names and ``--ascii-names``.

A template is text with fields in braces: ``{title}``, ``{author}``, ``{series}``,
``{series_index}``, ``{fandom}``, ``{stem}`` (the input file's name without its suffix)
and ``{lang}``; a ``/`` in the template makes folders. The default is
``{title}_{author}``. A field's value is its words (letters and digits of any script)
joined by dashes, so a Chinese or Russian title gives a Chinese or Russian name;
``--ascii-names`` transliterates first (anyascii). Whatever the template, only what a
file system refuses is removed: characters illegal on Windows, macOS or Linux, control
and bidi-override characters, trailing dots and spaces; each part is capped at 200 bytes
of UTF-8 and a Windows reserved name (``CON``, ``NUL``, ``COM1``...) gets a ``_``.
"""

from __future__ import annotations

import hashlib
import os
import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from fic2book.errors import Fic2BookError
from fic2book.model import Metadata

DEFAULT_TEMPLATE = "{title}_{author}"
FIELDS = ("title", "author", "series", "series_index", "fandom", "stem", "lang")
"""The fields a ``--name`` template may use."""
MAX_PART_BYTES = 200
"""The longest file or folder name, in bytes of UTF-8 (most file systems allow 255;
the rest is room for ``-2`` and the suffix)."""

_FIELD_LIMITS = {"title": 60, "author": 30}
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]')
_WORD = re.compile(r"[^\W_]+")
_APOSTROPHE = re.compile(r"(?<=\w)['’ʼ](?=\w)")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)


def check_template(template: str) -> str:
    """A template's fields must all be known, and it must make a non-empty name; else a
    one-line error listing the fields."""
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise Fic2BookError(f"--name {template!r}: {exc}") from None
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        raise Fic2BookError(
            f"--name {template!r}: unknown field {{{unknown[0]}}} (fields: "
            + ", ".join(f"{{{f}}}" for f in FIELDS)
            + ")"
        )
    if not template.strip(" /"):
        raise Fic2BookError("--name: the template is empty")
    return template


def to_ascii(text: str) -> str:
    """A text transliterated to ASCII (``Война`` → ``Voina``, ``日本`` → ``RiBen``)."""
    from anyascii import anyascii

    return str(anyascii(text))


def field_value(text: str | None, limit: int = 80, *, ascii_only: bool = False) -> str:
    """A field as it goes in a name: its words in their own script joined by dashes (or
    transliterated with ``ascii_only``), cut at a word boundary to ``limit`` characters;
    an apostrophe inside a word is dropped (``Don't`` → ``Dont``)."""
    if not text:
        return ""
    text = _APOSTROPHE.sub("", unicodedata.normalize("NFC", text))
    if ascii_only:
        text = to_ascii(unicodedata.normalize("NFKD", text))
    words = [w for w in _WORD.findall(text) if not ascii_only or w.isascii()]
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or (words[0][:limit] if words else "")


def _hashed(word: str, name: str | None) -> str:
    """``word`` alone for a missing name, else ``word`` and 8 hex digits of the name, so
    two names that leave no letters never share a file name."""
    if not name or not name.strip():
        return word
    return f"{word}-{hashlib.sha256(name.strip().encode('utf-8')).hexdigest()[:8]}"


def fields_of(meta: Metadata, stem: str, *, ascii_only: bool = False) -> dict[str, str]:
    """The template fields of a book: title (``Untitled`` when it has no letters),
    first author, series, index, first fandom, input stem and language."""
    title = field_value(meta.title, _FIELD_LIMITS["title"], ascii_only=ascii_only)
    author = (
        field_value(meta.authors[0], _FIELD_LIMITS["author"], ascii_only=ascii_only)
        if meta.authors
        else ""
    )
    return {
        "title": title or _hashed("Untitled", meta.title),
        "author": author or (_hashed("Author", meta.authors[0]) if meta.authors else ""),
        "series": field_value(meta.series, ascii_only=ascii_only),
        "series_index": "" if meta.series_index is None else str(meta.series_index),
        "fandom": field_value(meta.fandoms[0] if meta.fandoms else None, ascii_only=ascii_only),
        "stem": field_value(stem, ascii_only=ascii_only),
        "lang": field_value(meta.language, ascii_only=True),
    }


def clean_part(part: str) -> str:
    """One file or folder name made safe everywhere: illegal, control and bidi-override
    characters removed, dangling separators and trailing dots and spaces trimmed, cut to
    ``MAX_PART_BYTES`` of UTF-8 at a character boundary, reserved names suffixed."""
    part = _ILLEGAL.sub("", unicodedata.normalize("NFC", part))
    part = re.sub(r"(?<=[_-])[_-]+|^[_\-. ]+", "", part).strip()
    part = part.rstrip("_- .")  # not ``[_\- .]+$``: quadratic on ``_ _ _ ...x``
    data = part.encode("utf-8")[:MAX_PART_BYTES]
    part = data.decode("utf-8", errors="ignore").rstrip(" .")
    if _RESERVED.match(part):
        part += "_"
    return part


def render_name(
    template: str, meta: Metadata, stem: str, *, ascii_only: bool = False
) -> tuple[str, ...]:
    """The parts (folders, then the file stem) a template gives for a book; never empty
    (``Untitled`` stands in for a part that comes out empty)."""
    values: Mapping[str, str] = fields_of(meta, stem, ascii_only=ascii_only)
    text = template.format_map(values)
    parts = [clean_part(p) for p in text.split("/")]
    parts = [p for p in parts[:-1] if p and p != ".."] + [parts[-1] or "Untitled"]
    return tuple(parts)


def _key(path: Path) -> str:
    """A path as the file system may see it: absolute, normalised and case-folded, since
    on macOS and Windows ``Home.epub`` and ``HOME.epub`` are the same file."""
    return os.path.normpath(os.path.abspath(path)).casefold()


class BookNamer:
    """Hands out the paths of one run's books: a template's name, then ``-2``, ``-3``...
    until no other book of the run, no input and no book another input made before
    (``claimed``) has it. All formats of one book share a stem."""

    def __init__(
        self,
        folder: Path,
        template: str = DEFAULT_TEMPLATE,
        *,
        ascii_only: bool = False,
        reserved: Iterable[Path] = (),
    ) -> None:
        self.folder = folder
        self.template = template
        self.ascii_only = ascii_only
        self.taken: set[str] = {_key(p) for p in reserved}

    def paths_for(
        self, meta: Metadata, stem: str, suffixes: Iterable[str], own: Iterable[Path] = ()
    ) -> list[Path]:
        """One free path per suffix, sharing one stem; ``own`` are paths this input made
        before, which it may take again."""
        parts = render_name(self.template, meta, stem, ascii_only=self.ascii_only)
        mine = {_key(p) for p in own}
        suffixes = list(suffixes)
        n = 1
        while True:
            last = parts[-1] if n == 1 else f"{parts[-1]}-{n}"
            base = self.folder.joinpath(*parts[:-1])
            paths = [base / f"{last}{s}" for s in suffixes]
            keys = [_key(p) for p in paths]
            if all(k in mine or k not in self.taken for k in keys):
                self.taken.update(keys)
                return paths
            n += 1

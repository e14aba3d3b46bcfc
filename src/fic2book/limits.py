"""Limits on what one input may ask of fic2book: size, lines, paragraphs, chapters,
nesting depth, metadata, attribute length and the user's CSS, plus a memory ceiling.

Story files come from anywhere, so every input is bounded before it can cost more than a
book's worth of time or memory: an input past a limit is refused with one line naming
the file, the limit, its value and how to raise it (``LimitError``), never a hang or an
out-of-memory kill. The defaults are far above any real story (the longest works on the
archives have a few thousand chapters and a few hundred thousand paragraphs).

Each limit can be changed with an environment variable ``FIC2BOOK_MAX_<NAME>`` (for
example ``FIC2BOOK_MAX_CHAPTERS=20000``, ``FIC2BOOK_MAX_INPUT_BYTES=100M``); sizes accept
the suffixes K, M and G. ``0`` turns a limit off.

Files are read through ``read_bounded``: only regular files (a FIFO, a device such as
``/dev/zero`` or a socket is refused at once, without blocking), never more than the
size limit plus one byte.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path

from fic2book.errors import Fic2BookError
from fic2book.model import BLOCK_TYPES, INLINE_CONTAINERS, Link, Span, Story, iter_nodes

_SUFFIX = {"k": 1024, "m": 1024**2, "g": 1024**3}


class LimitError(Fic2BookError):
    """An input goes past one of fic2book's limits (the message names it and how to
    raise it)."""


@dataclass(frozen=True)
class Limits:
    """The limits in force; each field is also ``FIC2BOOK_MAX_<FIELD>`` (0 = no limit)."""

    input_bytes: int = 32 * 1024**2
    """The largest story file read, in bytes (32 MiB: about five million words)."""
    lines: int = 1_000_000
    """The most lines in one story file."""
    paragraphs: int = 200_000
    """The most blocks (paragraphs, breaks, headings...) in one story."""
    chapters: int = 10_000
    """The most chapters in one story."""
    depth: int = 100
    """The deepest nesting of quotes, lists and inline markup."""
    meta_items: int = 1_000
    """The most entries in one metadata list (authors, tags, characters...)."""
    field_chars: int = 10_000
    """The longest title, author, tag or other metadata value, in characters."""
    attribute_chars: int = 4_096
    """The longest link address or class list kept from an input, in characters."""
    css_bytes: int = 1024**2
    """The largest user CSS file (``--css``, or a theme folder's CSS), in bytes."""
    memory_bytes: int = 4 * 1024**3
    """The address-space ceiling ``apply_memory_ceiling`` sets for a worker process."""


def _parse_size(text: str) -> int:
    """``123``, ``64K``, ``32M``, ``2G`` (binary multiples; underscores allowed) as an int."""
    raw = text.strip().replace("_", "").lower().removesuffix("b")
    factor = _SUFFIX.get(raw[-1:], 1)
    number = raw[:-1] if raw[-1:] in _SUFFIX else raw
    if not number.isdigit() or len(number) > 15:
        raise ValueError(text)
    return int(number) * factor


def current() -> Limits:
    """The limits in force: the defaults, each overridden by ``FIC2BOOK_MAX_<NAME>`` when
    that variable is set; a value that is not a size is an error naming the variable."""
    changes: dict[str, int] = {}
    for f in fields(Limits):
        name = f"FIC2BOOK_MAX_{f.name.upper()}"
        value = os.environ.get(name)
        if value is None or not value.strip():
            continue
        try:
            changes[f.name] = _parse_size(value)
        except ValueError:
            raise Fic2BookError(
                f"{name}={value!r} is not a size (use a whole number, optionally with K, M or G)"
            ) from None
    return replace(Limits(), **changes)


def _raise(label: str, what: str, found: int | str, name: str, limit: int) -> None:
    """Raise the LimitError for one limit: what was found, the limit and how to raise it."""
    raise LimitError(
        f"{label}: {what} ({found}; the limit is {limit:,}, "
        f"set FIC2BOOK_MAX_{name.upper()} to change it)"
    )


def over(value: int, limit: int) -> bool:
    """Whether ``value`` is past ``limit`` (a limit of 0 is no limit)."""
    return limit > 0 and value > limit


# --------------------------------------------------------------------------- files


def read_bounded(
    path: Path, limit: int | None = None, what: str = "story file", name: str = "input_bytes"
) -> bytes:
    """The bytes of a regular file, refusing anything else before reading it.

    The rule: a missing file, a broken symlink, a symlink loop and a directory are each
    one clear error; a FIFO, a device (``/dev/zero``), a socket or any other special file
    is refused without opening it for reading, so nothing blocks; a file larger than
    ``limit`` (default: ``input_bytes``; ``name`` is the limit the message names) is
    refused, and never more than ``limit + 1`` bytes are read, so a file that grows
    while it is read is bounded too.
    """
    limit = current().input_bytes if limit is None else limit
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise Fic2BookError(f"{path}: a broken symlink (its target does not exist)") from None
        raise Fic2BookError(f"{path}: no such file") from None
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise Fic2BookError(f"{path}: a symlink loop") from None
        raise Fic2BookError(f"{path}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise Fic2BookError(f"{path}: is a directory, not a {what}")
    if not stat.S_ISREG(info.st_mode):
        raise Fic2BookError(f"{path}: not a regular file ({_kind(info.st_mode)}), so not read")
    if over(info.st_size, limit):
        _raise(str(path), f"the {what} is too large", f"{info.st_size:,} bytes", name, limit)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise Fic2BookError(f"{path}: cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped after the stat
            raise Fic2BookError(f"{path}: not a regular file, so not read")
        data = handle.read(limit + 1) if limit > 0 else handle.read()
    if over(len(data), limit):
        _raise(str(path), f"the {what} is too large", f"over {limit:,} bytes", name, limit)
    return data


def _kind(mode: int) -> str:
    """A special file's kind, in words."""
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def check_input_size(data: bytes, label: str) -> None:
    """Refuse input bytes over ``input_bytes`` (for bytes handed to the API directly)."""
    limit = current().input_bytes
    if over(len(data), limit):
        _raise(label, "the input is too large", f"{len(data):,} bytes", "input_bytes", limit)


def check_css(text: str, label: str) -> None:
    """Refuse a CSS file over ``css_bytes``: a stylesheet that size is no style, and it
    would cost the PDF renderer more than the whole book."""
    limit = current().css_bytes
    size = len(text.encode("utf-8", "surrogatepass"))
    if over(size, limit):
        _raise(label, "the CSS file is too large", f"{size:,} bytes", "css_bytes", limit)


# --------------------------------------------------------------------------- text


def check_text(text: str, label: str) -> None:
    """Refuse decoded text with more than ``lines`` lines."""
    limit = current().lines
    if limit > 0 and len(text) >= limit:  # cheap test first: a line has 1+ characters
        count = text.count("\n") + 1
        if count > limit:
            _raise(label, "too many lines", f"{count:,}", "lines", limit)


def small_int(digits: str, max_digits: int = 9) -> int | None:
    """A run of digits as an int, or None when it has more than ``max_digits`` digits.

    Chapter numbers, series parts and timestamps are small; a 5,000-digit "chapter
    number" is text, and ``int()`` of it would be slow or refused.
    """
    digits = digits.strip()
    if not digits or len(digits) > max_digits or not digits.isdigit():
        return None
    return int(digits)


# --------------------------------------------------------------------------- story


def check_story(story: Story, label: str) -> None:
    """Refuse a story past the chapter, paragraph, depth, metadata or attribute limits."""
    limits = current()
    if over(len(story.chapters), limits.chapters):
        _raise(label, "too many chapters", f"{len(story.chapters):,}", "chapters", limits.chapters)
    _check_metadata(story, label, limits)
    _check_nodes(story, label, limits)


def _check_metadata(story: Story, label: str, limits: Limits) -> None:
    """Metadata lists no longer than ``meta_items``, values no longer than ``field_chars``."""
    meta = story.metadata
    lists = {
        "authors": meta.authors,
        "fandoms": meta.fandoms,
        "warnings": meta.warnings,
        "categories": meta.categories,
        "relationships": meta.relationships,
        "characters": meta.characters,
        "tags": meta.tags,
        "extra fields": tuple(v for _, v in meta.extra),
    }
    for name, values in lists.items():
        if over(len(values), limits.meta_items):
            _raise(label, f"too many {name}", f"{len(values):,}", "meta_items", limits.meta_items)
        _check_chars(values, name, label, limits)
    singles = (meta.title, meta.series, meta.rating, meta.status, meta.source_url)
    _check_chars((v for v in singles if v), "metadata value", label, limits)


def _check_chars(values: Iterable[str], name: str, label: str, limits: Limits) -> None:
    """Each value no longer than ``field_chars``."""
    for value in values:
        if over(len(value), limits.field_chars):
            _raise(
                label,
                f"a {name} is too long",
                f"{len(value):,} characters",
                "field_chars",
                limits.field_chars,
            )


_BLOCKS = frozenset(BLOCK_TYPES)


def _check_nodes(story: Story, label: str, limits: Limits) -> None:
    """Every block and inline of a story (the metadata's summary and notes too): no
    more than ``paragraphs`` blocks, counting those inside quotes and notes; no block
    and no inline holding others nested deeper than ``depth`` (a chapter's own blocks
    are at depth 1, a paragraph's inlines one deeper); links and classes no longer than
    ``attribute_chars``. The walk has no recursion, so a tree of any depth is refused
    (never a RecursionError)."""
    blocks = 0
    for node, depth in iter_nodes(story):
        level = depth - 1  # the story is at 0, its metadata and chapters at 1
        kind = type(node)
        if kind in _BLOCKS:
            blocks += 1
            if over(blocks, limits.paragraphs):
                _raise(
                    label,
                    "too many paragraphs",
                    f"over {limits.paragraphs:,}",
                    "paragraphs",
                    limits.paragraphs,
                )
        elif kind not in INLINE_CONTAINERS:
            continue
        if over(level, limits.depth):
            _raise(label, "nested too deeply", f"{level:,} levels", "depth", limits.depth)
        if type(node) is Link:
            _check_attribute(node.href, label, limits)
        elif type(node) is Span:
            _check_attribute(" ".join(node.classes), label, limits)


def _check_attribute(attribute: str, label: str, limits: Limits) -> None:
    """A link address or class list no longer than ``attribute_chars``."""
    if over(len(attribute), limits.attribute_chars):
        _raise(
            label,
            "an attribute is too long",
            f"{len(attribute):,} characters",
            "attribute_chars",
            limits.attribute_chars,
        )


# --------------------------------------------------------------------------- memory


def apply_memory_ceiling(limit: int | None = None) -> int | None:
    """Cap this process's address space at ``limit`` bytes (default ``memory_bytes``), so
    an input that would take all the memory fails here with MemoryError (reported as one
    line) instead of the system killing the whole batch.

    Meant for a worker process that converts one file at a time; it only ever lowers
    the soft limit (never past the hard limit). Returns the ceiling set, or None where
    the platform has no ``resource`` module or the limit is 0.
    """
    try:
        import resource
    except ImportError:  # Windows
        return None
    limit = current().memory_bytes if limit is None else limit
    if limit <= 0:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY:
        limit = min(limit, soft)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return limit

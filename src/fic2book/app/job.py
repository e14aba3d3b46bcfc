"""One file's work in a batch: bytes and a frozen set of options in, books' bytes out.

``convert_one`` is the unit every runner uses (in-process, the local worker pool, a Dask
cluster): a plain module-level function whose arguments and result pickle, that never
touches the file system (the caller reads the input and writes the books), and that
turns every failure into a result with a one-line reason instead of an exception.
The work itself is the pipeline's (``pipeline.read`` and ``pipeline.render_all``).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fic2book.errors import Fic2BookError
from fic2book.options import ReadOptions, RenderOptions

if TYPE_CHECKING:
    from fic2book.model import Metadata


@dataclass(frozen=True)
class ConvertOptions:
    """Everything that decides a batch's books and their names (not how it runs)."""

    formats: tuple[str, ...] = ("epub",)
    """Output formats, in order, without repeats."""
    style: str = "classic"
    """A theme name or theme folder."""
    read: ReadOptions = field(default_factory=ReadOptions)
    """How each input is read."""
    render: RenderOptions = field(default_factory=RenderOptions)
    """How each book is rendered."""
    name: str = "{title}_{author}"
    """The ``--name`` template for book file names."""
    ascii_names: bool = False
    """Transliterate names to ASCII."""

    def digest(self) -> str:
        """A SHA-256 of every field, stable across runs and machines."""
        text = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=_digestible)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _digestible(value: object) -> str:
    """Bytes (a cover picture's) stand in a digest as their SHA-256."""
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    raise TypeError(f"cannot digest {type(value).__name__}")


@dataclass(frozen=True)
class JobResult:
    """What one input gave: its books' bytes and facts for the report, or an error."""

    error: str | None = None
    """The one-line reason it failed, or None."""
    metadata: Metadata | None = None
    """The story's metadata (for the book's name)."""
    words: int = 0
    """Words in the story."""
    chapters: int = 0
    """Chapters in the story."""
    books: tuple[tuple[str, bytes], ...] = field(default=(), repr=False)
    """(suffix, bytes) for each format, in the options' order."""
    seconds: float = 0.0
    """Time the work took, in seconds."""
    warnings: tuple[str, ...] = ()
    """Warnings for the user (pictures left out), already naming the input."""


def _relabel(message: str, name: str, label: str) -> str:
    """An error message naming the input as the user gave it (``label``) rather than by
    its bare file name."""
    prefix = f"{name}: "
    return label + ": " + message[len(prefix) :] if message.startswith(prefix) else message


def convert_one(data: bytes, name: str, label: str, options: ConvertOptions) -> JobResult:
    """Read one story from its bytes (``name`` is its file name, ``label`` how errors name
    it) and render it in every format of ``options``; any failure is a JobResult with a
    one-line error, never an exception."""
    start = time.perf_counter()
    try:
        from fic2book import pipeline
        from fic2book.stats import story_stats

        warnings: list[str] = []
        story = pipeline.read(
            data,
            options.read,
            name=name,
            folder=Path(label).parent if options.read.images else None,
            warn=warnings.append,
        )
        books = pipeline.render_all(story, options.formats, options.style, options.render)
        stats = story_stats(story)
        return JobResult(
            metadata=story.metadata,
            words=int(stats["words"]),
            chapters=int(stats["chapters"]),
            books=tuple(books),
            seconds=time.perf_counter() - start,
            warnings=tuple(_relabel(w, name, label) for w in warnings),
        )
    except Fic2BookError as exc:
        error = _relabel(str(exc), name, label)
    except MemoryError:
        error = f"{label}: could not be converted (out of memory)"
    except Exception as exc:  # one bad file must not stop a batch
        error = f"{label}: could not be converted ({type(exc).__name__}: {exc})"
    return JobResult(error=error, seconds=time.perf_counter() - start)

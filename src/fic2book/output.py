"""Output files: safe names, no collisions within a run, and atomic writes.

A book is named from its title and first author in ASCII letters, digits and dashes
(``The-Salt-Road_Wren-Halloway.epub``). Two books of one run never share a name (the
second gets ``-2``), and no output ever replaces one of the run's inputs. Bytes go to a
temporary file in the target folder, which is renamed into place only when complete,
so a failure never leaves a half-written book.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from fic2book.errors import Fic2BookError
from fic2book.model import Metadata

_MAX_SLUG = 60
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(10)}
)
"""Names Windows keeps for devices, whatever the suffix (``CON.epub`` cannot be made)."""


def slug(text: str, limit: int = _MAX_SLUG) -> str:
    """ASCII-safe words joined by dashes, cut at a word boundary; empty for no words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[A-Za-z0-9]+", ascii_text)
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or (words[0][:limit] if words else "")


def book_stem(meta: Metadata) -> str:
    """A book's file stem: its title, then its first author when it has one.

    A title or author with no ASCII letters at all (``日本語``, ``שלום``) keeps an ASCII
    name, ``Untitled`` or ``Author``, plus a short hash of the real name, so two such
    books never get one name, not even in separate runs.
    """
    title = slug(meta.title or "") or _hashed("Untitled", meta.title)
    author = (
        (slug(meta.authors[0], 30) or _hashed("Author", meta.authors[0])) if meta.authors else ""
    )
    stem = f"{title}_{author}" if author else title
    return f"{stem}-book" if stem.upper() in _RESERVED else stem


def _hashed(word: str, name: str | None) -> str:
    """``word`` alone for a missing name, else ``word`` and 8 hex digits of the name."""
    if not name or not name.strip():
        return word
    return f"{word}-{hashlib.sha256(name.strip().encode('utf-8')).hexdigest()[:8]}"


def _key(path: Path) -> str:
    """A path as the file system may see it: resolved and case-folded, since on macOS
    and Windows ``Home.epub`` and ``HOME.epub`` are the same file."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: it names no file
        real = path.absolute()
    return str(real).casefold()


class Namer:
    """Hands out unique output paths for one run."""

    def __init__(self, folder: Path, reserved: set[Path] | None = None) -> None:
        self.folder = folder
        self.taken: set[str] = {_key(p) for p in (reserved or set())}

    def path_for(self, meta: Metadata, suffix: str) -> Path:
        """A path in the output folder that no other book of this run has (nor an input),
        letter case aside."""
        stem = book_stem(meta)
        n = 1
        while True:
            name = f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}"
            path = self.folder / name
            if _key(path) not in self.taken:
                self.taken.add(_key(path))
                return path
            n += 1


class WriteError(Fic2BookError, OSError):
    """A book could not be written (still an OSError for callers that catch those)."""


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM wait while the block runs and arrive right after it,
    so a signal can never land between making a temporary file and renaming or removing
    it (on systems without signal masks the block simply runs)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to ``path`` all at once: a temporary file, then a rename, with
    interrupts held so that nothing half-written or temporary is ever left.

    The rename replaces whatever ``path`` was, a symlink included, without following
    it, so a link planted at the book's name is never written through. A folder that
    cannot be written or a disk that fills up is one Fic2BookError naming the book, and
    the temporary file is removed.
    """
    try:
        with interrupts_held():
            _write_atomic(path, data)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise WriteError(f"{path}: cannot write the book ({reason})") from None


def _write_atomic(path: Path, data: bytes) -> None:
    """``write_atomic`` without the error translation."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

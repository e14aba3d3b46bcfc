"""Output files: atomic writes (names are ``names.py``'s).

Bytes go to a temporary file in the target folder, which is renamed into place only
when complete, with Ctrl-C held meanwhile, so a failure or an interrupt never leaves a
half-written book or a temporary file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fic2book.errors import Fic2BookError


class WriteError(Fic2BookError, OSError):
    """A book could not be written (still an OSError for callers that catch those)."""


HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM wait while the block runs and arrive right after it,
    so a signal can never land between making a temporary file and renaming or removing
    it.

    Python runs signal handlers in the main thread whichever thread the system gave the
    signal to, so a thread's signal mask cannot hold them while other threads run (a
    Dask client's, say): the block swaps in handlers that only note the signal, and
    raises each noted signal again once the old handlers are back. A block in another
    thread simply runs: handlers never run in it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []

    def note(signum: int, frame: object) -> None:
        noted.append(signum)

    previous: dict[int, Any] = {}
    for held in HELD_SIGNALS:
        if signal.getsignal(held) is not None:  # None: set outside Python, left alone
            previous[held] = signal.signal(held, note)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for raised in dict.fromkeys(noted):
            signal.raise_signal(raised)


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

"""Ctrl-C and SIGTERM during a write, with real signals: the process sends itself the
signal from inside the held region of ``write_atomic`` (a stand-in for ``os`` in
``fic2book.app.output`` that signals while the bytes are being written, or right after
the rename), and the interrupt must arrive only once the region is left: the book is
whole, no ``.part`` file is left, and in a batch each book and its cache record are
written together or not at all. Each case runs alone and beside another thread (a Dask
client has one), since the system may hand a process's signal to any of its threads."""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fic2book.app import output
from fic2book.app.cache import CACHE_FILE
from fic2book.cli import main

STORY = "Title: Tide {n}\nAuthor: Wren\n\nThe boats came in at dusk, number {n}.\n"


class Terminated(BaseException):
    """What the test's SIGTERM handler raises."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


class SignallingOs:
    """``os`` for the output module, except that one call sends the process a signal
    from inside the held region and notes whether the code after it ran."""

    def __init__(self, call: str, signum: int, when: Callable[[Any], bool]) -> None:
        self.call, self.signum, self.when = call, signum, when
        self.sent = 0
        self.resumed = 0

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        if name != self.call:
            return real

        def hooked(*args: Any) -> Any:
            result = real(*args)
            if self.when(args):
                self.sent += 1
                os.kill(os.getpid(), self.signum)  # a real signal, to the whole process
                self.resumed += 1  # not reached if the signal lands here
            return result

        return hooked


@pytest.fixture(params=[False, True], ids=["alone", "beside-a-thread"])
def other_thread(request: pytest.FixtureRequest) -> Iterator[bool]:
    """Another thread that blocks no signal, waiting all through the test."""
    if not request.param:
        yield False
        return
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        yield True
    finally:
        stop.set()
        thread.join()


@pytest.fixture
def handlers() -> Iterator[None]:
    """Python's own Ctrl-C handler and a SIGTERM handler that raises, restored after."""
    old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        for signum, handler in old.items():
            signal.signal(signum, handler)


@pytest.mark.parametrize("call", ["fsync", "replace"], ids=["while-writing", "after-rename"])
@pytest.mark.parametrize(
    ("signum", "raised"),
    [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, Terminated)],
    ids=["SIGINT", "SIGTERM"],
)
def test_a_signal_during_a_write_arrives_after_the_whole_book(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    handlers: None,
    other_thread: bool,
    call: str,
    signum: int,
    raised: type[BaseException],
) -> None:
    book = tmp_path / "book.bin"
    data = bytes(range(256)) * 4096  # 1 MiB
    hook = SignallingOs(call, signum, lambda args: True)
    monkeypatch.setattr(output, "os", hook)
    with pytest.raises(raised):
        output.write_atomic(book, data)
    assert hook.sent == 1
    assert hook.resumed == 1, "the signal landed inside the held region"
    assert book.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.bin"]  # no .part file
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGTERM) is _raise_terminated


def _cached_books(folder: Path) -> set[str]:
    """Every book path the cache file in ``folder`` records."""
    raw = json.loads((folder / CACHE_FILE).read_text(encoding="utf-8"))
    return {rel for entry in raw["inputs"].values() for rel, _, _ in entry["books"]}


def test_ctrl_c_in_a_batch_keeps_each_book_with_its_cache_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handlers: None, other_thread: bool
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for n in range(1, 4):
        (src / f"s{n}.txt").write_text(STORY.format(n=n), encoding="utf-8")
    epubs: list[str] = []

    def second_epub(args: tuple[Any, ...]) -> bool:
        """Ctrl-C right after the second input's EPUB is renamed into place, before
        its HTML book is written and before the cache records the input."""
        if str(args[1]).endswith(".epub"):
            epubs.append(str(args[1]))
        return str(args[1]).endswith(".epub") and len(epubs) == 2

    hook = SignallingOs("replace", signal.SIGINT, second_epub)
    monkeypatch.setattr(output, "os", hook)
    args = ["convert", str(src), "-o", str(out), "-f", "epub", "-f", "html", "-j", "1"]
    result = CliRunner().invoke(main, args)
    assert hook.sent == 1 and hook.resumed == 1, "the signal landed inside the held region"
    assert result.exit_code == 130, result.output
    assert "interrupted" in result.stderr and "Traceback" not in result.output
    on_disk = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert on_disk == {
        "Tide-1_Wren.epub",
        "Tide-1_Wren.html",
        "Tide-2_Wren.epub",
        "Tide-2_Wren.html",
    }
    assert _cached_books(out) == on_disk
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]

    monkeypatch.setattr(output, "os", os)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "1 converted" in result.stderr and "2 up to date" in result.stderr

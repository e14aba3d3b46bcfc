"""Running a batch: the job list, the worker pool, input order, timeouts and Ctrl-C.

The client reads each input, asks the cache whether its books are up to date, and sends
the rest to a runner: in-process (``--jobs 1``), a pool of worker processes that are
reused across files, or a Dask cluster (``dask_run``). Runners give results back in any
order; the client names and writes the books in input order, so names and bytes do not
depend on ``--jobs``. Only a bounded window of inputs is in flight at once, so memory
does not grow with the number of inputs.

A worker that crashes or runs past ``--timeout`` is killed and replaced, and only its
file fails. Workers ignore SIGINT; on Ctrl-C the client stops them, keeps every book it
finished (each written atomically, so nothing is half-written) and raises
KeyboardInterrupt for the CLI to report.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from fic2book.app.cache import Cache, input_key
from fic2book.app.job import ConvertOptions, JobResult, convert_one
from fic2book.app.names import BookNamer
from fic2book.app.output import interrupts_held, write_atomic
from fic2book.app.report import Outcome, Reporter
from fic2book.errors import Fic2BookError
from fic2book.limits import read_bounded

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

DEFAULT_TIMEOUT = 600.0
"""Seconds one file may take before its worker is killed (generous: a 20 MB novel to
PDF takes a few minutes)."""


@dataclass(frozen=True)
class Task:
    """One input to convert, as sent to a runner."""

    index: int
    """Its position among the inputs."""
    data: bytes = field(repr=False)
    """Its bytes."""
    name: str
    """Its file name (for detection and the title fallback)."""
    label: str
    """Its path as the user gave it (for error lines)."""


class Runner(Protocol):
    """Runs tasks, giving (index, result) pairs back in any order."""

    def run(
        self, tasks: Iterator[Task], room: Callable[[], bool]
    ) -> Iterator[tuple[int, JobResult]]:
        """Pull tasks while ``room()`` allows and yield their results as they finish."""
        ...

    def close(self) -> None:
        """Stop every worker."""
        ...


class InProcess:
    """Runs each task in this process, one after another (``--jobs 1``)."""

    def __init__(self, options: ConvertOptions, timeout: float | None = None) -> None:
        self.options = options
        self.timeout = timeout

    def run(
        self, tasks: Iterator[Task], room: Callable[[], bool]
    ) -> Iterator[tuple[int, JobResult]]:
        """Convert each task as it comes."""
        for task in tasks:
            yield task.index, convert_one(task.data, task.name, task.label, self.options)

    def close(self) -> None:
        """Nothing to stop."""


def memory_ceiling() -> None:
    """The per-worker memory limit: an RLIMIT_AS ceiling (``limits.apply_memory_ceiling``,
    ``FIC2BOOK_MAX_MEMORY_BYTES``), so a runaway input is a MemoryError in its worker."""
    from fic2book.limits import apply_memory_ceiling

    apply_memory_ceiling()


def _worker_main(conn: Connection, options: ConvertOptions) -> None:
    """A worker: ignore Ctrl-C (the client handles it), then convert tasks until told to
    stop or the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    memory_ceiling()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = convert_one(task.data, task.name, task.label, options)
        try:
            conn.send((task.index, result))
        except (OSError, ValueError):
            return


@dataclass
class _Worker:
    """One worker process and what it is doing."""

    process: Any
    conn: Connection
    task: Task | None = None
    started: float = 0.0


def worker_context() -> Any:
    """How workers start: forked on Linux when this process runs a single thread
    (cheap, and workers inherit the loaded modules); else spawned, since forking a
    process with other threads may copy a lock some thread holds."""
    import multiprocessing
    import threading

    single = threading.active_count() == 1
    return multiprocessing.get_context("fork" if sys.platform == "linux" and single else "spawn")


class Pool:
    """``jobs`` worker processes, each reused across files, with a per-file timeout."""

    def __init__(self, options: ConvertOptions, jobs: int, timeout: float | None) -> None:
        self.options = options
        self.timeout = timeout
        self.workers = [self._spawn() for _ in range(jobs)]

    def _spawn(self) -> _Worker:
        """Start one worker process, forked or spawned as ``worker_context`` says at that
        moment: a worker that replaces a crashed one while the progress bar's thread
        runs is spawned."""
        context = worker_context()
        parent, child = context.Pipe()
        process = context.Process(target=_worker_main, args=(child, self.options), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and put a fresh one in its place."""
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        self.workers[self.workers.index(worker)] = self._spawn()

    def run(
        self, tasks: Iterator[Task], room: Callable[[], bool]
    ) -> Iterator[tuple[int, JobResult]]:
        """Keep every worker busy while there is room; yield results as they come."""
        exhausted = False
        while True:
            for worker in self.workers:
                if worker.task is None and not exhausted and room():
                    task = next(tasks, None)
                    if task is None:
                        exhausted = True
                        break
                    worker.task, worker.started = task, time.monotonic()
                    worker.conn.send(task)
            busy = [w for w in self.workers if w.task is not None]
            if not busy:
                if exhausted or not room():
                    return
                continue
            yield from self._collect(busy)

    def _collect(self, busy: list[_Worker]) -> Iterator[tuple[int, JobResult]]:
        """Wait (at most until the nearest timeout) for results, crashes and hangs."""
        from multiprocessing.connection import wait

        waits: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        limit = None
        if self.timeout is not None:
            now = time.monotonic()
            limit = max(0.0, min(w.started + self.timeout - now for w in busy))
        ready = set(wait(waits, timeout=limit))
        for worker in busy:
            task = worker.task
            assert task is not None
            if worker.conn in ready:
                try:
                    index, result = worker.conn.recv()
                except (EOFError, OSError):
                    yield task.index, self._failed(worker, task, "its worker crashed")
                    continue
                worker.task = None
                yield index, result
            elif worker.process.sentinel in ready:
                worker.process.join(5)  # it has ended: reaped at once, so its status is known
                code = worker.process.exitcode
                yield task.index, self._failed(worker, task, f"its worker crashed ({code})")
            elif self.timeout is not None and time.monotonic() - worker.started >= self.timeout:
                reason = f"timed out after {self.timeout:g} s"
                yield task.index, self._failed(worker, task, reason)

    def _failed(self, worker: _Worker, task: Task, reason: str) -> JobResult:
        """Replace a crashed or hung worker; its file fails with ``reason``."""
        self._replace(worker)
        return JobResult(error=f"{task.label}: could not be converted ({reason})")

    def close(self) -> None:
        """Stop every worker at once (they hold no files: the client writes the books)."""
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.kill()
        for worker in self.workers:
            worker.process.join(2)
            worker.conn.close()


@dataclass
class Batch:
    """One ``convert`` run over its inputs."""

    files: list[Path]
    options: ConvertOptions
    output: Path
    cache: Cache
    settings: str
    """The digest of options, theme and version (see ``cache.settings_digest``)."""
    reporter: Reporter
    force: bool = False
    window: int = 8
    """How many inputs may be read but not yet written."""
    namer: BookNamer = field(init=False)
    _next: int = field(init=False, default=0)
    _pulled: int = field(init=False, default=0)
    _done: dict[int, Outcome | tuple[Task, str, JobResult]] = field(
        init=False, default_factory=dict
    )
    _keys: dict[int, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.namer = BookNamer(
            self.output,
            self.options.name,
            ascii_only=self.options.ascii_names,
            reserved=set(self.files) | self.cache.claimed(),
        )

    def room(self) -> bool:
        """Whether another input may be sent out (the window is not full)."""
        return self._pulled - self._next < self.window

    def tasks(self) -> Iterator[Task]:
        """The inputs that need converting, read one at a time; inputs that cannot be
        read, or whose books are up to date, are settled here without a runner. The
        reporter hears of each task as it is handed to the runner (``started``)."""
        for index, path in enumerate(self.files):
            self._pulled = index + 1
            try:  # regular files only, within the size limit: no FIFO or device blocks
                data = read_bounded(path)
            except Fic2BookError as exc:
                self._settle(index, Outcome(str(path), "failed", error=str(exc)))
                continue
            except OSError as exc:
                self._settle(index, Outcome(str(path), "failed", error=_read_error(path, exc)))
                continue
            key = input_key(data, self.settings)
            entry = None if self.force else self.cache.fresh(path, key)
            if entry is not None:
                outputs = [str(self.output / rel) for rel, _, _ in entry.books]
                facts = entry.facts
                self._settle(
                    index,
                    Outcome(
                        str(path),
                        "up-to-date",
                        outputs,
                        facts.get("title"),
                        list(facts.get("authors", [])),
                        int(facts.get("words", 0)),
                        int(facts.get("chapters", 0)),
                    ),
                )
                continue
            task = Task(index, data, path.name, str(path))
            self._keys[index] = key
            self.reporter.started(task.label)
            yield task

    def _settle(self, index: int, done: Outcome | tuple[Task, str, JobResult]) -> None:
        """Tell the reporter an input is finished, then hold it until every earlier one
        is written, and write in order."""
        self.reporter.finished(done.input if isinstance(done, Outcome) else done[0].label)
        self._done[index] = done
        while self._next in self._done:
            item = self._done.pop(self._next)
            outcome = item if isinstance(item, Outcome) else self._write(*item)
            self.reporter.add(outcome)
            self._next += 1

    def _write(self, task: Task, key: str, result: JobResult) -> Outcome:
        """Name and write one input's books (atomically) and remember them in the cache,
        with Ctrl-C held until both are done: a finished book is always in the cache."""
        with interrupts_held():
            return self._write_books(task, key, result)

    def _write_books(self, task: Task, key: str, result: JobResult) -> Outcome:
        """``_write``'s work."""
        path = self.files[task.index]
        if result.error is not None or result.metadata is None:
            self.cache.forget(path)
            return Outcome(task.label, "failed", error=result.error, seconds=result.seconds)
        meta = result.metadata
        for warning in result.warnings:
            self.reporter.warn(warning)
        targets = self.namer.paths_for(
            meta, path.stem, [s for s, _ in result.books], own=self.cache.own(path)
        )
        try:
            for target, (_, data) in zip(targets, result.books, strict=True):
                write_atomic(target, data)
        except OSError as exc:
            self.cache.forget(path)
            error = f"{target}: cannot be written ({exc.strerror or exc})"
            return Outcome(task.label, "failed", error=error, seconds=result.seconds)
        facts = {
            "title": meta.title,
            "authors": list(meta.authors),
            "words": result.words,
            "chapters": result.chapters,
        }
        self.cache.record(path, key, targets, facts)
        return Outcome(
            task.label,
            "converted",
            [str(t) for t in targets],
            meta.title,
            list(meta.authors),
            result.words,
            result.chapters,
            result.seconds,
        )

    def run(self, runner: Runner) -> None:
        """Convert every input with ``runner``; the cache is saved even on Ctrl-C."""
        pending: dict[int, Task] = {}

        def tracked() -> Iterator[Task]:
            for task in self.tasks():
                pending[task.index] = task
                yield task

        try:
            for index, result in runner.run(tracked(), self.room):
                task = pending.pop(index)
                self._settle(index, (task, self._keys.pop(index), result))
        finally:
            runner.close()
            self.cache.save()


def default_jobs() -> int:
    """The machine's cores available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _read_error(path: Path, exc: OSError) -> str:
    """One line for an input that cannot be read."""
    if isinstance(exc, FileNotFoundError):
        return f"{path}: no such file"
    if isinstance(exc, IsADirectoryError):
        return f"{path}: is a directory, not a story file"
    return f"{path}: cannot be read ({exc.strerror})"

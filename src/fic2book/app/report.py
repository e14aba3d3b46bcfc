"""What a batch tells its user: progress, the summary, and the ``--report`` JSON.

On a terminal a progress bar (rich) shows the current file, the count and an ETA; when
standard error is not a terminal nothing is shown until the summary; ``--quiet`` leaves
only the errors. The summary counts books converted, inputs up to date and inputs
failed, each failure with its one-line reason.

The ``--report`` file (schema ``REPORT_SCHEMA``, documented in the README)::

    {"schema": 1, "fic2book": "0.1.0", "exit_status": 0, "interrupted": false,
     "seconds": 1.25, "counts": {"converted": 2, "up_to_date": 0, "failed": 1},
     "inputs": [{"input": "a.txt", "status": "converted", "outputs": ["out/A.epub"],
                 "title": "A", "authors": ["B"], "words": 1200, "chapters": 3,
                 "seconds": 0.21, "error": null}, ...]}

``status`` is ``converted``, ``up-to-date`` or ``failed``; inputs are listed in the
order given; an interrupted run lists the inputs it finished.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

import click

REPORT_SCHEMA = 1
Status = Literal["converted", "up-to-date", "failed"]


@dataclass
class Outcome:
    """What happened to one input."""

    input: str
    """The input path as given."""
    status: Status
    """``converted``, ``up-to-date`` or ``failed``."""
    outputs: list[str] = field(default_factory=list)
    """The books' paths."""
    title: str | None = None
    """The book's title."""
    authors: list[str] = field(default_factory=list)
    """The book's authors."""
    words: int = 0
    """Words in the story."""
    chapters: int = 0
    """Chapters in the story."""
    seconds: float = 0.0
    """Time spent converting it (0 when up to date)."""
    error: str | None = None
    """The one-line reason it failed."""


class Reporter:
    """Collects outcomes in input order and shows them as the user asked."""

    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.total = total
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.outcomes: list[Outcome] = []
        self.start = time.perf_counter()
        self.interrupted = False
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Reporter:
        if not self.quiet and self.total > 1 and _is_terminal(self.stream):
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.fields[current]}"),
                console=Console(file=self.stream),
                auto_refresh=False,  # no refresh thread: worker processes are forked
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("converting", total=self.total, current="")
            self._progress.refresh()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def add(self, outcome: Outcome) -> None:
        """Record one input's outcome; its error line is printed at once."""
        self.outcomes.append(outcome)
        if outcome.status == "failed" and outcome.error:
            self._print(f"fic2book: {outcome.error}", err=True)
        elif not self.quiet and self._progress is None:
            for path in outcome.outputs:
                click.echo(path)
        if self._progress is not None:
            name = Path(outcome.input).name
            self._progress.update(self._task, advance=1, current=name[:40])
            self._progress.refresh()

    def warn(self, message: str) -> None:
        """A warning about one input (pictures left out), unless quiet."""
        if not self.quiet:
            self._print(f"fic2book: warning: {message}", err=True)

    def _print(self, text: str, *, err: bool = False) -> None:
        """A line above the progress bar (or plain)."""
        if self._progress is not None:
            self._progress.console.print(text, markup=False, highlight=False)
        else:
            click.echo(text, err=err)

    def counts(self) -> dict[str, int]:
        """How many inputs were converted, up to date and failed."""
        out = {"converted": 0, "up_to_date": 0, "failed": 0}
        for o in self.outcomes:
            out[o.status.replace("-", "_")] += 1
        return out

    def summary(self) -> str:
        """One line: what was done, and how long it took."""
        c = self.counts()
        books = sum(len(o.outputs) for o in self.outcomes if o.status == "converted")
        line = (
            f"{c['converted']} converted ({books} book file(s)), {c['up_to_date']} up to date,"
            f" {c['failed']} failed in {time.perf_counter() - self.start:.1f} s"
        )
        if self.interrupted:
            line += f"; interrupted, {self.total - len(self.outcomes)} input(s) not done"
        return line

    def finish(self) -> None:
        """Print the summary unless quiet (and for one input, unless it failed or the
        run was interrupted); the failures are repeated under it."""
        self.__exit__()
        if self.quiet or (self.total == 1 and not self.interrupted):
            return
        click.echo(self.summary(), err=True)
        for o in self.outcomes:
            if o.status == "failed":
                click.echo(f"  failed: {o.error}", err=True)

    def write_json(self, path: Path, exit_status: int) -> None:
        """The ``--report`` file, written atomically."""
        from fic2book import __version__
        from fic2book.app.output import write_atomic

        data = {
            "schema": REPORT_SCHEMA,
            "fic2book": __version__,
            "exit_status": exit_status,
            "interrupted": self.interrupted,
            "seconds": round(time.perf_counter() - self.start, 3),
            "counts": self.counts(),
            "inputs": [asdict(o) | {"seconds": round(o.seconds, 3)} for o in self.outcomes],
        }
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def _is_terminal(stream: TextIO) -> bool:
    """Whether a stream is an interactive terminal."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

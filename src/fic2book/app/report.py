"""What a batch tells its user: progress, the summary, and the ``--report`` JSON.

On a terminal a progress bar (rich) shows how many inputs are finished, the time so
far, an estimate of the time left, and the file being converted now (the oldest one
still running, ``and N more`` when several run at once); when standard error is not a
terminal nothing is shown until the summary; ``--quiet`` leaves only the errors.

The batch tells the reporter when an input is handed to the runner (``started``) and
when it is finished (``finished``, in whatever order the runner finishes them); the
outcomes come after, in input order (``add``). The bar is redrawn a few times a second
by rich's own thread, so the clock and the estimate move while a long file converts.

The summary counts books converted, inputs up to date and inputs failed, each failure
with its one-line reason.

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
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

import click

REPORT_SCHEMA = 1
Status = Literal["converted", "up-to-date", "failed"]
REFRESHES_PER_SECOND = 4
"""How often the progress bar is redrawn (by rich's refresh thread)."""
_NAME_CHARS = 40


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


def time_left(elapsed: float, done: int, total: int) -> float | None:
    """Seconds the rest of a batch should take, from the pace so far: the time since the
    start shared over the inputs finished, times the inputs left; None before the first
    is finished. Worked out anew at each redraw, the estimate moves while a long file
    converts (it grows when that file takes longer than the pace said)."""
    if done <= 0:
        return None
    return max(0.0, elapsed / done * max(0, total - done))


def clock(seconds: float | None) -> str:
    """``H:MM:SS``, or ``-:--:--`` for no estimate."""
    if seconds is None:
        return "-:--:--"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:d}:{minutes:02d}:{secs:02d}"


class Reporter:
    """Collects outcomes in input order and shows them as the user asked."""

    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.total = total
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.outcomes: list[Outcome] = []
        self.start = time.perf_counter()
        self.interrupted = False
        self.done = 0
        """Inputs finished so far, in any order (what the bar counts)."""
        self.running: list[str] = []
        """The inputs with the runner now, oldest first."""
        self._counted: Counter[str] = Counter()
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
                TimeElapsedColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                _left_column(self),
                TextColumn("{task.fields[current]}"),
                console=Console(file=self.stream),
                auto_refresh=True,  # rich's thread: the Pool spawns, never forks, beside it
                refresh_per_second=REFRESHES_PER_SECOND,
                transient=True,
                get_time=time.perf_counter,
            )
            self._task = self._progress.add_task("converting", total=self.total, current="")
            self._progress.start()
            self._show()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def current(self) -> str:
        """The file being converted now, as the bar names it: the oldest one running,
        ``and N more`` when others run beside it; empty when none is."""
        if not self.running:
            return ""
        name = Path(self.running[0]).name
        name = name if len(name) <= _NAME_CHARS else name[: _NAME_CHARS - 1] + "…"
        more = len(self.running) - 1
        return f"{name} and {more} more" if more else name

    def left(self) -> str:
        """The estimate of the time left, as the bar shows it (``time_left``)."""
        estimate = time_left(time.perf_counter() - self.start, self.done, self.total)
        return "" if estimate is None else f"about {clock(estimate)} left"

    def started(self, label: str) -> None:
        """An input was handed to the runner: the bar names it while it runs."""
        self.running.append(label)
        self._show()

    def finished(self, label: str) -> None:
        """An input is finished (converted, failed, or settled without the runner), in
        whatever order: the bar advances now, not when its turn to be written comes."""
        if label in self.running:
            self.running.remove(label)
        self._counted[label] += 1
        self.done += 1
        self._show()

    def add(self, outcome: Outcome) -> None:
        """Record one input's outcome (in input order); its error line is printed at
        once. An input nobody said was ``finished`` is counted finished now."""
        self.outcomes.append(outcome)
        if outcome.status == "failed" and outcome.error:
            self._print(f"fic2book: {outcome.error}", err=True)
        elif not self.quiet and self._progress is None:
            for path in outcome.outputs:
                click.echo(path)
        if self._counted[outcome.input]:
            self._counted[outcome.input] -= 1
        else:
            self.finished(outcome.input)
            self._counted[outcome.input] -= 1

    def _show(self) -> None:
        """Bring the bar up to date with the counts, the estimate and the current file
        (rich's thread redraws it in between, so the clock moves on its own)."""
        if self._progress is None:
            return
        self._progress.update(self._task, completed=self.done, current=self.current())
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


def _left_column(reporter: Reporter) -> Any:
    """A progress-bar column showing ``reporter.left()``, worked out at each redraw (so
    the estimate moves between files, which rich's own column, reckoned from the last
    completions alone, does not)."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class TimeLeftColumn(ProgressColumn):
        """The batch's estimate of the time left."""

        def render(self, task: Task) -> Text:
            """The estimate as text."""
            return Text(reporter.left(), style="progress.remaining")

    return TimeLeftColumn()


def _is_terminal(stream: TextIO) -> bool:
    """Whether a stream is an interactive terminal."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

"""Batch conversion: workers, input order, the incremental cache, the report, exit
statuses, hung and crashed workers, and Ctrl-C on a real process."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from fic2book import parse
from fic2book.app.batch import Batch, Task
from fic2book.app.cache import Cache
from fic2book.app.job import ConvertOptions, convert_one
from fic2book.app.report import Outcome, Reporter
from fic2book.cli import main
from fic2book.options import RenderOptions
from fic2book.pipeline import build
from fic2book.stats import story_stats

STORY = "Title: {title}\nAuthor: {author}\n\n{body}\n\n* * *\n\nThe end of story {n}.\n"


def make_stories(folder: Path, count: int, title: str = "Same Title") -> list[Path]:
    """``count`` small stories that all have the same title and author."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"s{n:03d}.txt"
        body = f"Story number {n} begins on a grey morning by the river."
        path.write_text(STORY.format(title=title, author="Wren", body=body, n=n), "utf-8")
        paths.append(path)
    return paths


def books(folder: Path) -> dict[str, Path]:
    """Every book under a folder by its path relative to it (the cache file aside)."""
    return {
        str(p.relative_to(folder)): p
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["convert", *map(str, args)])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout, result.stderr


def test_two_hundred_colliding_titles_then_an_incremental_rerun(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_stories(src, 200)
    out = tmp_path / "out"
    code, stdout, _ = invoke(src, "-o", out, "-f", "html", "--no-cover", "--jobs", "2")
    assert code == 0
    made = books(out)
    assert len(made) == 200 == len(set(stdout.split()))
    # Names follow input order whatever the workers did: s000 is Same-Title_Wren.html.
    assert "story 0." in (out / "Same-Title_Wren.html").read_text("utf-8")
    assert "story 199." in (out / "Same-Title_Wren-200.html").read_text("utf-8")
    stamps = {name: p.stat().st_mtime_ns for name, p in made.items()}

    # The rerun converts nothing and touches no book (benchmarks/run.py times it).
    code, stdout, stderr = invoke(src, "-o", out, "-f", "html", "--no-cover", "--jobs", "2")
    assert code == 0
    assert {name: p.stat().st_mtime_ns for name, p in books(out).items()} == stamps
    assert "0 converted" in stderr and "200 up to date" in stderr

    # A changed input is rebuilt under its old name; the others stay untouched.
    (src / "s005.txt").write_text(STORY.format(title="Same Title", author="Wren", body="New.", n=5))
    report = tmp_path / "r.json"
    code, stdout, _ = invoke(src, "-o", out, "-f", "html", "--no-cover", "--report", report)
    rebuilt = [i for i in json.loads(report.read_text())["inputs"] if i["status"] == "converted"]
    assert code == 0 and [i["outputs"] for i in rebuilt] == [[str(out / "Same-Title_Wren-6.html")]]
    assert "New." in (out / "Same-Title_Wren-6.html").read_text("utf-8")
    assert len(stdout.split()) == 200  # every book's path, made now or before

    # Other options are other books: --notes drop rebuilds everything.
    invoke(src, "-o", out, "-f", "html", "--no-cover", "--notes", "drop", "--report", report)
    assert json.loads(report.read_text())["counts"]["converted"] == 200


def test_force_rebuilds_and_books_do_not_depend_on_jobs(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_stories(src, 3)
    one, two = tmp_path / "one", tmp_path / "two"
    assert invoke(src, "-o", one, "-f", "epub", "-f", "html", "--jobs", "1")[0] == 0
    assert invoke(src, "-o", two, "-f", "epub", "-f", "html", "--jobs", "2")[0] == 0
    a, b = books(one), books(two)
    assert sorted(a) == sorted(b) and len(a) == 6
    assert all(a[n].read_bytes() == b[n].read_bytes() for n in a)

    before = {n: p.stat().st_mtime_ns for n, p in a.items()}
    time.sleep(0.01)
    code, _, stderr = invoke(src, "-o", one, "-f", "epub", "-f", "html", "--force")
    assert code == 0 and "3 converted (6 book file(s)), 0 up to date" in stderr
    assert all(p.stat().st_mtime_ns != before[n] for n, p in books(one).items())


def test_report_and_exit_statuses(tmp_path: Path) -> None:
    good = FIXTURES / "ao3_text.txt"
    bad = FIXTURES / "not_text.bin"
    missing = tmp_path / "missing.txt"
    out, report = tmp_path / "out", tmp_path / "report.json"
    code, _, stderr = invoke(good, bad, missing, "-o", out, "-f", "html", "--report", report)
    assert code == 1
    data = json.loads(report.read_text("utf-8"))
    assert data["schema"] == 1 and data["exit_status"] == 1 and not data["interrupted"]
    assert data["counts"] == {"converted": 1, "up_to_date": 0, "failed": 2}
    first, second, third = data["inputs"]
    assert [first["input"], second["input"], third["input"]] == [str(good), str(bad), str(missing)]
    assert first["status"] == "converted" and first["title"] == "Night Owls"
    stats = story_stats(parse(good))
    assert first["authors"] == ["sparrowquill"] and first["words"] == stats["words"] > 0
    assert first["chapters"] == stats["chapters"]
    assert first["chapters"] >= 1 and first["error"] is None and first["seconds"] > 0
    assert first["outputs"] == [str(out / "Night-Owls_sparrowquill.html")]
    assert second["status"] == "failed" and "not a text file" in second["error"]
    assert third["status"] == "failed" and "no such file" in third["error"]
    assert "1 converted" in stderr and "2 failed" in stderr and "failed: " + str(bad) in stderr

    invoke(good, "-o", out, "-f", "html", "--report", report)
    data = json.loads(report.read_text("utf-8"))
    assert data["exit_status"] == 0 and data["inputs"][0]["status"] == "up-to-date"
    assert data["inputs"][0]["title"] == "Night Owls"

    assert invoke(good, "-o", out, "-f", "docx")[0] == 2  # unknown format
    assert invoke(good, "-o", out, "--name", "{nope}")[0] == 2  # unknown template field
    assert invoke(good, "-o", out, "--jobs", "0")[0] == 2
    assert invoke(good, "-o", out, "--style", "nope")[0] == 3  # bad theme
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, stderr = invoke(empty, "-o", out)
    assert code == 3 and "no story files" in stderr
    result = CliRunner().invoke(main, ["convert", "--help"])
    assert "130" in result.output and "Exit status" in result.output


def test_quiet_prints_only_errors(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_stories(src, 2)
    (src / "bad.txt").write_bytes(b"")
    code, stdout, stderr = invoke(src, "-o", tmp_path / "out", "-f", "html", "-q", "-j", "1")
    assert code == 1 and stdout == ""
    assert stderr.strip().splitlines() == [f"fic2book: {src / 'bad.txt'}: the file is empty"]


def test_recursive_and_globs(tmp_path: Path) -> None:
    make_stories(tmp_path / "a", 1, "Top")
    make_stories(tmp_path / "a" / "deep", 1, "Deep")
    out = tmp_path / "out"
    invoke(tmp_path / "a", "-o", out, "-f", "html", "--no-cover")
    assert sorted(books(out)) == ["Top_Wren.html"]
    invoke(tmp_path / "a", "-o", out, "-f", "html", "--no-cover", "--recursive")
    assert sorted(books(out)) == ["Deep_Wren.html", "Top_Wren.html"]
    out2 = tmp_path / "out2"
    invoke(str(tmp_path / "a" / "**" / "*.txt"), "-o", out2, "-f", "html", "-r")
    assert sorted(books(out2)) == ["Deep_Wren.html", "Top_Wren.html"]


FLAKY = Path(__file__).with_name("flaky_batch.py")


def test_a_hung_or_crashed_worker_fails_one_file(tmp_path: Path) -> None:
    """In a process of its own (``flaky_batch.py``), whatever threads this one runs,
    with workers forked and spawned (both at once). The timeout leaves a fresh worker
    time to load the pipeline and the language model under load; the process timeout
    is a safety net for a batch that would wait on hang.txt for an hour."""
    src = tmp_path / "src"
    make_stories(src, 4)
    for name in ("hang.txt", "crash.txt"):
        (src / name).write_text("Title: Doomed\n\nNever written.\n")
    runs = {}
    for start in ("fork", "spawn"):
        out, report = tmp_path / start, tmp_path / f"{start}.json"
        args = [src, "-o", out, "-f", "html", "--no-cover", "-j", "2", "--timeout", "20"]
        runs[start] = subprocess.Popen(
            [sys.executable, FLAKY, "convert", *args, "--report", report],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "FLAKY_START": start},
        )
    for start, proc in runs.items():
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 1, stderr
        assert "Traceback" not in stderr
        data = json.loads((tmp_path / f"{start}.json").read_text())
        status = {Path(i["input"]).name: (i["status"], i["error"]) for i in data["inputs"]}
        assert status.pop("hang.txt") == (
            "failed",
            f"{src / 'hang.txt'}: could not be converted (timed out after 20 s)",
        )
        assert status.pop("crash.txt")[0] == "failed"
        assert set(status.values()) == {("converted", None)} and len(status) == 4, stderr
        assert len(books(tmp_path / start)) == 4
        errors = [line for line in stderr.splitlines() if line.startswith("fic2book: ")]
        assert len(errors) == 2 and errors[1] == f"fic2book: {src / 'hang.txt'}: " + (
            "could not be converted (timed out after 20 s)"
        )
        # The pipe or the process's end tells first; either way one line, with the
        # worker's exit status when it is known.
        crashed = f"fic2book: {src / 'crash.txt'}: could not be converted (its worker crashed"
        assert errors[0] in (crashed + ")", crashed + " (3))")


def test_ctrl_c_on_a_real_process(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_stories(src, 60)
    out = tmp_path / "out"
    code = "import sys; from fic2book.cli import main; sys.exit(main())"
    args = [sys.executable, "-c", code, "convert", str(src), "-o", str(out), "-j", "2"]
    # Each file takes at least 0.3 s (about 9 s in all), so the batch is still running
    # when the books being waited for appear, however busy the machine.
    slowed = [sys.executable, str(FLAKY), *args[3:]]
    env = {**os.environ, "FLAKY_DELAY": "0.3"}
    proc = subprocess.Popen(slowed, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.epub"))) < 2:
        time.sleep(0.05)
    # Ctrl-C reaches the whole foreground process group; the workers ignore it.
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)  # a safety net: it stops at once
    assert proc.returncode == 130, stderr
    text = stderr.decode()
    assert "interrupted" in text and "Traceback" not in text
    names = [p.name for p in out.iterdir()]
    assert [n for n in names if n.startswith(".")] == [".fic2book-cache.json"]
    assert not [n for n in names if n.endswith(".part")]
    finished = sorted(out.glob("*.epub"))
    assert 2 <= len(finished) < 60
    # Books are written in input order, so the finished ones are the first inputs' books,
    # byte for byte what the (EPUBCheck-tested) writer makes of them without interruption.
    for n in range(len(finished)):
        book = out / ("Same-Title_Wren.epub" if n == 0 else f"Same-Title_Wren-{n + 1}.epub")
        with zipfile.ZipFile(book) as z:
            assert z.testzip() is None and z.namelist()[0] == "mimetype"
        assert book.read_bytes() == build(parse(src / f"s{n:03d}.txt"), "epub")
    # The finished books count as done on the next run.
    again = subprocess.run([*args, "-f", "epub"], capture_output=True, timeout=120, check=False)
    assert again.returncode == 0
    assert f"{len(finished)} up to date" in again.stderr.decode()


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    for stream, shown in ((Terminal(), True), (io.StringIO(), False)):
        with Reporter(3, stream=stream) as reporter:
            for name in ("a.txt", "b.txt", "c.txt"):
                reporter.add(Outcome(name, "up-to-date", [f"out/{name}.epub"]))
        assert ("converting" in stream.getvalue()) is shown
        assert ("3/3" in stream.getvalue()) is shown
    quiet = Terminal()
    with Reporter(3, stream=quiet, quiet=True) as reporter:
        reporter.add(Outcome("a.txt", "up-to-date"))
    assert quiet.getvalue() == ""


def test_cache_folder_and_a_deleted_book(tmp_path: Path) -> None:
    src = tmp_path / "src"
    make_stories(src, 2)
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = (src, "-o", out, "-f", "html", "--no-cover", "-j", "1", "--cache", cache)
    assert invoke(*args)[0] == 0
    assert (cache / ".fic2book-cache.json").is_file()
    assert not (out / ".fic2book-cache.json").exists()
    # A book deleted (or changed) since is made again; the other stays as it was.
    (out / "Same-Title_Wren-2.html").unlink()
    kept = (out / "Same-Title_Wren.html").stat().st_mtime_ns
    code, _, stderr = invoke(*args)
    assert code == 0 and "1 converted" in stderr and "1 up to date" in stderr
    assert (out / "Same-Title_Wren-2.html").is_file()
    assert (out / "Same-Title_Wren.html").stat().st_mtime_ns == kept


# --------------------------------------------------------------------------- the progress bar


def test_reporter_names_the_oldest_running_file_and_counts_finished_ones() -> None:
    reporter = Reporter(4, stream=io.StringIO())
    assert reporter.current() == "" and reporter.done == 0
    for label in ("in/big.txt", "in/b.txt", "in/c.txt"):
        reporter.started(label)
    assert reporter.current() == "big.txt and 2 more"
    reporter.finished("in/b.txt")  # a later file finishes first: the bar moves at once
    assert reporter.done == 1 and reporter.current() == "big.txt and 1 more"
    reporter.finished("in/big.txt")
    assert reporter.done == 2 and reporter.current() == "c.txt"
    # the outcomes come after, in input order, and are not counted twice
    reporter.add(Outcome("in/big.txt", "converted"))
    reporter.add(Outcome("in/b.txt", "converted"))
    assert reporter.done == 2
    # an input settled without the runner (up to date) counts when it is added
    reporter.add(Outcome("in/a.txt", "up-to-date"))
    assert reporter.done == 3 and reporter.current() == "c.txt"
    reporter.finished("in/c.txt")
    assert reporter.done == 4 and reporter.current() == ""


def test_time_left_follows_the_pace_and_moves_with_the_clock() -> None:
    from fic2book.app.report import clock, time_left

    assert time_left(30.0, 0, 10) is None  # nothing finished yet: no estimate
    assert time_left(10.0, 2, 6) == pytest.approx(20.0)
    # no file finished since: the same count over a longer time says more is left
    assert time_left(15.0, 2, 6) == pytest.approx(30.0)
    assert time_left(10.0, 6, 6) == 0.0
    assert clock(None) == "-:--:--" and clock(3725.9) == "1:02:05"


def render_bar(reporter: Reporter) -> str:
    """The progress bar as a terminal shows it now."""
    from rich.console import Console

    console = Console(record=True, force_terminal=True, width=120, file=io.StringIO())
    console.print(reporter._progress)  # the live bar's renderable
    return console.export_text()


def test_progress_bar_shows_the_file_converting_now() -> None:
    with Reporter(3, stream=Terminal()) as reporter:
        reporter.started("stories/a-very-long-first-novel.txt")
        bar = render_bar(reporter)
        assert "0/3" in bar and "a-very-long-first-novel.txt" in bar
        assert "left" not in bar  # no estimate before anything is finished
        reporter.started("stories/b.txt")
        reporter.finished("stories/b.txt")  # finished before the first: counted now
        bar = render_bar(reporter)
        assert "1/3" in bar and "a-very-long-first-novel.txt" in bar
        assert "b.txt" not in bar
        assert re.search(r"about \d:\d\d:\d\d left", bar)


class Recorder(Reporter):
    """A reporter that writes down each hook call."""

    def __init__(self, total: int) -> None:
        super().__init__(total, stream=io.StringIO())
        self.calls: list[tuple[str, str, str]] = []

    def started(self, label: str) -> None:
        super().started(label)
        self.calls.append(("started", Path(label).name, self.current()))

    def finished(self, label: str) -> None:
        super().finished(label)
        self.calls.append(("finished", Path(label).name, self.current()))


class SecondFirst:
    """A runner that takes two tasks at a time and finishes the second one first (a big
    first file on two workers)."""

    def __init__(self, options: ConvertOptions) -> None:
        self.options = options

    def run(self, tasks: Iterator[Task], room: Callable[[], bool]) -> Iterator[tuple[int, Any]]:
        while pair := [t for t in (next(tasks, None), next(tasks, None)) if t is not None]:
            for task in reversed(pair):
                yield task.index, convert_one(task.data, task.name, task.label, self.options)

    def close(self) -> None:
        pass


def test_batch_says_when_each_input_starts_and_finishes(tmp_path: Path) -> None:
    paths = make_stories(tmp_path / "src", 3)
    options = ConvertOptions(formats=("html",), render=RenderOptions(cover=False))
    out = tmp_path / "out"
    reporter = Recorder(len(paths))
    batch = Batch(list(paths), options, out, Cache(out, out), "x", reporter, window=4)
    batch.run(SecondFirst(options))
    assert reporter.calls == [
        ("started", "s000.txt", "s000.txt"),
        ("started", "s001.txt", "s000.txt and 1 more"),
        ("finished", "s001.txt", "s000.txt"),  # the bar moves while s000 still runs
        ("finished", "s000.txt", ""),
        ("started", "s002.txt", "s002.txt"),
        ("finished", "s002.txt", ""),
    ]
    assert [Path(o.input).name for o in reporter.outcomes] == ["s000.txt", "s001.txt", "s002.txt"]
    assert reporter.done == 3 and all(o.status == "converted" for o in reporter.outcomes)

"""Benchmarks: whole-process timings of fic2book against pandoc, as ratios in one run.

``make bench`` (``python benchmarks/run.py``; ``--quick`` for fewer files and repeats)
generates a deterministic corpus from our own ``seeds/`` (hundreds of stories in the
``key: value`` header dialect with unique titles, and 1, 5 and 20 MB novels), then
measures:

- one story to EPUB, HTML and PDF as a whole ``fic2book convert`` process, against
  ``pandoc`` (EPUB, HTML) and ``weasyprint`` alone on pandoc's HTML (PDF), when
  installed;
- batch EPUB throughput with ``--jobs 1`` and ``--jobs N`` against a pandoc-per-file
  loop (timed on a sample of the files), and the incremental rerun;
- time and peak memory against input size;
- peak memory for a small and a ten times larger batch;
- ``fic2book --help`` against ``python -c 'import click'``.

It writes ``benchmarks/RESULTS.md`` and the table between the ``bench`` markers of the
README, with the machine it ran on. Ratios compare within one run, so they mean more
than seconds on a shared machine.
"""

from __future__ import annotations

import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BIN = Path(sys.executable).parent
FIC2BOOK = [str(BIN / "fic2book")]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
WORDS = re.compile(r"[A-Za-z][a-z]+")


# --------------------------------------------------------------------------- corpus


def seed_paragraphs() -> list[str]:
    """Every prose paragraph of the seeds (our own text), in a fixed order."""
    out: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")) + sorted(SEEDS.glob("*.md")):
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        for block in re.split(r"\n\s*\n", text):
            block = " ".join(block.split())
            if len(block) > 120 and ":" not in block[:20] and not block.startswith("#"):
                out.append(block)
    return out


def story_text(rng: random.Random, paragraphs: Sequence[str], n: int, chapters: int) -> str:
    """A header-dialect story: unique title and author, chapters of seed paragraphs."""
    words = sorted(set(WORDS.findall(" ".join(paragraphs[:40]))))
    title = " ".join(rng.choice(words).capitalize() for _ in range(3)) + f" {n}"
    author = f"{rng.choice(words)}{n}"
    lines = [f"Title: {title}", f"Author: {author}", "Fandom: Harbour of Nine Bells", ""]
    for c in range(1, chapters + 1):
        if chapters > 1:
            lines += [f"Chapter {c}", ""]
        for _ in range(rng.randint(6, 14)):
            lines += [rng.choice(paragraphs), ""]
        lines += ["* * *", ""] if c % 3 == 0 else []
    return "\n".join(lines)


def make_corpus(folder: Path, stories: int) -> tuple[list[Path], dict[int, Path]]:
    """``stories`` story files and 1, 5 and 20 MB novels, the same on every run."""
    paragraphs = seed_paragraphs()
    rng = random.Random(20240601)
    (folder / "stories").mkdir(parents=True)
    files = []
    for n in range(stories):
        path = folder / "stories" / f"story{n:04d}.txt"
        path.write_text(story_text(rng, paragraphs, n, rng.randint(1, 4)), "utf-8")
        files.append(path)
    novels = {}
    for mb in (1, 5, 20):
        path = folder / f"novel-{mb}mb.txt"
        text = story_text(random.Random(mb), paragraphs, mb, max(2, mb * 40))
        body = text
        while len(body.encode()) < mb * 1_000_000:
            body += "\n\n" + text.split("\n\n", 1)[1].replace("Chapter ", "Part ")
        path.write_text(body[: mb * 1_000_000].rsplit("\n", 1)[0] + "\n", "utf-8")
        novels[mb] = path
    return files, novels


# --------------------------------------------------------------------------- timing


GNU_TIME = Path("/usr/bin/time")


def run(cmd: Sequence[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak memory (MB of RSS, the largest of the process and the
    children it waited for) of one process.

    The peak is read through GNU time when it is there: a child forked from this
    (large) benchmark process would otherwise inherit its high-water mark through exec.
    """
    with tempfile.TemporaryDirectory() as tmp:
        errors_path, peak_path = Path(tmp) / "err", Path(tmp) / "peak"
        wrap = [str(GNU_TIME), "-f", "%M", "-o", str(peak_path)] if GNU_TIME.exists() else []
        with errors_path.open("wb") as errors:
            start = time.perf_counter()
            proc = subprocess.Popen(
                [*wrap, *cmd], cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors
            )
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise SystemExit(f"{cmd[0]} failed ({code}): {errors_path.read_text()}")
        kb = usage.ru_maxrss
        if wrap:
            kb = int(peak_path.read_text().split()[-1])
    return seconds, kb // 1024


def median(cmd: Sequence[str], repeat: int) -> float:
    """The median wall time of ``repeat`` runs."""
    return statistics.median(run(cmd)[0] for _ in range(repeat))


def fic(*args: str | Path) -> list[str]:
    """A fic2book command line."""
    return [*FIC2BOOK, *map(str, args)]


def tool(name: str) -> str | None:
    """An installed command (in the venv first), or None."""
    local = BIN / name
    return str(local) if local.exists() else shutil.which(name)


def machine() -> str:
    """One line about the machine: CPU, cores, memory, OS, Python, load."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().split()[1]
        memory = f"{int(mem) / 1024 / 1024:.1f} GB RAM"
    except OSError:
        memory = "memory unknown"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory}, {platform.system()} {platform.release()},"
        f" Python {platform.python_version()}; load average {load:.1f} at the start"
    )


# --------------------------------------------------------------------------- benchmark


def main() -> None:
    quick = "--quick" in sys.argv
    repeat = 3 if quick else 5
    batch_size = 60 if quick else 200
    sample = 8 if quick else 20
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2
    pandoc, weasy = tool("pandoc"), tool("weasyprint")
    rows: list[tuple[str, str, str]] = []
    notes: list[str] = []
    started = time.perf_counter()
    info = machine()
    with tempfile.TemporaryDirectory(prefix="fic2book-bench-") as tmp:
        work = Path(tmp)
        files, novels = make_corpus(work / "corpus", batch_size)
        one = files[0]
        print(f"corpus: {len(files)} stories, novels of 1, 5, 20 MB in {work}")

        # One story, whole process.
        for fmt in ("epub", "html", "pdf"):
            command = fic("convert", one, "-f", fmt, "-o", work / f"one-{fmt}", "--force")
            ours = median(command, repeat)
            theirs = None
            what = ""
            if pandoc and fmt in ("epub", "html"):
                theirs = median(
                    [pandoc, "-f", "markdown", "-s", str(one), "-o", str(work / f"p.{fmt}")],
                    repeat,
                )
                what = "pandoc"
            elif pandoc and weasy and fmt == "pdf":
                subprocess.run(
                    [pandoc, "-f", "markdown", "-s", str(one), "-o", str(work / "p.html")],
                    check=True,
                    capture_output=True,
                )
                theirs = median([weasy, str(work / "p.html"), str(work / "p.pdf")], repeat)
                what = "WeasyPrint on pandoc's HTML"
            ratio = f"{ours / theirs:.2f}x {what}" if theirs else "(no comparison installed)"
            rows.append((f"one story to {fmt.upper()} (whole process)", f"{ours:.2f} s", ratio))
            print(rows[-1])

        # Batch throughput.
        stories = work / "corpus" / "stories"
        t1, _ = run(fic("convert", stories, "-o", work / "b1", "--jobs", "1", "-q"))
        tn, peak_big = run(fic("convert", stories, "-o", work / "bn", "--jobs", str(jobs), "-q"))
        rerun, _ = run(fic("convert", stories, "-o", work / "bn", "--jobs", str(jobs), "-q"))
        per1, pern = t1 / len(files), tn / len(files)
        pandoc_per = None
        if pandoc:
            start = time.perf_counter()
            for i, path in enumerate(files[:sample]):
                subprocess.run(
                    [pandoc, "-f", "markdown", str(path), "-o", str(work / f"loop{i}.epub")],
                    check=True,
                    capture_output=True,
                )
            pandoc_per = (time.perf_counter() - start) / sample
        for label, per in ((f"--jobs 1, {len(files)} stories", per1),):
            rows.append(
                (
                    f"batch EPUB, {label}",
                    f"{per * 1000:.0f} ms/book",
                    f"{pandoc_per / per:.1f}x pandoc-loop throughput" if pandoc_per else "",
                )
            )
        rows.append(
            (
                f"batch EPUB, --jobs {jobs}, {len(files)} stories",
                f"{pern * 1000:.0f} ms/book",
                f"{pandoc_per / pern:.1f}x pandoc-loop throughput" if pandoc_per else "",
            )
        )
        rows.append(
            (
                "incremental rerun (nothing changed)",
                f"{rerun:.2f} s",
                f"{rerun / tn:.2f}x the first run",
            )
        )
        if pandoc_per:
            notes.append(f"pandoc loop: {pandoc_per * 1000:.0f} ms per file ({sample} files).")

        # Memory flat in batch size: the client's peak for a tenth of the batch.
        small = work / "small"
        small.mkdir()
        for path in files[: max(2, len(files) // 10)]:
            shutil.copy(path, small / path.name)
        _, peak_small = run(fic("convert", small, "-o", work / "bs", "--jobs", str(jobs), "-q"))
        rows.append(
            (
                f"peak memory (largest process), {len(files) // 10} vs {len(files)} stories",
                f"{peak_small} MB vs {peak_big} MB",
                f"{peak_big / peak_small:.2f}x",
            )
        )

        # Size: time and memory.
        base = None
        for mb, path in novels.items():
            secs, peak = run(fic("convert", path, "-f", "epub", "-o", work / f"n{mb}", "-q"))
            if not list((work / f"n{mb}").glob("*.epub")):  # a refusal is no timing
                raise SystemExit(f"the {mb} MB novel made no book")
            base = base or secs / mb
            rows.append(
                (
                    f"{mb} MB novel to EPUB",
                    f"{secs:.1f} s, {peak} MB peak",
                    f"{secs / mb / base:.2f}x the 1 MB time per MB",
                )
            )
            print(rows[-1])

        # Start-up.
        helps = median(fic("--help"), repeat)
        click_only = median([sys.executable, "-c", "import click"], repeat)
        rows.append(
            ("`fic2book --help`", f"{helps:.2f} s", f"{helps / click_only:.2f}x `import click`")
        )
    total = time.perf_counter() - started
    write_results(rows, notes, info, total, pandoc)


def versions(pandoc: str | None) -> str:
    """The versions of the tools compared."""
    out = []
    if pandoc:
        first = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
        out.append(first.splitlines()[0])
    try:
        from importlib.metadata import version

        out.append(f"WeasyPrint {version('weasyprint')}")
        out.append(f"fic2book {version('fic2book')}")
    except Exception:
        pass
    return ", ".join(out)


def write_results(
    rows: list[tuple[str, str, str]], notes: list[str], info: str, total: float, pandoc: str | None
) -> None:
    """RESULTS.md and the README table."""
    table = ["| measure | fic2book | ratio |", "| --- | --- | --- |"]
    table += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    body = "\n".join(table)
    machine_line = f"Measured on {info}; {versions(pandoc)}; the run took {total:.0f} s."
    RESULTS.write_text(
        "# Benchmark results\n\n"
        "Made by `make bench` (`benchmarks/run.py`); whole processes, wall time; ratios are"
        " fic2book against the other tool in the same run.\n\n"
        f"{body}\n\n{machine_line}\n\n" + "".join(f"- {n}\n" for n in notes),
        encoding="utf-8",
    )
    readme = README.read_text("utf-8")
    if START in readme and END in readme:
        head, rest = readme.split(START, 1)
        tail = rest.split(END, 1)[1]
        README.write_text(f"{head}{START}\n{body}\n\n{machine_line}\n{END}{tail}", "utf-8")
    print(body)
    print(machine_line)


if __name__ == "__main__":
    main()

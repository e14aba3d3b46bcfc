"""Anthology benchmark: time and peak memory for 10, 50 and 200-story volumes.

The stories are generated deterministically from the project's own ``seeds/``: story
``n`` is seed ``n mod k`` with its paragraphs repeated until it holds about ``--kb``
kilobytes of text (100 by default, so 200 stories are about 20 MB), titled
``Story n: <seed title>``. Each (size, format) pair runs in a fresh process, so its peak
resident memory (``ru_maxrss``) is its own; parsing is not timed, building is.

    python benchmarks/anthology.py                      # 10, 50, 200 stories; epub, html, pdf
    python benchmarks/anthology.py --sizes 10 50 --formats pdf --kb 50

It prints one markdown table row per run: stories, MB of text, format, seconds, peak MB,
output MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import fic2book
from fic2book.model import Book, Story
from fic2book.pipeline import build
from fic2book.stats import block_text
from fic2book.volume import make_volume

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed_stories() -> list[Story]:
    """The seed stories, parsed, in file-name order."""
    files = sorted(p for p in SEEDS.iterdir() if p.is_file() and p.name != "README.md")
    return [fic2book.parse(p) for p in files]


def generated_volume(count: int, kb: int) -> Book:
    """A volume of ``count`` stories of about ``kb`` KB of text each, made from the seeds
    (the same arguments always give the same volume)."""
    seeds = seed_stories()
    stories = []
    for n in range(count):
        seed = seeds[n % len(seeds)]
        size = sum(len(block_text(b)) for c in seed.chapters for b in c.blocks)
        times = max(1, round(kb * 1000 / max(size, 1)))
        chapters = tuple(replace(c, blocks=c.blocks * times) for c in seed.chapters)
        title = f"Story {n + 1}: {seed.metadata.title}"
        stories.append(
            replace(seed, metadata=replace(seed.metadata, title=title), chapters=chapters)
        )
    return make_volume(stories, title=f"Benchmark Volume of {count}", editors=("Bench",))


def text_megabytes(book: Book) -> float:
    """The volume's chapter text in MB (UTF-8)."""
    size = sum(
        len(block_text(b).encode("utf-8"))
        for s in book.stories
        for c in s.chapters
        for b in c.blocks
    )
    return size / 1e6


def run_one(count: int, fmt: str, kb: int) -> dict[str, float]:
    """Build one volume in one format in this process; the measurements."""
    book = generated_volume(count, kb)
    start = time.perf_counter()
    data = build(book, fmt)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "text_mb": text_megabytes(book),
        "seconds": seconds,
        "peak_mb": peak_kb / 1024,
        "out_mb": len(data) / 1e6,
    }


def main() -> None:
    """Run every (size, format) pair in its own process and print markdown rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--formats", nargs="+", default=["epub", "html", "pdf"])
    parser.add_argument("--kb", type=int, default=100, help="KB of text per story")
    parser.add_argument("--one", nargs=2, metavar=("COUNT", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(int(args.one[0]), args.one[1], args.kb)))
        return
    print("| stories | text (MB) | format | time (s) | peak memory (MB) | output (MB) |")
    print("| ---: | ---: | --- | ---: | ---: | ---: |")
    for count in args.sizes:
        for fmt in args.formats:
            cmd = [sys.executable, __file__, "--one", str(count), fmt, "--kb", str(args.kb)]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"| {count} | {r['text_mb']:.1f} | {fmt} | {r['seconds']:.1f} "
                f"| {r['peak_mb']:.0f} | {r['out_mb']:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()

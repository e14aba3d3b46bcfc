"""Benchmarks: parse and build times, reported as ratios to a baseline in the same run.

The baseline is the cheapest honest pass over the same input: decode the bytes, split
the lines and count the words. Ratios stay comparable across machines and loads, where
seconds do not. Run with ``make bench`` (or ``python benchmarks/run.py [--quick]``).
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from fic2book import parse
from fic2book.build import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(p for p in (ROOT / "seeds").iterdir() if p.name != "README.md")


def timed(func: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def baseline(data: bytes) -> int:
    """Decode, split lines, count words: the floor any reader must pay."""
    text = data.decode("utf-8", errors="replace")
    return sum(len(re.findall(r"\w+", line)) for line in text.splitlines())


def main() -> None:
    quick = "--quick" in sys.argv
    repeat = 3 if quick else 9
    corpus = b"\n\n".join(p.read_bytes() for p in SEEDS if p.suffix == ".txt")
    big = (SEEDS[0].read_bytes() + b"\n\n") * 40
    base = timed(lambda: baseline(corpus), repeat)
    base_big = timed(lambda: baseline(big), repeat)
    print(f"baseline: {base * 1000:.2f} ms for {len(corpus):,} bytes (decode + lines + words)")
    rows: list[tuple[str, float]] = []
    total = sum(timed(lambda p=p: parse(p), repeat) for p in SEEDS if p.suffix == ".txt")
    rows.append(("parse every .txt seed", total / base))
    rows.append(
        ("parse one 40x story", timed(lambda: parse(big, name="big.txt"), repeat) / base_big)
    )
    story = parse(ROOT / "seeds" / "ao3_page_copy.txt")
    for fmt in ("html", "epub", "pdf"):
        n = 1 if fmt == "pdf" and quick else max(1, repeat // 3)
        rows.append(
            (f"build {fmt} (ao3_page_copy)", timed(lambda f=fmt: build(story, f), n) / base)
        )
    width = max(len(name) for name, _ in rows)
    for name, ratio in rows:
        print(f"  {name:<{width}}  {ratio:10.1f} x baseline")


if __name__ == "__main__":
    main()

"""The hostile corpus as a benchmark: each case's time against its input size, and the
count of cases handled (a valid book or one clear error line, see tests/hostile_corpus.py).

Run with ``python benchmarks/hostile.py [--fast] [NAME...]``; ``--fast`` leaves out the
large cases. A second part times the reader on runs of each trigger character at two
sizes: linear rules take about four times as long for four times the input.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fic2book import parse
from hostile_corpus import corpus, run_case

TRIGGERS = ("#", "*", "_", "~", "-", "=", "x", "o", " ", "\u00a0", '"', "'", "by ")
# Openers a lazy or bracketed rule might scan from, one after another.
OPENERS = ("<!--", "<!--\n", "{{", "{%", "[^", "{#", ":::", "+++", "<p ", "Chapter 1 of ")


def scaling() -> None:
    """Reader time for 50,000 and 200,000 characters of each trigger in a heading, a
    byline and a paragraph; prints the ratio (4 is linear, 16 quadratic)."""
    print("\nreader scaling, 4x input (4 = linear, 16 = quadratic):")
    for trigger in TRIGGERS:
        times = []
        for n in (50_000, 200_000):
            run = trigger * (n // len(trigger))
            text = f"# T\n\nby{run}x\n\n## a{run}x#\n\n{run}\n\nword\n"
            start = time.perf_counter()
            parse(text.encode(), name="t.md")
            times.append(time.perf_counter() - start)
        print(f"  {trigger!r:8} {times[0]:6.2f} s -> {times[1]:6.2f} s  x{times[1] / times[0]:.1f}")
    print("\nreader scaling on runs of openers, 4x input (.md, .txt and .html):")
    for opener in OPENERS:
        for name in ("t.md", "t.txt", "t.html"):
            times = []
            for n in (50_000, 200_000):
                run = opener * (n // len(opener))
                text = f"# T\n\nWords {run}x\n\nword\n"
                if name.endswith(".html"):
                    text = f"<html><body><h1>T</h1><p>Words {run}x</p><p>word</p></body></html>"
                start = time.perf_counter()
                parse(text.encode(), name=name)
                times.append(time.perf_counter() - start)
            ratio = times[1] / times[0]
            print(f"  {opener!r:16} {name:7} {times[0]:6.2f} s -> {times[1]:6.2f} s  x{ratio:.1f}")


def main() -> None:
    fast = "--fast" in sys.argv
    names = {a for a in sys.argv[1:] if not a.startswith("--")}
    cases = [c for c in corpus() if (not fast or not c.slow) and (not names or c.name in names)]
    handled = 0
    slowest = (0.0, "", 0)
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            outcome = run_case(case, Path(tmp) / case.name, timed=True)
            handled += outcome.handled
            mark = "ok " if outcome.handled else "BAD"
            print(
                f"{mark} {case.cls:9} {case.name:28} {outcome.input_size:>12,} B"
                f"  {outcome.seconds:7.2f} s  {','.join(case.formats)}",
                flush=True,
            )
            for problem in outcome.problems:
                print(f"      {problem}")
            if outcome.seconds > slowest[0]:
                slowest = (outcome.seconds, case.name, outcome.input_size)
    print(f"\nhandled {handled}/{len(cases)}")
    print(f"slowest: {slowest[1]}, {slowest[0]:.1f} s for {slowest[2]:,} bytes")
    if not names:
        scaling()


if __name__ == "__main__":
    main()

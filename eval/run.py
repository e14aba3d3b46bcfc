#!/usr/bin/env python3
"""Convert every file of the real-file corpus and score the EPUBs against the answer keys.

For each key in eval/keys/*.json the source file (restored into eval/corpus/ by
eval/restore.py) is converted by fic2book (``fic2book convert FILE --format epub --output
DIR``) and, on request, by calibre's ``ebook-convert`` and by ``pandoc``; every EPUB is
scored with the shared tool-agnostic scorer (``epub_score.py KEY BOOK CORPUS --json``).
Prints a markdown table (passed/total checks per file and tool, with totals) and the
checks that failed most often; --json writes every check of every book.

Examples::

    python3 eval/run.py                                  # fic2book of this tree
    python3 eval/run.py --fic2book ../other/.venv/bin/fic2book --json out.json
    python3 eval/run.py --calibre --pandoc --no-epubcheck
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCORER = Path("/work/shared/eval/epub_score.py")
TIMEOUT = 600


def load_meta(path: Path) -> dict[str, dict[str, str]]:
    """Per local file name: its sources.toml entry (shape, language...), if listed."""
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return {f["name"]: f for f in tomllib.load(fh).get("file", [])}


def convert(tool: str, exe: str, src: Path, outdir: Path) -> tuple[Path | None, str]:
    """Make an EPUB of SRC in OUTDIR with TOOL; the EPUB's path, or None and why not."""
    if outdir.exists():
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True)
    target = outdir / (src.stem + ".epub")
    if tool == "fic2book":
        cmd = [exe, "convert", str(src), "--format", "epub", "--output", str(outdir), "-q"]
    elif tool == "calibre":
        cmd = [exe, str(src), str(target)]
    else:  # pandoc: HTML reader for .html, else markdown (its --sandbox cannot write EPUB
        # in pandoc 2.17; offline, its fetches of remote images just fail with a warning)
        reader = "html" if src.suffix.lower() in (".html", ".htm", ".xhtml") else "markdown"
        cmd = [exe, "-f", reader, str(src), "-o", str(target)]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {TIMEOUT} s"
    epubs = sorted(outdir.glob("*.epub"))
    if not epubs:
        err = (res.stderr or res.stdout).strip().splitlines()
        return None, f"no EPUB (exit {res.returncode}): {err[-1][:160] if err else ''}"
    return epubs[0], ""


def score(
    python: str, scorer: Path, key: Path, epub: Path, corpus: Path, epubcheck: bool
) -> dict[str, Any]:
    """The scorer's JSON result for one EPUB, or a result naming why scoring failed."""
    cmd = [python, str(scorer), str(key), str(epub), str(corpus), "--json"]
    if not epubcheck:
        cmd.append("--no-epubcheck")
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    try:
        return dict(json.loads(res.stdout))
    except json.JSONDecodeError:
        tail = res.stderr.strip().splitlines()
        return {
            "error": "scorer failed: " + (tail[-1][:160] if tail else "?"),
            "passed": 0,
            "total": None,
            "checks": [],
        }


def run_one(tool: str, exe: str, key: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Convert and score one corpus file with one tool."""
    source = json.loads(key.read_text())["source"]
    src = args.corpus / source
    if not src.exists():
        return {
            "error": f"{source} missing: run eval/restore.py",
            "passed": 0,
            "total": None,
            "checks": [],
        }
    t0 = time.monotonic()
    epub, why = convert(tool, exe, src, args.out / tool / key.stem)
    seconds = round(time.monotonic() - t0, 1)
    if epub is None:
        return {"error": why, "passed": 0, "total": None, "checks": [], "seconds": seconds}
    result = score(args.python, args.scorer, key, epub, args.corpus, not args.no_epubcheck)
    result["seconds"] = seconds
    return result


def tools_wanted(args: argparse.Namespace) -> dict[str, str]:
    """Tool name -> executable, for fic2book and every other tool asked for and installed."""
    tools = {"fic2book": str(args.fic2book)}
    for name, flag, exe in (
        ("calibre", args.calibre, "ebook-convert"),
        ("pandoc", args.pandoc, "pandoc"),
    ):
        if flag:
            path = shutil.which(exe)
            if path is None:
                print(
                    f"note: {exe} is not installed; {name} is skipped "
                    "(apt-get install -y calibre pandoc)",
                    file=sys.stderr,
                )
            else:
                tools[name] = path
    return tools


def table(
    keys: list[Path],
    tools: list[str],
    results: dict[tuple[str, str], dict[str, Any]],
    meta: dict[str, dict[str, str]],
) -> str:
    """The markdown table: one row per file, passed/total per tool, then the totals."""
    head = "| file | shape | lang | " + " | ".join(tools) + " |"
    lines = [head, "|" + "---|" * (3 + len(tools))]
    sums = {t: [0, 0] for t in tools}
    for key in keys:
        cells = []
        totals = [r["total"] for t in tools if (r := results[(key.stem, t)])["total"]]
        expect = max(totals) if totals else 0
        for t in tools:
            r = results[(key.stem, t)]
            total = r["total"] if r["total"] else expect
            sums[t][0] += r["passed"]
            sums[t][1] += total
            cells.append(f"{r['passed']}/{total}" + (" (no book)" if r.get("error") else ""))
        source = json.loads(key.read_text())["source"]
        m = meta.get(source, {})
        lines.append(
            f"| {key.stem} | {m.get('shape', '')} | {m.get('language', '')} | "
            + " | ".join(cells)
            + " |"
        )
    lines.append(
        "| **total** | | | "
        + " | ".join(f"**{p}/{n}** ({100 * p / n:.0f}%)" if n else "0/0" for p, n in sums.values())
        + " |"
    )
    return "\n".join(lines)


def failure_classes(
    keys: list[Path], tool: str, results: dict[tuple[str, str], dict[str, Any]]
) -> list[str]:
    """The kinds of failed checks for one tool, most frequent first (a kind is the check's
    name up to its first colon or quote)."""
    kinds: Counter[str] = Counter()
    for key in keys:
        r = results[(key.stem, tool)]
        if r.get("error"):
            kinds["no book: " + r["error"][:60]] += 1
        for c in r.get("checks", []):
            if not c["ok"]:
                kinds[c["check"].split(":")[0].split("'")[0].strip()] += 1
    return [f"{n:3d}  {k}" for k, n in kinds.most_common()]


def main(argv: list[str] | None = None) -> int:
    """Score every key (or those asked for) with each tool and print the results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--fic2book",
        type=Path,
        default=ROOT / ".venv/bin/fic2book",
        help="the fic2book executable to measure (default .venv/bin/fic2book)",
    )
    ap.add_argument("--calibre", action="store_true", help="also score calibre's ebook-convert")
    ap.add_argument("--pandoc", action="store_true", help="also score pandoc")
    ap.add_argument(
        "--only",
        action="append",
        default=[],
        help="only keys whose name contains this (repeatable)",
    )
    ap.add_argument("--json", type=Path, help="write every result here")
    ap.add_argument("--details", action="store_true", help="print each failed check")
    ap.add_argument("--no-epubcheck", action="store_true", help="skip the EPUBCheck checks")
    ap.add_argument("--jobs", type=int, default=2, help="books made at once (default 2)")
    ap.add_argument("--keys", type=Path, default=HERE / "keys")
    ap.add_argument("--corpus", type=Path, default=HERE / "corpus")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="where the EPUBs go")
    ap.add_argument("--scorer", type=Path, default=SCORER)
    ap.add_argument(
        "--python",
        default=str(ROOT / ".venv/bin/python"),
        help="python with lxml (and epubcheck) to run the scorer",
    )
    args = ap.parse_args(argv)
    args.fic2book = args.fic2book.resolve() if args.fic2book.exists() else args.fic2book
    if not Path(args.python).exists():
        args.python = sys.executable

    keys = sorted(
        k for k in args.keys.glob("*.json") if not args.only or any(o in k.stem for o in args.only)
    )
    if not keys:
        print("no keys matched", file=sys.stderr)
        return 2
    tools = tools_wanted(args)
    meta = load_meta(HERE / "sources.toml")
    jobs = [(t, exe, k) for k in keys for t, exe in tools.items()]
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        done = list(pool.map(lambda j: run_one(j[0], j[1], j[2], args), jobs))
    results = {(k.stem, t): r for (t, _, k), r in zip(jobs, done, strict=True)}

    print(table(keys, list(tools), results, meta))
    for t in tools:
        print(f"\nFailed checks by kind, {t}:")
        print("\n".join(failure_classes(keys, t, results)) or "  none")
    if args.details:
        for (name, t), r in sorted(results.items()):
            bad = [c for c in r.get("checks", []) if not c["ok"]]
            if r.get("error") or bad:
                print(f"\n## {name} [{t}] {r.get('error', '')}")
                for c in bad:
                    print(f"  FAIL {c['check']}  [{c['detail']}]")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"tools": tools, "results": {f"{n}|{t}": r for (n, t), r in results.items()}},
                indent=1,
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

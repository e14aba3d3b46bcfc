"""FanFiction.net page text: a story page copied from the browser (FORMATS.md dialect 2).

The stats line (``Rated: T - English - Romance/Drama - Words: 3,412 - ...``) divides the
page: above it are the breadcrumb (``Books » Fandom``), the title, ``By: Author`` and
the summary; below it the chapter selector, then the chapters under ``Chapter N: Title``
headings, with ``A/N:``/``Disclaimer:`` paragraphs at their edges and ``Review`` /
``Next >`` chrome to drop.
"""

from __future__ import annotations

import re

from fic2book.read.fields import MetaBuilder, language_tag
from fic2book.read.paragraphs import detect_layout
from fic2book.read.text import Draft, build_chapters

STATS_LINE = re.compile(r"^\s*Rated:\s*(?:Fiction\s+)?(\S+)\s+-\s+.*\bWords:\s*[\d,]+", re.I)
_CHROME = re.compile(
    r"^\s*(?:<\s*Prev|Next\s*>|Review|Reviews|Follow/Fav|Favorite|Follow|Close|"
    r"Story\s*Writer|Forum|Community|Just In|Chapter \d+ of \d+|Leave a review"
    r"|Post a review|Login|Sign Up|[<>«»]+)\s*$",
    re.IGNORECASE,
)
_SELECTOR = re.compile(r"^\s*(\d{1,3})\.\s+(\S.*)$")
_GENRES = {
    "adventure",
    "angst",
    "crime",
    "drama",
    "family",
    "fantasy",
    "friendship",
    "general",
    "horror",
    "humor",
    "hurt/comfort",
    "mystery",
    "parody",
    "poetry",
    "romance",
    "sci-fi",
    "spiritual",
    "supernatural",
    "suspense",
    "tragedy",
    "western",
}


_STATS_START = re.compile(r"^\s*Rated:\s*\S", re.I)
_STATS_SPAN = 3


def looks_like_ffn(text: str) -> bool:
    """A text is FFN page text when it holds FFN's stats line near the top."""
    return find_stats(text[:20000].split("\n")) is not None


def find_stats(lines: list[str]) -> tuple[int, int, str] | None:
    """Where FFN's stats line is: (first line, line after it, the line joined).

    Rule: a line starting ``Rated:`` that, alone or joined with up to two following
    lines (a narrow window or a copy can break it), reads as the stats line.
    """
    for i, line in enumerate(lines):
        if not _STATS_START.match(line):
            continue
        joined = line.strip()
        for j in range(i + 1, min(i + _STATS_SPAN, len(lines)) + 1):
            if STATS_LINE.match(joined):
                return i, j, joined
            if j >= len(lines) or not lines[j].strip():
                break
            joined = f"{joined} {lines[j].strip()}"
    return None


def read_ffn_text(text: str) -> Draft:
    """Read copied FFN page text into a draft story (see the module docstring)."""
    draft = Draft()
    lines = text.split("\n")
    at, after, stats = find_stats(lines) or (0, 0, "")
    _read_top(lines[:at], draft.meta)
    read_stats(stats, draft.meta)
    rest = [ln for ln in lines[after:] if not _CHROME.match(ln)]
    rest = _drop_selector(rest)
    draft.chapters = build_chapters(rest, draft.meta, detect_layout(rest))
    return draft


def _read_top(lines: list[str], meta: MetaBuilder) -> None:
    """Breadcrumb, title, byline and summary above the stats line."""
    loose: list[str] = []
    for line in (ln.strip() for ln in lines):
        if not line or _CHROME.match(line):
            continue
        if "»" in line and len(line) < 120:
            meta.set("fandoms", line.split("»")[-1].strip())
        elif m := re.match(r"^by:?\s+(.+)$", line, re.I):
            meta.set("authors", m.group(1).strip())
        else:
            loose.append(line)
    if loose:
        meta.set("title", loose[0])
    if len(loose) > 1:
        meta.set("summary", "\n".join(loose[1:]))


def read_stats(line: str, meta: MetaBuilder) -> None:
    """Read FFN's `` - ``-separated stats line into fields (rating, language, genres...).

    Unlabelled parts are, in FFN's order: the language, the genres (``Romance/Drama``)
    and the characters or pairings (``[Harry P., Ginny W.] Ron W.``).
    """
    for part in (p.strip() for p in re.split(r"\s+-\s+", line.strip())):
        m = re.match(r"^([A-Za-z/ ]+):\s*(.+)$", part)
        if m:
            label, value = m.group(1).strip(), m.group(2).strip()
            if label.lower() == "rated":
                meta.set("rating", re.sub(r"^Fiction\s+", "", value, flags=re.I))
            elif label.lower() == "id":
                meta.set("source_url", f"https://www.fanfiction.net/s/{value}")
            else:
                meta.add(label, value)
        elif language_tag(part) and not meta.values.get("language"):
            meta.set("language", part)
        elif all(g.lower() in _GENRES for g in part.split("/")):
            meta.set("tags", part.replace("/", ","))
        elif part:
            _read_characters(part, meta)


def _read_characters(part: str, meta: MetaBuilder) -> None:
    """``[A, B] C`` gives the pairing ``A/B`` and the characters A, B and C."""
    for pair in re.findall(r"\[([^\]]+)\]", part):
        names = [n.strip() for n in pair.split(",") if n.strip()]
        meta.set("relationships", "/".join(names))
    meta.set("characters", re.sub(r"[\[\]]", ",", part))


def _drop_selector(lines: list[str]) -> list[str]:
    """Drop the chapter selector: the first run of two or more lines ``1. Title``,
    ``2. Title``... numbered from one, blank lines allowed between them, and every later
    copy of that same run (FFN shows the selector above and below each chapter)."""
    first = _selector_run(lines, 0)
    if first is None:
        return lines
    wanted = [lines[i].strip() for i in first]
    drop = set(first)
    start = first[-1] + 1
    while (run := _selector_run(lines, start)) is not None:
        if [lines[i].strip() for i in run] == wanted:
            drop.update(run)
        start = run[-1] + 1
    return [ln for i, ln in enumerate(lines) if i not in drop]


def _selector_run(lines: list[str], start: int) -> list[int] | None:
    """Indices of the next run of ``1. Title``, ``2. Title``... lines at or after start."""
    picked: list[int] = []
    for i in range(start, len(lines)):
        line = lines[i]
        m = _SELECTOR.match(line)
        if m and int(m.group(1)) == len(picked) + 1 and len(line) < 100:
            picked.append(i)
        elif m and int(m.group(1)) == 1 and len(line) < 100:
            if len(picked) >= 2:
                return picked
            picked = [i]
        elif line.strip():
            if len(picked) >= 2:
                return picked
            picked = []
    return picked if len(picked) >= 2 else None

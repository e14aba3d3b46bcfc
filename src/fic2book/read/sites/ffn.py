"""FanFiction.net: everything fic2book knows about FFN's files, in one place.

Two adapters: page text copied from the browser (FORMATS.md dialect 2, ``ffn``) and a
story page saved from the browser (``ffn-page``: ``div#storytext`` or
``div#profile_top``).

In page text, the stats line (``Rated: T - English - Romance/Drama - Words: 3,412 - ...``)
divides the page: above it are the breadcrumb (``Books » Fandom``), the title,
``By: Author`` and the summary; below it the chapter selector, then the chapters under
``Chapter N: Title`` headings, with ``A/N:``/``Disclaimer:`` paragraphs at their edges and
``Review`` / ``Next >`` chrome to drop.

A saved page gives the title, author, summary and stats from ``div#profile_top``, the
fandom from the breadcrumb, the chapter from the selected ``#chap_select`` option and the
text from ``div#storytext``.
"""

from __future__ import annotations

import bisect
import re
from datetime import UTC, date, datetime
from urllib.parse import unquote_plus

from bs4 import BeautifulSoup, Tag

from fic2book.lang import language_tag
from fic2book.limits import small_int
from fic2book.model import Chapter
from fic2book.read.draft import Draft, MetaBuilder
from fic2book.read.formats.html.convert import element_blocks
from fic2book.read.formats.html.dom import attr, is_inside, text_of
from fic2book.read.formats.html.page import Page
from fic2book.read.formats.text import build_chapters
from fic2book.read.rules.edges import peel_edges
from fic2book.read.rules.headings import clean_title
from fic2book.read.rules.notes import note, sort_notes
from fic2book.read.rules.paragraphs import detect_layout
from fic2book.read.sites.base import HtmlAdapter, Kind, Source

_FFN_OPTION = re.compile(r"^\s*(\d{1,4})\.\s*(.*)$")
_MONTHS = {
    m: k + 1
    for k, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
# An old description's ``Chapter 2 of a Harry Potter fanfic.``: where it starts (a run
# of spaces is entered only at its first space) and the word that ends it. Found apart
# (see ``_drop_old_description``): a lazy ``.*?`` between them reread the rest of the
# line from each of thousands of starts without an end.
_OLD_DESCRIPTION_START = re.compile(r"(?<!\s)\s*Chapter\s+\d+\s+of\s+", re.IGNORECASE)
_OLD_DESCRIPTION_END = re.compile(r"\b(?:fanfic|fanfiction|fan fiction)\b\w*[.,]?", re.IGNORECASE)
# The parts of an old FFN title (``Story Chapter 2, a Harry Potter fanfic``).
_OLD_TITLE_FANDOM = re.compile(r",\s+an?\s+(.+?)\s+(?:fanfic|fanfiction|fan fiction)\b.*$", re.I)
_OLD_TITLE_LEAD = re.compile(r",\s+(an?)\s+", re.IGNORECASE)
_OLD_TITLE_WORD = re.compile(r"(?<=\s)(?:fanfic|fanfiction|fan fiction)\b", re.IGNORECASE)
_OLD_TITLE_SITE = re.compile(r"(?<!\s)\s*\|\s*FanFiction(?:\.Net)?\s*$", re.IGNORECASE)
_OLD_TITLE_CHAPTER = re.compile(r"(?<!\s)\s+Chapter\s+\d+\s*$", re.IGNORECASE)
_CROSSOVER = re.compile(r"(?<!\s)\s+Crossover$")
_STATS_SEPARATOR = re.compile(r"(?<!\s)\s+-\s+")
# ``\s++`` (possessive): giving the spaces after `` - `` back one by one to ``.*`` only
# rescanned the line for ``Words:`` each time (quadratic on a long run of spaces).
STATS_LINE = re.compile(r"^\s*Rated:\s*(?:Fiction\s+)?(\S+)\s+-\s++.*\bWords:\s*[\d,]+", re.I)
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
    for part in (p.strip() for p in _STATS_SEPARATOR.split(line.strip())):
        m = re.match(r"^([A-Za-z/ ]+):\s*(.+)$", part)
        if m:
            label, value = m.group(1).strip(), m.group(2).strip()
            if label.lower() == "rated":
                meta.set("rating", re.sub(r"^Fiction\s+", "", value, flags=re.I))
            elif label.lower() == "id":
                meta.set("source_url", f"https://www.fanfiction.net/s/{value}")
            else:
                meta.add(label, value)
        elif language_tag(part) and not meta.has("language"):
            meta.set("language", part)
        elif all(g.lower() in _GENRES for g in part.split("/")):
            meta.set("tags", part.replace("/", ","))
        elif part:
            _read_characters(part, meta)


def _read_characters(part: str, meta: MetaBuilder) -> None:
    """``[A, B] C`` gives the pairing ``A/B`` and the characters A, B and C."""
    # Only up to the last ``]``: from each of thousands of ``[`` after it the pattern
    # read to the end in vain.
    for pair in re.findall(r"\[([^\]]+)\]", part[: part.rfind("]") + 1]):
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


# --------------------------------------------------------------------------- saved pages


def read_story_page(
    soup: BeautifulSoup, draft: Draft, script_vars: dict[str, str] | None = None
) -> None:
    """A fanfiction.net story page (see the module docstring); a page without the
    profile block is an older layout (see ``_read_old_layout``)."""
    meta = draft.meta
    top = soup.select_one("div#profile_top")
    if top is not None:
        meta.set("title", text_of(top.select_one("b.xcontrast_txt") or top.select_one("b")))
        author = top.select_one('a[href*="/u/"]')
        if author is not None:
            meta.add_items("authors", [text_of(author)])
        summary = top.select_one("div.xcontrast_txt")
        if summary is not None:
            meta.add_blocks("summary", element_blocks(summary))
        stats = top.select_one("span.xgray")
        if stats is not None:
            for stamp in stats.select("span[data-xutime]"):
                stamp.replace_with(_xutime(stamp))
            read_stats(text_of(stats), meta)
    else:
        _read_old_layout(soup, meta, script_vars or {})
    crumbs = soup.select("#pre_story_links a")
    if crumbs:
        fandom = _CROSSOVER.sub("", text_of(crumbs[-1]))
        meta.add_items("fandoms", fandom.split(" + "))
    number, title = _ffn_chapter(soup)
    story = soup.select_one("div#storytext")
    edges = peel_edges(
        element_blocks(story) if story is not None else (),
        title=meta.text("title"),
        authors=meta.items("authors"),
        number=number,
        chapter_title=title,
    )
    if edges.heading is not None:
        number, title = edges.heading.number, edges.heading.title
    blocks = edges.blocks
    lead_disc, lead_notes = sort_notes(edges.lead)
    trail_disc, trail_notes = sort_notes(edges.trail)
    meta.add_blocks("disclaimer", lead_disc + trail_disc)
    draft.chapters = [
        Chapter(
            number=number,
            title=title,
            notes_before=note("author-note", lead_notes),
            blocks=blocks,
            notes_after=note("end-note", trail_notes),
        )
    ]


def _read_old_layout(soup: BeautifulSoup, meta: MetaBuilder, script_vars: dict[str, str]) -> None:
    """An older FFN page (before about 2012): no profile block, so the title comes from
    ``<title>`` (less ``Chapter N``, the ``, a Fandom fanfic`` tail and the site's name)
    or the ``title`` script variable, the author from the first profile link outside
    the story, the stats from the plain ``Rated: ... - Words: ...`` line, and the
    summary from ``<meta name=description>`` less its ``Chapter N of ...`` phrase."""
    story = soup.select_one("div#storytext")
    outside = [story] if story is not None else []
    title, fandom = _old_title(text_of(soup.select_one("title")))
    if not title and script_vars.get("title"):
        title = unquote_plus(script_vars["title"])
    meta.set("title", title)
    if fandom:
        meta.add_items("fandoms", fandom.split(" & "))
    for link in soup.select('a[href*="/u/"]'):
        if text_of(link) and not is_inside(link, outside):
            meta.add_items("authors", [text_of(link)])
            break
    for node in soup.find_all(string=re.compile(r"Rated:")):
        parent = node.parent
        line = text_of(parent) if parent is not None else ""
        at = line.find("Rated:")
        if at >= 0 and STATS_LINE.match(line[at:]) and not is_inside(parent, outside):
            read_stats(line[at:], meta)
            break
    description = soup.select_one('meta[name="description"]')
    if description is not None:
        meta.set("summary", _drop_old_description(attr(description, "content")).lstrip(" .-"))


def _drop_old_description(text: str) -> str:
    """The text without each ``Chapter N of ... fanfic`` phrase (with the spaces before
    it, the word's end and one ``.`` or ``,``); the phrase stays on one line. The end
    word found for one start is kept for the next, so the rest of a long line is read
    once, not once per start."""
    out: list[str] = []
    pos = search = 0
    end: re.Match[str] | None = None
    end_from = newline = -1
    while start := _OLD_DESCRIPTION_START.search(text, search):
        if end_from < 0 or (end is not None and end.start() < start.end()):
            end = _OLD_DESCRIPTION_END.search(text, start.end())
            end_from = start.end()
        if end is None:
            break
        if newline < start.end() and newline != len(text):
            found = text.find("\n", start.end())
            newline = len(text) if found < 0 else found
        if newline < end.start():
            search = start.start() + 1
            continue
        out.append(text[pos : start.start()])
        pos = search = end.end()
    out.append(text[pos:])
    return "".join(out)


def _old_title(text: str) -> tuple[str, str | None]:
    """An older FFN ``<title>``: the story's title and, when it names one, the fandom.

    ``Story Chapter 2, a Harry Potter fanfic | FanFiction`` and ``FanFiction.Net -
    Story`` both give ``Story``.
    """
    text = re.sub(r"^\s*FanFiction\.Net\s*[-:|]\s*", "", text, flags=re.IGNORECASE)
    text = _OLD_TITLE_SITE.sub("", text)
    found = _old_title_fandom(text)
    fandom = found[1].strip() if found else None
    if found:
        text = text[: found[0]]
    text = _OLD_TITLE_CHAPTER.sub("", text)
    return text.strip(), fandom


def _old_title_fandom(text: str) -> tuple[int, str] | None:
    """Where ``, a <fandom> fanfic`` starts in an old FFN title, and the fandom: the
    first ``, a``/``, an`` followed, after at least one character, by spaces and
    ``fanfic``, ``fanfiction`` or ``fan fiction``; the shortest fandom wins. The titles
    come on one line, where this looks each start's end word up among the end words
    found once (``(.+?)\\s+fanfic`` reread the rest of the title from each ``, a``)."""
    if "\n" in text:  # not a one-line title: the pattern itself
        m = _OLD_TITLE_FANDOM.search(text)
        return (m.start(), m.group(1)) if m else None
    words = [m.start() for m in _OLD_TITLE_WORD.finditer(text)]
    for lead in _OLD_TITLE_LEAD.finditer(text):
        rest = lead.end()
        k = bisect.bisect_right(words, rest + 1)
        if k < len(words):
            word = words[k]
            run = word
            while run > rest + 1 and text[run - 1].isspace():
                run -= 1
            return lead.start(), text[rest:run]
        if rest - lead.end(1) >= 3 and rest in words:
            return lead.start(), text[rest - 2]  # the pattern gives a space back
    return None


def _xutime(stamp: Tag) -> str:
    """An FFN date as the page shows it: its text when that is a full date
    (``6/29/2008``); ``Jun 29`` (this year's dates) takes its year from the
    ``data-xutime`` Unix time, so a time zone never moves the day; anything else
    (``2h ago``) is the ISO date of that Unix time."""
    shown = text_of(stamp)
    value = attr(stamp, "data-xutime")
    stamp_seconds = small_int(value, 12)  # past year 9999 is no date
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}", shown) or stamp_seconds is None:
        return shown
    try:
        stamped = datetime.fromtimestamp(stamp_seconds, tz=UTC).date()
    except (OverflowError, OSError, ValueError):
        return shown
    m = re.fullmatch(r"([A-Z][a-z]{2})\w*\.?\s+(\d{1,2})", shown)
    month = _MONTHS.get(m.group(1).lower()) if m else None
    if m is None or month is None:
        return stamped.isoformat()
    year = stamped.year
    if month == 12 and stamped.month == 1:
        year -= 1  # shown on Dec 31 where the stamp is already Jan 1 in UTC
    elif month == 1 and stamped.month == 12:
        year += 1
    try:
        return date(year, month, int(m.group(2))).isoformat()
    except ValueError:
        return stamped.isoformat()


def _ffn_chapter(soup: BeautifulSoup) -> tuple[int | None, str | None]:
    """The page's chapter from the selected ``#chap_select`` option (``3. Title``).

    A selector with a single option belongs to a one-shot: its option only repeats the
    story's title, so the chapter has neither number nor title.
    """
    select = soup.select_one('select#chap_select, select[name="chapter"]')
    if select is None or len(select.select("option")) < 2:
        return None, None
    option = select.select_one("option[selected]") or select.select_one("option")
    m = _FFN_OPTION.match(text_of(option))
    if not m:
        return None, None
    number = int(m.group(1))
    return number, clean_title(m.group(2), number)


# --------------------------------------------------------------------------- adapters


class FfnText:
    """FanFiction.net page text copied from the browser (its stats line)."""

    name = "ffn"
    kind: Kind = "text"
    description = "FanFiction.net story page text copied from the browser"

    def matches(self, source: Source) -> bool:
        """Text (not HTML) holding FFN's stats line near the top (``looks_like_ffn``)."""
        return not source.html and looks_like_ffn(source.text)

    def read(self, source: Source) -> Draft:
        """Read the text with ``read_ffn_text``."""
        return read_ffn_text(source.text)


class FfnPage(HtmlAdapter):
    """A FanFiction.net story page saved from the browser."""

    name = "ffn-page"
    description = "FanFiction.net story page saved from the browser (div#storytext)"

    def matches_page(self, soup: BeautifulSoup) -> bool:
        """``div#storytext`` or ``div#profile_top`` on the page."""
        return bool(soup.select_one("div#storytext") or soup.select_one("div#profile_top"))

    def read_soup(self, soup: BeautifulSoup, draft: Draft) -> None:
        """Read the page with ``read_story_page``."""
        read_story_page(soup, draft)

    def read_parsed(self, page: Page, draft: Draft) -> None:
        """Read the page with ``read_story_page``, with its script variables."""
        read_story_page(page.soup, draft, page.script_vars)

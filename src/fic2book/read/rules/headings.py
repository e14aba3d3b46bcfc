"""Chapter headings in text: which lines start a chapter, and splitting the text there.

Conservative rules: a heading stands alone (blank lines or the file edge around it), is
short, and reads ``Chapter N``, ``Chapter N: Title``, ``Prologue``, ``Epilogue``,
``Interlude``, ``Part One``, ``Book One`` or a French or Spanish number word and a
title (``Un : Kiba``). Numbered headings must run in order (each
a little more than the last; numbering may start again at 1 after a part), so a stray
``Chapter 1`` quoted inside the story does not split it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from fic2book.limits import small_int
from fic2book.read.rules.breaks import is_scene_break_line

_NUMBER_WORDS = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
    *("seventeen", "eighteen", "nineteen", "twenty"),
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_UNITS = "|".join(_NUMBER_WORDS[1:10])
_NUM = (
    r"(\d{1,4}|[ivxlc]{1,7}|"
    + rf"(?:{'|'.join(_TENS)})(?:[\s-]?(?:{_UNITS})\b)?|"
    + "|".join(reversed(_NUMBER_WORDS))
    + r")"
)
# Decoration around a heading line: ``~Chapter 1~``, ``-Chapter 2-``, ``== Part One ==``.
_DECORATION = "#*_~=-+•·°º<>[]()|/\\ \t"
_SEP = r"(?:\s*[:.\-–—]\s*|\s+)"

_CHAPTER = re.compile(rf"^(?:chapter|chap\.?|ch\.?)\s*{_NUM}(?:{_SEP}(.*))?$", re.IGNORECASE)
_NAMED = re.compile(
    r"^(prologue|epilogue|interlude|afterword|foreword|preface)(?:\s*[:.\-–—]\s*(.+))?$",
    re.IGNORECASE,
)
_PART = re.compile(rf"^(?:part|book|volume)\s+{_NUM}(?:\s*[:.\-–—]\s*(.+))?$", re.IGNORECASE)
# Number words of other languages, for headings such as ``Un : Kiba`` or ``Dos: La casa``.
_FOREIGN_NUMBERS = {
    word: k + 1
    for words in (
        ("un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
         "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit",
         "dix-neuf", "vingt"),
        ("uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"),
    )
    for k, word in enumerate(words)
}  # fmt: skip
_WORD_TITLE = re.compile(r"^([A-Za-zÀ-ÿ-]{2,10})\s*:\s+(\S.{0,60})$")
_MAX_SKIP = 3
_MAX_LEN = 80


@dataclass(frozen=True)
class HeadingInfo:
    """What a chapter heading line says."""

    number: int | None
    """The chapter number, or None for a named or part heading."""
    title: str | None
    """The title without the ``Chapter N`` prefix, or None."""
    span: int = 1
    """How many lines the heading takes (2 when its title is on the line below)."""


def parse_number(token: str) -> int | None:
    """Read a chapter number written as digits, a word (``seven``) or a roman numeral."""
    t = token.lower()
    if t.isdigit():
        return small_int(t)
    if t in _NUMBER_WORDS:
        return _NUMBER_WORDS.index(t)
    tens = re.match(rf"({'|'.join(_TENS)})[\s-]?(\w*)$", t)
    if tens:
        unit = _NUMBER_WORDS.index(tens.group(2)) if tens.group(2) in _NUMBER_WORDS else 0
        return 20 + 10 * _TENS.index(tens.group(1)) + unit
    if set(t) <= set(_ROMAN):
        total, prev = 0, 0
        for ch in reversed(t):
            value = _ROMAN[ch]
            total += -value if value < prev else value
            prev = max(prev, value)
        return total or None
    return None


def clean_title(title: str | None, number: int | None) -> str | None:
    """Drop a title that only repeats the number (``Chapter 3: Chapter 3``) or is empty.

    A title wholly in brackets (``Chapter 1 (The Beginning)``) loses the brackets. The
    separator before a title is dropped, but a title keeps its own closing punctuation
    (``All the hurt cast upon him....``).
    """
    if not title:
        return None
    t = title.strip().lstrip(" :.-–—").rstrip(" :-–—")
    if len(t) > 2 and (t[0], t[-1]) in {("(", ")"), ("[", "]")} and t.count(t[0]) == 1:
        t = t[1:-1].strip()
    if not t:
        return None
    again = _CHAPTER.match(t)
    if again and parse_number(again.group(1)) == number and not again.group(2):
        return None
    return t


def parse_heading(line: str) -> HeadingInfo | None:
    """Read a line as a chapter heading, or return None when it is not one.

    Symbols framing the line (``~Chapter 1~``, ``-Chapter 2-``) are decoration.
    """
    s = undecorate(line)
    if not s or len(s) > _MAX_LEN:
        return None
    m = _CHAPTER.match(s)
    if m:
        number = parse_number(m.group(1))
        if number is None:
            return None
        title = m.group(2)
        if title and len(title.split()) > 12:
            return None
        return HeadingInfo(number, clean_title(title, number))
    m = _WORD_TITLE.match(s)
    if m and m.group(1).lower() in _FOREIGN_NUMBERS and len(m.group(2).split()) <= 8:
        number = _FOREIGN_NUMBERS[m.group(1).lower()]
        return HeadingInfo(number, clean_title(m.group(2), number))
    m = _NAMED.match(s)
    if m:
        return HeadingInfo(None, s)
    m = _PART.match(s)
    if m:
        return HeadingInfo(None, s)
    return None


def undecorate(line: str) -> str:
    """A line without the symbols an author framed it with (``~*~ Chapter 1 ~*~``).

    Rule: strip decoration symbols from both ends; brackets only come off in pairs, so
    ``Chapter 1 (The Beginning)`` keeps its closing parenthesis.
    """
    s = line.strip()
    while True:
        t = s.strip(_DECORATION.replace("()", "").replace("[]", ""))
        if len(t) >= 2 and (t[0], t[-1]) in {("(", ")"), ("[", "]")}:
            t = t[1:-1]
        if t == s:
            return s.strip()
        s = t


def _stands_alone(lines: list[str], i: int) -> bool:
    """A heading line has a blank line (or the file edge) on both sides."""
    before = i == 0 or not lines[i - 1].strip()
    after = i + 1 >= len(lines) or not lines[i + 1].strip()
    return before and after


def _with_title_below(lines: list[str], i: int, info: HeadingInfo) -> HeadingInfo | None:
    """A bare ``Chapter N`` with its title on the next line (``Chapter 1`` / ``The Road``).

    Rule: blank line (or file edge) above the heading, one short title line right under
    it that is neither a heading, a scene break nor the end of a sentence (no final
    ``.``, ``,``, ``;``, ``:``, no opening quote), then a blank line (or the file's end).
    """
    if info.number is None or info.title is not None:
        return None
    if i > 0 and lines[i - 1].strip():
        return None
    if i + 1 >= len(lines) or (i + 2 < len(lines) and lines[i + 2].strip()):
        return None
    title = lines[i + 1].strip()
    if not title or len(title) > 60 or parse_heading(title) is not None:
        return None
    if is_scene_break_line(title):
        return None
    if title.endswith((".", ",", ";", ":")) or title.startswith(('"', "“", "'", "‘")):
        return None
    return replace(info, title=clean_title(title, info.number), span=2)


def _with_caps_title(lines: list[str], i: int, info: HeadingInfo) -> HeadingInfo:
    """A bare ``CHAPTER I.`` standing alone whose title is the next paragraph, set in
    capitals (``THE WOLF``): one short line, a blank line on both sides, no letter in
    lower case, not itself a heading or a break."""
    if info.number is None or i + 3 > len(lines) or lines[i + 1].strip():
        return info
    title = lines[i + 2].strip()
    after = i + 3 >= len(lines) or not lines[i + 3].strip()
    if (
        not title
        or not after
        or len(title) > 60
        or title != title.upper()
        or not any(ch.isalpha() for ch in title)
        or parse_heading(title) is not None
        or is_scene_break_line(title)
    ):
        return info
    return replace(info, title=clean_title(title, info.number), span=3)


def _next_after_joined_text(lines: list[str], i: int, info: HeadingInfo, last: int | None) -> bool:
    """The next numbered heading right under the last line of the previous chapter.

    Rule: chapter files joined end to end (``cat``) leave no blank line before the next
    heading; it still counts when it carries the next number after a heading already
    found and a blank line (or the file's end) follows it.
    """
    if info.number is None or last is None or info.number != last + 1:
        return False
    return i + 1 >= len(lines) or not lines[i + 1].strip()


def find_headings(lines: list[str]) -> list[tuple[int, HeadingInfo]]:
    """Find chapter heading lines, keeping numbered ones only while they run in order."""
    found: list[tuple[int, HeadingInfo]] = []
    last: int | None = None
    after_part = False
    for i, line in enumerate(lines):
        info = parse_heading(line)
        if info is None:
            continue
        if not _stands_alone(lines, i) and not _next_after_joined_text(lines, i, info, last):
            info = _with_title_below(lines, i, info)
            if info is None:
                continue
        elif info.title is None:
            info = _with_caps_title(lines, i, info)
        if info.number is not None:
            if not follows(info.number, last, after_part=after_part):
                continue
            last, after_part = info.number, False
        elif _PART.match(undecorate(line)):
            after_part = True
        found.append((i, info))
    return found


def follows(number: int, last: int | None, *, after_part: bool = False) -> bool:
    """Whether a chapter number can come after the last one found.

    Rule: the first may be any number (a file can hold chapter 12 alone); after that
    each is one more than the last, or up to ``_MAX_SKIP`` more (chapters missing
    from a copy); right after a part heading, numbering may also start again at 1.
    """
    if last is None:
        return True
    return last < number <= last + _MAX_SKIP or (after_part and number == 1)


def split_at_headings(
    lines: list[str],
) -> tuple[list[str], list[tuple[HeadingInfo | None, list[str]]]]:
    """Split lines into the preamble before the first heading and one part per chapter."""
    heads = find_headings(lines)
    if not heads:
        return [], [(None, lines)]
    preamble = lines[: heads[0][0]]
    parts: list[tuple[HeadingInfo | None, list[str]]] = []
    for k, (i, info) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        parts.append((info, lines[i + info.span : end]))
    return preamble, parts

"""CSS that loads nothing from outside the book: one linear pass over the stylesheet.

EPUB and single-file HTML books must not make an e-reader or a browser call a server or
read a local file, so their stylesheets lose every ``@import`` rule, and every function
that fetches (``url()``, ``src()``, ``image-set()``, ``image()``, ``cross-fade()``,
``element()`` and their prefixed forms) whose targets are not all ``data:`` URIs.

The scan follows the tokenising rules of CSS Syntax Level 3 as far as they matter here:
comments and strings are skipped whole, and names are read with their escapes decoded,
so ``\\75 rl(``, ``u\\72l(``, ``@\\69mport`` and ``"h\\74tp://..."`` are seen for what a
CSS parser will make of them. Each character is looked at a bounded number of times, so
the time is linear in the stylesheet's size whatever it holds (200,000 unclosed
``url(`` included).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

FETCHING = frozenset(
    {
        "url",
        "src",
        "image-set",
        "-webkit-image-set",
        "image",
        "cross-fade",
        "-webkit-cross-fade",
        "element",
        "-moz-element",
    }
)
"""CSS functions that can make the reader load something."""
EMPTY_URL = "url(data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7)"
"""What a fetching function becomes: a transparent 1x1 GIF (GIF is an EPUB core media
type, so EPUBCheck needs no fallback for it)."""
_HEX = frozenset("0123456789abcdefABCDEF")
_SPACE = frozenset(" \t\n\r\f")
_NOTE_CHARS = 120
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_\-\u0080-\U0010ffff]+")
_STRING_STOPS = {q: re.compile(f"[{q}\\\\\n]") for q in "\"'"}
_STATEMENT_STOPS = re.compile(r"[(){};\"'\\]")
_URL_STOPS = re.compile(r"[)\\]")
_NAME_CHAR = r"[A-Za-z0-9_\-\u0080-\U0010ffff]"
_NEXT = re.compile(rf"/\*|[\"'@\\]|(?<!{_NAME_CHAR}){_NAME_CHAR}++\(")
"""What the scan stops at: a comment, a string, an at-rule, an escape, or a whole name
(from its first character, so each name is read once) followed by ``(``."""


def clean(css: str) -> tuple[str, list[str]]:
    """The stylesheet without ``@import`` rules and with every fetching function whose
    targets are not all ``data:`` URIs replaced by ``EMPTY_URL``; and what was removed,
    in order (each entry cut to 120 characters). ``@namespace`` rules stay as written:
    they load nothing."""
    out: list[str] = []
    removed: list[str] = []
    n = len(css)
    i = start = 0
    while i < n:
        hit = _NEXT.search(css, i)  # the next comment, string, at-rule, escape or function
        if hit is None:
            break
        p = hit.start()
        c = css[p]
        if c == "/":
            end = css.find("*/", p + 2)
            i = n if end < 0 else end + 2
        elif c in "\"'":
            i = _string(css, p)[1]
        elif c == "@":
            name, j = _name(css, p + 1)
            if name.lower() == "import":
                end = _statement_end(css, j)
                out.append(css[start:p])
                removed.append(_note(css[p:end].strip()))
                i = start = end
            elif name.lower() == "namespace":
                i = _statement_end(css, j)
            else:
                i = max(j, p + 1)
        else:  # a name before "(", or an escape, maybe inside a name that began before it
            begin = p
            while begin > i and _is_name_char(css[begin - 1]):
                begin -= 1
            name, j = _name(css, begin)
            if j < n and css[j] == "(" and name.lower() in FETCHING:
                end, blocked = fetch_extent(css, name.lower(), j + 1)
                if blocked is not None:
                    out.append(css[start:begin])
                    out.append(EMPTY_URL)
                    removed.append(_note(blocked))
                    start = end
                i = end
            else:
                i = max(j, p + 1)
    out.append(css[start:])
    return "".join(out), removed


def _note(text: str) -> str:
    """A removed item as it is reported: cut to a readable length."""
    return text if len(text) <= _NOTE_CHARS else text[:_NOTE_CHARS] + "…"


def _escape(css: str, i: int) -> tuple[str, int]:
    """The character a backslash escape at ``i`` stands for, and where it ends: up to six
    hex digits and one optional white space, or any other single character."""
    j = i + 1
    if j >= len(css):
        return "\ufffd", j
    if css[j] not in _HEX:
        return css[j], j + 1
    k = j
    while k < len(css) and k - j < 6 and css[k] in _HEX:
        k += 1
    code = int(css[j:k], 16)
    if css.startswith("\r\n", k):
        k += 2
    elif k < len(css) and css[k] in _SPACE:
        k += 1
    valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
    return (chr(code) if valid else "\ufffd"), k


def _is_name_char(ch: str) -> bool:
    """A character that may continue a CSS name."""
    return (ch.isascii() and (ch.isalnum() or ch in "-_")) or not ch.isascii()


def _starts_name(css: str, i: int) -> bool:
    """Whether a name (an identifier, maybe a function's) may start at ``i``."""
    c = css[i]
    if c == "\\":
        return i + 1 < len(css) and css[i + 1] != "\n"
    return (c.isascii() and (c.isalpha() or c in "-_")) or not c.isascii()


def _name(css: str, i: int) -> tuple[str, int]:
    """The name starting at ``i`` with its escapes decoded, and where it ends."""
    chars: list[str] = []
    n = len(css)
    while i < n:
        plain = _PLAIN_NAME.match(css, i)  # a run without escapes, in one step
        if plain:
            chars.append(plain.group())
            i = plain.end()
        elif css[i] == "\\" and i + 1 < n and css[i + 1] != "\n":
            ch, i = _escape(css, i)
            chars.append(ch)
        else:
            break
    return "".join(chars), i


def _string(css: str, i: int) -> tuple[str, int]:
    """The quoted string starting at ``i`` decoded, and where it ends (after its closing
    quote, or at the newline or end that cuts it short)."""
    quote = css[i]
    chars: list[str] = []
    i += 1
    n = len(css)
    stops = _STRING_STOPS[quote]
    while i < n:
        stop = stops.search(css, i)  # skip ordinary characters in one step
        if stop is None:
            chars.append(css[i:])
            return "".join(chars), n
        chars.append(css[i : stop.start()])
        i = stop.start()
        c = css[i]
        if c == quote:
            return "".join(chars), i + 1
        if c == "\n":
            break
        if c == "\\":
            if i + 1 < n and css[i + 1] == "\n":
                i += 2
                continue
            ch, i = _escape(css, i)
            chars.append(ch)
            continue
        chars.append(c)
        i += 1
    return "".join(chars), i


def _significant(css: str, i: int) -> Iterator[tuple[int, str]]:
    """The characters from ``i`` on that shape a statement (parentheses, braces, ``;``),
    with their positions, passing over strings and escapes; ordinary characters are
    skipped in one step each run, so a scan is linear."""
    n = len(css)
    while i < n:
        stop = _STATEMENT_STOPS.search(css, i)
        if stop is None:
            return
        i = stop.start()
        c = css[i]
        if c in "\"'":
            i = _string(css, i)[1]
            continue
        if c == "\\":
            i += 2
            continue
        yield i, c
        i += 1


def _function_end(css: str, i: int) -> int:
    """Where the function whose arguments start at ``i`` ends: after the ``)`` that closes
    it (strings and escapes skipped, inner parentheses counted), or at the end."""
    depth = 1
    for k, c in _significant(css, i):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return k + 1
    return len(css)


def _statement_end(css: str, i: int) -> int:
    """Where an at-rule without a block ends: after its ``;`` (outside strings and
    parentheses), before a ``}`` that closes the enclosing block, or at the end."""
    depth = 0
    for k, c in _significant(css, i):
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c == ";" and depth == 0:
            return k + 1
        elif c in "{}" and depth == 0:
            return k
    return len(css)


def _is_data(target: str) -> bool:
    """Whether a decoded URL is a ``data:`` URI (loads nothing)."""
    return target.strip().lower().startswith("data:")


def _skip_space(css: str, i: int) -> int:
    """The first index at or after ``i`` that is not white space."""
    while i < len(css) and css[i] in _SPACE:
        i += 1
    return i


def fetch_extent(css: str, name: str, i: int) -> tuple[int, str | None]:
    """Where the fetching function ``name`` whose arguments start at ``i`` ends, and the
    first target in it that is not a ``data:`` URI (None when it loads nothing).

    The rule follows how a CSS parser reads it. ``url(`` or ``src(`` followed by a quote
    is a function holding one string; followed by anything else it is a URL token, which
    ends at the first unescaped ``)``: a ``data:`` target is kept only when it holds no
    quote, parenthesis or space (which would make it a bad URL). The other functions
    (``image-set()``...) are kept only when all their arguments are strings and
    plain words, every string a ``data:`` URI; one holding an unquoted ``url(`` is
    always replaced, so no difference in where a parser ends it can matter.
    """
    j = _skip_space(css, i)
    if name in ("url", "src") and (j >= len(css) or css[j] not in "\"'"):
        end = j
        while end < len(css):
            stop = _URL_STOPS.search(css, end)
            if stop is None:
                end = len(css)
                break
            end = stop.start()
            if css[end] == ")":
                break
            end += 2  # an escape
        end = min(end, len(css))
        raw = css[j:end]
        target = _unquoted(raw)
        bad = any(ch in raw for ch in "\"'(") or any(ch in target for ch in _SPACE)
        keep = _is_data(target) and not bad
        return min(end + 1, len(css)), None if keep else f"{name}({target})"
    end = _function_end(css, i)
    if name in ("url", "src"):
        text, k = _string(css, j)
        k = _skip_space(css, k)
        if k < len(css) and css[k] == ")" and k + 1 == end and _is_data(text):
            return end, None
        return end, f"{name}({text})"
    return end, _blocked_argument(name, css[i:end])


def _blocked_argument(name: str, args: str) -> str | None:
    """The first string in a fetching function's arguments that is not a ``data:`` URI,
    or the function itself when it holds a nested function; None when neither."""
    i = 0
    while i < len(args):
        c = args[i]
        if c in "\"'":
            text, i = _string(args, i)
            if not _is_data(text):
                return f"{name}({text})"
        elif _starts_name(args, i):
            j = _name(args, i)[1]
            if j < len(args) and args[j] == "(":
                return _note(f"{name}({args}")
            i = j
        else:
            i += 1
    return None


def _unquoted(text: str) -> str:
    """An unquoted URL with its escapes decoded."""
    if "\\" not in text:
        return text.strip()
    chars: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\":
            ch, i = _escape(text, i)
            chars.append(ch)
        else:
            chars.append(text[i])
            i += 1
    return "".join(chars).strip()

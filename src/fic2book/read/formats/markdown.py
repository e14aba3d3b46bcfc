"""Markdown stories (FORMATS.md dialect 5): optional YAML front matter, ``# Title``,
``## Chapter`` headings, emphasis, ``***`` breaks, ``>`` quotes, wrapped paragraphs.

The title is the only level-one heading when the chapters use a deeper level; when
level one is used several times, those headings are the chapters, except a first one
that is not a chapter heading above ones that are (``# Title`` then ``# Chapter 1``).
The chapter level is the one whose headings run through the text; HTML comments
(``<!--more-->``) are dropped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from fic2book.read.draft import Draft, MetaBuilder, text_blocks
from fic2book.read.formats.text import byline_name, chapters_from_parts
from fic2book.read.rules.headings import HeadingInfo, parse_heading
from fic2book.read.rules.paragraphs import Layout, detect_layout, md_heading
from fic2book.read.rules.ruler import Ruler

_FENCE = re.compile(r"^---\s*$")
# The end of a comment that fills its lines (see ``drop_comment_lines``).
_COMMENT_LINE_END = re.compile(r"-->[ \t]*\n")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Trailing-attribute patterns start only where a run of spaces starts (``(?<!\s)``):
# tried from every space of a long run, ``\s*`` made them quadratic.
_HEADING_ATTRS = re.compile(r"(?<!\s)\s*\{[#.][^}]*\}\s*$")
_TEMPLATE_LINE = re.compile(r"^\s*(?:\{\{[<%].*?[%>]\}\}|\{\{.*?\}\}|\{%.*?%\})\s*$")
_ATTR_LIST = re.compile(r"(?<!\s)\s*\{:?\s*[.#][\w.#\s=\"'-]*\}\s*$")
_HTML_TAG = re.compile(
    r"</?(?:p|em|i|strong|b|br|hr|span|div|center|a|u|s|sup|sub|small|font)\b[^>]*>",
    re.IGNORECASE,
)
_WORD_COUNT = re.compile(r"^\s*[*_]*[\d,.]+\s+words[*_]*\s*$", re.IGNORECASE)
_CHROME_ATTRS = re.compile(
    r"^\s*\{:?\s*\.[\w-]*(?:time-to-read|reading-time|read-time|min-read)[\w-]*\s*\}\s*$"
)
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$")
_FOOTNOTE_LABEL = re.compile(r"[^\]\s]*")
_FENCED_DIV = re.compile(r"^\s*:{3,}(?:\s*\{[^}]*\}|\s*[\w-]+)?\s*$")
# ``key: value`` / ``key = value``; the key ends at its last letter (greedy): the lazy
# ``[\w ']*?`` retried the spaces after it from each one (quadratic on padded keys).
_FRONT_KEY = re.compile(r"^([A-Za-z](?:[\w ']*[\w'])?)\s*[:=]\s*(.*)$")
_TOML_FENCE = re.compile(r"^\+\+\+\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_NOT_HEADING_TEXT = re.compile(r"^\s{0,3}(?:[>#*+-]\s|\d+[.)]\s)|^\s{4}")


def looks_like_markdown(text: str) -> bool:
    """Markdown: front matter at the top, or ATX headings (``# ``/``## ``) on their own lines."""
    if text.startswith("---\n") and re.search(r"\n---\s*\n", text[4:3000]):
        return True
    if text.startswith("+++\n") and re.search(r"\n\+\+\+\s*\n", text[4:3000]):
        return True
    return len(re.findall(r"(?m)^#{1,3} \S", text[:50000])) >= 1


def read_front_matter(lines: list[str], meta: MetaBuilder) -> int:
    """Read simple front matter: YAML between ``---`` lines (scalars, ``[a, b]`` and
    ``- item`` lists) or TOML between ``+++`` lines (``key = "value"``, ``["a", "b"]``).

    Returns the index of the first line after it (0 when there is none).
    """
    fence = _FENCE if lines and _FENCE.match(lines[0]) else _TOML_FENCE
    if not lines or not fence.match(lines[0]):
        return 0
    try:
        end = next(i for i in range(1, len(lines)) if fence.match(lines[i]))
    except StopIteration:
        return 0
    key: str | None = None
    for line in lines[1:end]:
        item = re.match(r"^\s+-\s+(.*)$", line)
        if item and key:
            _store(meta, key, _unquote(item.group(1)))
            continue
        m = _FRONT_KEY.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            value = ",".join(_unquote(v) for v in value[1:-1].split(","))
        if value:
            _store(meta, key, _unquote(value))
    return end + 1


def _store(meta: MetaBuilder, key: str, value: str) -> None:
    """One front-matter field; ``language``/``lang`` is the work's language and
    ``date`` its publication date. Inline HTML in a value is read as markdown."""
    value = re.sub(r"\n{2,}", "\n", inline_html_to_markdown(value)).strip()
    if key.strip().lower() in ("language", "lang"):
        meta.set_language(value, "front matter")
    elif key.strip().lower() == "date":
        meta.set("published", value)
    else:
        meta.add(key, value)


def _unquote(value: str) -> str:
    """Remove YAML quotes around a scalar."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


Part = tuple[HeadingInfo | None, list[str]]


@dataclass
class MarkdownState:
    """What the markdown rules share: the lines still to read, what was read so far,
    and, once the headings are read, the text before the first chapter and each
    chapter's heading and lines."""

    lines: list[str]
    """The lines not yet taken by a rule."""
    draft: Draft = field(default_factory=Draft)
    """The metadata and chapters read so far."""
    layout: Layout = field(default_factory=Layout)
    """The file's layout, measured over all its story lines."""
    preamble: list[str] = field(default_factory=list)
    """The lines before the first chapter heading."""
    parts: list[Part] = field(default_factory=list)
    """Each chapter's heading (None: an untitled whole) and lines."""


def comments_rule(state: MarkdownState) -> None:
    """HTML comments are never story (``drop_comment_lines``, ``drop_comments``)."""
    text = drop_comments(drop_comment_lines("\n".join(state.lines)))
    state.lines = text.split("\n")


def front_matter_rule(state: MarkdownState) -> None:
    """YAML (``---``) or TOML (``+++``) front matter at the top is metadata."""
    state.lines = state.lines[read_front_matter(state.lines, state.draft.meta) :]


def clean_rule(state: MarkdownState) -> None:
    """Inline HTML as markdown, pandoc's escapes, attributes and divs undone, setext
    headings as ATX headings."""
    text = inline_html_to_markdown("\n".join(state.lines))
    state.lines = setext_to_atx(pandoc_clean(text.split("\n")))


def sections_rule(state: MarkdownState) -> None:
    """The headings: a heading above the chapter level at the top is the title, headings
    at the level whose headings run through the text are chapters, a higher one before
    the first chapter is a work note; the layout is measured over every line."""
    lines = state.lines
    state.layout = detect_layout(lines, markdown=True)
    headings = [h for ln in lines if (h := md_heading(ln))]
    chapter_level = _chapter_level(headings)
    title_line = _title_line(lines, chapter_level)
    meta = state.draft.meta
    for k, line in enumerate(lines):
        m = md_heading(line)
        level = m[0] if m else 0
        if m and k == title_line:
            meta.set("title", m[1])
        elif m and level == chapter_level:
            state.parts.append((_heading_info(m[1], len(state.parts) + 1), []))
        elif m and level < chapter_level and not state.parts:
            meta.add_blocks("notes", text_blocks(m[1]))
        elif state.parts:
            state.parts[-1][1].append(line)
        else:
            state.preamble.append(line)
    if not state.parts:
        state.parts, state.preamble = [(None, state.preamble)], []


def byline_rule(state: MarkdownState) -> None:
    """Under a title with no author yet, a ``by Name`` line is the byline."""
    meta = state.draft.meta
    if not meta.has("title") or meta.has("authors"):
        return
    if state.preamble:
        state.preamble = _take_byline(state.preamble, meta)
    elif state.parts[0][0] is None:
        state.parts[0] = (None, _take_byline(state.parts[0][1], meta))


def chapters_rule(state: MarkdownState) -> None:
    """Each part's lines read into blocks, notes peeled off the edges."""
    state.draft.chapters = chapters_from_parts(
        state.preamble, state.parts, state.draft.meta, state.layout
    )


MARKDOWN_RULES: Ruler[MarkdownState] = Ruler(
    [
        ("comments", comments_rule),
        ("front matter", front_matter_rule),
        ("clean", clean_rule),
        ("sections", sections_rule),
        ("byline", byline_rule),
        ("chapters", chapters_rule),
    ]
)
"""The markdown reader: its rules, in the order they run."""


def read_markdown(text: str) -> Draft:
    """Read a markdown story into a draft with ``MARKDOWN_RULES``."""
    return MARKDOWN_RULES.run(MarkdownState(text.split("\n"))).draft


def drop_comments(text: str) -> str:
    """Remove every HTML comment (``<!--`` to the first ``-->`` after it); an unclosed
    ``<!--`` stays. String search, so thousands of unclosed openers cost one pass (the
    lazy pattern ``<!--.*?-->`` rescanned the rest of the text from each of them)."""
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out.append(text[pos:start])
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def drop_comment_lines(text: str) -> str:
    """Remove each comment that starts a line (after spaces or tabs) together with its
    line end: from the ``<!--`` to the first ``-->`` after it that only spaces or tabs
    and a newline follow. The end found for one opener is kept for the next ones, so
    many openers without such an end cost one search, not one each."""
    out: list[str] = []
    pos = line = 0
    end: re.Match[str] | None = None
    searched_from = -1
    while True:
        start = line
        while text.startswith((" ", "\t"), start):
            start += 1
        if text.startswith("<!--", start):
            if searched_from < 0 or (end is not None and end.start() < start + 4):
                end = _COMMENT_LINE_END.search(text, start + 4)
                searched_from = start + 4
            if end is None:
                break
            out.append(text[pos:line])
            pos = line = end.end()
            continue
        newline = text.find("\n", line)
        if newline < 0:
            break
        line = newline + 1
    out.append(text[pos:])
    return "".join(out)


def footnote_refs(line: str) -> str:
    """Footnote markers ``[^label]`` (a label without spaces or ``]``) as ``[label]``.
    A label that runs into a space or the line end is no marker, and neither is any
    ``[^`` inside it: the scan skips past it instead of rereading it from each one."""
    out: list[str] = []
    pos = start = 0
    while (start := line.find("[^", start)) >= 0:
        label = _FOOTNOTE_LABEL.match(line, start + 2)
        assert label is not None  # the pattern matches the empty string
        end = label.end()
        if end > start + 2 and line.startswith("]", end):
            out += [line[pos:start], "[", label.group(), "]"]
            pos = start = end + 1
        else:
            start = end if end > start + 2 else start + 1
    out.append(line[pos:])
    return "".join(out)


def _sub_trailing(pattern: re.Pattern[str], line: str) -> str:
    """``pattern`` (a ``{...}`` block at the line end, no ``}`` inside) removed from
    the line. Only the text after the last ``}`` but one can hold it, so the pattern
    runs there: tried from each of thousands of ``{#`` before, it was quadratic."""
    body = line.rstrip()
    if not body.endswith("}"):
        return line
    cut = body.rfind("}", 0, len(body) - 1) + 1
    return line[:cut] + pattern.sub("", line[cut:])


_BREAK_TAG = re.compile(r"<br\s*/?>\s*", re.IGNORECASE)
_INLINE_TAGS = [
    (re.compile(r"</?p\b[^>]*>", re.IGNORECASE), "\n\n"),
    (re.compile(r"<hr\b[^>]*>", re.IGNORECASE), "\n\n***\n\n"),
    (_BREAK_TAG, "\\\n"),
    (re.compile(r"</?(?:em|i)\b[^>]*>", re.IGNORECASE), "*"),
    (re.compile(r"</?(?:strong|b)\b[^>]*>", re.IGNORECASE), "**"),
    (_HTML_TAG, ""),
]


def _up_to_last_tag_end(text: str) -> str:
    """The text up to its last ``>``: a tag pattern ending ``[^>]*>`` cannot match past
    it, and tried after it from each of thousands of unclosed ``<p`` it was quadratic."""
    return text[: text.rfind(">") + 1]


def _sub_tags(pattern: re.Pattern[str], replacement: str, text: str) -> str:
    """``pattern.sub`` for a tag pattern, run only up to the text's last ``>``."""
    head = _up_to_last_tag_end(text)
    return pattern.sub(replacement, head) + text[len(head) :]


def inline_html_to_markdown(text: str) -> str:
    """Markdown with inline HTML (magazine sites write ``<p style=...>``, ``<em>``,
    ``<br>``) as plain markdown: paragraphs become blank-line separated, ``<em>``/``<i>``
    and ``<strong>``/``<b>`` become ``*``/``**``, ``<br>`` a hard break, ``<hr>`` a
    ``***`` break; other known tags are dropped, keeping their text, and entities are
    decoded. Text without such tags is returned unchanged."""
    if not _HTML_TAG.search(_up_to_last_tag_end(text)):
        return text
    for pattern, replacement in _INLINE_TAGS:
        if pattern is _BREAK_TAG:  # starts only at ``<br``; its ``\s*`` may pass the last ``>``
            text = pattern.sub(replacement, text)
        else:
            text = _sub_tags(pattern, replacement, text)
    return html.unescape(re.sub(r"\n{3,}", "\n\n", text))


def pandoc_clean(lines: list[str]) -> list[str]:
    """Undo what pandoc's markdown writer and site generators add: backslash escapes
    (``\\*``, ``\\"``, ``\\#``) become the characters; heading attributes
    (``{#chapter-1 .unnumbered}``), attribute lists (``{ .center }``), lines that are
    only a template expression or shortcode (``{{< figure ... >}}``,
    ``{{ frontmatter.title }}``) and fenced-div lines (``::: {.note}``) are dropped,
    the first line of a div classed as a note labelled ``A/N:`` so it is set apart as
    one. An attribute list naming a reading time (``{ .md-time-to-read }``) drops the
    block it marks; footnote definitions (``[^1]: ...``) move to the end as notes, and
    their markers read ``[1]``. A backslash at the end of a line (a hard line break)
    stays."""
    out: list[str] = []
    footnotes: list[str] = []
    in_note = in_footnote = False
    for line in lines:
        div = _FENCED_DIV.match(line)
        if div:
            in_note = "note" in line.lower() and not in_note
            continue
        if _TEMPLATE_LINE.match(line) or _WORD_COUNT.match(line):
            continue
        if _CHROME_ATTRS.match(line):
            while out and out[-1].strip():
                out.pop()  # the block this attribute list marks as page chrome
            continue
        if m := _FOOTNOTE_DEF.match(line):
            footnotes.append(f"A/N: [{m.group(1)}] {m.group(2)}")
            in_footnote = True
            continue
        if in_footnote and line[:1] in " \t" and line.strip():
            footnotes[-1] += " " + line.strip()
            continue
        in_footnote = False
        line = footnote_refs(_sub_trailing(_ATTR_LIST, line))
        line = _ESCAPE.sub(r"\1", line)
        if in_note and line.strip():
            line, in_note = f"A/N: {line.strip()}", False
        if md_heading(line):
            line = _sub_trailing(_HEADING_ATTRS, line)
        out.append(line)
    for note in footnotes:
        out.extend(["", note])
    return out


def _title_line(lines: list[str], chapter_level: int) -> int | None:
    """Which line is the work's title: the first heading, when it is shallower than
    the chapters, or at their level but not a chapter heading itself while the next
    heading is one (``# Title`` above ``# Chapter 1``)."""
    found = [(k, h) for k, ln in enumerate(lines) if (h := md_heading(ln))]
    if not found:
        return None
    k, (level, text) = found[0]
    if level < chapter_level:
        return k
    if level == chapter_level and len(found) > 2:
        after = found[1][1][1]
        if parse_heading(text) is None and parse_heading(after) is not None:
            return k
    return None


def setext_to_atx(lines: list[str]) -> list[str]:
    """Setext headings (a line underlined with ``===`` or ``---``) as ``#``/``##`` lines.

    Rule: a single line of text, with a blank line or the file's start above it, right
    above a line of only ``=`` (level one) or ``-`` (level two). A ``---`` line after a
    blank line stays a scene break.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        under = _SETEXT.match(lines[i + 1]) if i + 1 < len(lines) else None
        alone = not out or not out[-1].strip()
        if under and alone and line.strip() and not _NOT_HEADING_TEXT.match(line):
            level = 1 if under.group(1)[0] == "=" else 2
            out.append(f"{'#' * level} {line.strip()}")
            i += 2
            continue
        out.append(line)
        i += 1
    return out


def _take_byline(lines: list[str], meta: MetaBuilder) -> list[str]:
    """A ``by Name`` line standing alone first under the title is the author."""
    i = next((k for k, ln in enumerate(lines) if ln.strip()), len(lines))
    if i >= len(lines) or (i + 1 < len(lines) and lines[i + 1].strip()):
        return lines
    name = byline_name(lines[i].strip().strip("*_").strip())
    if name is None:
        return lines
    meta.set("authors", name)
    return lines[:i] + lines[i + 1 :]


def _chapter_level(headings: list[tuple[int, str]]) -> int:
    """The heading level that marks chapters: the one whose headings run through the text.

    Rules: level one when it repeats (a ``# Title`` above ``# Chapter`` headings is
    told apart by ``_title_line``); else, below the title, the shallowest level used at
    least twice, so a single ``###`` dateline above ``####`` chapters is not the chapter
    level; else the shallowest level used below the title.
    """
    levels = [level for level, _ in headings]
    if not levels:
        return 7
    if levels.count(1) > 1:
        return 1
    deeper = [lv for lv in levels if lv > 1]
    repeated = [lv for lv in deeper if deeper.count(lv) > 1]
    if repeated:
        return min(repeated)
    return min(deeper) if deeper else 7


def _heading_info(text: str, position: int) -> HeadingInfo:
    """A chapter heading's number and title: ``Chapter 2: X`` read as such, else a title."""
    parsed = parse_heading(text)
    if parsed is not None:
        return parsed
    return HeadingInfo(position, text.strip() or None)

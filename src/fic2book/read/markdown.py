"""Markdown stories (FORMATS.md dialect 5): optional YAML front matter, ``# Title``,
``## Chapter`` headings, emphasis, ``***`` breaks, ``>`` quotes, wrapped paragraphs.

The title is the only level-one heading when the chapters use a deeper level; when
level one is used several times, those headings are the chapters.
"""

from __future__ import annotations

import re

from fic2book.read.fields import MetaBuilder
from fic2book.read.headings import HeadingInfo, parse_heading
from fic2book.read.paragraphs import detect_layout, md_heading
from fic2book.read.text import Draft, byline_name, chapters_from_parts

_FENCE = re.compile(r"^---\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_NOT_HEADING_TEXT = re.compile(r"^\s{0,3}(?:[>#*+-]\s|\d+[.)]\s)|^\s{4}")


def looks_like_markdown(text: str) -> bool:
    """Markdown: front matter at the top, or ATX headings (``# ``/``## ``) on their own lines."""
    if text.startswith("---\n") and re.search(r"\n---\s*\n", text[4:3000]):
        return True
    return len(re.findall(r"(?m)^#{1,3} \S", text[:50000])) >= 1


def read_front_matter(lines: list[str], meta: MetaBuilder) -> int:
    """Read simple YAML front matter (scalars, ``[a, b]`` and ``- item`` lists).

    Returns the index of the first line after it (0 when there is none).
    """
    if not lines or not _FENCE.match(lines[0]):
        return 0
    try:
        end = next(i for i in range(1, len(lines)) if _FENCE.match(lines[i]))
    except StopIteration:
        return 0
    key: str | None = None
    for line in lines[1:end]:
        item = re.match(r"^\s+-\s+(.*)$", line)
        if item and key:
            meta.add(key, _unquote(item.group(1)))
            continue
        m = re.match(r"^([A-Za-z][\w ']*):\s*(.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            value = ",".join(_unquote(v) for v in value[1:-1].split(","))
        if value:
            meta.add(key, _unquote(value))
    return end + 1


def _unquote(value: str) -> str:
    """Remove YAML quotes around a scalar."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def read_markdown(text: str) -> Draft:
    """Read a markdown story into a draft (see the module docstring)."""
    draft = Draft()
    lines = text.split("\n")
    lines = setext_to_atx(lines[read_front_matter(lines, draft.meta) :])
    levels = [h[0] for ln in lines if (h := md_heading(ln))]
    chapter_level = _chapter_level(levels)
    preamble: list[str] = []
    parts: list[tuple[HeadingInfo | None, list[str]]] = []
    for line in lines:
        m = md_heading(line)
        level = m[0] if m else 0
        if m and level < chapter_level and not parts:
            draft.meta.set("title", m[1])
        elif m and level == chapter_level:
            parts.append((_heading_info(m[1], len(parts) + 1), []))
        elif parts:
            parts[-1][1].append(line)
        else:
            preamble.append(line)
    if not parts:
        parts, preamble = [(None, preamble)], []
    if draft.meta.has("title") and not draft.meta.has("authors"):
        if preamble:
            preamble = _take_byline(preamble, draft.meta)
        elif parts[0][0] is None:
            parts[0] = (None, _take_byline(parts[0][1], draft.meta))
    layout = detect_layout(lines, markdown=True)
    draft.chapters = chapters_from_parts(preamble, parts, draft.meta, layout)
    return draft


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


def _chapter_level(levels: list[int]) -> int:
    """The heading level that marks chapters: level one when it repeats, else the next
    level used below the title."""
    if not levels:
        return 7
    if levels.count(1) > 1:
        return 1
    deeper = [lv for lv in levels if lv > 1]
    return min(deeper) if deeper else 7


def _heading_info(text: str, position: int) -> HeadingInfo:
    """A chapter heading's number and title: ``Chapter 2: X`` read as such, else a title."""
    parsed = parse_heading(text)
    if parsed is not None:
        return parsed
    return HeadingInfo(position, text.strip() or None)

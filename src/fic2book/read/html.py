"""Saved HTML pages (FORMATS.md dialect 6): AO3 work pages, AO3's HTML download, FFN pages.

The page kind is told from its markup: ``div#workskin`` (or ``dl.work.meta``) is an AO3
work page saved from the browser, ``div#preface`` beside ``div#chapters`` is AO3's own
HTML download, ``div#storytext`` (or ``div#profile_top``) is a fanfiction.net story page;
anything else is read as generic HTML (title from the first ``<h1>`` or ``<title>``,
chapters at ``<h2>`` headings when there are several).

Story markup becomes the model's blocks and inlines (see ``element_blocks`` and
``inline_nodes``); italics, bold and ``<hr>`` survive. Text nodes are collapsed the way a
browser collapses HTML whitespace, non-breaking spaces inside the text are kept, and no
markup ever reaches a Text node. Scripts, styles, forms and comments are never read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from bs4 import BeautifulSoup, Comment, NavigableString, PageElement, Tag
from bs4.element import PreformattedString

from fic2book.model import (
    Block,
    BlockQuote,
    Chapter,
    Emph,
    Gap,
    Heading,
    Inline,
    LineBreak,
    Link,
    Paragraph,
    SceneBreak,
    Span,
    Strike,
    Strong,
    Text,
    Underline,
    Verse,
)
from fic2book.read.ao3_text import TAG_LABELS as AO3_TAG_FIELDS
from fic2book.read.assemble import note, peel_notes, sort_notes
from fic2book.read.breaks import NBSP, is_scene_break_line
from fic2book.read.ffn_text import read_stats
from fic2book.read.fields import MetaBuilder
from fic2book.read.headings import clean_title, parse_heading
from fic2book.read.inlines import merge_text, plain_text
from fic2book.read.paragraphs import is_verse, tidy
from fic2book.read.text import Draft, byline_name

Align = Literal["left", "center", "right"]
Maker = Callable[[tuple[Inline, ...]], Inline]

# fmt: off
# Elements whose content is never story text.
SKIP_TAGS = frozenset({
    "script", "style", "form", "noscript", "iframe", "template", "button", "select",
    "input", "textarea", "option", "nav", "svg", "object", "embed", "head", "img",
})
# Elements read as containers of blocks (or as blocks themselves).
BLOCK_TAGS = frozenset({
    "p", "div", "center", "blockquote", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
    "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
    "caption", "section", "article", "main", "header", "footer", "aside", "figure",
    "figcaption", "address", "pre", "body", "html", "details", "summary", "fieldset",
})
# fmt: on
_BLOCK_NAMES = sorted(BLOCK_TAGS)
# Block elements whose content is one paragraph (when they hold no blocks of their own).
_PARAGRAPH_LIKE = frozenset(
    {"li", "dt", "dd", "td", "th", "caption", "figcaption", "summary", "address"}
)
_EMPH = frozenset({"em", "i", "cite", "var", "dfn"})
_STRONG = frozenset({"strong", "b"})
_STRIKE = frozenset({"s", "strike", "del"})
_UNDERLINE = frozenset({"u", "ins"})
_CLASSED = frozenset({"sup", "sub", "small", "code", "kbd", "tt"})
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_ALIGNS: dict[str, Align] = {"left": "left", "center": "center", "right": "right"}
_ALIGN_STYLE = re.compile(r"text-align\s*:\s*(left|center|right)", re.IGNORECASE)
_AO3_WORK_URL = re.compile(r"(?:https?://[^/\s\"']*archiveofourown\.org)?/works/(\d+)")
_CHAPTER_TITLE = re.compile(r"^\s*Chapter\s+(\d+)\s*(?:[:.]\s*(.*))?$", re.IGNORECASE)
_SERIES_PART = re.compile(r"Part\s+(\d+)\s+of\s+(.+?)\s*$", re.IGNORECASE)
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)")
_FFN_OPTION = re.compile(r"^\s*(\d{1,4})\.\s*(.*)$")

_LIST_FIELDS = frozenset(
    {"authors", "fandoms", "warnings", "categories", "relationships", "characters", "tags"}
)


# --------------------------------------------------------------------------- detection


def read_html(text: str) -> Draft:
    """Read a saved HTML page into a draft story, choosing the reader from its markup."""
    soup = BeautifulSoup(text, "lxml")
    saved_from = _saved_from_url(soup)
    _drop_unread(soup)
    draft = Draft()
    try:
        page_reader(soup)(soup, draft)
    except RecursionError:
        soup = BeautifulSoup(text, "lxml")
        _drop_unread(soup)
        draft = flat_reading(soup)
    url = saved_from or _canonical_url(soup)
    if url:
        draft.meta.set("source_url", url)
    return draft


def page_reader(soup: BeautifulSoup) -> Callable[[BeautifulSoup, Draft], None]:
    """Choose the reader for a page from its markup (see the module docstring)."""
    if soup.select_one("div#workskin") or soup.select_one("dl.work.meta"):
        return _read_ao3_work
    if soup.select_one("div#preface") and soup.select_one("div#chapters"):
        return _read_ao3_download
    if soup.select_one("div#storytext") or soup.select_one("div#profile_top"):
        return _read_ffn
    return _read_generic


def flat_reading(soup: BeautifulSoup) -> Draft:
    """The last resort for markup nested too deeply to walk: the page's title and its
    text, one paragraph per line, with no formatting."""
    draft = Draft()
    draft.meta.set("title", text_of(soup.select_one("title")))
    body = soup.body or soup
    lines = (collapse_space(line).strip() for line in body.get_text("\n").split("\n"))
    blocks = tuple(Paragraph((Text(line),)) for line in lines if line)
    draft.chapters = [Chapter(number=None, blocks=blocks)]
    return draft


def _saved_from_url(soup: BeautifulSoup) -> str | None:
    """The address in a browser's ``<!-- saved from url=(0047)https://... -->`` comment."""
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        m = _SAVED_FROM.search(str(node))
        if m and m.group(1).startswith(("http://", "https://")):
            return m.group(1)
    return None


def _canonical_url(soup: BeautifulSoup) -> str | None:
    """The page's own address from ``<link rel=canonical>`` or ``og:url``, when absolute."""
    for tag, attr in (
        (soup.select_one('link[rel="canonical"]'), "href"),
        (soup.select_one('meta[property="og:url"]'), "content"),
    ):
        value = _attr(tag, attr) if tag else ""
        if value.startswith(("http://", "https://")):
            return value
    return None


def _drop_unread(soup: BeautifulSoup) -> None:
    """Remove what is never read anywhere: scripts, styles, embedded frames and comments."""
    for tag in soup.select("script, style, noscript, iframe, template"):
        tag.decompose()
    for node in soup.find_all(string=lambda s: isinstance(s, PreformattedString)):
        node.extract()


# --------------------------------------------------------------------------- small helpers


def _attr(tag: Tag, name: str) -> str:
    """An attribute's value as one string (class lists joined by spaces), or ``""``."""
    value = tag.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return " ".join(str(v) for v in value)


def _classes(tag: Tag) -> tuple[str, ...]:
    """A tag's class names, in order."""
    return tuple(_attr(tag, "class").split())


def text_of(node: PageElement | None) -> str:
    """The visible text of an element on one line: HTML whitespace collapsed, ends stripped."""
    if node is None:
        return ""
    raw = node.get_text() if isinstance(node, Tag) else str(node)
    return _HTML_SPACE.sub(" ", raw).strip()


def _label(tag: Tag) -> str:
    """A ``<dt>`` label compared without case, spaces or its trailing colon."""
    return re.sub(r"\s+", " ", text_of(tag).rstrip(":： ").lower())


def _set_series(meta: MetaBuilder, tag: Tag) -> None:
    """``Part 2 of <a>Name</a>`` gives the series name (the link's text, else what
    follows ``of``) and the work's position in it; the first series listed wins."""
    text = text_of(tag)
    link = tag.select_one("a")
    m = _SERIES_PART.search(text)
    name = text_of(link) if link is not None else (m.group(2).strip() if m else text)
    if name:
        meta.values.setdefault("series", name)
    if m and "series_index" not in meta.values:
        meta.values["series_index"] = int(m.group(1))


def _is_inside(tag: Tag, ancestors: Sequence[Tag]) -> bool:
    """True when ``tag`` is one of ``ancestors`` or lies inside one of them."""
    node: Tag | None = tag
    while node is not None:
        if any(node is a for a in ancestors):
            return True
        node = node.parent
    return False


# --------------------------------------------------------------------------- inlines


def collapse_space(text: str) -> str:
    """HTML whitespace rule: a run of spaces, tabs and newlines is one space (NBSP is kept)."""
    return _HTML_SPACE.sub(" ", text)


def _link_target(tag: Tag) -> str | None:
    """A link's target when it leaves the page for the web or mail, else None."""
    href = _attr(tag, "href").strip()
    return href if href.lower().startswith(_LINK_SCHEMES) else None


def _style_makers(style: str) -> list[Maker]:
    """Inline styles that carry meaning: italic, bold, underline and line-through."""
    s = style.lower().replace(" ", "")
    makers: list[Maker] = []
    if "font-style:italic" in s or "font-style:oblique" in s:
        makers.append(Emph)
    if re.search(r"font-weight:(bold|bolder|[6-9]00)", s):
        makers.append(Strong)
    if "text-decoration:underline" in s or "text-decoration-line:underline" in s:
        makers.append(Underline)
    if "line-through" in s:
        makers.append(Strike)
    return makers


def inline_makers(tag: Tag) -> list[Maker]:
    """The inline wrappers a formatting element stands for, outermost first.

    Rules: ``em``/``i``/``cite`` are emphasis, ``strong``/``b`` strong, ``s``/``strike``/
    ``del`` struck, ``u``/``ins`` underlined; ``a`` is a link only for http, https and
    mailto targets; a ``span`` with classes is a Span, and its inline style may add
    emphasis, strong, underline or strike; ``sup``/``sub``/``small``/``code`` become a
    Span classed with the element's name. Anything else has no meaning of its own.
    """
    name = tag.name
    if name in _EMPH:
        return [Emph]
    if name in _STRONG:
        return [Strong]
    if name in _STRIKE:
        return [Strike]
    if name in _UNDERLINE:
        return [Underline]
    if name == "a":
        href = _link_target(tag)
        return [lambda children: Link(children, href)] if href else []
    if name in _CLASSED:
        return [lambda children: Span(children, (name,))]
    if name == "span":
        makers = _style_makers(_attr(tag, "style"))
        classes = _classes(tag)
        if classes:
            makers.append(lambda children: Span(children, classes))
        return makers
    return []


def _is_text(node: PageElement) -> bool:
    """A text node of the document (not a comment, doctype or other special string)."""
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def inline_nodes(nodes: Iterable[PageElement]) -> list[Inline]:
    """Inlines from HTML nodes: formatting elements wrap their content, ``<br>`` is a
    LineBreak, text is collapsed per the HTML whitespace rule, skipped elements vanish."""
    out: list[Inline] = []
    for node in nodes:
        if _is_text(node):
            out.append(Text(collapse_space(str(node))))
        elif isinstance(node, Tag):
            if node.name in SKIP_TAGS:
                continue
            if node.name == "br":
                out.append(LineBreak())
                continue
            inner: tuple[Inline, ...] = merge_text(inline_nodes(node.children))
            for make in reversed(inline_makers(node)):
                if inner:
                    inner = (make(inner),)
            out.extend(inner)
    return list(merge_text(out))


def split_lines(inlines: Sequence[Inline]) -> list[list[Inline]]:
    """Split inlines into lines at every LineBreak, at any depth.

    A formatting wrapper that spans a break is cut in two, so each line keeps its own
    emphasis (``<em>a<br>b</em>`` is the lines ``<em>a</em>`` and ``<em>b</em>``).
    """
    lines: list[list[Inline]] = [[]]
    for node in inlines:
        if isinstance(node, LineBreak):
            lines.append([])
        elif isinstance(node, Emph | Strong | Strike | Underline | Link | Span):
            for k, part in enumerate(split_lines(node.children)):
                if k:
                    lines.append([])
                if part:
                    lines[-1].append(replace(node, children=tuple(part)))
        else:
            lines[-1].append(node)
    return lines


def _squeeze(inlines: Sequence[Inline], space_before: bool) -> tuple[list[Inline], bool]:
    """Drop a space that follows another space across element edges (HTML collapsing).

    Returns the inlines and whether the text so far ends in a space. Wrappers left with
    no content are dropped.
    """
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            text = node.text[1:] if space_before and node.text.startswith(" ") else node.text
            if text:
                out.append(Text(text))
                space_before = text.endswith(" ")
        elif isinstance(node, Emph | Strong | Strike | Underline | Link | Span):
            children, space_before = _squeeze(node.children, space_before)
            if children:
                out.append(replace(node, children=tuple(children)))
        else:
            out.append(node)
            space_before = True
    return out, space_before


def _strip_end(inlines: list[Inline], *, left: bool) -> list[Inline]:
    """Strip whitespace (NBSP included) from one end of a line, at any depth."""
    items = list(inlines)
    while items:
        k = 0 if left else -1
        node = items[k]
        if isinstance(node, Text):
            text = node.text.lstrip() if left else node.text.rstrip()
            if text:
                items[k] = Text(text)
                break
        elif isinstance(node, Emph | Strong | Strike | Underline | Link | Span):
            children = _strip_end(list(node.children), left=left)
            if children:
                items[k] = replace(node, children=tuple(children))
                break
        else:
            break
        items.pop(k)
    return items


def clean_line(line: Sequence[Inline]) -> tuple[Inline, ...]:
    """One line of inlines with HTML whitespace collapsed and its ends stripped."""
    squeezed, _ = _squeeze(line, True)
    return merge_text(_strip_end(_strip_end(squeezed, left=True), left=False))


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class _Context:
    """What enclosing elements pass down: an alignment and inline wrappers."""

    align: Align | None = None
    wraps: tuple[Maker, ...] = ()

    def wrap(self, inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        """Wrap some inlines in the enclosing elements' wrappers, innermost nearest."""
        for make in reversed(self.wraps):
            if inlines:
                inlines = (make(inlines),)
        return inlines


def alignment(tag: Tag) -> Align | None:
    """The alignment an element asks for: ``<center>``, ``align=`` or ``text-align:``."""
    if tag.name == "center":
        return "center"
    m = _ALIGN_STYLE.search(_attr(tag, "style"))
    return _ALIGNS.get(_attr(tag, "align").strip().lower()) or (
        _ALIGNS.get(m.group(1).lower()) if m else None
    )


def _has_block(tag: Tag) -> bool:
    """True when an element holds block-level elements (so it cannot be one paragraph)."""
    return tag.find(_BLOCK_NAMES) is not None


def _is_block(node: PageElement) -> bool:
    """A node read as a block: a block element, or any element holding blocks."""
    return isinstance(node, Tag) and (node.name in BLOCK_TAGS or _has_block(node))


def element_blocks(tag: Tag) -> tuple[Block, ...]:
    """Blocks from an element's content, tidied (see ``tidy``)."""
    return tidy(_child_blocks(tag.children, _Context(align=alignment(tag))))


def _child_blocks(nodes: Iterable[PageElement], ctx: _Context) -> list[Block]:
    """Blocks from a sequence of sibling nodes.

    Rule: block elements are read one by one; runs of loose text and inline elements
    between them are read as paragraphs (see ``line_blocks``); a second ``<p>&nbsp;</p>``
    in a row is a scene break (see ``is_nbsp_paragraph``).
    """
    out: list[Block] = []
    run: list[PageElement] = []
    spacers = 0
    for node in nodes:
        if isinstance(node, Tag) and node.name in SKIP_TAGS:
            continue
        if _is_block(node):
            out.extend(_loose_blocks(run, ctx))
            run = []
            assert isinstance(node, Tag)
            spacers = spacers + 1 if is_nbsp_paragraph(node) else 0
            out.extend([SceneBreak(NBSP)] if spacers == 2 else _block(node, ctx))
        elif isinstance(node, Tag) or _is_text(node):
            run.append(node)
            if isinstance(node, Tag) or str(node).strip(" \t\n\r\f"):
                spacers = 0
    out.extend(_loose_blocks(run, ctx))
    return out


def is_nbsp_paragraph(tag: Tag) -> bool:
    """A ``<p>`` holding nothing but non-breaking spaces (``<p>&nbsp;</p>``).

    Rule: one such paragraph is a Gap, like any empty paragraph; two or more in a row
    are an explicit scene break, as the same pattern is in copied AO3 text.
    """
    if tag.name != "p":
        return False
    text = tag.get_text()
    return NBSP in text and not text.replace(NBSP, " ").strip()


def _loose_blocks(run: list[PageElement], ctx: _Context) -> list[Block]:
    """Loose inline content between blocks: paragraphs, or a gap when it is only ``<br>``s."""
    if not run:
        return []
    inlines = inline_nodes(run)
    blocks = line_blocks(inlines, ctx)
    if not blocks and any(isinstance(n, LineBreak) for n in inlines):
        return [Gap()]
    return blocks


def _block(tag: Tag, ctx: _Context) -> list[Block]:
    """Blocks from one block-level element (or an inline element that holds blocks)."""
    name = tag.name
    own = alignment(tag)
    inner = replace(ctx, align=own) if own else ctx
    if name == "hr":
        return [SceneBreak("<hr>")]
    if name == "p" and not _has_block(tag):
        return paragraph_blocks(tag, inner)
    if name == "blockquote":
        quoted = tidy(_child_blocks(tag.children, replace(inner, align=own)))
        return [BlockQuote(quoted)] if quoted else []
    if re.fullmatch(r"h[1-6]", name) and not _has_block(tag):
        return heading_blocks(tag, inner)
    if name == "pre":
        return preformatted_blocks(tag)
    if name in _PARAGRAPH_LIKE and not _has_block(tag):
        return line_blocks(inline_nodes(tag.children), inner)
    makers = inline_makers(tag) if name not in BLOCK_TAGS else []
    if makers:
        inner = replace(inner, wraps=inner.wraps + tuple(makers))
    return _child_blocks(tag.children, inner)


def paragraph_blocks(tag: Tag, ctx: _Context) -> list[Block]:
    """A ``<p>``: empty or only whitespace/NBSP is a Gap; otherwise its lines are read
    as paragraphs, verse or a break marker (see ``line_blocks``)."""
    blocks = line_blocks(inline_nodes(tag.children), ctx)
    return blocks or [Gap()]


def heading_blocks(tag: Tag, ctx: _Context) -> list[Block]:
    """``<h1>``-``<h6>`` inside text: a Heading, or a SceneBreak when it is only a marker."""
    inlines = ctx.wrap(clean_line([i for line in _joined_lines(tag) for i in line]))
    text = plain_text(inlines)
    if not text.strip():
        return []
    if is_scene_break_line(text):
        return [SceneBreak(text.strip())]
    return [Heading(int(tag.name[1]), inlines)]


def _joined_lines(tag: Tag) -> list[list[Inline]]:
    """An element's lines with a space where each ``<br>`` was (for one-line headings)."""
    lines = split_lines(inline_nodes(tag.children))
    out: list[list[Inline]] = []
    for k, line in enumerate(lines):
        out.append(([Text(" ")] if k else []) + line)
    return out


def preformatted_blocks(tag: Tag) -> list[Block]:
    """``<pre>``: its lines as written; blank lines separate verse groups."""
    blocks: list[Block] = []
    group: list[str] = []
    for raw in [*tag.get_text().split("\n"), ""]:
        line = raw.rstrip()
        if line.strip():
            group.append(line.strip())
            continue
        if len(group) > 1:
            blocks.append(Verse(tuple((Text(g),) for g in group)))
        elif group:
            blocks.append(Paragraph((Text(group[0]),)))
        group = []
    return blocks


def line_blocks(inlines: Sequence[Inline], ctx: _Context) -> list[Block]:
    """Blocks from a paragraph's inlines, read line by line (lines end at ``<br>``).

    Rules: two ``<br>`` in a row end a paragraph, and three or more also leave a Gap;
    a line that is only a break marker is a SceneBreak; a group of two or more lines
    that are all short (``is_verse``) is Verse, one tuple of inlines per line; any other
    group is a Paragraph whose remaining ``<br>`` are LineBreaks.
    """
    blocks: list[Block] = []
    group: list[tuple[Inline, ...]] = []
    blank = 0
    for line in [*(clean_line(ln) for ln in split_lines(inlines)), ()]:
        text = plain_text(line)
        if line and not is_scene_break_line(text):
            if blank >= 2 and blocks:
                blocks.append(Gap())
            blank = 0
            group.append(ctx.wrap(line))
            continue
        blocks.extend(_group_blocks(group, ctx))
        group = []
        if line:
            blocks.append(SceneBreak(text.replace(NBSP, " ").strip()))
            blank = 0
        else:
            blank += 1
    return blocks


def _group_blocks(lines: list[tuple[Inline, ...]], ctx: _Context) -> list[Block]:
    """One group of consecutive lines: nothing, verse, or a paragraph."""
    if not lines:
        return []
    texts = [plain_text(line) for line in lines]
    if len(lines) > 1 and is_verse(texts):
        return [Verse(tuple(lines))]
    inlines: list[Inline] = []
    for k, line in enumerate(lines):
        if k:
            inlines.append(LineBreak())
        inlines.extend(line)
    return [Paragraph(merge_text(inlines), ctx.align)]


# --------------------------------------------------------------------------- AO3 pieces


def _tag_items(dd: Tag) -> list[str]:
    """The tags in an AO3 ``<dd>``: its links' texts, else its text split at commas."""
    links = dd.select("a.tag") or dd.select("a")
    if links:
        return [text_of(a) for a in links if text_of(a)]
    return [t.strip() for t in text_of(dd).split(",") if t.strip()]


def store_ao3_field(meta: MetaBuilder, key: str, dd: Tag) -> None:
    """Store one AO3 tag field (by dd class or dt label) from its ``<dd>``."""
    name = AO3_TAG_FIELDS.get(key)
    if name is None:
        return
    if name == "stats":
        _store_stats(meta, dd)
    elif name == "series":
        _set_series(meta, dd.select_one("span.position") or dd)
    elif name == "rating":
        meta.set("rating", ", ".join(_tag_items(dd)))
    elif name == "language":
        meta.set("language", text_of(dd))
    elif name in _LIST_FIELDS:
        meta.add_items(name, _tag_items(dd))
    else:
        meta.add_extra(name, ", ".join(_tag_items(dd)))


def _store_stats(meta: MetaBuilder, dd: Tag) -> None:
    """AO3 stats: a nested ``dl.stats`` (work page) or ``Label: value`` text (download)."""
    pairs = dd.select("dl.stats > dt")
    if pairs:
        for dt in pairs:
            value = dt.find_next_sibling("dd")
            if isinstance(value, Tag):
                meta.add(text_of(dt).rstrip(": "), text_of(value))
        return
    for label, value in re.findall(r"([A-Za-z]+):\s*(\S+)", text_of(dd)):
        meta.add(label, value)


def _note_module_blocks(module: Tag) -> tuple[Block, ...]:
    """An AO3 notes or summary module: its ``blockquote.userstuff`` content.

    Without a blockquote, the module's own content minus its heading and the
    ``(See the end of the chapter for notes.)`` pointer.
    """
    quotes = module.select("blockquote.userstuff")
    if quotes:
        return tuple(b for q in quotes for b in element_blocks(q))
    for chrome in module.select("h3.heading, p.jump, div.endnote-link"):
        chrome.decompose()
    return element_blocks(module)


def _associations(module: Tag) -> tuple[Block, ...]:
    """AO3's ``Inspired by ...`` / translation lines, which belong to the work notes."""
    blocks: list[Block] = []
    for li in module.select("ul.associations > li"):
        line = clean_line(inline_nodes(li.children))
        if line:
            blocks.append(Paragraph(line))
    return tuple(blocks)


def parse_chapter_title(text: str, position: int) -> tuple[int, str | None]:
    """``Chapter 3: Title`` gives (3, "Title"); a bare title keeps its text and takes the
    chapter's position as its number; a title that only repeats the number is None."""
    m = _CHAPTER_TITLE.match(text)
    if m:
        number = int(m.group(1))
        return number, clean_title(m.group(2), number)
    return position, clean_title(text, position)


# --------------------------------------------------------------------------- AO3 work page


def _read_ao3_work(soup: BeautifulSoup, draft: Draft) -> None:
    """An AO3 work page saved from the browser (see the module docstring)."""
    meta = draft.meta
    for dd in soup.select("dl.work.meta > dd"):
        for cls in _classes(dd):
            if cls in AO3_TAG_FIELDS:
                store_ao3_field(meta, cls, dd)
                break
    if "series" not in meta.values:
        position = soup.select_one("#series span.position, span.series span.position")
        if position:
            _set_series(meta, position)
    skin = soup.select_one("div#workskin") or soup
    meta.set("title", text_of(skin.select_one("h2.title")))
    _read_byline(meta, skin.select_one("h3.byline"))
    chapters_div = skin.select_one("div#chapters")
    outside = [t for t in (chapters_div, skin.select_one("#work_endnotes")) if t is not None]
    for module in skin.select("div.summary.module"):
        if not _is_inside(module, outside):
            meta.add_blocks("summary", _note_module_blocks(module))
            break
    for module in skin.select("div.notes.module"):
        if not _is_inside(module, outside) and "end" not in _classes(module):
            meta.add_blocks("notes", _associations(module))
            for assoc in module.select("ul.associations"):
                assoc.decompose()
            meta.add_blocks("notes", _note_module_blocks(module))
            break
    endnotes = skin.select_one("div#work_endnotes")
    if endnotes:
        meta.add_blocks("end_notes", _note_module_blocks(endnotes))
    meta.set("source_url", _ao3_work_url(soup) or "")
    draft.chapters = _ao3_work_chapters(chapters_div or skin)


def _read_byline(meta: MetaBuilder, byline: Tag | None) -> None:
    """Authors from a byline: its ``rel=author`` links, else its text without ``by``."""
    if byline is None:
        return
    authors = [text_of(a) for a in byline.select('a[rel="author"]')]
    if not authors:
        authors = [re.sub(r"^by\s+", "", text_of(byline), flags=re.IGNORECASE)]
    meta.add_items("authors", authors)


def _ao3_work_url(soup: BeautifulSoup) -> str | None:
    """The work's address: the work id that most links and forms on the page point to.

    Counting, rather than taking the first ``/works/N`` link, keeps an ``Inspired by``
    link in the notes from naming the wrong work.
    """
    votes: Counter[str] = Counter()
    for tag in soup.select("a[href], form[action], link[href]"):
        m = _AO3_WORK_URL.match(_attr(tag, "href") or _attr(tag, "action"))
        if m:
            votes[m.group(1)] += 1
    if not votes:
        return None
    return f"https://archiveofourown.org/works/{votes.most_common(1)[0][0]}"


def _ao3_work_chapters(container: Tag) -> list[Chapter]:
    """The chapters of an AO3 work page: one per ``div.chapter``, or one for a one-shot."""
    divs = container.select(":scope > div.chapter")
    if not divs:
        text = container.select_one('div.userstuff[role="article"]') or container.select_one(
            "div.userstuff"
        )
        return [Chapter(number=None, blocks=_chapter_text(text or container))]
    return [_ao3_work_chapter(div, k + 1) for k, div in enumerate(divs)]


def _chapter_text(div: Tag) -> tuple[Block, ...]:
    """A chapter's text without its ``Chapter Text`` / ``Work Text:`` landmark heading."""
    for landmark in div.select("h3.landmark"):
        landmark.decompose()
    return element_blocks(div)


def _work_chapter_heading(heading: Tag | None, position: int) -> tuple[int, str | None]:
    """``<h3 class="title"><a>Chapter 3</a>: Title</h3>``: the link's text gives the
    number, the text after it (less the ``: ``) the title; without a link the heading is
    read as ``Chapter N: Title``."""
    if heading is None:
        return position, None
    link = heading.select_one("a")
    digits = re.search(r"\d+", text_of(link)) if link is not None else None
    if link is None or digits is None:
        return parse_chapter_title(text_of(heading), position)
    number = int(digits.group(0))
    link.decompose()
    return number, clean_title(text_of(heading).lstrip(":.-–— "), number)


def _ao3_work_chapter(div: Tag, position: int) -> Chapter:
    """One ``div.chapter``: heading, summary, notes, text and end notes."""
    text_div = div.select_one('div.userstuff[role="article"]') or div.select_one(
        ":scope > div.userstuff"
    )
    blocks: tuple[Block, ...] = ()
    if text_div is not None:
        text_div.extract()
        blocks = _chapter_text(text_div)
    number, title = _work_chapter_heading(div.select_one("h3.title"), position)
    summary: tuple[Block, ...] = ()
    before: tuple[Block, ...] = ()
    after: tuple[Block, ...] = ()
    for module in div.select("div#summary, div.summary"):
        summary += _note_module_blocks(module)
    for module in div.select("div#notes, div.notes"):
        if "end" in _classes(module) or "endnotes" in _attr(module, "id"):
            after += _note_module_blocks(module)
        else:
            before += _note_module_blocks(module)
    return Chapter(
        number=number,
        title=title,
        summary=summary,
        notes_before=note("author-note", before),
        blocks=blocks,
        notes_after=note("end-note", after),
    )


# --------------------------------------------------------------------------- AO3 download


def _read_ao3_download(soup: BeautifulSoup, draft: Draft) -> None:
    """AO3's own HTML download (see the module docstring)."""
    meta = draft.meta
    for message in soup.select("p.message"):
        for a in message.select("a[href]"):
            m = _AO3_WORK_URL.search(_attr(a, "href"))
            if m:
                meta.set("source_url", f"https://archiveofourown.org/works/{m.group(1)}")
        message.decompose()
    preface = soup.select_one("div#preface")
    assert preface is not None
    for dt in preface.select("dl.tags > dt"):
        dd = dt.find_next_sibling(["dd", "dt"])
        if isinstance(dd, Tag) and dd.name == "dd":
            store_ao3_field(meta, _label(dt), dd)
    meta.set("title", text_of(preface.select_one("h1")))
    _read_byline(meta, preface.select_one("div.byline"))
    for label, field in (("summary", "summary"), ("notes", "notes")):
        meta.add_blocks(field, _labelled_quote(preface, {label}))
    for li in preface.select("div.meta > ul > li"):
        line = clean_line(inline_nodes(li.children))
        if line:
            meta.add_blocks("notes", (Paragraph(line),))
    afterword = soup.select_one("div#afterword")
    if afterword is not None:
        end = afterword.select_one("#endnotes") or afterword
        meta.add_blocks("end_notes", _labelled_quote(end, {"end notes"}))
    chapters = soup.select_one("div#chapters")
    assert chapters is not None
    draft.chapters = _download_chapters(chapters)


def _labelled_quote(container: Tag, labels: set[str]) -> tuple[Block, ...]:
    """The blockquote that follows a ``<p>`` label (``Summary``, ``Chapter Notes``...)."""
    blocks: tuple[Block, ...] = ()
    for p in container.select("p"):
        if p.find_parent("blockquote") or text_of(p).rstrip(":").lower() not in labels:
            continue
        quote = p.find_next_sibling(["blockquote", "p", "div"])
        if isinstance(quote, Tag) and quote.name == "blockquote":
            blocks += element_blocks(quote)
    return blocks


def _is_end_notes(div: Tag) -> bool:
    """A download's chapter end-notes box: ``#endnotesN``, ``.endnotes`` or labelled so."""
    return (
        _attr(div, "id").startswith("endnotes")
        or "endnotes" in _classes(div)
        or any(text_of(p).lower() == "chapter end notes" for p in div.select(":scope > p"))
    )


@dataclass
class _DownloadChapter:
    """The parts of one download chapter, collected as its boxes are met."""

    number: int
    title: str | None
    summary: tuple[Block, ...] = ()
    before: tuple[Block, ...] = ()
    blocks: tuple[Block, ...] = ()
    after: tuple[Block, ...] = ()

    def build(self) -> Chapter:
        """The finished chapter."""
        return Chapter(
            number=self.number,
            title=self.title,
            summary=self.summary,
            notes_before=note("author-note", self.before),
            blocks=self.blocks,
            notes_after=note("end-note", self.after),
        )


def _download_chapters(container: Tag) -> list[Chapter]:
    """The download's chapters: each ``div.meta.group`` heads one, the ``div.userstuff``
    after it is its text and an end-notes box after that its end notes. A one-chapter
    work has only the ``div.userstuff``: one chapter with neither number nor title."""
    parts: list[_DownloadChapter] = []
    loose: list[Block] = []
    for child in container.children:
        if not isinstance(child, Tag):
            continue
        classes = _classes(child)
        if _is_end_notes(child):
            if parts:
                parts[-1].after += _labelled_quote(child, {"chapter end notes", "end notes"})
        elif "meta" in classes:
            parts.append(_download_head(child, len(parts) + 1))
        elif "userstuff" in classes:
            if parts:
                parts[-1].blocks += element_blocks(child)
            else:
                loose.extend(element_blocks(child))
    chapters = [part.build() for part in parts]
    if loose or not chapters:
        text = tidy(loose) if loose else element_blocks(container)
        chapters.insert(0, Chapter(number=None, blocks=text))
    return chapters


def _download_head(div: Tag, position: int) -> _DownloadChapter:
    """A download chapter's head: heading, chapter summary and chapter notes."""
    number, title = parse_chapter_title(text_of(div.select_one("h2.heading, h2")), position)
    return _DownloadChapter(
        number=number,
        title=title,
        summary=_labelled_quote(div, {"chapter summary", "summary"}),
        before=_labelled_quote(div, {"chapter notes", "notes"}),
    )


# --------------------------------------------------------------------------- FFN


def _read_ffn(soup: BeautifulSoup, draft: Draft) -> None:
    """A fanfiction.net story page (see the module docstring)."""
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
    crumbs = soup.select("#pre_story_links a")
    if crumbs:
        fandom = re.sub(r"\s+Crossover$", "", text_of(crumbs[-1]))
        meta.add_items("fandoms", fandom.split(" + "))
    number, title = _ffn_chapter(soup)
    story = soup.select_one("div#storytext")
    blocks = element_blocks(story) if story is not None else ()
    lead, blocks, trail = peel_notes(blocks)
    lead_disc, lead_notes = sort_notes(lead)
    trail_disc, trail_notes = sort_notes(trail)
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


def _xutime(stamp: Tag) -> str:
    """An FFN date: its text when that is a full date (``6/29/2008``); otherwise (``Jun
    29``, ``2h ago``) the ISO date of its ``data-xutime`` Unix time."""
    shown = text_of(stamp)
    value = _attr(stamp, "data-xutime")
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}", shown) or not value.isdigit():
        return shown
    return datetime.fromtimestamp(int(value), tz=UTC).date().isoformat()


def _ffn_chapter(soup: BeautifulSoup) -> tuple[int | None, str | None]:
    """The page's chapter from the selected ``#chap_select`` option (``3. Title``).

    A selector with a single option belongs to a one-shot: its option only repeats the
    story's title, so the chapter has neither number nor title.
    """
    select = soup.select_one("select#chap_select")
    if select is None or len(select.select("option")) < 2:
        return None, None
    option = select.select_one("option[selected]") or select.select_one("option")
    m = _FFN_OPTION.match(text_of(option))
    if not m:
        return None, None
    number = int(m.group(1))
    return number, clean_title(m.group(2), number)


# --------------------------------------------------------------------------- generic


def _read_generic(soup: BeautifulSoup, draft: Draft) -> None:
    """Any other HTML: title from the first ``<h1>`` (removed from the text) or the
    ``<title>``; chapters at ``<h2>`` headings when there are two or more."""
    meta = draft.meta
    body = soup.body or soup
    h1 = body.select_one("h1")
    if h1 is not None and text_of(h1):
        meta.set("title", text_of(h1))
        h1.decompose()
    else:
        meta.set("title", text_of(soup.select_one("title")))
    author = soup.select_one('meta[name="author"]')
    if author is not None and _attr(author, "content").strip():
        meta.add_items("authors", [_attr(author, "content")])
    blocks = _child_blocks(body.children, _Context(align=alignment(body)))
    if h1 is not None:
        blocks = _take_byline(blocks, meta)
    draft.chapters = split_at_h2(blocks)


def _take_byline(blocks: list[Block], meta: MetaBuilder) -> list[Block]:
    """A first paragraph under the ``<h1>`` that reads ``by Name`` is the author."""
    first = blocks[0] if blocks else None
    name = byline_name(plain_text(first.inlines)) if isinstance(first, Paragraph) else None
    if name is None:
        return blocks
    meta.set("authors", name)
    return blocks[1:]


def split_at_h2(blocks: list[Block]) -> list[Chapter]:
    """Chapters from top-level level-2 headings when there are two or more, else one.

    Text before the first heading is an unnumbered chapter of its own; a heading that
    reads ``Chapter N[: Title]`` gives the number and title, any other its title.
    """
    heads = [k for k, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 2]
    if len(heads) < 2:
        return [Chapter(number=None, blocks=tidy(blocks))]
    chapters: list[Chapter] = []
    pre = tidy(blocks[: heads[0]])
    if pre:
        chapters.append(Chapter(number=None, blocks=pre))
    for k, at in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(blocks)
        head = blocks[at]
        assert isinstance(head, Heading)
        text = " ".join(plain_text(head.inlines).split())
        info = parse_heading(text)
        number = info.number if info else None
        title = info.title if info else text
        chapters.append(Chapter(number=number, title=title, blocks=tidy(blocks[at + 1 : end])))
    return chapters

"""The HTML-to-model converter: story markup to the model's blocks and inlines.

Every site adapter that reads HTML hands the element holding the story text to
``element_blocks``. Block elements are read through ``BLOCK_HANDLERS``, a table from tag
name to the function that reads it (elements without an entry are containers whose
children are read in turn); formatting elements become inline wrappers through
``inline_makers``. Italics, bold and ``<hr>`` survive. Text nodes are collapsed the way a
browser collapses HTML whitespace, non-breaking spaces inside the text are kept, and no
markup ever reaches a Text node. Scripts, styles, forms and comments are never read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from bs4 import NavigableString, PageElement, Tag
from bs4.element import PreformattedString

from fic2book.images import markup_role
from fic2book.model import (
    Block,
    BlockQuote,
    Emph,
    Gap,
    Heading,
    Image,
    Inline,
    InlineImage,
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
    inline_text,
    map_inlines,
)
from fic2book.read.formats.html.dom import attr, classes, collapse_space
from fic2book.read.inlines import merge_text
from fic2book.read.rules.breaks import NBSP, is_scene_break_line
from fic2book.read.rules.paragraphs import is_verse, tidy

Align = Literal["left", "center", "right"]
Maker = Callable[[tuple[Inline, ...]], Inline]

# fmt: off
# Elements whose content is never story text.
SKIP_TAGS = frozenset({
    "script", "style", "form", "noscript", "iframe", "template", "button", "select",
    "input", "textarea", "option", "nav", "svg", "object", "embed", "head",
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
_ALIGNS: dict[str, Align] = {"left": "left", "center": "center", "right": "right"}
_ALIGN_STYLE = re.compile(r"text-align\s*:\s*(left|center|right)", re.IGNORECASE)


# --------------------------------------------------------------------------- inlines


def _link_target(tag: Tag) -> str | None:
    """A link's target when it leaves the page for the web or mail, else None."""
    href = attr(tag, "href").strip()
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
        makers = _style_makers(attr(tag, "style"))
        names = classes(tag)
        if names:
            makers.append(lambda children: Span(children, names))
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
            if node.name == "img":
                out.append(image_node(node))
                continue
            inner: tuple[Inline, ...] = merge_text(inline_nodes(node.children))
            for make in reversed(inline_makers(node)):
                if inner:
                    inner = (make(inner),)
            out.extend(inner)
    return list(merge_text(out))


def image_node(tag: Tag) -> InlineImage:
    """``<img>``: its source as written, its alt text (else its title), and what its
    markup marks it as (``images.markup_role``); ``images.resolve`` reads the file."""
    src = attr(tag, "src").strip()
    alt, title = collapse_space(attr(tag, "alt")).strip(), attr(tag, "title")
    words = (alt, title, attr(tag, "class"), attr(tag, "id"), src.rsplit("/", 1)[-1])
    return InlineImage(src, alt or collapse_space(title).strip(), markup_role(*words))


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
    no content are dropped. A walk over the inlines (``model.map_inlines``): its text
    runs are met in reading order, each wrapper after its own.
    """
    space = space_before

    def squeeze(node: Inline) -> Inline | tuple[Inline, ...]:
        nonlocal space
        if isinstance(node, Text):
            text = node.text[1:] if space and node.text.startswith(" ") else node.text
            if not text:
                return ()
            space = text.endswith(" ")
            return node if text is node.text else Text(text)
        if isinstance(node, LineBreak | InlineImage):
            space = True
            return node
        return node if node.children else ()

    return list(map_inlines(tuple(inlines), squeeze)), space


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
class Context:
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
    m = _ALIGN_STYLE.search(attr(tag, "style"))
    return _ALIGNS.get(attr(tag, "align").strip().lower()) or (
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
    return tidy(child_blocks(tag.children, Context(align=alignment(tag))))


def child_blocks(nodes: Iterable[PageElement], ctx: Context) -> list[Block]:
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


def _loose_blocks(run: list[PageElement], ctx: Context) -> list[Block]:
    """Loose inline content between blocks: paragraphs, or a gap when it is only ``<br>``s."""
    if not run:
        return []
    inlines = inline_nodes(run)
    blocks = line_blocks(inlines, ctx)
    if not blocks and any(isinstance(n, LineBreak) for n in inlines):
        return [Gap()]
    return blocks


def _block(tag: Tag, ctx: Context) -> list[Block]:
    """Blocks from one block-level element (or an inline element that holds blocks),
    read by its entry in ``BLOCK_HANDLERS``, or as a container when it has none."""
    own = alignment(tag)
    inner = replace(ctx, align=own) if own else ctx
    return BLOCK_HANDLERS.get(tag.name, _container)(tag, inner)


def _container(tag: Tag, ctx: Context) -> list[Block]:
    """Any other element: its children's blocks; an inline formatting element that holds
    blocks (``<i><p>..</p></i>``) wraps each of them in its formatting."""
    makers = inline_makers(tag) if tag.name not in BLOCK_TAGS else []
    if makers:
        ctx = replace(ctx, wraps=ctx.wraps + tuple(makers))
    return child_blocks(tag.children, ctx)


def _rule_blocks(tag: Tag, ctx: Context) -> list[Block]:
    """``<hr>`` is a scene break."""
    return [SceneBreak("<hr>")]


def _p_blocks(tag: Tag, ctx: Context) -> list[Block]:
    """``<p>``: a paragraph (see ``paragraph_blocks``), or a container when it holds
    blocks of its own."""
    return _container(tag, ctx) if _has_block(tag) else paragraph_blocks(tag, ctx)


def _quote_blocks(tag: Tag, ctx: Context) -> list[Block]:
    """``<blockquote>``: a BlockQuote of its blocks, aligned only as the quote itself asks."""
    quoted = tidy(child_blocks(tag.children, replace(ctx, align=alignment(tag))))
    return [BlockQuote(quoted)] if quoted else []


def _h_blocks(tag: Tag, ctx: Context) -> list[Block]:
    """``<h1>``-``<h6>``: a heading (see ``heading_blocks``), or a container when it holds
    blocks of its own."""
    return _container(tag, ctx) if _has_block(tag) else heading_blocks(tag, ctx)


def _pre_blocks(tag: Tag, ctx: Context) -> list[Block]:
    """``<pre>``: its lines as written (see ``preformatted_blocks``)."""
    return preformatted_blocks(tag)


def _cell_blocks(tag: Tag, ctx: Context) -> list[Block]:
    """List items, table cells, captions...: their content as one paragraph's lines, or a
    container when they hold blocks of their own."""
    if _has_block(tag):
        return _container(tag, ctx)
    return line_blocks(inline_nodes(tag.children), ctx)


def _figure_blocks(tag: Tag, ctx: Context) -> list[Block]:
    """``<figure>`` holding one ``<img>`` and a ``<figcaption>``: one Image with its
    caption; any other figure is a container."""
    images = tag.find_all("img")
    caption = tag.find("figcaption")
    if len(images) != 1 or not isinstance(images[0], Tag) or not isinstance(caption, Tag):
        return _container(tag, ctx)
    image = image_node(images[0])
    lines = [ln for ln in map(clean_line, split_lines(inline_nodes(caption.children))) if ln]
    text = tuple(i for k, line in enumerate(lines) for i in ((LineBreak(),) if k else ()) + line)
    return [Image(image.src, image.alt, text, image.role)]


Handler = Callable[[Tag, Context], list[Block]]
# Tag name -> the function that reads that element as blocks; other elements are containers.
BLOCK_HANDLERS: dict[str, Handler] = {
    "hr": _rule_blocks,
    "p": _p_blocks,
    "blockquote": _quote_blocks,
    **{f"h{level}": _h_blocks for level in range(1, 7)},
    "pre": _pre_blocks,
    "figure": _figure_blocks,
    **{name: _cell_blocks for name in sorted(_PARAGRAPH_LIKE)},
}


def paragraph_blocks(tag: Tag, ctx: Context) -> list[Block]:
    """A ``<p>``: empty or only whitespace/NBSP is a Gap; otherwise its lines are read
    as paragraphs, verse or a break marker (see ``line_blocks``)."""
    blocks = line_blocks(inline_nodes(tag.children), ctx)
    return blocks or [Gap()]


def heading_blocks(tag: Tag, ctx: Context) -> list[Block]:
    """``<h1>``-``<h6>`` inside text: a Heading, or a SceneBreak when it is only a marker."""
    inlines = ctx.wrap(clean_line([i for line in _joined_lines(tag) for i in line]))
    text = inline_text(inlines)
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


def line_blocks(inlines: Sequence[Inline], ctx: Context) -> list[Block]:
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
        text = inline_text(line)
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


def _group_blocks(lines: list[tuple[Inline, ...]], ctx: Context) -> list[Block]:
    """One group of consecutive lines: nothing, verse, or a paragraph."""
    if not lines:
        return []
    texts = [inline_text(line) for line in lines]
    if len(lines) > 1 and is_verse(texts):
        return [Verse(tuple(lines))]
    inlines: list[Inline] = []
    for k, line in enumerate(lines):
        if k:
            inlines.append(LineBreak())
        inlines.extend(line)
    return [Paragraph(merge_text(inlines), ctx.align)]

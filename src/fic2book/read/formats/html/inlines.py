"""Inline markup to the model's inlines: formatting elements become wrappers through
``inline_makers`` (a tag's name, class or style decides), text nodes are collapsed the way
a browser collapses HTML whitespace (non-breaking spaces kept), ``<br>`` splits lines,
and links keep only http, https and mailto targets. No markup ever reaches a Text node.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from bs4 import NavigableString, PageElement, Tag
from bs4.element import PreformattedString

from fic2book.images import markup_role
from fic2book.model import (
    Emph,
    Inline,
    InlineImage,
    LineBreak,
    Link,
    Span,
    Strike,
    Strong,
    Text,
    Underline,
    map_inlines,
)
from fic2book.read.formats.html.dom import attr, classes, collapse_space
from fic2book.read.inlines import merge_text

Maker = Callable[[tuple[Inline, ...]], Inline]

# fmt: off
# Elements whose content is never story text.
SKIP_TAGS = frozenset({
    "script", "style", "form", "noscript", "iframe", "template", "button", "select",
    "input", "textarea", "option", "nav", "svg", "object", "embed", "head",
})
# fmt: on

_EMPH = frozenset({"em", "i", "cite", "var", "dfn"})
_STRONG = frozenset({"strong", "b"})
_STRIKE = frozenset({"s", "strike", "del"})
_UNDERLINE = frozenset({"u", "ins"})
_CLASSED = frozenset({"sup", "sub", "small", "code", "kbd", "tt"})
_LINK_SCHEMES = ("http://", "https://", "mailto:")


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


def is_text(node: PageElement) -> bool:
    """A text node of the document (not a comment, doctype or other special string)."""
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def inline_nodes(nodes: Iterable[PageElement]) -> list[Inline]:
    """Inlines from HTML nodes: formatting elements wrap their content, ``<br>`` is a
    LineBreak, text is collapsed per the HTML whitespace rule, skipped elements vanish."""
    out: list[Inline] = []
    for node in nodes:
        if is_text(node):
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
        if isinstance(node, LineBreak):
            space = True  # a space after a line break is the next line's indent
            return node
        if isinstance(node, InlineImage):
            space = False  # a picture stands for a word: the space after it stays
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

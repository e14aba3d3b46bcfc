"""Small helpers for reading a parsed page: attributes, classes and visible text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bs4 import PageElement, Tag

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def attr(tag: Tag, name: str) -> str:
    """An attribute's value as one string (class lists joined by spaces), or ``""``."""
    value = tag.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return " ".join(str(v) for v in value)


def classes(tag: Tag) -> tuple[str, ...]:
    """A tag's class names, in order."""
    return tuple(attr(tag, "class").split())


def collapse_space(text: str) -> str:
    """HTML whitespace rule: a run of spaces, tabs and newlines is one space (NBSP is kept)."""
    return _HTML_SPACE.sub(" ", text)


def text_of(node: PageElement | None) -> str:
    """The visible text of an element on one line: HTML whitespace collapsed, ends stripped."""
    if node is None:
        return ""
    raw = node.get_text() if isinstance(node, Tag) else str(node)
    return _HTML_SPACE.sub(" ", raw).strip()


def label(tag: Tag) -> str:
    """A ``<dt>`` label compared without case, spaces or its trailing colon."""
    return re.sub(r"\s+", " ", text_of(tag).rstrip(":： ").lower())


def is_inside(tag: Tag, ancestors: Sequence[Tag]) -> bool:
    """True when ``tag`` is one of ``ancestors`` or lies inside one of them."""
    node: Tag | None = tag
    while node is not None:
        if any(node is a for a in ancestors):
            return True
        node = node.parent
    return False

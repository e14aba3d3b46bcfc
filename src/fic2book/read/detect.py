"""Choosing a reader: which dialect a decoded text is written in.

Order matters, most specific first: HTML markup, AO3 page text (its landmarks),
FFN page text (its stats line), markdown, a ``key: value`` header, and plain text last.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fic2book.read.ao3_text import looks_like_ao3, read_ao3_text
from fic2book.read.ffn_text import looks_like_ffn, read_ffn_text
from fic2book.read.markdown import looks_like_markdown, read_markdown
from fic2book.read.text import Draft, key_value, read_text

DIALECTS = ("html", "ao3", "ffn", "markdown", "header", "plain")


def _read_html(text: str) -> Draft:
    """Read saved HTML (imported only when needed)."""
    from fic2book.read.html import read_html

    return read_html(text)


_HTML = re.compile(r"<!doctype html|<html[\s>]|<body[\s>]", re.IGNORECASE)
_PARA = re.compile(r"<p[\s>]", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """HTML: a doctype, ``<html>`` or ``<body>`` near the top, or several ``<p>`` tags."""
    head = text[:4000]
    return bool(_HTML.search(head)) or len(_PARA.findall(text[:20000])) >= 3


def has_header(text: str) -> bool:
    """A header dialect file opens with a recognised ``Key: value`` line."""
    first = next((ln for ln in text.split("\n", 40) if ln.strip()), "")
    return key_value(first) is not None


READERS: dict[str, Callable[[str], Draft]] = {
    "html": _read_html,
    "ao3": read_ao3_text,
    "ffn": read_ffn_text,
    "markdown": read_markdown,
    "header": lambda text: read_text(text, header=True),
    "plain": lambda text: read_text(text, header=False),
}


def detect(text: str, name: str | None = None) -> str:
    """Name the dialect of a text (one of ``DIALECTS``)."""
    lowered = (name or "").lower()
    if lowered.endswith((".html", ".htm", ".xhtml")) or looks_like_html(text):
        return "html"
    if looks_like_ao3(text) >= 3:
        return "ao3"
    if looks_like_ffn(text):
        return "ffn"
    if lowered.endswith((".md", ".markdown")) or looks_like_markdown(text):
        return "markdown"
    if has_header(text):
        return "header"
    return "plain"

"""Telling a text's dialect: the quick tests on raw text that the adapters share, and
``detect``, which names the dialect the registry (``fic2book.read.sites``) would read."""

from __future__ import annotations

import re

from fic2book.read.text import key_value

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


def detect(text: str, name: str | None = None) -> str:
    """Name the dialect of a text (FORMATS.md): ``html`` for any saved page, else the
    name of the text adapter that would read it (``ao3``, ``ffn``, ``markdown``...)."""
    from fic2book.read.sites import choose, source_of

    adapter = choose(source_of(text, name))
    return "html" if adapter.kind == "html" else adapter.name

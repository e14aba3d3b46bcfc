"""Quick tests on raw text that the adapters share: does it look like HTML, does it open
with a header (which dialect reads it is the registry's ``fic2book.read.sites.detect``)."""

from __future__ import annotations

import re

from fic2book.read.formats.text import key_value

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

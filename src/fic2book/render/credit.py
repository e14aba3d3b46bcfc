"""Credit where it is due: the "Posted originally at" line and the colophon.

The title page says where a story was posted when its source is known, the way AO3's
own downloads do (``Posted originally on the Archive of Our Own at <URL>.``; any other
site: ``Posted originally at <URL>.``). The colophon, a short page at the end, says
where the text came from, when, and what made the book.

The colophon's date never comes from the clock, so identical input still gives
identical output: it is ``SOURCE_DATE_EPOCH`` when that is set (the reproducible-builds
convention), else the story's own last date (updated, completed or published), else
it is left out.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from urllib.parse import urlsplit

from lxml import etree

from fic2book.model import Book, Metadata

_AO3_HOSTS = re.compile(r"(?:^|\.)(?:archiveofourown\.org|ao3\.org)$", re.IGNORECASE)
_SAFE = re.compile(r"^https?://", re.IGNORECASE)

Element = etree._Element


def source_of(meta: Metadata) -> str | None:
    """The story's web address when it is an http(s) one, else None."""
    url = (meta.source_url or "").strip()
    return url if _SAFE.match(url) else None


def credit_words(url: str) -> str:
    """The words before the address: AO3's own wording for AO3, plain for the rest."""
    host = urlsplit(url).hostname or ""
    if _AO3_HOSTS.search(host):
        return "Posted originally on the Archive of Our Own at "
    return "Posted originally at "


def colophon_date(book: Book) -> str | None:
    """The colophon's date (see the module docstring), as YYYY-MM-DD, or None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    dates = [
        d
        for meta in (book.metadata, *(s.metadata for s in book.stories))
        for d in (meta.updated, meta.completed, meta.published)
        if d and re.fullmatch(r"\d{4}-\d\d-\d\d", d)
    ]
    return max(dates) if dates else None


def colophon_lines(book: Book) -> list[tuple[str, str | None]]:
    """The colophon as (text, link or None) lines: sources, date, maker."""
    from fic2book import __version__

    lines: list[tuple[str, str | None]] = []
    for story in book.stories:
        url = source_of(story.metadata)
        if url:
            lines.append((credit_words(url), url))
    date = colophon_date(book)
    made = f"Made with fic2book {__version__}"
    lines.append((f"{made} from the text as of {date}." if date else f"{made}.", None))
    return lines

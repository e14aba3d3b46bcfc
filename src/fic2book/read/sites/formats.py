"""Adapters for the site-less text formats: markdown, ``key: value`` header text and
plain text (FORMATS.md dialects 3-5). Their readers live in ``read/markdown.py`` and
``read/text.py``; these objects only say when each applies."""

from __future__ import annotations

from fic2book.read.detect import has_header
from fic2book.read.draft import Draft
from fic2book.read.formats.markdown import looks_like_markdown, read_markdown
from fic2book.read.formats.text import read_text
from fic2book.read.sites.base import Kind, Source


class Markdown:
    """A markdown story."""

    name = "markdown"
    kind: Kind = "text"
    description = "markdown (front matter, # headings, *emphasis*)"

    def matches(self, source: Source) -> bool:
        """A ``.md``/``.markdown`` name, or text that reads as markdown."""
        lowered = (source.name or "").lower()
        return not source.html and (
            lowered.endswith((".md", ".markdown")) or looks_like_markdown(source.text)
        )

    def read(self, source: Source) -> Draft:
        """Read the text with ``read_markdown``."""
        return read_markdown(source.text)


class Header:
    """Text that opens with recognised ``Key: value`` lines."""

    name = "header"
    kind: Kind = "text"
    description = "text opening with Title:/Author:/Rating: lines"

    def matches(self, source: Source) -> bool:
        """Text whose first line is a recognised ``Key: value`` (``has_header``)."""
        return not source.html and has_header(source.text)

    def read(self, source: Source) -> Draft:
        """Read the header, then the text."""
        return read_text(source.text, header=True)


class Plain:
    """Plain text (the last adapter: it claims everything)."""

    name = "plain"
    kind: Kind = "text"
    description = "plain text, paragraphs by blank lines or indents"

    def matches(self, source: Source) -> bool:
        """Every file."""
        return True

    def read(self, source: Source) -> Draft:
        """Read the text, with an optional title and byline at the top."""
        return read_text(source.text, header=False)

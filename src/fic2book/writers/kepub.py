"""The Kobo writer: the EPUB writer's book with Kobo's reading markup (``.kepub.epub``).

Kobo's own reader keeps reading statistics, positions and highlights by span, not by
EPUB CFI, so a kepub marks every sentence of the text: ``<span class="koboSpan"
id="kobo.P.S">`` where P counts the blocks (paragraphs, headings, list items...) of one
XHTML file from 1 and S the sentences within that block from 1. Each file's body content
is wrapped in ``div#book-columns > div#book-inner``, which Kobo paginates, and the cover
image's manifest item carries ``cover-image``. The text itself never changes: the spans
only wrap it. The navigation document keeps its plain markup (Kobo reads its own
contents from the NCX and the nav).

This follows the conventions of kepubify and of calibre's Kobo driver, written anew on
top of ``EpubWriter``: the EPUB is built as usual, then each content file is rewritten
on the way through ``repack``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import ClassVar

from lxml import etree

from fic2book.model import Book
from fic2book.options import RenderOptions
from fic2book.themes import Layer, Theme
from fic2book.writers.epub import NAV_FILE, EpubWriter, repack

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPF_NS = "http://www.idpf.org/2007/opf"
SPAN_CLASS = "koboSpan"
OUTER_ID = "book-columns"
INNER_ID = "book-inner"

BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption"}
    | {"figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main"}
    | {"nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"}
)
"""Elements whose text starts a new Kobo paragraph (a new P in ``kobo.P.S``)."""
SKIPPED_TAGS = frozenset({"script", "style", "svg", "math", "rt", "rp", "head"})
"""Elements whose content gets no spans (not reading text, or foreign markup)."""

_SENTENCE_END = re.compile(
    r"""(?:[.!?…]+(?:[\"'”’»)\]]|[\s\u00a0\u202f]+[»”’)])*\s+  # Western: end marks,
                                          # closing quotes (French: after a space), spaces
        |[。！？]+[”’」』）》]*\s*)      # CJK: end marks and closers, no space needed
    """,
    re.VERBOSE,
)


def sentences(text: str) -> list[str]:
    """A text cut into sentences whose concatenation is the text: a cut falls after an
    end mark (``. ! ? …`` or CJK ``。！？``), the closing quotes or brackets after it and
    the spaces after those, unless a lower-case letter follows (``« Tu viens ? »
    demanda-t-elle.`` is one sentence); the spaces stay with the sentence they follow."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() < len(text) and not text[match.end()].islower():
            pieces.append(text[start : match.end()])
            start = match.end()
    pieces.append(text[start:])
    return [p for p in pieces if p]


def _local(el: etree._Element) -> str:
    """An element's tag without its namespace ('' for comments and the like)."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


class _Spanner:
    """Numbers and inserts the spans of one document, in reading order."""

    def __init__(self) -> None:
        self.para = 0
        self.seg = 0
        self.new_para = True

    def span(self, text: str | None = None) -> etree._Element:
        """The next span of the current paragraph."""
        if self.new_para:
            self.para += 1
            self.seg = 0
            self.new_para = False
        self.seg += 1
        el = etree.Element(
            f"{{{XHTML_NS}}}span", {"class": SPAN_CLASS, "id": f"kobo.{self.para}.{self.seg}"}
        )
        el.text = text
        return el

    def spans(self, text: str) -> list[etree._Element]:
        """Spans for a run of text, one per sentence; leading spaces stay outside."""
        return [self.span(s) for s in sentences(text)]

    def walk(self, el: etree._Element) -> None:
        """Wrap every sentence under an element: its text, then each child and the
        child's tail; a block element starts a new paragraph and so does the text after
        it; an image is a paragraph of its own, wrapped whole."""
        name = _local(el)
        if name in BLOCK_TAGS:
            self.new_para = True
        children = list(el)
        if el.text and el.text.strip():
            lead, body = _split_lead(el.text)
            el.text = lead or None
            for i, s in enumerate(self.spans(body)):
                el.insert(i, s)
        for child in children:
            child_name = _local(child)
            if child_name == "img":
                self.new_para = True
                wrapper = self.span()
                self.new_para = True
                child.addprevious(wrapper)
                wrapper.tail = child.tail
                child.tail = None
                wrapper.append(child)
                child = wrapper
            elif child_name and child_name not in SKIPPED_TAGS:
                self.walk(child)
            if child_name in BLOCK_TAGS:
                self.new_para = True
            if child.tail and child.tail.strip():
                lead, body = _split_lead(child.tail)
                child.tail = lead or None
                anchor = child
                for s in self.spans(body):
                    anchor.addnext(s)
                    anchor = s


def _split_lead(text: str) -> tuple[str, str]:
    """A text as (its leading white space, the rest)."""
    body = text.lstrip()
    return text[: len(text) - len(body)], body


def kobo_document(data: bytes) -> bytes:
    """One XHTML file with Kobo's markup: the body's content moved into
    ``div#book-columns > div#book-inner`` and every sentence in a numbered ``koboSpan``.
    A file that already has spans is left alone."""
    root = etree.fromstring(data)
    body = root.find(f"{{{XHTML_NS}}}body")
    if body is None or root.xpath("//*[@class='koboSpan']"):
        return data
    outer = etree.Element(f"{{{XHTML_NS}}}div", {"id": OUTER_ID})
    inner = etree.SubElement(outer, f"{{{XHTML_NS}}}div", {"id": INNER_ID})
    inner.text, body.text = body.text, None
    for child in list(body):
        inner.append(child)
    body.append(outer)
    _Spanner().walk(inner)
    doctype = "<!DOCTYPE html>"  # what the EPUB writer gives every XHTML file
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype=doctype))


def mark_cover_image(opf: bytes) -> bytes:
    """The package document with ``cover-image`` among the properties of the image the
    ``<meta name="cover">`` names (Kobo shows that image in the library)."""
    root = etree.fromstring(opf)
    manifest = root.find(f"{{{OPF_NS}}}manifest")
    metadata = root.find(f"{{{OPF_NS}}}metadata")
    if manifest is None or metadata is None:
        return opf
    ids = {m.get("content") for m in metadata.iter(f"{{{OPF_NS}}}meta") if m.get("name") == "cover"}
    for item in manifest.iter(f"{{{OPF_NS}}}item"):
        if item.get("id") in ids:
            props = (item.get("properties") or "").split()
            if "cover-image" not in props:
                item.set("properties", " ".join([*props, "cover-image"]))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def content_files(epub: bytes) -> Iterator[str]:
    """The archive names of an EPUB's XHTML files, the navigation document aside."""
    with zipfile.ZipFile(BytesIO(epub)) as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml") and not name.endswith("/" + NAV_FILE):
                yield name


def kepubify(epub: bytes) -> bytes:
    """An EPUB made a kepub: spans and wrappers in every content file, the cover image
    marked; the archive stays reproducible (see ``repack``)."""
    rewrite: dict[str, Callable[[bytes], bytes]] = dict.fromkeys(content_files(epub), kobo_document)
    rewrite["EPUB/content.opf"] = mark_cover_image
    return repack(epub, rewrite)


class KepubWriter(EpubWriter):
    """Kobo's EPUB flavour: the EPUB writer's book plus reading spans, as ``.kepub.epub``."""

    name: ClassVar[str] = "kepub"
    suffix: ClassVar[str] = ".kepub.epub"
    media_type: ClassVar[str] = "application/epub+zip"
    layer: ClassVar[Layer] = "epub"
    description: ClassVar[str] = "Kobo EPUB (.kepub.epub) with Kobo's reading spans"

    def render(self, book: Book, theme: Theme, options: RenderOptions) -> bytes:
        """The EPUB of ``EpubWriter.render``, made a kepub by ``kepubify``."""
        return kepubify(super().render(book, theme, options))

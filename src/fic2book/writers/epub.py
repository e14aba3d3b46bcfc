"""The EPUB 3 writer: the shared renderer's documents plus packaging.

Every XHTML file (cover page, title pages, chapters, afterwords, the navigation document)
is built whole with lxml and handed to ebooklib as an opaque item, so ebooklib never
re-parses story markup; ebooklib writes the package document (OPF) and the NCX for
EPUB 2 readers. The archive is then re-packed with fixed dates, so identical input
gives byte-identical output. The result is clean under EPUBCheck 5 (no errors, no
warnings).

Layout inside the archive (``EPUB/``): ``nav.xhtml``, ``toc.ncx``, ``content.opf``,
``styles/book.css``, ``images/cover.png`` (the generated cover), ``images/<hash>.png``
or ``.jpg`` for each picture (the story's own cover art among them),
``text/cover.xhtml`` and one ``text/<document id>.xhtml`` per document of the renderer.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from lxml import etree

from fic2book.book import xml_safe
from fic2book.images import pictures_of, without_images
from fic2book.lang import Direction
from fic2book.model import Book, Picture
from fic2book.options import RenderOptions
from fic2book.render.html import (
    EPUB_TYPE,
    PICTURE_DIR,
    Document,
    E,
    Element,
    book_direction,
    clean_language,
    is_anthology,
    render_book,
    story_prefix,
    sub,
    toc_entries,
)
from fic2book.render.labels import book_authors, book_title, title_of
from fic2book.themes import Layer, Theme, stylesheet
from fic2book.writers.epub_metadata import (
    add_metadata,
    book_identifier,
    cover_image,
    language_of,
    modified_date,
)
from fic2book.writers.split import split_documents

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XHTML_TYPE = "application/xhtml+xml"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""The date every archive entry carries (the earliest a zip file can hold)."""

CSS_FILE = "styles/book.css"
COVER_IMAGE = "images/cover.png"
COVER_PAGE = "text/cover.xhtml"
NAV_FILE = "nav.xhtml"

_COMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".webp")
"""Entries that deflate would not shrink: stored as they are."""
_COVER_STYLE = (
    "body.cover-page { margin: 0; padding: 0; text-align: center; }\n"
    "section.cover { margin: 0; padding: 0; }\n"
    "img.cover { display: block; margin: 0 auto; max-width: 100%; max-height: 100%;"
    " height: auto; }\n"
)


@dataclass(frozen=True)
class Part:
    """One file of the publication, ready for the archive."""

    id: str
    """The manifest id."""
    file_name: str
    """The path under ``EPUB/``."""
    content: bytes
    """The file's bytes."""
    media_type: str = XHTML_TYPE
    """The manifest media type."""
    properties: tuple[str, ...] = ()
    """Manifest properties (``nav``...)."""
    linear: bool | None = True
    """True or False for a spine entry (``linear="no"`` when False); None: not in the spine."""


class EpubWriter:
    """EPUB 3 (with an NCX for EPUB 2 readers), valid under EPUBCheck 5."""

    name: ClassVar[str] = "epub"
    suffix: ClassVar[str] = ".epub"
    media_type: ClassVar[str] = "application/epub+zip"
    layer: ClassVar[Layer] = "epub"
    description: ClassVar[str] = "EPUB 3 e-book (e-readers, Kobo, Apple Books, calibre)"

    def render(self, book: Book, theme: Theme, options: RenderOptions) -> bytes:
        """The book as an EPUB 3 file: one XHTML file per document, one stylesheet, a
        nav document with contents and landmarks, an NCX, a cover when there is one or
        ``options.cover`` asks for a generated one; byte-identical for identical input."""
        from ebooklib import epub

        book = xml_safe(book)
        if not options.images:
            book = without_images(book)
        css = stylesheet(theme, self.layer, user_css=options.user_css)
        docs = split_documents(render_book(book, credit=options.credit, colophon=options.colophon))
        lang = language_of(book)
        direction = book_direction(book)
        identifier = book_identifier(book, docs)
        cover = cover_image(book, options)
        parts = package_parts(book, docs, lang, css, cover, direction)
        parts += picture_parts(book, cover)

        eb = epub.EpubBook()
        eb.set_identifier(identifier)
        eb.set_title(book_title(book))
        eb.set_language(lang)
        eb.set_direction(direction)
        add_metadata(eb, book, cover is not None or bool(pictures_of(book.stories)))
        if cover is not None:
            eb.set_cover(f"{PICTURE_DIR}/{cover.key}", cover.data, create_page=False)
        items: dict[str, Any] = {}
        for part in parts:
            item = epub.EpubItem(
                uid=part.id,
                file_name=part.file_name,
                media_type=part.media_type,
                content=part.content,
            )
            if part.properties:
                item.properties = list(part.properties)
            eb.add_item(item)
            items[part.id] = item
        eb.add_item(epub.EpubNcx())
        eb.spine = [
            items[p.id] if p.linear else (items[p.id], "no") for p in parts if p.linear is not None
        ]
        eb.toc = ncx_toc(epub, docs)
        eb.guide = guide(docs, cover is not None)

        buf = io.BytesIO()
        epub.write_epub(
            buf,
            eb,
            # Level 0: ebooklib only stores; ``repack`` compresses each entry once.
            {
                "mtime": modified_date(book),
                "raise_exceptions": True,
                "epub3_pages": False,
                "compresslevel": 0,
            },
        )
        depth = 2 if any(children for _, children in toc_entries(docs)) else 1
        return repack(
            buf.getvalue(),
            {
                "EPUB/toc.ncx": lambda ncx: set_ncx_depth(ncx, depth),
                "EPUB/content.opf": lambda opf: set_package_language(opf, lang),
            },
        )


def picture_parts(book: Book, cover: Picture | None) -> list[Part]:
    """One manifest item per picture shown in the text, in reading order, under
    ``images/``; none when ``images`` are left out (they are gone from the book)."""
    return [
        Part(
            f"picture-{p.key.split('.')[0]}",
            f"{PICTURE_DIR}/{p.key}",
            p.data,
            p.media_type,
            linear=None,
        )
        for p in pictures_of(book.stories)
        if p.key != (cover.key if cover else None)
    ]


# --------------------------------------------------------------------------- documents


def xhtml(
    title: str,
    lang: str,
    css_href: str,
    *,
    body_class: str | None = None,
    style: str | None = None,
    direction: Direction | None = None,
) -> tuple[Element, Element]:
    """A new XHTML document: ``lang`` and ``xml:lang`` (and ``dir`` when given) on
    ``<html>``, a ``<title>``, the stylesheet link (and an optional extra ``<style>``);
    returns (html, body)."""
    html = E("html", {"lang": lang, XML_LANG: lang})
    if direction is not None:
        html.set("dir", direction)
    head = sub(html, "head")
    sub(head, "meta", {"charset": "utf-8"})
    sub(head, "title", text=title)
    sub(head, "link", {"rel": "stylesheet", "type": "text/css", "href": css_href})
    if style:
        sub(head, "style", text=style)
    body = sub(html, "body", cls=body_class)
    return html, body


def serialize(html: Element) -> bytes:
    """An XHTML tree as UTF-8 bytes with an XML declaration and ``<!DOCTYPE html>``."""
    return etree.tostring(html, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


def doc_file(doc: Document) -> str:
    """A document's path under ``EPUB/``."""
    return f"text/{doc.id}.xhtml"


def doc_language(book: Book, doc: Document, default: str) -> str:
    """A document's language: its story's when that story says, else the book's."""
    for index, story in enumerate(book.stories, 1):
        if doc.id.startswith(story_prefix(index) + "-"):
            return clean_language(story.metadata.language) or default
    return default


def file_direction(doc_dir: Direction, book_dir: Direction) -> Direction | None:
    """The ``dir`` of a file's ``<html>``: said whenever anything in the book is right to
    left (so every file of a Hebrew book reads rtl, and an English story in it ltr);
    left out for an all left-to-right book."""
    return doc_dir if "rtl" in (doc_dir, book_dir) else None


def content_document(book: Book, doc: Document, lang: str, book_dir: Direction = "ltr") -> bytes:
    """One renderer document as a whole XHTML file; the section is moved in unchanged,
    ``epub:type`` attributes and all."""
    title = doc.title
    if doc.kind == "afterword":
        story_title = _story_title_of(book, doc)
        title = f"{doc.title}: {story_title}" if story_title else doc.title
    html, body = xhtml(
        title,
        doc_language(book, doc, lang),
        f"../{CSS_FILE}",
        direction=file_direction(doc.dir, book_dir),
    )
    body.append(doc.element)
    return serialize(html)


def _story_title_of(book: Book, doc: Document) -> str | None:
    """The title of the story a document belongs to (None for a one-story book)."""
    if len(book.stories) < 2:
        return None
    for index, story in enumerate(book.stories, 1):
        if doc.id.startswith(story_prefix(index) + "-"):
            return title_of(story.metadata)
    return None


def cover_document(
    book: Book, lang: str, book_dir: Direction = "ltr", src: str = f"../{COVER_IMAGE}"
) -> bytes:
    """The cover page: the cover image alone, with a text alternative."""
    title = book_title(book)
    authors = ", ".join(book_authors(book))
    alt = f"Cover: {title}" + (f", by {authors}" if authors else "")
    html, body = xhtml(
        "Cover",
        lang,
        f"../{CSS_FILE}",
        body_class="cover-page",
        style=_COVER_STYLE,
        direction=file_direction(book_dir, book_dir),
    )
    section = sub(body, "section", {EPUB_TYPE: "cover"}, cls="cover")
    sub(section, "img", {"src": src, "alt": alt, "role": "doc-cover"}, cls="cover")
    return serialize(html)


def first_of(docs: Sequence[Document], kind: str) -> Document | None:
    """The first document of a kind, or None."""
    return next((d for d in docs if d.kind == kind), None)


def nav_document(
    book: Book,
    docs: Sequence[Document],
    lang: str,
    has_cover: bool,
    book_dir: Direction = "ltr",
) -> bytes:
    """The navigation document: the contents (chapter labels; an anthology's stories with
    their chapters nested) and hidden landmarks (cover, title page, contents, start of
    the text). A book with one entry keeps its contents nav, as EPUB requires, but
    hidden: a contents page listing one chapter helps nobody."""
    html, body = xhtml("Contents", lang, CSS_FILE, direction=file_direction(book_dir, book_dir))
    toc = sub(
        body,
        "nav",
        {EPUB_TYPE: "toc", "id": "toc", "role": "doc-toc", "aria-labelledby": "toc-title"},
        cls="toc",
    )
    if not has_contents_page(docs):
        toc.set("hidden", "hidden")
    sub(toc, "h2", {"id": "toc-title"}, text="Contents")
    ol = sub(toc, "ol")
    for doc, children in toc_entries(docs):
        li = sub(ol, "li", cls="toc-story" if children else None)
        sub(li, "a", {"href": doc_file(doc), "dir": "auto"}, text=doc.title)
        if children:
            inner = sub(li, "ol")
            for child in children:
                sub(
                    sub(inner, "li"),
                    "a",
                    {"href": doc_file(child), "dir": "auto"},
                    text=child.title,
                )

    marks = sub(
        body,
        "nav",
        {
            EPUB_TYPE: "landmarks",
            "id": "landmarks",
            "hidden": "hidden",
            "aria-labelledby": "landmarks-title",
        },
    )
    sub(marks, "h2", {"id": "landmarks-title"}, text="Landmarks")
    ol = sub(marks, "ol")
    for epub_type, href, label in landmarks(docs, has_cover):
        sub(sub(ol, "li"), "a", {EPUB_TYPE: epub_type, "href": href}, text=label)
    return serialize(html)


def has_contents_page(docs: Sequence[Document]) -> bool:
    """Whether the contents are worth a page: more than one entry."""
    return len(toc_entries(docs)) > 1


def landmarks(docs: Sequence[Document], has_cover: bool) -> list[tuple[str, str, str]]:
    """The landmarks as (epub:type, href from ``EPUB/``, label); the contents only when
    they are shown (``has_contents_page``)."""
    marks: list[tuple[str, str, str]] = []
    if has_cover:
        marks.append(("cover", COVER_PAGE, "Cover"))
    title = first_of(docs, "titlepage")
    if title is not None:
        marks.append(("titlepage", doc_file(title), "Title Page"))
    if has_contents_page(docs):
        marks.append(("toc", f"{NAV_FILE}#toc", "Contents"))
    start = first_of(docs, "chapter") or (docs[0] if docs else None)
    if start is not None:
        marks.append(("bodymatter", doc_file(start), "Start of Content"))
    return marks


def package_parts(
    book: Book,
    docs: Sequence[Document],
    lang: str,
    css: str,
    cover: Picture | None,
    book_dir: Direction = "ltr",
) -> list[Part]:
    """Every file but the OPF, NCX and cover image, in manifest order; the spine order
    is the cover page, the first document (title page), the nav (``linear="no"``, as
    readers open it from their own menus; in reading order in an anthology, whose
    contents page is part of the volume), then every other document in reading order."""
    parts: list[Part] = [Part("css", CSS_FILE, css.encode("utf-8"), "text/css", linear=None)]
    if cover is not None:
        src = f"../{PICTURE_DIR}/{cover.key}"
        parts.append(Part("cover", COVER_PAGE, cover_document(book, lang, book_dir, src)))
    nav = Part(
        "nav",
        NAV_FILE,
        nav_document(book, docs, lang, cover is not None, book_dir),
        properties=("nav",),
        # Non-linear files must be linked from somewhere: with no contents page (and so
        # no landmark to it) the nav leaves the spine; readers find it in the manifest.
        # An anthology's contents page is part of the volume, in reading order.
        linear=(not docs or is_anthology(book)) if has_contents_page(docs) or not docs else None,
    )
    for i, doc in enumerate(docs):
        parts.append(Part(doc.id, doc_file(doc), content_document(book, doc, lang, book_dir)))
        if i == 0:
            parts.append(nav)
    if not docs:
        parts.append(nav)
    return parts


# --------------------------------------------------------------------------- packaging


def ncx_toc(epub: Any, docs: Sequence[Document]) -> list[Any]:
    """The contents for ebooklib's NCX writer: Links, nested as in the nav document."""
    toc: list[Any] = []
    for doc, children in toc_entries(docs):
        link = epub.Link(doc_file(doc), doc.title, f"ncx-{doc.id}")
        if children:
            toc.append((link, [epub.Link(doc_file(c), c.title, f"ncx-{c.id}") for c in children]))
        else:
            toc.append(link)
    return toc


def guide(docs: Sequence[Document], has_cover: bool) -> list[dict[str, str]]:
    """The EPUB 2 guide (older readers' landmarks): cover, title page, contents, text."""
    refs: list[dict[str, str]] = []
    names = {"cover": "cover", "titlepage": "title-page", "toc": "toc", "bodymatter": "text"}
    for epub_type, href, label in landmarks(docs, has_cover):
        refs.append({"type": names[epub_type], "href": href, "title": label})
    return refs


def set_ncx_depth(ncx: bytes, depth: int) -> bytes:
    """The NCX with its ``dtb:depth`` set to the contents' real depth (ebooklib writes 0)
    and a ``playOrder`` on every navPoint, counting in document order, which is spine
    order (ebooklib leaves it out; Kindle's converters read the NCX by it)."""
    root = etree.fromstring(ncx)
    for meta in root.iter("{http://www.daisy.org/z3986/2005/ncx/}meta"):
        if meta.get("name") == "dtb:depth":
            meta.set("content", str(depth))
    for order, point in enumerate(root.iter("{http://www.daisy.org/z3986/2005/ncx/}navPoint"), 1):
        point.set("playOrder", str(order))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def set_package_language(opf: bytes, lang: str) -> bytes:
    """The package document with ``xml:lang`` on ``<package>``, the language of its
    metadata (Ace by DAISY asks for it; ebooklib leaves it out)."""
    root = etree.fromstring(opf)
    root.set(XML_LANG, lang)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def repack(data: bytes, rewrite: Mapping[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """Rewrite an EPUB archive reproducibly: same entries in the same order, ``mimetype``
    first and stored, images (already compressed) stored, the rest deflated, every entry
    dated 1980-01-01 with fixed permissions, so identical content gives identical bytes.
    ``rewrite`` maps entry names to functions that fix their content on the way."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        names.sort(key=lambda n: n != "mimetype")
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            stored = name == "mimetype" or name.endswith(_COMPRESSED)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            content = src.read(name)
            if rewrite and name in rewrite:
                content = rewrite[name](content)
            dst.writestr(info, content)
    return out.getvalue()

"""The shared HTML renderer: a Book as XHTML elements, built with lxml.

Story text only ever enters the tree as element text or attribute values, so lxml
escapes it; nothing is built by joining strings. The markup is documented in
``docs/markup.md``. EPUB packages each ``Document`` as its own file; single-file HTML
and PDF put them in one page (``single_page``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from lxml import etree

from fic2book.lang import Direction, language_direction, text_direction
from fic2book.model import (
    Block,
    BlockQuote,
    Book,
    Chapter,
    Emph,
    Gap,
    Heading,
    Image,
    Inline,
    InlineImage,
    LineBreak,
    Link,
    Note,
    Paragraph,
    Picture,
    SceneBreak,
    Span,
    Story,
    Strike,
    Strong,
    Text,
    Underline,
    Verse,
)
from fic2book.render.credit import colophon_lines, credit_words, source_of
from fic2book.render.labels import (
    authors_of,
    book_authors,
    book_title,
    chapter_label,
    clean,
    preface_fields,
    title_of,
)
from fic2book.stats import block_text

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
NSMAP = {None: XHTML, "epub": EPUB}
EPUB_TYPE = f"{{{EPUB}}}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_NOTE_LABELS = {
    "author-note": "Author’s Note",
    "end-note": "Chapter End Notes",
    "summary": "Chapter Summary",
    "disclaimer": "Disclaimer",
}
_SAFE_HREF = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]+")
_LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
DEFAULT_LANGUAGE = "en"
"""The language of a book whose language nobody (or nothing usable) said."""
_SNIFF_CHARS = 4000
"""How much of a story's text decides its direction when its language does not."""

PICTURE_DIR = "images"
"""Where pictures sit beside the text files (EPUB); single-file books inline them."""

Element = etree._Element


@dataclass(frozen=True)
class Document:
    """One part of a book: a title page, a chapter or an afterword."""

    id: str
    """A unique id, also the element's ``id`` and the EPUB file's stem."""
    kind: str
    """``titlepage``, ``chapter`` or ``afterword``."""
    title: str
    """The document's title (the EPUB file's ``<title>``, the contents label)."""
    element: Element
    """The ``<section>`` holding the document."""
    in_toc: bool = True
    """Whether the table of contents lists it."""
    toc_level: int = 1
    """1 for a story's parts; 0 for an anthology's story entries (title pages)."""
    dir: Direction = "ltr"
    """The writing direction of the story the document belongs to."""


def E(tag: str, attrs: dict[str, str] | None = None, *, cls: str | None = None) -> Element:
    """A new XHTML element (class given separately for brevity)."""
    el = etree.Element(f"{{{XHTML}}}{tag}", nsmap=NSMAP)  # type: ignore[arg-type]
    if cls:
        el.set("class", cls)
    for key, value in (attrs or {}).items():
        el.set(key, value)
    return el


def sub(
    parent: Element,
    tag: str,
    attrs: dict[str, str] | None = None,
    *,
    cls: str | None = None,
    text: str | None = None,
) -> Element:
    """Append a new XHTML child element, optionally with text."""
    el = E(tag, attrs, cls=cls)
    if text is not None:
        el.text = text
    parent.append(el)
    return el


def append_text(parent: Element, text: str) -> None:
    """Append text after the parent's last child (or into it when it has none)."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


# --------------------------------------------------------------------------- inlines

_INLINE_TAGS: dict[type, str] = {Emph: "em", Strong: "strong", Strike: "s", Underline: "u"}


def render_inlines(parent: Element, inlines: Iterable[Inline]) -> None:
    """Append inlines to an element: text escaped by lxml, markup as elements."""
    for node in inlines:
        if isinstance(node, Text):
            append_text(parent, node.text)
        elif isinstance(node, LineBreak):
            sub(parent, "br")
        elif isinstance(node, Link):
            if _SAFE_HREF.match(node.href):
                render_inlines(sub(parent, "a", {"href": node.href}), node.children)
            else:
                render_inlines(parent, node.children)
        elif isinstance(node, Span):
            classes = " ".join(_ID_CHARS.sub("-", c) for c in node.classes) or None
            render_inlines(sub(parent, "span", cls=classes), node.children)
        elif isinstance(node, InlineImage):
            if node.picture is not None:
                sub(parent, "img", picture_attrs(node.picture, node.alt), cls="inline-picture")
        else:
            render_inlines(sub(parent, _INLINE_TAGS[type(node)]), node.children)


# --------------------------------------------------------------------------- blocks


def render_blocks(parent: Element, blocks: Sequence[Block], heading_base: int = 2) -> None:
    """Append blocks; a gap adds ``after-gap`` to the block after it instead of an element.

    A note's label is one level below the heading before it in the same run of blocks
    (``--notes end`` files each chapter's notes under the chapter's name), else at
    ``heading_base + 1``.
    """
    gap = False
    note_level = heading_base + 1
    for block in blocks:
        if isinstance(block, Gap):
            gap = True
            continue
        if isinstance(block, Heading):
            note_level = min(block.level + heading_base, 6) + 1
        el = render_block(parent, block, heading_base, note_level=min(note_level, 6))
        if gap and el is not None:
            el.set("class", " ".join(filter(None, [el.get("class"), "after-gap"])))
        gap = False


def render_block(
    parent: Element, block: Block, heading_base: int = 2, *, note_level: int | None = None
) -> Element | None:
    """Append one block and return its element."""
    if isinstance(block, Paragraph):
        cls = f"align-{block.align}" if block.align else None
        p = sub(parent, "p", cls=cls)
        render_inlines(p, block.inlines)
        return p
    if isinstance(block, SceneBreak):
        return sub(
            parent,
            "p",
            {"role": "separator", "aria-label": "Scene break"},
            cls="scene-break",
            text="* * *",
        )
    if isinstance(block, Verse):
        return render_verse(parent, block)
    if isinstance(block, BlockQuote):
        quote = sub(parent, "blockquote")
        render_blocks(quote, block.blocks, heading_base)
        return quote
    if isinstance(block, Heading):
        level = min(block.level + heading_base, 6)
        h = sub(parent, f"h{level}", cls="text-heading")
        render_inlines(h, block.inlines)
        return h
    if isinstance(block, Note):
        level = note_level or min(heading_base + 1, 6)
        return render_note(parent, block.role, _NOTE_LABELS[block.role], block.blocks, level)
    if isinstance(block, Image):
        return render_image(parent, block)
    return None


def picture_src(picture: Picture) -> str:
    """A picture's address from a text file (``../images/<key>``)."""
    return f"../{PICTURE_DIR}/{picture.key}"


def picture_attrs(picture: Picture, alt: str) -> dict[str, str]:
    """An ``<img>``'s attributes: the picture's address and its text alternative."""
    return {"src": picture_src(picture), "alt": alt.strip() or "Illustration"}


def render_image(parent: Element, image: Image) -> Element | None:
    """A picture block: ``figure.picture`` holding the image and its caption, if any;
    nothing for an image that was not resolved to a picture."""
    if image.picture is None:
        return None
    figure = sub(parent, "figure", cls="picture")
    sub(figure, "img", picture_attrs(image.picture, image.alt))
    if image.caption:
        render_inlines(sub(figure, "figcaption"), image.caption)
    return figure


def render_verse(parent: Element, verse: Verse) -> Element:
    """Verse keeps its lines: one ``span.line`` per line, joined by ``<br/>``."""
    cls = "verse" if verse.role == "verse" else f"verse {verse.role}"
    div = sub(parent, "div", cls=cls)
    if verse.role == "epigraph":
        div.set(EPUB_TYPE, "epigraph")
    p = sub(div, "p")
    for i, line in enumerate(verse.lines):
        if i:
            sub(p, "br")
        render_inlines(sub(p, "span", cls="line"), line)
    return div


def render_note(
    parent: Element, cls: str, label: str, blocks: Sequence[Block], level: int = 3
) -> Element:
    """A note: visibly set apart, labelled by a heading, never hidden like a footnote."""
    section = sub(parent, "section", {"role": "note"}, cls=f"note {cls}")
    sub(section, f"h{level}", cls="note-label", text=label)
    render_blocks(sub(section, "div", cls="note-body"), blocks, heading_base=level)
    return section


# --------------------------------------------------------------------------- documents


def story_prefix(index: int) -> str:
    """The id prefix of a book's n-th story (1-based)."""
    return f"story-{index}"


def render_titlepage(story: Story, index: int, *, credit: bool = True) -> Document:
    """A story's title page in the spirit of AO3's preface; with ``credit``, the line
    saying where it was posted (``render/credit.py``) under the byline."""
    meta = story.metadata
    doc_id = f"{story_prefix(index)}-title"
    section = E("section", {"id": doc_id, EPUB_TYPE: "titlepage"}, cls="titlepage")
    # dir="auto": a title or name in another script than the book's reads the right way.
    sub(section, "h1", {"dir": "auto"}, cls="title", text=title_of(meta))
    render_byline(section, "by ", authors_of(meta), "author")
    url = source_of(meta) if credit else None
    if url:
        line = sub(section, "p", cls="credit", text=credit_words(url))
        sub(line, "a", {"href": url}, text=url)
        append_text(line, ".")
    fields = sub(section, "dl", cls="work-meta")
    for cls, label, value in preface_fields(story):
        sub(fields, "dt", {"dir": "auto"}, cls=cls, text=f"{label}:")
        sub(fields, "dd", {"dir": "auto"}, cls=cls, text=value)
    for cls, label, blocks in (
        ("summary", "Summary", meta.summary),
        ("disclaimer", "Disclaimer", meta.disclaimer),
        ("work-notes", "Notes", meta.notes),
    ):
        if blocks:
            render_note(section, cls, label, blocks, level=2)
    return Document(doc_id, "titlepage", title_of(meta), section)


def render_chapter(story: Story, index: int, position: int, chapter: Chapter) -> Document:
    """One chapter: heading, summary and notes before, text, notes after."""
    doc_id = f"{story_prefix(index)}-chapter-{position}"
    label = chapter_label(chapter, story.metadata.title)
    section = E(
        "section", {"id": doc_id, EPUB_TYPE: "chapter", "role": "doc-chapter"}, cls="chapter"
    )
    name = clean(chapter.title)
    if chapter.number is not None or name:
        section.set("aria-labelledby", f"{doc_id}-title")
        head = sub(section, "header", cls="chapter-head")
        h2 = sub(head, "h2", {"id": f"{doc_id}-title"}, cls="chapter-title")
        if chapter.number is not None:
            sub(h2, "span", cls="chapter-number", text=f"Chapter {chapter.number}")
        if name:
            if chapter.number is not None:
                append_text(h2, " ")
            sub(h2, "span", {"dir": "auto"}, cls="chapter-name", text=name)
    else:
        section.set("aria-label", label)
    if chapter.summary:
        render_note(section, "chapter-summary", "Chapter Summary", chapter.summary)
    for n in chapter.notes_before:
        render_note(section, n.role, _NOTE_LABELS[n.role], n.blocks)
    render_blocks(sub(section, "div", cls="chapter-text"), chapter.blocks)
    for n in chapter.notes_after:
        render_note(section, n.role, _NOTE_LABELS[n.role], n.blocks)
    return Document(doc_id, "chapter", label, section)


def render_afterword(story: Story, index: int) -> Document | None:
    """The work's end notes after the last chapter, or None when it has none."""
    if not story.metadata.end_notes:
        return None
    doc_id = f"{story_prefix(index)}-afterword"
    # Its heading sits in the note inside; the label names the section itself.
    section = E(
        "section",
        {"id": doc_id, EPUB_TYPE: "afterword", "aria-label": "End Notes"},
        cls="afterword",
    )
    render_note(section, "end-notes", "End Notes", story.metadata.end_notes, level=2)
    return Document(doc_id, "afterword", "End Notes", section)


def render_story(
    story: Story,
    index: int,
    *,
    anthology: bool = False,
    book_dir: Direction = "ltr",
    credit: bool = True,
) -> list[Document]:
    """A story's documents in reading order: title page, chapters, afterword.

    Each document carries the story's writing direction; when it differs from the
    book's, its section says so (``dir``) too. In an anthology a one-chapter story is
    one contents entry (its title page), with nothing nested under it.
    """
    direction = story_direction(story)
    title = render_titlepage(story, index, credit=credit)
    docs = [
        Document(title.id, title.kind, title.title, title.element, in_toc=anthology, toc_level=0)
    ]
    docs += [render_chapter(story, index, k, c) for k, c in enumerate(story.chapters, 1)]
    after = render_afterword(story, index)
    if after is not None:
        docs.append(after)
    if anthology and len(story.chapters) == 1:
        docs = [docs[0], *(replace(d, in_toc=False) for d in docs[1:])]
    if direction != book_dir:
        for doc in docs:
            doc.element.set("dir", direction)
    return [replace(doc, dir=direction) for doc in docs]


def is_anthology(book: Book) -> bool:
    """Whether a book is a volume of stories (more than one story, or an editor)."""
    return len(book.stories) > 1 or bool(book.editors)


VOLUME_TITLE_ID = "volume-title"
"""The id of an anthology's own title page (story ids all start ``story-``)."""


def render_byline(parent: Element, prefix: str, names: Sequence[str], cls: str) -> None:
    """A title page's byline (``by A, B``), each name in its own span with ``dir="auto"``
    so a name in another script reads the right way; nothing when there are no names."""
    if not names:
        return
    byline = sub(parent, "p", cls="byline", text=prefix)
    for i, name in enumerate(names):
        if i:
            append_text(byline, ", ")
        sub(byline, "span", {"dir": "auto"}, cls=cls, text=name)


def render_volume_titlepage(book: Book) -> Document:
    """An anthology's own title page: the volume's title, its editors, how many stories
    by how many authors it holds, and its description when it has one."""
    section = E("section", {"id": VOLUME_TITLE_ID, EPUB_TYPE: "titlepage"}, cls="titlepage volume")
    title = book_title(book)
    sub(section, "h1", {"dir": "auto"}, cls="volume-title", text=title)
    render_byline(
        section, "edited by ", authors_of(replace(book.metadata, authors=book.editors)), "editor"
    )
    sub(section, "p", cls="volume-count", text=volume_count(book))
    if book.metadata.summary:
        render_blocks(sub(section, "div", cls="volume-description"), book.metadata.summary)
    return Document(VOLUME_TITLE_ID, "titlepage", title, section, in_toc=False, toc_level=0)


def volume_count(book: Book) -> str:
    """``12 stories by 9 authors`` (``1 story``, ``by 1 author``). A story with no author,
    or one named only ``Anonymous``, is counted as anonymous, each one apart:
    ``3 stories by 1 author and 2 anonymous``; when no story names an author, just
    ``3 stories`` (never ``by 1 author`` over stories that author did not write)."""
    n = len(book.stories)
    names: dict[str, None] = {}
    anonymous = 0
    for story in book.stories:
        named = [a for a in authors_of(story.metadata) if not _is_anonymous(a)]
        names.update(dict.fromkeys(named))
        anonymous += not named
    text = f"{n} {'story' if n == 1 else 'stories'}"
    if names:
        text += f" by {len(names)} {'author' if len(names) == 1 else 'authors'}"
        text += f" and {anonymous} anonymous" if anonymous else ""
    return text


def _is_anonymous(name: str) -> bool:
    """Whether an author's name says only that the author is not named."""
    return name.casefold().rstrip(".") in ("anonymous", "anon")


VOLUME_NOTES_ID = "volume-notes"
"""The id of an anthology's end matter (the stories' notes gathered by ``--notes end``)."""


def render_volume_notes(book: Book) -> Document | None:
    """An anthology's end matter: each gathered story's notes under its title, or None
    when no story's notes were gathered."""
    if not book.metadata.end_notes:
        return None
    section = E(
        "section",
        {"id": VOLUME_NOTES_ID, EPUB_TYPE: "backmatter", "aria-label": "Notes"},
        cls="afterword volume-notes",
    )
    render_note(section, "end-notes", "Notes", book.metadata.end_notes, level=2)
    return Document(VOLUME_NOTES_ID, "afterword", "Notes", section, toc_level=0)


def render_book_story(
    book: Book, story: Story, index: int, *, credit: bool = True
) -> list[Document]:
    """One story's documents as its book holds them (``render_book``, and the PDF made
    in parts, which renders a few stories at a time): in an anthology each story is in
    the contents, and a story in another language than the book's says so."""
    docs = render_story(
        story, index, anthology=is_anthology(book), book_dir=book_direction(book), credit=credit
    )
    mark_language(docs, clean_language(story.metadata.language), book_language(book))
    return docs


def render_book(book: Book, *, credit: bool = True, colophon: bool = False) -> list[Document]:
    """Every document of a book, in reading order. A book with nothing else to list
    (no chapter, no afterword) lists its title pages, so its contents are never empty.
    An anthology opens with its own title page. ``credit``: the title pages say where
    each story was posted; ``colophon``: a last page says where the text came from and
    what made the book."""
    anthology = is_anthology(book)
    book_dir = book_direction(book)
    docs: list[Document] = [render_volume_titlepage(book)] if anthology else []
    for index, story in enumerate(book.stories, 1):
        docs += render_book_story(book, story, index, credit=credit)
    notes = render_volume_notes(book) if anthology else None
    if notes is not None:
        docs.append(notes)
    if not any(doc.in_toc for doc in docs):
        docs = [replace(d, in_toc=True) if d.kind == "titlepage" else d for d in docs]
    if colophon:
        docs.append(render_colophon(book, book_dir))
    return docs


def mark_language(docs: Sequence[Document], lang: str | None, book_lang: str) -> None:
    """A story in another language than its book's (an anthology) says so on each of
    its sections (``lang`` and ``xml:lang``), so hyphenation, quotes and fonts follow it."""
    if lang and lang.lower() != book_lang.lower():
        for doc in docs:
            doc.element.set("lang", lang)
            doc.element.set(XML_LANG, lang)


def render_colophon(book: Book, direction: Direction = "ltr") -> Document:
    """The colophon: a short last page (``render/credit.py`` says what it holds)."""
    section = E(
        "section", {"id": "colophon", EPUB_TYPE: "colophon", "role": "doc-colophon"}, cls="colophon"
    )
    section.set("aria-label", "Colophon")
    for text, url in colophon_lines(book):
        p = sub(section, "p", text=text)
        if url:
            sub(p, "a", {"href": url}, text=url)
            append_text(p, ".")
    return Document("colophon", "colophon", "Colophon", section, in_toc=False, dir=direction)


# --------------------------------------------------------------------------- language


def clean_language(tag: str | None) -> str | None:
    """A language as a well-formed BCP 47 tag (``pt_BR`` -> ``pt-BR``), or None when it
    is not one (``not a lang!``): what reaches ``lang``, ``xml:lang`` and ``dc:language``
    is always a tag validators and hyphenators accept."""
    if not tag:
        return None
    tag = tag.strip().replace("_", "-")
    return tag if _LANG_TAG.match(tag) else None


def book_language(book: Book) -> str:
    """The book's language tag: its own, else its first story's that has one, else
    ``en``; only well-formed tags count."""
    for meta in (book.metadata, *(s.metadata for s in book.stories)):
        lang = clean_language(meta.language)
        if lang:
            return lang
    return DEFAULT_LANGUAGE


def story_direction(story: Story) -> Direction:
    """A story's writing direction: its language's when it has a usable one, else its
    text's (the title and the first few thousand characters of the chapters), so a
    Hebrew story whose file never said ``he`` still reads right to left."""
    lang = clean_language(story.metadata.language)
    if lang:
        return language_direction(lang)
    parts = [story.metadata.title or ""]
    size = len(parts[0])
    for chapter in story.chapters:
        for block in chapter.blocks:
            text = block_text(block)
            parts.append(text)
            size += len(text)
            if size >= _SNIFF_CHARS:
                return text_direction(" ".join(parts)[:_SNIFF_CHARS])
    return text_direction(" ".join(parts))


def book_direction(book: Book) -> Direction:
    """The book's writing direction: its own language's, else its first story's."""
    lang = clean_language(book.metadata.language)
    if lang:
        return language_direction(lang)
    return story_direction(book.stories[0]) if book.stories else "ltr"


# --------------------------------------------------------------------------- single page


def toc_entries(docs: Sequence[Document]) -> list[tuple[Document, list[Document]]]:
    """The contents as (entry, children): level-0 documents (an anthology's story title
    pages) take the level-1 documents after them as children; others stand alone."""
    entries: list[tuple[Document, list[Document]]] = []
    for doc in docs:
        if not doc.in_toc:
            continue
        if doc.toc_level >= 1 and entries and entries[-1][0].toc_level == 0:
            entries[-1][1].append(doc)
        else:
            entries.append((doc, []))
    return entries


def toc_nav(docs: Sequence[Document]) -> Element:
    """The contents list with in-page links (single-file HTML and PDF); an anthology's
    chapters are a list nested under their story."""
    nav = E(
        "nav", {"id": "contents", "role": "doc-toc", "aria-labelledby": "contents-title"}, cls="toc"
    )
    sub(nav, "h2", {"id": "contents-title"}, text="Contents")
    ol = sub(nav, "ol")
    for doc, children in toc_entries(docs):
        li = sub(ol, "li", cls="toc-story" if doc.toc_level == 0 else None)
        sub(li, "a", {"href": f"#{doc.id}", "dir": "auto"}, text=doc.title)
        if children:
            inner = sub(li, "ol")
            for child in children:
                link = {"href": f"#{child.id}", "dir": "auto"}
                sub(sub(inner, "li"), "a", link, text=child.title)
    return nav


def chapter_nav(
    docs: Sequence[Document], i: int, direction: Direction = "ltr", where: str = "bottom"
) -> Element:
    """Previous / contents / next links for the i-th document (single-file HTML), each
    naming where it leads (``← Previous`` over ``Chapter 2: The Owl``); one at the top
    and one at the bottom of each chapter (``where``).

    The arrows point the way the reader turns: in a right-to-left book the previous
    chapter lies to the right."""
    back, forward = ("→", "←") if direction == "rtl" else ("←", "→")
    label = "Chapter navigation" + (" (top)" if where == "top" else "")
    nav = E("nav", {"aria-label": label}, cls=f"chapter-nav chapter-nav-{where}")
    reading = [k for k, d in enumerate(docs) if d.kind not in ("titlepage", "colophon")]
    pos = reading.index(i)
    if pos > 0:
        _nav_link(nav, docs[reading[pos - 1]], "prev", f"{back} Previous")
    sub(nav, "a", {"href": "#contents"}, cls="contents", text="Contents")
    if pos + 1 < len(reading):
        _nav_link(nav, docs[reading[pos + 1]], "next", f"Next {forward}")
    return nav


def _nav_link(nav: Element, target: Document, rel: str, direction: str) -> None:
    """One previous/next link: the direction, then the target's title on its own line."""
    a = sub(nav, "a", {"href": f"#{target.id}", "rel": rel}, cls=rel)
    sub(a, "span", cls="nav-dir", text=direction)
    append_text(a, " ")
    sub(a, "span", {"dir": "auto"}, cls="nav-title", text=target.title)


def has_contents(docs: Sequence[Document]) -> bool:
    """Whether a book is worth a contents list and chapter links: more than one entry."""
    return sum(1 for d in docs if d.in_toc) > 1


def single_page(
    book: Book,
    css: str,
    *,
    cover_uri: str | None = None,
    chapter_links: bool = True,
    credit: bool = True,
    colophon: bool = False,
) -> str:
    """The whole book as one HTML5 page: inline CSS, contents, every document in order.

    Nothing external is referenced: the only image is a ``data:`` URI, and there is no
    script. EPUB-only attributes (``epub:type``) are left out.
    """
    docs = render_book(book, credit=credit, colophon=colophon)
    lang = book_language(book)
    html = E("html", {"lang": lang})
    if book_direction(book) == "rtl":
        html.set("dir", "rtl")
    head = sub(html, "head")
    sub(head, "meta", {"charset": "utf-8"})
    sub(head, "meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"})
    sub(head, "title", text=book_title(book))
    authors = ", ".join(book_authors(book))
    if authors:
        sub(head, "meta", {"name": "author", "content": authors})
    sub(head, "meta", {"name": "generator", "content": "fic2book"})
    sub(head, "style", text=style_text(css))
    body = sub(html, "body")
    if cover_uri:
        sub(
            body,
            "img",
            {"src": cover_uri, "alt": f"Cover: {book_title(book)}"},
            cls="cover",
        )
    # A one-entry contents list helps nobody in HTML; the PDF (no chapter links) keeps
    # it, as its outline labels come from it.
    contents = has_contents(docs) or not chapter_links
    for i, doc in enumerate(docs):
        body.append(doc.element)
        if i == 0 and contents:
            body.append(toc_nav(docs))
        if chapter_links and contents and doc.kind not in ("titlepage", "colophon"):
            # Under the chapter's heading (the Nu checker wants a section to open with it).
            heading = doc.element.find(f"{{{XHTML}}}header")
            at = doc.element.index(heading) + 1 if heading is not None else 0
            doc.element.insert(at, chapter_nav(docs, i, book_direction(book), "top"))
            doc.element.append(chapter_nav(docs, i, book_direction(book)))
    inline_pictures(html, book)
    return to_html5(html)


def inline_pictures(root: Element, book: Book) -> None:
    """Point every picture's ``<img>`` at a ``data:`` URI, so the page loads nothing."""
    from fic2book.images import data_uri, pictures_of

    uris = {picture_src(p): data_uri(p) for p in pictures_of(book.stories)}
    for img in root.iter(f"{{{XHTML}}}img"):
        uri = uris.get(img.get("src", ""))
        if uri is not None:
            img.set("src", uri)


def style_text(css: str) -> str:
    """CSS made safe to inline in ``<style>``: nothing in it can end the element early
    (``</style`` becomes ``<\\/style``, the same string to CSS)."""
    return re.sub(r"</(?=style)", r"<\\/", css, flags=re.IGNORECASE)


def to_html5(root: Element) -> str:
    """Serialise an XHTML-namespaced tree as HTML5 text (no namespaces, no epub:type)."""
    tree = copy.deepcopy(root)
    for el in tree.iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname
            for key in list(el.attrib):
                if str(key).startswith("{"):
                    del el.attrib[key]
    etree.cleanup_namespaces(tree)
    text = etree.tostring(tree, method="html", encoding="unicode")
    return "<!DOCTYPE html>\n" + text + "\n"

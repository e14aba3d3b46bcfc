"""An anthology's PDF, laid out in parts and joined, so its time grows linearly.

WeasyPrint lays a whole document out in memory, and the contents' page numbers make it
lay out again; for a volume of hundreds of stories both grow faster than the text.
So the volume is made in parts:

1. the front matter (the volume's title page and contents) is laid out once with
   placeholder page numbers, to learn how many pages it takes;
2. the stories, a few at a time (``PART_CHARS`` of text per part), are laid out and
   written one part after another, each starting on a right-hand page with its folios
   continuing the volume's (``@page:first { counter-reset: page N }``); every anchor's
   page is noted, and the part's layout is dropped before the next begins;
3. the front matter is laid out again with the real page numbers, and its contents
   links are recorded;
4. pypdf joins the parts, keeping each part's outline (the stories with their chapters
   nested), and adds a link annotation for every contents entry, to its page.

Memory is bounded by the largest part's layout plus the finished PDF's bytes.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from fic2book.model import Book, Story
from fic2book.render.html import (
    XHTML,
    Document,
    E,
    Element,
    book_direction,
    book_language,
    render_book_story,
    render_colophon,
    render_volume_notes,
    render_volume_titlepage,
    style_text,
    sub,
    to_html5,
    toc_nav,
)
from fic2book.render.labels import book_authors, book_title
from fic2book.stats import block_text
from fic2book.writers.weasy import weasyprint_quiet

PART_CHARS = 200_000
"""Characters of story text per part (a part always holds at least one story)."""
PX_TO_PT = 0.75
"""WeasyPrint measures in CSS pixels (1/96 in); PDF in points (1/72 in)."""
_PLACEHOLDER = "0000"
"""The page number the first layout of the contents shows: wider than any real one,
so the real numbers never make the contents longer."""
_NUMBERED_CONTENTS = 'nav.toc a::after { content: leader(".") attr(data-page); }\n'


def story_size(story: Story) -> int:
    """A story's size in characters of chapter text (what a part is measured in)."""
    return sum(len(block_text(b)) for c in story.chapters for b in c.blocks)


def story_groups(book: Book, limit: int | None = None) -> list[list[tuple[int, Story]]]:
    """The stories, with their 1-based numbers, in consecutive groups of at most
    ``limit`` (default ``PART_CHARS``) characters of text (a longer story is a group of
    its own)."""
    limit = PART_CHARS if limit is None else limit
    groups: list[list[tuple[int, Story]]] = []
    size = limit
    for index, story in enumerate(book.stories, 1):
        n = story_size(story)
        if size + n > limit or not groups:
            groups.append([])
            size = 0
        groups[-1].append((index, story))
        size += n
    return groups


def needs_parts(book: Book) -> bool:
    """Whether a book is made in parts: an anthology with more text than one part holds
    (a smaller one is laid out whole, which is quicker: no second contents layout)."""
    return len(book.stories) > 1 and len(story_groups(book)) > 1


def contents_docs(book: Book, *, credit: bool = True) -> list[Document]:
    """Every document's id, title and place in the contents, without its content (one
    story rendered at a time, its markup dropped at once)."""
    out: list[Document] = []
    for index, story in enumerate(book.stories, 1):
        for doc in render_book_story(book, story, index, credit=credit):
            out.append(replace(doc, element=E("section")))
    notes = render_volume_notes(book)
    if notes is not None:
        out.append(replace(notes, element=E("section")))
    return out


def page_shell(book: Book, css: str) -> tuple[Element, Element]:
    """An HTML page for one part: language, direction, title, author, inline CSS."""
    html = E("html", {"lang": book_language(book)})
    if book_direction(book) == "rtl":
        html.set("dir", "rtl")
    head = sub(html, "head")
    sub(head, "meta", {"charset": "utf-8"})
    sub(head, "title", text=book_title(book))
    sub(head, "style", text=style_text(css))
    return html, sub(html, "body")


def front_page(book: Book, css: str, docs: Sequence[Document], pages: dict[str, int]) -> str:
    """The front matter: the volume's title page and the contents, each entry showing
    its page number from ``pages`` (the placeholder for entries not yet placed)."""
    html, body = page_shell(book, css + _NUMBERED_CONTENTS)
    body.append(render_volume_titlepage(book).element)
    nav = toc_nav(docs)
    for link in nav.iter(f"{{{XHTML}}}a"):
        target = link.get("href", "")[1:]
        link.set("data-page", str(pages[target]) if target in pages else _PLACEHOLDER)
    body.append(nav)
    return to_html5(html)


def group_docs(
    book: Book, group: Sequence[tuple[int, Story]], *, credit: bool = True, colophon: bool = False
) -> list[Document]:
    """A group's documents: its stories', as ``render_book`` makes them (each title
    page with its credit when ``credit``); an empty group is the volume's end matter,
    its gathered notes and, when ``colophon``, the colophon."""
    if not group:
        notes = render_volume_notes(book)
        end = [notes] if notes is not None else []
        return end + ([render_colophon(book, book_direction(book))] if colophon else [])
    docs: list[Document] = []
    for index, story in group:
        docs += render_book_story(book, story, index, credit=credit)
    return docs


def part_page(
    book: Book, group: Sequence[tuple[int, Story]], css: str, first_page: int, **what: bool
) -> str:
    """One part: its documents (``group_docs``, told ``what`` to include), folios
    starting at ``first_page``, each contents entry's label on its section
    (``data-bookmark``) for the outline."""
    first = f"@page :first {{ counter-reset: page {first_page}; }}\n"
    html, body = page_shell(book, css + first)
    for doc in group_docs(book, group, **what):
        if doc.in_toc:
            doc.element.set("data-bookmark", doc.title)
        body.append(doc.element)
    return to_html5(html)


def _missing_anchor(record: logging.LogRecord) -> bool:
    """WeasyPrint's report of a link to an anchor in another part (``No anchor #...``):
    those links are made after the parts are joined."""
    return record.getMessage().startswith("No anchor #")


def render_volume(
    layout: Any, book: Book, css: str, *, credit: bool = True, colophon: bool = False
) -> bytes:
    """The anthology's PDF, made in parts and joined (see the module's docstring).

    ``layout(page_html)`` lays one page out with the writer's restricted fetcher and
    returns WeasyPrint's document. ``credit`` and ``colophon`` are the render options'
    (``--no-credit``, ``--no-colophon``), as for a book laid out whole.
    """
    import pypdf
    from pypdf.annotations import Link
    from pypdf.generic import Fit, NameObject, TextStringObject

    docs = contents_docs(book, credit=credit)
    front_count = len(layout(front_page(book, css, docs, {})).pages)

    parts: list[tuple[bool, bytes]] = []
    page_of: dict[str, int] = {}
    count = front_count
    groups = story_groups(book)
    if book.metadata.end_notes or colophon:
        groups.append([])  # the volume's end matter, a part of its own
    for group in groups:
        blank = count % 2 == 1  # every part opens on a right-hand page
        count += blank
        page = part_page(book, group, css, count + 1, credit=credit, colophon=colophon)
        document = layout(page)
        for i, page in enumerate(document.pages):
            for anchor in page.anchors:
                page_of.setdefault(anchor, count + i)
        parts.append((blank, document.write_pdf()))
        count += len(document.pages)
        del document

    front = layout(front_page(book, css, docs, {k: v + 1 for k, v in page_of.items()}))
    with weasyprint_quiet(_missing_anchor):
        front_pdf = front.write_pdf()
    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(front_pdf)))
    while len(writer.pages) < front_count:
        writer.add_blank_page()
    for blank, data in parts:
        if blank:
            writer.add_blank_page()
        writer.append(pypdf.PdfReader(io.BytesIO(data)))

    for number, page in enumerate(front.pages):
        # WeasyPrint's own links here name anchors in other parts: replaced by ours.
        writer.pages[number].pop(NameObject("/Annots"), None)
        height = float(writer.pages[number].mediabox.height)
        for kind, target, (x1, y1, x2, y2), _ in page.links:
            if kind != "internal" or target not in page_of:
                continue
            rect = (x1 * PX_TO_PT, height - y2 * PX_TO_PT, x2 * PX_TO_PT, height - y1 * PX_TO_PT)
            goal = page_of[target]
            top = float(writer.pages[goal].mediabox.height)
            link = Link(rect=rect, target_page_index=goal, fit=Fit.xyz(0, top))
            writer.add_annotation(page_number=number, annotation=link)

    writer.add_metadata(
        {
            "/Title": book_title(book),
            "/Author": ", ".join(book_authors(book)),
            "/Creator": "fic2book",
        }
    )
    writer._root_object[NameObject("/Lang")] = TextStringObject(book_language(book))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

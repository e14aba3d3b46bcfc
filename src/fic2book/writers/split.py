"""Splitting long chapters into several EPUB files, at paragraph boundaries.

E-readers load one XHTML file at a time, and many slow down or fail on large ones
(KOReader and older Kobo and Kindle firmware; calibre splits past 260 KB). A chapter
document whose markup passes ``SPLIT_BYTES`` becomes several documents: the first keeps
the chapter's id, heading and notes before the text, the others continue the text with
ids ``<chapter id>-2``, ``-3``...; notes after the text go with the last. Only the first
part is listed in the contents, so the nav and the NCX point to it. Each cut falls
between two blocks of the chapter text; a single block larger than the limit stays
whole.
"""

from __future__ import annotations

import copy
from dataclasses import replace

from lxml import etree

from fic2book.render.html import XHTML, Document, E, Element

SPLIT_BYTES = 250_000
"""The markup size past which a chapter is split (about 250 KB)."""
TEXT_CLASS = "chapter-text"


def size_of(el: Element) -> int:
    """An element's serialized size in bytes (UTF-8), its tail left out."""
    return len(etree.tostring(el, encoding="utf-8", with_tail=False))


def text_div(section: Element) -> Element | None:
    """The section's ``div.chapter-text``, or None."""
    for child in section:
        if child.tag == f"{{{XHTML}}}div" and TEXT_CLASS in (child.get("class") or "").split():
            return child
    return None


def attributes(el: Element) -> dict[str, str]:
    """An element's attributes as a plain dict of strings."""
    return {str(k): str(v) for k, v in el.attrib.items()}


def pack(sizes: list[int], limit: int, first: int, last: int) -> list[tuple[int, int]]:
    """Greedy runs (start, end) of consecutive blocks whose sizes, plus ``first`` bytes
    on the first run and ``last`` bytes on the last, stay under ``limit`` where they
    can; every run holds at least one block."""
    runs: list[tuple[int, int]] = []
    start, total = 0, first
    for i, n in enumerate(sizes):
        if i > start and total + n > limit:
            runs.append((start, i))
            start, total = i, 0
        total += n
    runs.append((start, len(sizes)))
    if len(runs) > 1 and total + last > limit:
        # The last run cannot take the closing notes too: move its last block out.
        s, e = runs[-1]
        if e - s > 1:
            runs[-1] = (s, e - 1)
            runs.append((e - 1, e))
    return runs


def split_document(doc: Document, limit: int = SPLIT_BYTES) -> list[Document]:
    """A chapter document as one or more documents under ``limit`` bytes each where
    paragraph boundaries allow; anything else, or a small chapter, unchanged."""
    section = doc.element
    div = text_div(section)
    if doc.kind != "chapter" or div is None or size_of(section) <= limit:
        return [doc]
    children = list(section)
    at = children.index(div)
    before, after = children[:at], children[at + 1 :]
    blocks = list(div)
    runs = pack(
        [size_of(b) for b in blocks],
        limit,
        sum(size_of(c) for c in before),
        sum(size_of(c) for c in after),
    )
    if len(runs) < 2:
        return [doc]
    out: list[Document] = []
    for n, (start, end) in enumerate(runs, 1):
        if n == 1:
            part = E("section", attributes(section))
            part.extend(copy.deepcopy(c) for c in before)
        else:
            attrs = {"id": f"{doc.id}-{n}", "class": section.get("class") or "chapter"}
            attrs["aria-label"] = f"{doc.title} (continued)"
            if section.get("dir"):
                attrs["dir"] = section.get("dir") or ""
            part = E("section", attrs)
        body = E("div", attributes(div))
        body.extend(copy.deepcopy(b) for b in blocks[start:end])
        part.append(body)
        if n == len(runs):
            part.extend(copy.deepcopy(c) for c in after)
        if n == 1:
            out.append(replace(doc, element=part))
        else:
            out.append(replace(doc, id=f"{doc.id}-{n}", element=part, in_toc=False))
    return out


def split_documents(docs: list[Document], limit: int = SPLIT_BYTES) -> list[Document]:
    """Every document, long chapters split (see ``split_document``)."""
    return [part for doc in docs for part in split_document(doc, limit)]

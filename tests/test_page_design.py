"""Measured page design: what a reader sees on the printed page, read back from the PDF.

Characters per line on every page size, the share of hyphenated lines and the size of
the pieces, the title page, em dashes and closing quotes at line edges, and a true
bold for strong text. The story is our own, written long enough to fill pages.
"""

from __future__ import annotations

import itertools
import re
import statistics
from functools import cache

import pytest

from fic2book.book import book_of
from fic2book.model import Chapter, Metadata, Paragraph, Story, Strong, Text
from fic2book.pipeline import build
from fic2book.typography import smarten
from test_pdf import Pdf, fonts, read_pdf

SENTENCES = (
    "The ferry left the harbour an hour before dawn, heavy with crates of oranges, two "
    "bicycles and a piano that nobody would admit to owning.",
    "Marguerite counted the lighthouses as they passed—one, then another, then a third "
    "so faint she suspected it of being a reflection.",
    '"You\'ll catch your death out here," said the captain, who had said the same thing '
    "to every passenger for thirty-one years.",
    "She answered that she had already caught it twice and returned it both times, "
    "unopened, with a polite note.",
    "Somewhere below deck a radio played an extraordinarily sentimental waltz, and the "
    "engineers sang along in three different keys.",
    "By the time the island appeared, a grey smudge beneath a paler sky, the oranges had "
    "begun to smell like Christmas.",
    '"Is it always this quiet?" she asked. The captain considered the question with the '
    "seriousness it deserved—and then, very slowly, shook his head.",
    "Nobody on the island remembered the name of the previous schoolteacher, though "
    "everyone remembered her umbrella, which was yellow and enormous.",
)


@cache
def long_story() -> Story:
    """Two chapters of fourteen paragraphs each (about 250 lines on A5), the sentences
    rotated."""
    chapters = []
    for n in range(1, 3):
        paras = []
        for k in range(14):
            words = " ".join(SENTENCES[(k + j + n) % len(SENTENCES)] for j in range(3))
            inlines: tuple[Text | Strong, ...] = (Text(words),)
            if k == 3:
                inlines = (Strong((Text("Strong words stand out."),)), Text(" " + words))
            paras.append(Paragraph(inlines))
        chapters.append(Chapter(n, f"The Crossing, Part {n}", blocks=tuple(paras)))
    meta = Metadata(
        title="The Ferry at Dawn",
        authors=("Test Author",),
        language="en",
        source_url="https://archiveofourown.org/works/1",
    )
    return smarten(Story(meta, tuple(chapters)))


@cache
def pdf(size: str) -> Pdf:
    """The long story as a PDF at a page size (built once per run)."""
    return read_pdf(build(book_of(long_story()), "pdf", page_size=size))


def body_lines(doc: Pdf) -> list[str]:
    """Every line of chapter text: runs on one baseline joined, heads and folios left
    out, from the first chapter page to the colophon."""
    start = doc.find("Strong words")
    lines: list[str] = []
    for index in range(start - 1, len(doc.lines) - 1):
        by_y: dict[float, list[str]] = {}
        for line in doc.body(index):
            by_y.setdefault(round(line.y, 0), []).append(line.text)
        lines += [" ".join(parts) for _, parts in sorted(by_y.items(), reverse=True)]
    return [ln for ln in lines if not ln.startswith(("The Crossing", "Chapter"))]


@pytest.mark.parametrize("size", ["A5", "A4", "letter", "6x9"])
def test_lines_hold_60_to_75_characters_on_every_page_size(size: str) -> None:
    lines = body_lines(pdf(size))
    full = sorted(len(ln) for ln in lines)[len(lines) // 3 :]  # leave paragraph ends out
    median = statistics.median(full)
    assert 58 <= median <= 78, f"{size}: median {median} characters per full line"


def hyphen_breaks(lines: list[str]) -> list[tuple[str, str]]:
    """(piece before, piece after) for every line that ends in a hyphenated word."""
    out = []
    for line, following in itertools.pairwise(lines):
        m = re.search(r"(\w+)[-‐]$", line)
        if m and following:
            out.append((m.group(1), re.match(r"\w*", following).group(0)))  # type: ignore[union-attr]
    return out


def test_hyphenation_is_rare_and_leaves_three_letters_each_side() -> None:
    lines = body_lines(pdf("A5"))
    source = " ".join(SENTENCES)
    breaks = [(a, b) for a, b in hyphen_breaks(lines) if f"{a}-{b}" not in source]
    assert breaks, "nothing was hyphenated: is hyphenation on?"
    assert len(breaks) / len(lines) < 0.05, f"{len(breaks)} of {len(lines)} lines hyphenated"
    for before, after in breaks:
        assert len(before) >= 3 and len(after) >= 3, (before, after)
        assert not before[0].isupper(), f"a capitalised word was hyphenated: {before}-{after}"
    ends = [bool(re.search(r"\w[-‐]$", ln)) for ln in lines]
    runs = max(
        (len(m) for m in re.findall(r"1+", "".join("1" if e else "0" for e in ends))), default=0
    )
    assert runs <= 2, f"{runs} hyphenated lines in a row"


def test_no_line_starts_with_a_dash_or_is_a_lone_closing_quote() -> None:
    for size in ("A5", "A4"):
        for line in body_lines(pdf(size)):
            assert not line.startswith("—"), line
            assert line.strip() not in ("”", "’", "—”", "—’"), line


def test_title_page_holds_the_title_and_byline_and_the_details_follow() -> None:
    doc = pdf("A5")
    first = doc.text(0)
    assert "The Ferry at Dawn" in first and "Test Author" in first
    assert "Words:" not in first
    assert "Posted originally on the Archive of Our Own at" in first
    assert "Words:" in doc.text(1)
    assert doc.find("Contents") == 2  # the front matter is exactly two pages


def test_strong_text_is_set_in_a_bold_font() -> None:
    doc = pdf("A5")
    names = {str(f["/BaseFont"]) for f in fonts(doc.reader)}
    assert any("Bold" in n for n in names), names


def test_colophon_ends_the_book() -> None:
    doc = pdf("A5")
    last = doc.text(len(doc.lines) - 1)
    assert "Made with fic2book" in last and "archiveofourown.org/" in last


@pytest.mark.parametrize("size", ["A5", "A4"])
def test_large_print_body_is_16_to_18_points(size: str) -> None:
    from weasyprint.formatting_structure import boxes

    from fic2book.options import RenderOptions
    from fic2book.themes import load_theme
    from fic2book.writers.pdf import PdfWriter

    meta = Metadata(title="Large", authors=("Test Author",), language="en")
    story = Story(meta, (Chapter(1, blocks=(Paragraph((Text(SENTENCES[0]),)),)),))
    options = RenderOptions(page_size=size, colophon=False)
    document = PdfWriter().layout(book_of(story), load_theme("large-print"), options)
    sizes = {
        round(box.style["font_size"] * 0.75, 1)  # CSS px to pt
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TextBox) and box.text.startswith("The ferry")
    }
    assert sizes and all(16 <= pt <= 18 for pt in sizes), sizes
    fonts_used = (
        {f.family for f in document.fonts.values()} if hasattr(document, "fonts") else set()
    )
    del fonts_used


GERMAN = (
    "Die Schifffahrtsgesellschaft schickte dem Leuchtturmwärter jeden Monat eine "
    "Postkarte, und die Lebensmittelversorgung der Inselbewohner hing von "
    "Wetterverhältnissen ab, die niemand vorhersagen konnte."
)


def test_hyphenation_follows_the_language() -> None:
    """German hyphenates its capitalised compound nouns by German patterns (a capital
    is no name there); English keeps capitalised words whole (the test above)."""
    import pyphen

    paras = tuple(Paragraph((Text(GERMAN),)) for _ in range(12))
    meta = Metadata(title="Inselpost", authors=("Test Author",), language="de")
    story = smarten(Story(meta, (Chapter(1, blocks=paras),)))
    doc = read_pdf(build(book_of(story), "pdf", colophon=False, page_size="A6"))
    start = doc.find("Schifffahrtsgesellschaft"[:10])
    lines = [ln.text for i in range(start, len(doc.lines)) for ln in doc.body(i)]
    breaks = hyphen_breaks(lines)
    capitalised = [(a, b) for a, b in breaks if a[0].isupper()]
    assert capitalised, breaks
    german = pyphen.Pyphen(lang="de_DE")
    for before, after in breaks:
        word = next(w for w in re.findall(r"\w+", GERMAN) if w.startswith(before + after))
        assert len(before) in german.positions(word), (before, after, german.inserted(word))

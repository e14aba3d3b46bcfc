"""The PDF writer, read back with pypdf: metadata, outline, pages, folios, fonts, safety.

Each book is built once per module (WeasyPrint takes a second or two per book) and every
test reads the same bytes. Text is compared folded (``conftest.fold``): pypdf's
extraction does not keep curly quotes, ligatures or spacing exactly.
"""

from __future__ import annotations

import base64
import io
import logging
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf
import pytest
from fontTools.ttLib import TTFont

from conftest import FIXTURES, fold
from fic2book import parse
from fic2book.model import Chapter, Metadata, Paragraph, SceneBreak, Story, Text
from fic2book.pipeline import build
from fic2book.render.labels import chapter_label
from fic2book.themes import load_theme
from fic2book.writers.pdf import REFUSED, FetchRefused, check_url, theme_fetcher, theme_roots

MM = 72 / 25.4
"""Points per millimetre."""
A5 = (148 * MM, 210 * MM)
A4 = (210 * MM, 297 * MM)
MARGIN_ZONE = 14 * MM
"""Text this close to the page's top or bottom edge is in the margin (heads, folios)."""

# A 1x1 transparent PNG, for data: URIs and theme files.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Line:
    """One run of text on a page, with its height above the page's bottom edge."""

    y: float
    text: str


@dataclass(frozen=True)
class Pdf:
    """A built PDF, opened once, with each page's text runs."""

    data: bytes
    reader: pypdf.PdfReader
    lines: list[list[Line]]

    def text(self, index: int) -> str:
        """A page's whole text, folded."""
        return fold(" ".join(line.text for line in self.lines[index]))

    def body(self, index: int) -> list[Line]:
        """A page's text outside the top and bottom margins, top first."""
        height = float(self.reader.pages[index].mediabox.height)
        inside = [ln for ln in self.lines[index] if MARGIN_ZONE < ln.y < height - MARGIN_ZONE]
        return sorted(inside, key=lambda ln: -ln.y)

    def head(self, index: int) -> str:
        """The running head: text near the top edge."""
        height = float(self.reader.pages[index].mediabox.height)
        return fold(" ".join(ln.text for ln in self.lines[index] if ln.y >= height - MARGIN_ZONE))

    def foot(self, index: int) -> str:
        """The folio: text near the bottom edge."""
        return fold(" ".join(ln.text for ln in self.lines[index] if ln.y <= MARGIN_ZONE))

    def find(self, words: str, start: int = 0) -> int:
        """The first page (from ``start``) whose text holds ``words``."""
        for index in range(start, len(self.lines)):
            if fold(words) in self.text(index):
                return index
        raise AssertionError(f"{words!r} is on no page")


def read_pdf(data: bytes) -> Pdf:
    """Open PDF bytes and collect every page's text runs with their positions."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages: list[list[Line]] = []
    for page in reader.pages:
        found: list[Line] = []

        def visit(
            text: str, cm: Any, tm: Any, font: Any, size: Any, out: list[Line] = found
        ) -> None:
            if text.strip():
                out.append(Line(pypdf.mult(tm, cm)[5], text.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return Pdf(data, reader, pages)


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """The outline flattened: (depth, title, page index) in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                out.append((depth, str(item.title), page))

    walk(reader.outline, 0)
    return out


def plain(inlines: tuple[Any, ...]) -> str:
    """Inlines as plain text (emphasis and spans flattened)."""
    return "".join(
        i.text if isinstance(i, Text) else plain(getattr(i, "children", ())) for i in inlines
    )


def first_words(blocks: tuple[Any, ...], n: int = 5) -> str:
    """The first words of a chapter's text."""
    para = next(b for b in blocks if isinstance(b, Paragraph))
    return " ".join(plain(para.inlines).split()[:n])


def last_words(blocks: tuple[Any, ...], n: int = 4) -> str:
    """The last words of a chapter's text."""
    para = [b for b in blocks if isinstance(b, Paragraph)][-1]
    return " ".join(plain(para.inlines).split()[-n:])


# --------------------------------------------------------------------------- books

SENTENCES = (
    "The lighthouse keeper's apprentice catalogued extraordinarily uncooperative "
    "weather, incomprehensible instructions and characteristically melodramatic gulls.",
    "Nobody at the harbour remembered commissioning the enormous, temperamental lamp.",
    "She wrote everything down in a notebook whose waterproofing was entirely theoretical.",
    "By midwinter the correspondence with the harbourmaster had become unquestionably "
    "philosophical, and the gulls had opinions about all of it.",
)


def long_story() -> Story:
    """Two long chapters (several pages each), two authors, a scene break."""

    def paragraphs(seed: int, count: int) -> tuple[Paragraph | SceneBreak, ...]:
        blocks: list[Paragraph | SceneBreak] = []
        for k in range(count):
            start = (seed + k) % len(SENTENCES)
            text = " ".join(SENTENCES[(start + j) % len(SENTENCES)] for j in range(3))
            blocks.append(Paragraph((Text(f"Part {seed}.{k}. {text} So ended part {seed}.{k}."),)))
            if k == count // 2:
                blocks.append(SceneBreak("* * *"))
        return tuple(blocks)

    meta = Metadata(title="The Long Watch", authors=("Ines", "Odile"), language="en")
    chapters = (
        Chapter(1, "Weather", blocks=paragraphs(1, 24)),
        Chapter(2, "Gulls", blocks=paragraphs(2, 24)),
    )
    return Story(meta, chapters)


@pytest.fixture(scope="module")
def ao3_story() -> Story:
    return parse(FIXTURES / "ao3_text.txt")


@pytest.fixture(scope="module")
def ao3(ao3_story: Story) -> Pdf:
    return read_pdf(build(ao3_story, "pdf"))


@pytest.fixture(scope="module")
def md_story() -> Story:
    return parse(FIXTURES / "markdown.md")


@pytest.fixture(scope="module")
def md(md_story: Story) -> Pdf:
    return read_pdf(build(md_story, "pdf"))


@pytest.fixture(scope="module")
def long() -> Pdf:
    return read_pdf(build(long_story(), "pdf"))


def books(request: pytest.FixtureRequest) -> Iterator[tuple[Story, Pdf]]:
    """Each fixture story with its PDF."""
    yield request.getfixturevalue("ao3_story"), request.getfixturevalue("ao3")
    yield request.getfixturevalue("md_story"), request.getfixturevalue("md")
    yield long_story(), request.getfixturevalue("long")


# --------------------------------------------------------------------------- metadata


def test_title_and_author_metadata(ao3: Pdf, md: Pdf, long: Pdf) -> None:
    for pdf, title, author in (
        (ao3, "Night Owls", "sparrowquill"),
        (md, "The Map Room", "Ines Albarran"),
        (long, "The Long Watch", "Ines, Odile"),
    ):
        meta = pdf.reader.metadata
        assert meta is not None
        assert meta.title == title
        assert meta.author == author
        assert meta.creator == "fic2book"
        assert pdf.reader.trailer["/Root"]["/Lang"] == "en"


def test_page_counts_are_plausible(ao3: Pdf, md: Pdf, long: Pdf) -> None:
    # Title page and its details page, contents, one page per short chapter, colophon.
    assert len(ao3.reader.pages) == 6
    assert len(md.reader.pages) == 6
    assert 8 <= len(long.reader.pages) <= 30


# --------------------------------------------------------------------------- structure


def test_outline_has_an_entry_per_chapter(request: pytest.FixtureRequest) -> None:
    for story, pdf in books(request):
        entries = outline(pdf.reader)
        titles = [title for _, title, _ in entries]
        assert titles[0] == story.metadata.title
        assert "Contents" in titles
        labels = [chapter_label(c, story.metadata.title) for c in story.chapters]
        chapter_entries = [e for e in entries if e[1] in labels]
        assert [title for _, title, _ in chapter_entries] == labels
        for (_, _, page), chapter in zip(chapter_entries, story.chapters, strict=True):
            assert pdf.find(first_words(chapter.blocks)) == page


def test_ao3_outline_labels_and_nesting(ao3: Pdf) -> None:
    # The story's title, and under it the contents and the chapters side by side.
    assert [(depth, title) for depth, title, _ in outline(ao3.reader)] == [
        (0, "Night Owls"),
        (1, "Contents"),
        (1, "Chapter 1: The Wrong Owl"),
        (1, "Chapter 2"),
    ]


def test_a_chapter_without_heading_and_the_end_notes_have_entries() -> None:
    meta = Metadata(
        title="One Shot",
        authors=("Wren",),
        end_notes=(Paragraph((Text("Thanks for reading."),)),),
    )
    story = Story(meta, (Chapter(None, blocks=(Paragraph((Text("It was dark."),)),)),))
    pdf = read_pdf(build(story, "pdf"))
    entries = [(depth, title) for depth, title, _ in outline(pdf.reader)]
    assert entries == [(0, "One Shot"), (1, "Contents"), (1, "One Shot"), (1, "End Notes")]
    pages = [page for _, _, page in outline(pdf.reader)]
    assert pages[2] == pdf.find("It was dark.")
    assert pages[3] == pdf.find("Thanks for reading.") > pages[2]


def contents_page(pdf: Pdf) -> int:
    """The page whose body starts with the word Contents."""
    for index in range(len(pdf.lines)):
        body = pdf.body(index)
        if body and fold(body[0].text).lower() == "contents":
            return index
    raise AssertionError("no contents page")


def test_chapters_start_on_new_pages_after_the_contents(request: pytest.FixtureRequest) -> None:
    for story, pdf in books(request):
        toc = contents_page(pdf)
        previous_last: str | None = None
        previous_page = toc
        for chapter in story.chapters:
            page = pdf.find(first_words(chapter.blocks), toc + 1)
            assert page > previous_page
            if previous_last is not None:
                assert fold(previous_last) not in pdf.text(page)
            # The chapter heading is the first thing on its page.
            top = fold(pdf.body(page)[0].text)
            assert top.startswith(f"Chapter {chapter.number}")
            previous_last = last_words(chapter.blocks)
            previous_page = page


def test_contents_shows_each_chapters_page_number(request: pytest.FixtureRequest) -> None:
    for story, pdf in books(request):
        toc = contents_page(pdf)
        text = pdf.text(toc)
        for chapter in story.chapters:
            label = chapter_label(chapter, story.metadata.title)
            page = pdf.find(first_words(chapter.blocks), toc + 1)
            match = re.search(re.escape(fold(label)) + r"[\s.]*(\d+)", text)
            assert match, f"no page number after {label!r} in {text!r}"
            assert int(match.group(1)) == page + 1
            # ... and that is the folio printed on the chapter's page.
            assert pdf.foot(page) == str(page + 1)


def test_folios_on_body_pages_not_on_front_matter(long: Pdf) -> None:
    toc = contents_page(long)
    for index in range(toc + 1):
        assert long.foot(index) == ""
    last = len(long.lines) - 1  # the colophon: front matter's look, no folio
    for index in range(toc + 1, last):
        assert long.foot(index) == str(index + 1)
    assert "Made with fic2book" in long.text(last) and long.foot(last) == ""


def test_running_heads(long: Pdf) -> None:
    story = long_story()
    openings = {long.find(first_words(c.blocks)) for c in story.chapters}
    toc = contents_page(long)
    for index in range(toc + 1):
        assert long.head(index) == ""
    seen_left = seen_right = False
    assert long.head(len(long.lines) - 1) == ""  # the colophon
    for index in range(toc + 1, len(long.lines) - 1):
        head = long.head(index).lower()
        if index in openings:
            assert head == ""
        elif index % 2 == 1:  # an even folio: a left-hand page carries the book's title
            assert head == "the long watch"
            seen_left = True
        else:  # a right-hand page carries the chapter's name
            assert head in ("weather", "gulls")
            seen_right = True
    assert seen_left and seen_right


def test_text_is_hyphenated(long: Pdf) -> None:
    # The source has no hyphens at all: any line ending in one is WeasyPrint's (pyphen's).
    assert "-" not in " ".join(SENTENCES)
    ends = [ln.text for page in long.lines for ln in page if ln.text.endswith(("-", "‐"))]
    assert ends


def test_chapter_text_is_extractable(md: Pdf, md_story: Story) -> None:
    for chapter in md_story.chapters:
        page = md.find(first_words(chapter.blocks, 8))
        assert fold(last_words(chapter.blocks, 3)) in md.text(page)


# --------------------------------------------------------------------------- fonts


def fonts(reader: pypdf.PdfReader) -> Iterator[Any]:
    """Every font dictionary used on any page, in form XObjects too."""

    def walk(resources: Any) -> Iterator[Any]:
        if not resources:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            yield font.get_object()
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                yield from walk(xobject.get("/Resources"))

    for page in reader.pages:
        yield from walk(page.get("/Resources"))


def descriptor(font: Any) -> Any:
    """A font's descriptor (a composite font's is on its descendant)."""
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    return font["/FontDescriptor"].get_object()


def test_every_font_is_embedded(request: pytest.FixtureRequest) -> None:
    for _, pdf in books(request):
        found = list(fonts(pdf.reader))
        assert found
        for font in found:
            files = {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor(font))
            assert files, f"{font.get('/BaseFont')} is not embedded"


def garamond_installed() -> bool:
    """Whether fontconfig knows EB Garamond."""
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", "EB Garamond"], capture_output=True, text=True).stdout
    return bool(out.strip())


@pytest.mark.skipif(not garamond_installed(), reason="EB Garamond is not installed")
def test_body_font_is_eb_garamond(ao3: Pdf) -> None:
    names = {str(font["/BaseFont"]) for font in fonts(ao3.reader)}
    # Subset names look like ABCDEF+EB-Garamond-Italic.
    assert any(re.fullmatch(r"/[A-Z]{6}\+EB-?Garamond.*", name) for name in names), names


def drawn_glyphs(reader: pypdf.PdfReader) -> Iterator[tuple[str, str, str]]:
    """(font, character the text says, glyph name drawn) for every single-character glyph.

    WeasyPrint keeps glyph ids when it subsets, so a code in the page stream is the glyph
    id in the embedded font file; the font's ToUnicode map says which character it is.
    """
    seen: set[str] = set()
    for font in fonts(reader):
        name = str(font["/BaseFont"])
        if name in seen or "/ToUnicode" not in font:
            continue
        seen.add(name)
        stream = descriptor(font)
        data = next(stream[k] for k in ("/FontFile3", "/FontFile2", "/FontFile") if k in stream)
        order = TTFont(io.BytesIO(data.get_object().get_data())).getGlyphOrder()
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        for cid, hexchars in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]{4,})>", cmap):
            char = bytes.fromhex(hexchars).decode("utf-16-be")
            gid = int(cid, 16)
            if len(char) == 1 and gid < len(order):
                yield name, char, order[gid]


def test_every_glyph_drawn_is_the_right_one(request: pytest.FixtureRequest) -> None:
    """No character is drawn with another character's glyph.

    This catches a WeasyPrint pitfall: it keys embedded fonts by family and style, not
    by file, so with Debian's EB Garamond (08 and 12 optical sizes, one family name) a
    character the 08 cut lacks (• ❦) is shaped with the 12 file's glyph id and drawn
    from the 08 file: a wrong glyph or none. The themes name "EB Garamond 12" first.
    """
    from fontTools import agl

    wrong = []
    for _, pdf in books(request):
        for font, char, glyph in drawn_glyphs(pdf.reader):
            # A glyph's name says what it draws: a.sc is an a, uni2766 is ❦, A.ordn is A.
            drawn = agl.toUnicode(glyph.split(".")[0])
            if drawn and drawn != char:
                wrong.append((font, char, glyph))
    assert wrong == [], "glyphs drawn from the wrong font file (see the docstring)"


# --------------------------------------------------------------------------- pages


def test_page_size_option_changes_the_mediabox(md: Pdf, md_story: Story) -> None:
    box = md.reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A5[0], abs=1)
    assert float(box.height) == pytest.approx(A5[1], abs=1)
    a4 = pypdf.PdfReader(io.BytesIO(build(md_story, "pdf", page_size="A4")))
    box = a4.pages[0].mediabox
    assert float(box.width) == pytest.approx(A4[0], abs=1)
    assert float(box.height) == pytest.approx(A4[1], abs=1)
    assert len(a4.pages) == len(md.reader.pages)


def test_output_is_deterministic(md: Pdf, md_story: Story) -> None:
    assert build(md_story, "pdf") == md.data


# --------------------------------------------------------------------------- safety


@pytest.fixture(scope="module")
def classic_roots() -> tuple[Path, ...]:
    return theme_roots(load_theme("classic"))


def test_fetch_rule_allows_data_uris_and_theme_files(classic_roots: tuple[Path, ...]) -> None:
    check_url("data:image/png;base64,AAAA", classic_roots)
    check_url("DATA:text/plain,hello", classic_roots)
    css = classic_roots[0] / "print.css"
    assert css.is_file()
    check_url(css.as_uri(), classic_roots)
    check_url("file://localhost" + css.as_posix(), classic_roots)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/font.woff2",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file:///etc/hostname",
        "file://example.com/etc/passwd",
        "x.png",
        "//example.com/x.png",
        "javascript:alert(1)",
    ],
)
def test_fetch_rule_refuses_everything_else(url: str, classic_roots: tuple[Path, ...]) -> None:
    with pytest.raises(FetchRefused, match=REFUSED):
        check_url(url, classic_roots)


def test_fetch_rule_refuses_escaping_paths_and_symlinks(
    tmp_path: Path, classic_roots: tuple[Path, ...]
) -> None:
    root = classic_roots[-1]
    escaping = root.as_uri() + "/../../../../../../../etc/passwd"
    with pytest.raises(FetchRefused):
        check_url(escaping, classic_roots)
    with pytest.raises(FetchRefused):  # inside the folder, but no such file
        check_url((root / "missing.png").as_uri(), classic_roots)
    theme = tmp_path / "theme"
    theme.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (theme / "link.txt").symlink_to(secret)
    with pytest.raises(FetchRefused):
        check_url((theme / "link.txt").as_uri(), (theme.resolve(),))


def test_fetcher_refuses_before_opening_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.urls import URLFetcher

    opened: list[str] = []
    monkeypatch.setattr(URLFetcher, "fetch", lambda self, url, headers=None: opened.append(url))
    fetcher = theme_fetcher(load_theme("classic"))
    for url in ("http://example.com/x.png", "file:///etc/passwd"):
        with pytest.raises(FetchRefused):
            fetcher(url)
    assert opened == []
    assert fetcher.refused == ["http://example.com/x.png", "file:///etc/passwd"]
    fetcher("data:text/plain,ok")
    assert opened == ["data:text/plain,ok"]


# The @import is ignored anyway (the user's CSS comes after the theme's, so it is not at
# the start of the stylesheet); the rest each ask for a fetch the rule refuses.
HOSTILE_CSS = """
@import url(https://example.com/evil.css);
@font-face { font-family: Evil; src: url(file:///etc/hostname); }
body { background: url(http://example.com/x.png); }
h1.title::before { content: url(file:///etc/passwd); }
p.byline { background-image: url(../../../../../../../../etc/hostname); }
"""


def test_hostile_user_css_fetches_nothing(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, md_story: Story
) -> None:
    from weasyprint.urls import URLFetcher

    real_fetch = URLFetcher.fetch
    opened: list[str] = []

    def spy(self: Any, url: str, headers: Any = None) -> Any:
        opened.append(url)
        return real_fetch(self, url, headers)

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the PDF writer opened a network connection")

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    caplog.set_level(logging.DEBUG)
    data = build(md_story, "pdf", user_css=(HOSTILE_CSS,))
    assert data.startswith(b"%PDF-")
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 6
    # Only the theme's own files are read (the classic theme's bold font).
    roots = theme_roots(load_theme("classic"))
    for url in opened:
        check_url(url, roots)
    assert all(url.endswith(".ttf") for url in opened), opened
    # WeasyPrint reports no refusal (and no error); fic2book says it once per address.
    # (Its warnings about the CSS itself, such as a late @import, stay.)
    noisy = [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("weasyprint")
        and (r.levelno >= logging.ERROR or REFUSED in r.getMessage())
    ]
    assert noisy == []
    ours = [r.getMessage() for r in caplog.records if r.name == "fic2book.writers.pdf"]
    assert any("http://example.com/x.png" in m for m in ours)
    assert any("file:///etc/passwd" in m for m in ours)
    assert any("file:///etc/hostname" in m for m in ours)


def test_theme_files_and_data_uris_are_used(tmp_path: Path, md_story: Story) -> None:
    theme = tmp_path / "mine"
    theme.mkdir()
    (theme / "theme.toml").write_text('name = "mine"\ninherit = "classic"\n')
    (theme / "mark.png").write_bytes(PNG)
    (theme / "theme.css").write_text(
        "h1.title::before { content: url(mark.png); }\n"
        "p.byline::before { content: url(data:image/png;base64,"
        + base64.b64encode(PNG).decode()
        + "); }\n"
    )
    reader = pypdf.PdfReader(io.BytesIO(build(md_story, "pdf", theme=str(theme))))
    images = reader.pages[0].images
    assert len(images) == 2


def test_module_does_not_import_weasyprint_until_render() -> None:
    code = "import sys, fic2book.writers.pdf; assert 'weasyprint' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)

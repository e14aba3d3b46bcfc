"""Books for every reading device: Kobo kepubs, Kindle's rules and AZW3, long chapters
split for e-readers, hidden navigation, and ``convert --check``.

Every EPUB and kepub built here is checked by EPUBCheck in one JVM; kepubs are read back
span by span against the EPUB they were made from.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import SEEDS
from epubcheck_util import assert_valid_epub, java_available, run_epubcheck_many
from fic2book import parse
from fic2book.app.check import Checker, ace_findings, epubcheck_findings
from fic2book.app.kindle import KINDLE_LANGUAGES, MAX_FILE_BYTES, kindle_problems
from fic2book.book import anthology
from fic2book.cli import main
from fic2book.model import Chapter, Metadata, Paragraph, Story, Text
from fic2book.pipeline import build
from fic2book.volume import make_volume
from fic2book.writers.kepub import kobo_document, sentences
from fic2book.writers.split import SPLIT_BYTES

X = "http://www.w3.org/1999/xhtml"
NS = {
    "x": X,
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "epub": "http://www.idpf.org/2007/ops",
}
KOBO_ID = re.compile(r"^kobo\.(\d+)\.(\d+)$")

needs_java = pytest.mark.skipif(not java_available(), reason="java or the EPUBCheck jar missing")


def one_chapter(text: str, *, title: str = "Lantern", lang: str = "en") -> Story:
    """A one-chapter story of our own words, one paragraph per line of ``text``."""
    paragraphs = tuple(Paragraph((Text(line),)) for line in text.split("\n") if line)
    meta = Metadata(title=title, authors=("Wren Halloway",), language=lang)
    return Story(meta, (Chapter(1, "The Only One", blocks=paragraphs),))


def long_story() -> Story:
    """Two chapters, the first about 320 KB of markup (split in two), the second short."""
    line = (
        "The ferry kept its lamps lit all night. Nobody aboard could say why! "
        "Was it for the gulls? Perhaps, said the pilot, or perhaps for us… "
    )
    big = tuple(Paragraph((Text(f"{i}. {line * 3}"),)) for i in range(1, 800))
    small = (Paragraph((Text("Morning came, grey and kind."),)),)
    meta = Metadata(title="The Long Ferry", authors=("Odile Marsh",), language="en")
    return Story(meta, (Chapter(1, "Night", blocks=big), Chapter(2, "Day", blocks=small)))


STORIES: dict[str, Any] = {
    "ao3": lambda: parse(SEEDS / "ao3_page_copy.txt"),
    "single": lambda: parse(SEEDS / "header_block.txt"),
    "french": lambda: one_chapter(
        "« Tu viens ? » demanda-t-elle. Il ne répondit pas.\nLa mer était calme.",
        title="La Lanterne",
        lang="fr",
    ),
    "chinese": lambda: one_chapter("灯塔亮了。她笑了！“走吧。”他说。\n海很静。", lang="zh"),
    "long": long_story,
}


@pytest.fixture(scope="module")
def stories() -> dict[str, Story]:
    return {name: make() for name, make in STORIES.items()}


@pytest.fixture(scope="module")
def books(stories: dict[str, Story]) -> dict[str, bytes]:
    """An EPUB and a kepub of each story and of an anthology of two."""
    out: dict[str, bytes] = {}
    both = anthology([stories["ao3"], stories["french"]], Metadata(title="Two Shores"))
    for name, story in [*stories.items(), ("anthology", both)]:
        for fmt in ("epub", "kepub"):
            out[f"{name}.{fmt}"] = build(story, fmt)
    return out


@pytest.fixture(scope="module")
def reports(
    books: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("devices")
    paths = {}
    for name in CHECKED:
        data = books[name]
        paths[name] = folder / (name + ".epub")
        paths[name].write_bytes(data)
    found = run_epubcheck_many(paths.values())
    return {name: (path, found[path]) for name, path in paths.items()}


def archive(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(archive(data).read(name))


def content_names(data: bytes) -> list[str]:
    return [n for n in archive(data).namelist() if n.startswith("EPUB/text/")]


# --------------------------------------------------------------------------- validity


CHECKED = [f"{s}.kepub" for s in [*STORIES, "anthology"]] + ["long.epub", "single.epub"]
"""Every kepub, and the EPUBs whose structure this module changes (the seeds' EPUBs are
checked in test_epub.py)."""


@needs_java
@pytest.mark.parametrize("name", CHECKED)
def test_every_book_is_epubcheck_clean(
    name: str, reports: dict[str, tuple[Path, dict[str, Any]]]
) -> None:
    path, report = reports[name]
    assert_valid_epub(path, report)


# --------------------------------------------------------------------------- Kobo


def test_sentences_keep_the_text_and_cut_after_end_marks() -> None:
    cases = {
        "One. Two! Three?": ["One. ", "Two! ", "Three?"],
        "“Stay,” she said. “Please.” He stayed…  Then": [
            "“Stay,” she said. ",
            "“Please.” ",
            "He stayed…  ",
            "Then",
        ],
        "灯塔亮了。她笑了！“走吧。”他说。": ["灯塔亮了。", "她笑了！", "“走吧。”", "他说。"],
        "no end mark at all": ["no end mark at all"],
        "« Tu viens ? » demanda-t-elle. Non !": ["« Tu viens ? » demanda-t-elle. ", "Non !"],
        "Wait… then what? Nothing.": ["Wait… then what? ", "Nothing."],
    }
    for text, expected in cases.items():
        assert sentences(text) == expected
        assert "".join(sentences(text)) == text


def kobo_spans(doc: etree._Element) -> list[etree._Element]:
    return list(doc.xpath("//x:span[@class='koboSpan']", namespaces=NS))


@pytest.mark.parametrize("name", [*STORIES, "anthology"])
def test_kepub_spans_are_unique_in_order_and_keep_the_text(
    name: str, books: dict[str, bytes]
) -> None:
    plain, kepub = books[f"{name}.epub"], books[f"{name}.kepub"]
    assert content_names(plain) == content_names(kepub)
    total = 0
    for file in content_names(kepub):
        before, after = xml(plain, file), xml(kepub, file)
        body_before = before.find(f"{{{X}}}body")
        body_after = after.find(f"{{{X}}}body")
        assert body_before is not None and body_after is not None
        # The text is unchanged, character for character.
        assert "".join(body_after.itertext()) == "".join(body_before.itertext())
        # book-columns > book-inner wrap the whole body.
        assert [c.get("id") for c in body_after] == ["book-columns"]
        assert [c.get("id") for c in body_after[0]] == ["book-inner"]
        spans = kobo_spans(after)
        ids = [KOBO_ID.match(s.get("id", "")) for s in spans]
        assert all(ids), file
        numbers = [(int(m.group(1)), int(m.group(2))) for m in ids if m]
        # Unique and in reading order; paragraphs count from 1 without gaps, sentences
        # from 1 within each paragraph.
        assert numbers == sorted(set(numbers)), file
        paras = [p for p, _ in numbers]
        assert sorted(set(paras)) == list(range(1, len(set(paras)) + 1)), file
        for p in set(paras):
            segs = [s for q, s in numbers if q == p]
            assert segs == list(range(1, len(segs) + 1)), (file, p)
        # Every piece of visible text sits in a span; no span inside a span.
        for node in after.xpath("//x:body//text()[normalize-space()]", namespaces=NS):
            parent = node.getparent()
            if node.is_tail:
                parent = parent.getparent()
            assert parent.xpath("ancestor-or-self::x:span[@class='koboSpan']", namespaces=NS)
        assert not after.xpath(
            "//x:span[@class='koboSpan']//x:span[@class='koboSpan']", namespaces=NS
        )
        total += len(spans)
    assert total > 0


def test_kepub_has_one_span_per_sentence(books: dict[str, bytes]) -> None:
    kepub = books["french.kepub"]
    chapter = next(n for n in content_names(kepub) if "chapter" in n)
    paragraphs = xml(kepub, chapter).xpath("//x:div[@class='chapter-text']/x:p", namespaces=NS)
    texts = [[s.text for s in p.iterfind(f"{{{X}}}span")] for p in paragraphs]
    assert texts[0] == ["« Tu viens ? » demanda-t-elle. ", "Il ne répondit pas."]
    assert texts[1] == ["La mer était calme."]
    ids = [[s.get("id") for s in p.iterfind(f"{{{X}}}span")] for p in paragraphs]
    first_para = int(ids[0][0].split(".")[1])
    assert ids[0] == [f"kobo.{first_para}.1", f"kobo.{first_para}.2"]
    assert ids[1] == [f"kobo.{first_para + 1}.1"]


def test_kepub_cover_is_marked_and_wrapped(books: dict[str, bytes]) -> None:
    kepub = books["ao3.kepub"]
    opf = xml(kepub, "EPUB/content.opf")
    cover_id = opf.xpath("//opf:meta[@name='cover']/@content", namespaces=NS)
    items = opf.xpath("//opf:item[contains(@properties,'cover-image')]", namespaces=NS)
    assert [i.get("id") for i in items] == cover_id
    page = xml(kepub, "EPUB/text/cover.xhtml")
    img = page.xpath("//x:img", namespaces=NS)[0]
    assert img.getparent().get("class") == "koboSpan"


def test_kobo_document_leaves_a_kepub_alone() -> None:
    page = (
        b"<?xml version='1.0' encoding='utf-8'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>"
        b"<head><title>t</title></head><body><p>One. Two.</p></body></html>"
    )
    once = kobo_document(page)
    assert kobo_document(once) == once
    assert once.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_cli_writes_kepub_epub(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["convert", str(SEEDS / "header_block.txt"), "-f", "kepub", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    written = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert len(written) == 1 and written[0].name.endswith(".kepub.epub")
    assert b"koboSpan" in archive(written[0].read_bytes()).read(
        next(n for n in content_names(written[0].read_bytes()) if "chapter" in n)
    )


# --------------------------------------------------------------------------- Kindle


@pytest.mark.parametrize("name", [*STORIES, "anthology"])
def test_epubs_pass_the_send_to_kindle_rules(name: str, books: dict[str, bytes]) -> None:
    data = books[f"{name}.epub"]
    assert kindle_problems(data) == []
    # The same rules, asserted directly on the parsed files.
    zf = archive(data)
    for file in zf.namelist():
        if file.endswith((".xhtml", ".opf", ".ncx")):
            head = zf.read(file)[:60]
            assert head.startswith(b"<?xml") and b"encoding=" in head, file
    opf = xml(data, "EPUB/content.opf")
    lang = opf.xpath("//dc:language/text()", namespaces=NS)[0]
    assert lang.split("-")[0] in KINDLE_LANGUAGES
    assert opf.xpath("//opf:guide/opf:reference[@type='text']", namespaces=NS)
    for file in content_names(data):
        doc = xml(data, file)
        assert doc.find(f"{{{X}}}body").get("id") is None
        assert all(i.get("src") for i in doc.iter(f"{{{X}}}img"))
        assert zf.getinfo(file).file_size <= MAX_FILE_BYTES


def test_ncx_follows_the_spine(books: dict[str, bytes]) -> None:
    data = books["anthology.epub"]
    opf = xml(data, "EPUB/content.opf")
    hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:item", NS)}
    spine = [hrefs[r.get("idref")] for r in opf.iterfind(".//opf:itemref", NS)]
    ncx = xml(data, "EPUB/toc.ncx")
    points = sorted(ncx.iterfind(".//ncx:navPoint", NS), key=lambda p: int(p.get("playOrder")))
    order = [spine.index(p.find("ncx:content", NS).get("src").split("#")[0]) for p in points]
    assert order == sorted(order) and len(order) >= 4


def broken_epub(data: bytes) -> bytes:
    """The EPUB with each Kindle rule broken once."""
    out = io.BytesIO()
    with archive(data) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == "EPUB/content.opf":
                content = content.replace(b">en</dc:language>", b">tlh</dc:language>")
                content = re.sub(rb"<guide>.*</guide>", b"", content, flags=re.S)
            elif name == "EPUB/toc.ncx":
                content = content.replace(b'playOrder="1"', b'playOrder="99"')
            elif name.endswith("chapter-1.xhtml"):
                content = content.split(b"\n", 1)[1]  # no XML declaration
                content = content.replace(b"<body>", b'<body id="top"><img alt="x"/>', 1)
                content = content.replace(b"</body>", b'<a href="#top">up</a></body>', 1)
            elif name == "EPUB/nav.xhtml":
                content = content.replace(b'epub:type="bodymatter"', b'epub:type="other"')
            dst.writestr(name, content)
    return out.getvalue()


def test_the_kindle_rules_catch_each_fault(books: dict[str, bytes]) -> None:
    found = "\n".join(kindle_problems(broken_epub(books["ao3.epub"])))
    for expected in (
        "chapter-1.xhtml: no XML declaration",
        "dc:language 'tlh'",
        "links to the <body> id",
        "<img> without src",
        "out of spine order",
        "no start reference",
    ):
        assert expected in found, found


def test_the_size_rule_needs_the_split(monkeypatch: pytest.MonkeyPatch) -> None:
    story = one_chapter("\n".join(["A long, long line of words, said twice."] * 12000))
    assert kindle_problems(build(story, "epub", cover=False)) == []  # split: small files
    monkeypatch.setattr("fic2book.writers.epub.split_documents", lambda docs: docs)
    found = kindle_problems(build(story, "epub", cover=False))
    assert len(found) == 1 and "over Kindle's" in found[0]


# --------------------------------------------------------------------------- EPUB navigation


def test_long_chapters_are_split_at_paragraphs(books: dict[str, bytes]) -> None:
    data = books["long.epub"]
    names = content_names(data)
    parts = [n for n in names if "story-1-chapter-1" in n]
    assert parts == [
        "EPUB/text/story-1-chapter-1.xhtml",
        "EPUB/text/story-1-chapter-1-2.xhtml",
    ]
    zf = archive(data)
    assert all(zf.getinfo(p).file_size <= SPLIT_BYTES + 2000 for p in parts)
    # The text is whole, in order, each paragraph in one piece.
    paragraphs = [
        "".join(p.itertext())
        for part in parts
        for p in xml(data, part).xpath("//x:div[@class='chapter-text']/x:p", namespaces=NS)
    ]
    assert len(paragraphs) == 799
    assert [int(p.split(".")[0]) for p in paragraphs] == list(range(1, 800))
    # The heading stays with the first part; the contents point there only.
    assert xml(data, parts[0]).xpath("//x:h2", namespaces=NS)
    assert not xml(data, parts[1]).xpath("//x:h2", namespaces=NS)
    nav = xml(data, "EPUB/nav.xhtml")
    hrefs = nav.xpath("//x:nav[@id='toc']//x:a/@href", namespaces=NS)
    assert hrefs == ["text/story-1-chapter-1.xhtml", "text/story-1-chapter-2.xhtml"]
    opf = xml(data, "EPUB/content.opf")
    hrefs_by_id = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:item", NS)}
    spine = [hrefs_by_id[r.get("idref")] for r in opf.iterfind(".//opf:itemref", NS)]
    at = spine.index("text/story-1-chapter-1.xhtml")
    assert spine[at : at + 3] == [
        "text/story-1-chapter-1.xhtml",
        "text/story-1-chapter-1-2.xhtml",
        "text/story-1-chapter-2.xhtml",
    ]


def test_one_chapter_book_has_no_contents_page(books: dict[str, bytes]) -> None:
    data = books["single.epub"]
    nav = xml(data, "EPUB/nav.xhtml")
    toc = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    assert len(toc) == 1 and toc[0].get("hidden") == "hidden"  # kept, as EPUB requires
    opf = xml(data, "EPUB/content.opf")
    nav_id = opf.xpath("//opf:item[@properties='nav']/@id", namespaces=NS)[0]
    assert nav_id not in opf.xpath("//opf:itemref/@idref", namespaces=NS)
    marks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert "toc" not in marks and "bodymatter" in marks
    # A book of several chapters keeps its visible contents page.
    multi = xml(books["ao3.epub"], "EPUB/nav.xhtml")
    assert multi.xpath("//x:nav[@epub:type='toc']", namespaces=NS)[0].get("hidden") is None


def test_landmarks_stay_hidden_when_rendered(books: dict[str, bytes], tmp_path: Path) -> None:
    """The nav page as a renderer draws it with the book's stylesheet: the contents show,
    the landmarks do not (book.css's ``nav {display: block}`` used to beat ``hidden``)."""
    weasyprint = pytest.importorskip("weasyprint")
    pypdf = pytest.importorskip("pypdf")
    zf = archive(books["ao3.epub"])
    for name in ("EPUB/nav.xhtml", "EPUB/styles/book.css"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(zf.read(name))
    pdf = weasyprint.HTML(filename=str(tmp_path / "EPUB/nav.xhtml")).write_pdf()
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Contents" in text
    assert "Landmarks" not in text and "Start of Content" not in text


def test_apple_books_cover_meta(books: dict[str, bytes]) -> None:
    opf = xml(books["ao3.epub"], "EPUB/content.opf")
    cover = opf.xpath("//opf:meta[@name='cover']/@content", namespaces=NS)
    assert len(cover) == 1
    item = opf.xpath(f"//opf:item[@id='{cover[0]}']", namespaces=NS)[0]
    assert item.get("media-type").startswith("image/")
    assert "cover-image" in item.get("properties", "")
    # Ace's epub-lang rule: the package says its language.
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


# --------------------------------------------------------------------------- HTML navigation


def nav_link_boxes(page: str, width: int, nav: str = "chapter") -> list[tuple[str, float, float]]:
    """(class, height, width) in CSS px of every chapter-navigation link (``nav="toc"``:
    of every contents link, its class ``toc``), as WeasyPrint lays the page out for a
    screen ``width`` px wide (one tall page, so no link is cut)."""
    weasyprint = pytest.importorskip("weasyprint")
    size = weasyprint.CSS(string=f"@page {{ size: {width}px 100000px; margin: 0 }}")
    doc = weasyprint.HTML(string=page, media_type="screen").render(stylesheets=[size])

    def walk(box: Any, parent: Any = None, in_toc: bool = False) -> Any:
        el = getattr(box, "element", None)
        in_toc = in_toc or (el is not None and el.tag == "nav" and "toc" in el.get("class", ""))
        yield box, parent, in_toc
        for child in getattr(box, "children", None) or []:
            yield from walk(child, box, in_toc)

    def kind(el: Any, in_toc: bool) -> str | None:
        """The link's class among those measured, or None for another element."""
        if el is None or el.tag != "a":
            return None
        if nav == "toc":
            return "toc" if in_toc else None
        return el.get("class") if el.get("class") in ("prev", "next", "contents") else None

    found = []
    for laid in doc.pages:
        for box, parent, in_toc in walk(laid._page_box):
            el = getattr(box, "element", None)
            outer = parent is None or getattr(parent, "element", None) is not el
            if outer and (cls := kind(el, in_toc)) is not None:
                found.append((cls, box.border_height(), box.border_width()))
    return found


def test_html_chapter_links_are_big_enough_to_tap() -> None:
    page = build(parse(SEEDS / "ao3_page_copy.txt"), "html", cover=False).decode("utf-8")
    for width in (360, 1024):
        boxes = nav_link_boxes(page, width)
        assert len(boxes) >= 3 * 2 * 2  # three chapters, two rows, at least two links
        for cls, height, wide in boxes:
            assert height >= 44 and wide >= 44, (width, cls, height, wide)


@pytest.mark.parametrize("style", ["classic", "sans", "large-print"])
def test_html_contents_links_are_big_enough_to_tap(style: str) -> None:
    """Every contents entry, an anthology's chapters under their story too, is a tap
    target at least 44 px high on a phone (it was one line, 24 px)."""
    single = parse(SEEDS / "ao3_page_copy.txt")
    pages = [
        build(single, "html", cover=False, theme=style),
        build(make_volume([single, two_chapters()]), "html", cover=False, theme=style),
    ]
    for page, entries in zip(pages, (3, 2 + 3 + 2), strict=True):
        boxes = nav_link_boxes(page.decode("utf-8"), 390, nav="toc")
        assert len(boxes) == entries
        for _, height, _ in boxes:
            assert height >= 44, (style, height)


def two_chapters() -> Story:
    """A short story of two chapters (for an anthology's nested contents)."""
    chapters = tuple(
        Chapter(n, title, blocks=(Paragraph((Text(f"The {title.lower()} came."),)),))
        for n, title in ((1, "Night"), (2, "Day"))
    )
    return Story(Metadata(title="Two Lamps", authors=("Odile Marsh",), language="en"), chapters)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MEASURE = """<script>
addEventListener("load", () => {
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = [...document.querySelectorAll("nav.toc a, nav.chapter-nav a")]
    .map((a) => (a.closest("nav.toc") ? "toc " : "chapter ") + a.getBoundingClientRect().height)
    .join("\\n");
  document.body.append(out);
});
</script>"""
"""Measures each contents and chapter link as laid out, and writes the heights into
the page, for ``--dump-dom`` to print (added to a copy of the book in the test only)."""


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_html_contents_links_measured_in_a_phone_browser(tmp_path: Path) -> None:
    """A real browser at a phone's size (390 x 844 CSS px) lays out the contents links
    at least 44 px high, as the chapter links are."""
    import subprocess

    book = build(make_volume([parse(SEEDS / "ao3_page_copy.txt"), two_chapters()]), "html")
    page = tmp_path / "measure.html"
    page.write_text(book.decode("utf-8").replace("</body>", MEASURE + "</body>"), "utf-8")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=390,844"]
    args += ["--virtual-time-budget=5000", "--dump-dom", page.as_uri()]
    done = subprocess.run([str(CHROMIUM), *args], capture_output=True, text=True, timeout=180)
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.DOTALL)
    assert found, done.stderr[-2000:]
    heights: dict[str, list[float]] = {"toc": [], "chapter": []}
    for line in found.group(1).splitlines():
        kind, height = line.split()
        heights[kind].append(float(height))
    assert len(heights["toc"]) == 2 + 3 + 2 and heights["chapter"]
    assert min(heights["toc"]) >= 44 and min(heights["chapter"]) >= 44, heights


def test_html_one_chapter_book_has_no_contents_or_chapter_links() -> None:
    from lxml import html as lxml_html

    page = lxml_html.fromstring(build(parse(SEEDS / "header_block.txt"), "html"))
    assert not page.xpath("//nav[@id='contents']")
    assert not page.xpath("//nav[contains(@class,'chapter-nav')]")
    assert not page.xpath("//a[@href='#contents']")
    assert page.xpath("//section[contains(@class,'chapter')]")


# --------------------------------------------------------------------------- AZW3


def test_azw3_without_calibre_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["convert", str(SEEDS / "header_block.txt"), "-f", "azw3", "-o", str(out)]
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "ebook-convert" in lines[0] and "install calibre" in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]


@pytest.mark.skipif(shutil.which("ebook-convert") is None, reason="calibre not installed")
def test_azw3_through_calibre(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["convert", str(SEEDS / "header_block.txt"), "-f", "azw3", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    (book,) = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    data = book.read_bytes()
    assert book.suffix == ".azw3"
    assert data[60:68] == b"BOOKMOBI"  # a Mobipocket (KF8) database
    assert b"Clockmaker" in data[:1000]  # the title in the PalmDB header


# --------------------------------------------------------------------------- --check


def test_check_reports_findings_of_each_checker() -> None:
    report = {
        "messages": [
            {"severity": "ERROR", "ID": "RSC-005", "message": "bad", "locations": [{"path": "a"}]},
            {"severity": "INFO", "ID": "X", "message": "fine"},
        ]
    }
    assert epubcheck_findings(report) == ["ERROR RSC-005: bad [a:None]"]
    ace = {
        "assertions": [
            {
                "earl:testSubject": {"url": "EPUB/content.opf"},
                "assertions": [{"earl:test": {"earl:impact": "serious", "dct:title": "epub-lang"}}],
            }
        ]
    }
    assert ace_findings(ace) == ["serious epub-lang:  [EPUB/content.opf]"]


def test_check_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("PUPPETEER_EXECUTABLE_PATH", raising=False)
    notes = " ".join(Checker().notes())
    assert "npm install -g @daisy/ace" in notes
    assert "Java" in notes or "fic2book[check]" in notes


@needs_java
@pytest.mark.epubcheck_skip("bad.epub is broken on purpose (the good one is checked by --check)")
def test_convert_check_passes_a_good_book_and_fails_a_bad_one(
    tmp_path: Path, books: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ace is tried by its own test below; here only EPUBCheck and the Kindle rules run.
    monkeypatch.setattr(Checker, "__init__", _without_ace)
    result = CliRunner().invoke(
        main, ["convert", str(SEEDS / "header_block.txt"), "--check", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "EPUBCheck: " in result.output and "no errors or warnings" in result.output
    assert "Send to Kindle rules: all pass" in result.output
    bad = tmp_path / "bad.epub"
    bad.write_bytes(broken_epub(books["ao3.epub"]))
    report = Checker().check(bad)
    assert not report.ok
    text = "\n".join(report.lines)
    assert "EPUBCheck: " in text and "error" in text
    assert "Send to Kindle rules: 6 problems" in text


def _without_ace(self: Checker) -> None:
    from fic2book.app import check

    self.jar = check.epubcheck_jar()
    self.java = shutil.which("java")
    self.ace = None
    self.browser = None


@pytest.mark.skipif(
    not (shutil.which("ace-puppeteer") or shutil.which("ace")),
    reason="Ace by DAISY not installed (npm install -g @daisy/ace)",
)
def test_ace_finds_no_accessibility_violations(tmp_path: Path, books: dict[str, bytes]) -> None:
    checker = Checker()
    if checker.browser is None:
        pytest.skip("Ace needs Chromium or Chrome, and neither is installed")
    path = tmp_path / "book.epub"
    path.write_bytes(books["ao3.epub"])
    summary, findings = checker._ace(path)
    assert findings == [], findings
    assert summary.startswith("pass")

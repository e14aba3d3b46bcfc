"""The EPUB writer: every book the tests make is EPUBCheck-clean, and the package says
what the story says (asserted by unzipping and parsing the output, never on raw bytes).

All books are built once per module and checked by EPUBCheck in one JVM.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from lxml import etree
from PIL import Image

from conftest import FIXTURES, ROOT, SEEDS, fold
from epubcheck_util import assert_valid_epub, java_available, run_epubcheck_many
from fic2book import parse
from fic2book.book import anthology, book_of
from fic2book.errors import Fic2BookError
from fic2book.model import Block, BlockQuote, Metadata, Note, SceneBreak, Story, Verse
from fic2book.pipeline import build
from fic2book.render.cover import cover_data_uri, cover_png
from fic2book.render.labels import chapter_label
from fic2book.themes import Theme, load_theme

SHARED = ROOT.parent / "shared"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
XSS_SOURCE = (
    b"Title: Tags <b>bold</b> & co\n"
    b"Author: Mallory & Eve\n"
    b"\n"
    b"<script>alert(1)</script> & then she left.\n"
    b"\n"
    b"Fish & chips <i>not italic</i> &amp; done.\n"
)


def story_sources() -> list[Path]:
    """Every reader fixture (those with a golden beside them) and every seed."""
    fixtures = sorted(p.with_suffix("") for p in FIXTURES.glob("*.json"))
    fixtures = [p for p in fixtures if p.suffix in (".txt", ".md", ".html")]
    seeds = sorted(p for p in SEEDS.iterdir() if p.is_file() and p.name != "README.md")
    return fixtures + seeds


SOURCES = {f"{p.parent.name}/{p.name}": p for p in story_sources()}
OTHER_BOOKS = ("xss", "anthology", "no-cover", "retitled")

pytestmark = pytest.mark.skipif(not java_available(), reason="java or the EPUBCheck jar missing")


# --------------------------------------------------------------------------- reading


@dataclass
class Epub:
    """An EPUB opened for assertions: OPF, manifest, spine, nav, NCX and documents."""

    data: bytes

    @cached_property
    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(self.data))

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    @cached_property
    def opf_path(self) -> str:
        container = self.xml("META-INF/container.xml")
        return str(container.xpath("//c:rootfile/@full-path", namespaces=NS)[0])

    @cached_property
    def opf(self) -> etree._Element:
        return self.xml(self.opf_path)

    def path(self, href: str, base: str | None = None) -> str:
        """A manifest or link href as a path in the archive."""
        folder = PurePosixPath(base or self.opf_path).parent
        parts: list[str] = []
        for part in (folder / href.split("#")[0]).parts:
            if part == "..":
                parts.pop()
            elif part != ".":
                parts.append(part)
        return "/".join(parts)

    @cached_property
    def manifest(self) -> dict[str, dict[str, str]]:
        items = self.opf.xpath("//opf:manifest/opf:item", namespaces=NS)
        return {i.get("id"): dict(i.attrib) for i in items}

    def item_with(self, prop: str) -> dict[str, str]:
        found = [i for i in self.manifest.values() if prop in i.get("properties", "").split()]
        assert len(found) == 1, f"expected one item with {prop}"
        return found[0]

    @cached_property
    def spine(self) -> list[tuple[str, str]]:
        """(archive path, linear) per itemref."""
        refs = self.opf.xpath("//opf:spine/opf:itemref", namespaces=NS)
        return [
            (self.path(self.manifest[r.get("idref")]["href"]), r.get("linear", "yes")) for r in refs
        ]

    def dc(self, name: str) -> list[str]:
        return [str(t) for t in self.opf.xpath(f"//opf:metadata/dc:{name}/text()", namespaces=NS)]

    def meta(self, prop: str) -> list[str]:
        xp = f"//opf:metadata/opf:meta[@property='{prop}']/text()"
        return [str(t) for t in self.opf.xpath(xp, namespaces=NS)]

    def named_meta(self, name: str) -> list[str]:
        xp = f"//opf:metadata/opf:meta[@name='{name}']/@content"
        return [str(t) for t in self.opf.xpath(xp, namespaces=NS)]

    @cached_property
    def nav_path(self) -> str:
        return self.path(self.item_with("nav")["href"])

    @cached_property
    def nav(self) -> etree._Element:
        return self.xml(self.nav_path)

    def nav_of(self, kind: str) -> etree._Element:
        found = [n for n in self.nav.iter(f"{{{NS['x']}}}nav") if n.get(EPUB_TYPE) == kind]
        assert len(found) == 1, f"expected one {kind} nav"
        return found[0]

    def toc(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """Top-level contents entries as (label, path, [(child label, child path)])."""
        out = []
        for li in self.nav_of("toc").xpath("x:ol/x:li", namespaces=NS):
            a = li.xpath("x:a", namespaces=NS)[0]
            children = [
                ("".join(c.itertext()), self.path(c.get("href"), self.nav_path))
                for c in li.xpath("x:ol/x:li/x:a", namespaces=NS)
            ]
            out.append(("".join(a.itertext()), self.path(a.get("href"), self.nav_path), children))
        return out

    @cached_property
    def ncx(self) -> etree._Element:
        items = [i for i in self.manifest.values() if i["media-type"] == "application/x-dtbncx+xml"]
        assert len(items) == 1
        return self.xml(self.path(items[0]["href"]))

    def documents(self) -> list[tuple[str, etree._Element]]:
        """Every spine document but the nav, parsed."""
        return [(p, self.xml(p)) for p, _ in self.spine if p != self.nav_path]

    def sections(self, kind: str) -> list[tuple[str, etree._Element]]:
        """(path, section) for every renderer section of a kind (``chapter``...)."""
        out = []
        for path, doc in self.documents():
            body = doc.find(f"{{{NS['x']}}}body")
            assert body is not None
            for section in body.findall(f"{{{NS['x']}}}section"):
                if section.get(EPUB_TYPE) == kind:
                    out.append((path, section))
        return out


def by_class(el: etree._Element, tag: str, cls: str) -> list[etree._Element]:
    xp = f".//x:{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"
    return list(el.xpath(xp, namespaces=NS))


def text_of(el: etree._Element) -> str:
    return "".join(el.itertext())


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def theme(tmp_path_factory: pytest.TempPathFactory) -> Theme:
    """The default theme, or a minimal stand-in while styles/ is being written."""
    try:
        return load_theme("classic")
    except Fic2BookError:
        folder = tmp_path_factory.mktemp("theme")
        (folder / "theme.toml").write_text('name = "stand-in"\n', encoding="utf-8")
        (folder / "book.css").write_text("p { margin: 0; text-indent: 1.5em; }\n")
        return load_theme(str(folder))


@pytest.fixture(scope="module")
def stories() -> dict[str, Story]:
    return {name: parse(path) for name, path in SOURCES.items()}


@pytest.fixture(scope="module")
def books(stories: dict[str, Story], theme: Theme) -> dict[str, bytes]:
    """Every EPUB the tests look at, built once."""
    out = {name: build(story, "epub", theme=theme) for name, story in stories.items()}
    out["xss"] = build(parse(XSS_SOURCE), "epub", theme=theme)
    both = anthology(
        [stories["seeds/ao3_page_copy.txt"], stories["seeds/markdown_story.md"]],
        Metadata(title="Both"),
    )
    out["anthology"] = build(both, "epub", theme=theme)
    out["no-cover"] = build(stories["seeds/ao3_page_copy.txt"], "epub", theme=theme, cover=False)
    out["retitled"] = build(
        parse(SOURCES["seeds/ao3_page_copy.txt"], title="Another Title"), "epub", theme=theme
    )
    return out


@pytest.fixture(scope="module")
def epub_files(
    books: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("epubs")
    paths = {}
    for i, (name, data) in enumerate(books.items()):
        paths[name] = folder / f"{i:02d}-{Path(name).stem}.epub"
        paths[name].write_bytes(data)
    return paths


@pytest.fixture(scope="module")
def reports(epub_files: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """EPUBCheck's report on every book, from one JVM."""
    found = run_epubcheck_many(epub_files.values())
    return {name: found[path] for name, path in epub_files.items()}


def epub(books: dict[str, bytes], name: str) -> Epub:
    return Epub(books[name])


# --------------------------------------------------------------------------- EPUBCheck


@pytest.mark.parametrize("name", [*SOURCES, *OTHER_BOOKS])
def test_epubcheck_clean(
    name: str, epub_files: dict[str, Path], reports: dict[str, dict[str, Any]]
) -> None:
    assert_valid_epub(epub_files[name], reports[name])
    assert reports[name]["checker"]["nFatal"] == 0


# --------------------------------------------------------------------------- package


def test_archive_layout(books: dict[str, bytes]) -> None:
    for name, data in books.items():
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
        assert infos[0].filename == "mimetype", name
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos), name
        # Text is deflated; images, already compressed, are stored.
        for i in infos[1:]:
            image = i.filename.endswith((".png", ".jpg", ".jpeg", ".gif", ".webp"))
            want = zipfile.ZIP_STORED if image else zipfile.ZIP_DEFLATED
            assert i.compress_type == want, (name, i.filename)


def test_opf_metadata(books: dict[str, bytes], stories: dict[str, Story]) -> None:
    name = "seeds/ao3_page_copy.txt"
    book, meta = epub(books, name), stories[name].metadata
    assert book.opf.get("version") == "3.0"
    assert book.dc("title") == ["What the Lamplighter Kept"]
    assert book.dc("creator") == ["quillandember"]
    roles = book.opf.xpath("//opf:meta[@property='role']", namespaces=NS)
    assert [(r.get("refines"), r.text) for r in roles] == [("#creator-1", "aut")]
    assert book.dc("language") == ["en"]
    assert fold(book.dc("description")[0]).startswith("Mira has lit the lamps")
    subjects = book.dc("subject")
    expected = [*meta.fandoms, *meta.relationships, *meta.characters, *meta.tags]
    assert subjects == list(dict.fromkeys(expected))
    assert len(subjects) == len(set(subjects))
    assert {"The Lantern Courts", "Mira Castellane/Juno Reyes", "Slow Burn"} <= set(subjects)
    # series: EPUB 3 collection and calibre's pair
    collection = book.opf.xpath("//opf:meta[@property='belongs-to-collection']", namespaces=NS)
    assert [c.text for c in collection] == ["Lantern Nights"]
    ref = "#" + collection[0].get("id")
    refines = {
        m.get("property"): m.text
        for m in book.opf.xpath(f"//opf:meta[@refines='{ref}']", namespaces=NS)
    }
    assert refines == {"collection-type": "series", "group-position": "2"}
    assert book.named_meta("calibre:series") == ["Lantern Nights"]
    assert book.named_meta("calibre:series_index") == ["2"]
    # identifier, dates
    uid = book.opf.get("unique-identifier")
    ident = book.opf.xpath(f"//dc:identifier[@id='{uid}']/text()", namespaces=NS)
    assert len(ident) == 1 and str(ident[0]).startswith("urn:uuid:")
    assert book.meta("dcterms:modified") == ["2021-04-18T00:00:00Z"]  # the completed date
    assert book.dc("date") == ["2021-03-04"]
    assert book.opf.xpath("//opf:spine/@page-progression-direction", namespaces=NS) == ["ltr"]
    # accessibility
    assert "textual" in book.meta("schema:accessMode")
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(
        book.meta("schema:accessibilityFeature")
    )
    assert book.meta("schema:accessibilityHazard") == ["none"]
    assert book.meta("schema:accessibilitySummary")


@pytest.mark.parametrize("name", list(SOURCES))
def test_metadata_follows_story(
    name: str, books: dict[str, bytes], stories: dict[str, Story]
) -> None:
    book, meta = epub(books, name), stories[name].metadata
    assert book.dc("title") == [meta.title or "Untitled"]
    assert book.dc("creator") == list(meta.authors)
    assert book.dc("language") == [meta.language or "en"]
    assert book.dc("source") == ([meta.source_url] if meta.source_url else [])
    modified = book.meta("dcterms:modified")
    assert len(modified) == 1
    dated = meta.updated or meta.completed or meta.published
    if not dated:
        assert modified == ["2000-01-01T00:00:00Z"]
    else:
        assert modified[0].startswith(dated[:10])


def test_identifier_is_stable_and_follows_text(
    books: dict[str, bytes], stories: dict[str, Story], theme: Theme
) -> None:
    def ident(data: bytes) -> str:
        return Epub(data).dc("identifier")[0]

    again = build(stories["seeds/ao3_page_copy.txt"], "epub", theme=theme)
    assert again == books["seeds/ao3_page_copy.txt"]  # byte-identical
    assert ident(again) == ident(books["no-cover"])
    assert ident(books["retitled"]) != ident(again)
    idents = [ident(books[n]) for n in SOURCES]
    assert len(set(idents)) == len(idents)


def test_byte_identical_builds(stories: dict[str, Story], theme: Theme) -> None:
    story = stories["seeds/markdown_story.md"]
    assert build(story, "epub", theme=theme) == build(story, "epub", theme=theme)
    both = anthology([story, stories["fixtures/verse.txt"]], Metadata(title="Twice"))
    assert build(both, "epub", theme=theme) == build(both, "epub", theme=theme)


# --------------------------------------------------------------------------- navigation


@pytest.mark.parametrize("name", list(SOURCES))
def test_nav_lists_every_chapter(
    name: str, books: dict[str, bytes], stories: dict[str, Story]
) -> None:
    book, story = epub(books, name), stories[name]
    labels = [chapter_label(c, story.metadata.title) for c in story.chapters]
    if story.metadata.end_notes:
        labels.append("End Notes")
    toc = book.toc()
    assert [label for label, _, _ in toc] == labels
    assert all(not children for _, _, children in toc)
    assert not any(fold(label) == "Chapter Text" for label, _, _ in toc)
    spine = [p for p, _ in book.spine]
    assert all(path in spine for _, path, _ in toc)
    chapters = book.sections("chapter")
    assert [path for _, path, _ in toc[: len(story.chapters)]] == [p for p, _ in chapters]
    # the NCX says the same for EPUB 2 readers
    ncx_labels = [
        text_of(t)
        for t in book.ncx.xpath("//ncx:navMap/ncx:navPoint/ncx:navLabel/ncx:text", namespaces=NS)
    ]
    assert ncx_labels == labels
    depth = book.ncx.xpath("//ncx:meta[@name='dtb:depth']/@content", namespaces=NS)
    assert depth == ["1"]


def test_landmarks(books: dict[str, bytes]) -> None:
    book = epub(books, "seeds/ao3_page_copy.txt")
    marks = {
        a.get(EPUB_TYPE): book.path(a.get("href"), book.nav_path)
        for a in book.nav_of("landmarks").iter(f"{{{NS['x']}}}a")
    }
    assert set(marks) == {"cover", "titlepage", "toc", "bodymatter"}
    assert marks["toc"] == book.nav_path
    assert marks["bodymatter"] == book.sections("chapter")[0][0]
    assert marks["titlepage"] == book.sections("titlepage")[0][0]
    assert marks["cover"] == book.spine[0][0]
    assert book.nav_of("landmarks").get("hidden") is not None
    # the OPF guide repeats them for EPUB 2 readers
    types = book.opf.xpath("//opf:guide/opf:reference/@type", namespaces=NS)
    assert set(types) == {"cover", "title-page", "toc", "text"}


def test_spine_order(books: dict[str, bytes], stories: dict[str, Story]) -> None:
    book = epub(books, "seeds/ao3_page_copy.txt")
    spine = book.spine
    assert spine[0][0].endswith("cover.xhtml")
    assert spine[1][0] == book.sections("titlepage")[0][0]
    assert spine[2] == (book.nav_path, "no")
    # The chapters, then the colophon (a last page: source, date, maker).
    chapters = [p for p, _ in book.sections("chapter")]
    assert [p for p, _ in spine[3:]] == [*chapters, *(p for p, _ in book.sections("colophon"))]
    assert len(spine) == 3 + len(chapters) + 1
    assert len(chapters) == len(stories["seeds/ao3_page_copy.txt"].chapters)
    assert book.opf.xpath("//opf:spine/@toc", namespaces=NS) == [
        next(k for k, v in book.manifest.items() if v["media-type"] == "application/x-dtbncx+xml")
    ]


def test_anthology_nests_its_nav(books: dict[str, bytes], stories: dict[str, Story]) -> None:
    book = epub(books, "anthology")
    first, second = stories["seeds/ao3_page_copy.txt"], stories["seeds/markdown_story.md"]
    assert book.dc("title") == ["Both"]
    assert book.dc("creator") == [*first.metadata.authors, *second.metadata.authors]
    toc = book.toc()
    assert [label for label, _, _ in toc] == [first.metadata.title, second.metadata.title]
    for (_, path, children), story in zip(toc, (first, second), strict=True):
        assert path in [p for p, _ in book.sections("titlepage")]
        assert [c for c, _ in children] == [
            chapter_label(c, story.metadata.title) for c in story.chapters
        ]
    assert len(book.sections("chapter")) == len(first.chapters) + len(second.chapters)
    top = book.ncx.xpath("//ncx:navMap/ncx:navPoint", namespaces=NS)
    assert [len(p.xpath("ncx:navPoint", namespaces=NS)) for p in top] == [
        len(first.chapters),
        len(second.chapters),
    ]
    assert book.ncx.xpath("//ncx:meta[@name='dtb:depth']/@content", namespaces=NS) == ["2"]


# --------------------------------------------------------------------------- documents


@pytest.mark.parametrize("name", list(SOURCES))
def test_documents(name: str, books: dict[str, bytes], stories: dict[str, Story]) -> None:
    book, story = epub(books, name), stories[name]
    css = [i for i in book.manifest.values() if i["media-type"] == "text/css"]
    assert len(css) == 1
    css_path = book.path(css[0]["href"])
    lang = book.dc("language")[0]
    for path, doc in [*book.documents(), (book.nav_path, book.nav)]:
        assert doc.get("lang") == lang and doc.get(XML_LANG) == lang, path
        title = doc.xpath("/x:html/x:head/x:title", namespaces=NS)
        assert len(title) == 1 and (title[0].text or "").strip(), path
        links = doc.xpath("//x:head/x:link[@rel='stylesheet']/@href", namespaces=NS)
        assert [book.path(h, path) for h in links] == [css_path], path
    chapters = book.sections("chapter")
    assert len(chapters) == len(story.chapters)
    assert len({p for p, _ in chapters}) == len(chapters)  # one file per chapter
    for (path, _), chapter in zip(chapters, story.chapters, strict=True):
        title = book.xml(path).xpath("//x:title/text()", namespaces=NS)
        assert title == [chapter_label(chapter, story.metadata.title)]
    # notes stay in the flow, never as footnotes or asides
    for path, doc in book.documents():
        types = " ".join(el.get(EPUB_TYPE, "") for el in doc.iter() if isinstance(el.tag, str))
        assert "footnote" not in types and "aside" not in types, path
        assert not doc.xpath("//x:aside", namespaces=NS), path


def _count(blocks: tuple[Block, ...], kind: type) -> int:
    """Blocks of a kind, counting inside quotes and notes too."""
    total = 0
    for b in blocks:
        total += isinstance(b, kind)
        if isinstance(b, BlockQuote | Note):
            total += _count(b.blocks, kind)
    return total


def _verse_lines(blocks: tuple[Block, ...]) -> int:
    total = 0
    for b in blocks:
        if isinstance(b, Verse):
            total += len(b.lines)
        elif isinstance(b, BlockQuote | Note):
            total += _verse_lines(b.blocks)
    return total


def test_scene_breaks(books: dict[str, bytes], stories: dict[str, Story]) -> None:
    for name in ("seeds/ao3_page_copy.txt", "fixtures/ao3_text.txt"):
        book, story = epub(books, name), stories[name]
        want = sum(_count(c.blocks, SceneBreak) for c in story.chapters)
        assert want > 0
        got = sum(len(by_class(s, "p", "scene-break")) for _, s in book.sections("chapter"))
        assert got == want, name


def test_verse_keeps_lines(books: dict[str, bytes], stories: dict[str, Story]) -> None:
    for name in ("seeds/epigraph_verse.txt", "fixtures/verse.txt"):
        book, story = epub(books, name), stories[name]
        want = sum(_verse_lines(c.blocks) for c in story.chapters)
        assert want > 1
        sections = [s for _, s in book.sections("chapter")]
        lines = [ln for s in sections for ln in by_class(s, "span", "line")]
        assert len(lines) == want, name
        for div in (d for s in sections for d in by_class(s, "div", "verse")):
            spans = by_class(div, "span", "line")
            assert len(div.xpath(".//x:br", namespaces=NS)) == len(spans) - 1


def test_notes_are_sections(books: dict[str, bytes], stories: dict[str, Story]) -> None:
    for name in ("fixtures/plain_notes.txt", "seeds/ao3_saved_page.html"):
        book, story = epub(books, name), stories[name]
        want = sum(
            len(c.notes_before) + len(c.notes_after) + bool(c.summary) + _count(c.blocks, Note)
            for c in story.chapters
        )
        got = sum(len(by_class(s, "section", "note")) for _, s in book.sections("chapter"))
        assert want > 0 or story.metadata.end_notes
        assert got == want, name
        if story.metadata.end_notes:
            ((_, after),) = book.sections("afterword")
            assert by_class(after, "section", "end-notes")


def test_story_text_is_escaped(books: dict[str, bytes]) -> None:
    book = epub(books, "xss")
    assert book.dc("title") == ["Tags <b>bold</b> & co"]
    for path, doc in book.documents():
        for tag in ("script", "b", "i"):
            assert not doc.xpath(f"//x:{tag}", namespaces=NS), (path, tag)
    ((_, chapter),) = book.sections("chapter")
    text = fold(text_of(chapter))
    assert "<script>alert(1)</script> & then she left." in text
    assert "Fish & chips <i>not italic</i> &amp; done." in text
    title_page = fold(text_of(book.sections("titlepage")[0][1]))
    assert "Tags <b>bold</b> & co" in title_page
    raw = book.zip.read(book.sections("chapter")[0][0]).decode("utf-8")
    assert "&lt;script&gt;" in raw and "<script" not in raw


# --------------------------------------------------------------------------- cover


def test_cover(books: dict[str, bytes]) -> None:
    book = epub(books, "seeds/ao3_page_copy.txt")
    item = book.item_with("cover-image")
    assert item["media-type"] == "image/png"
    png = book.zip.read(book.path(item["href"]))
    assert png.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(png)) as img:
        img.verify()
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (1600, 2400) and img.format == "PNG"
    assert book.named_meta("cover") == [next(k for k, v in book.manifest.items() if v is item)]
    cover_page = book.xml(book.spine[0][0])
    imgs = cover_page.xpath("//x:img", namespaces=NS)
    assert len(imgs) == 1 and imgs[0].get("alt", "").startswith("Cover")
    assert book.path(imgs[0].get("src"), book.spine[0][0]) == book.path(item["href"])


def test_no_cover_when_asked(books: dict[str, bytes]) -> None:
    book = epub(books, "no-cover")
    assert not [i for i in book.manifest.values() if "cover-image" in i.get("properties", "")]
    assert not [n for n in book.zip.namelist() if n.endswith(".png")]
    assert book.spine[0][0] == book.sections("titlepage")[0][0]
    types = {a.get(EPUB_TYPE) for a in book.nav_of("landmarks").iter(f"{{{NS['x']}}}a")}
    assert types == {"titlepage", "toc", "bodymatter"}


def test_cover_png_is_deterministic(stories: dict[str, Story]) -> None:
    book = book_of(stories["seeds/ao3_page_copy.txt"])
    png = cover_png(book)
    assert png == cover_png(book)
    assert png.startswith(PNG_SIGNATURE)
    # no text or time chunks: nothing but the picture (and its palette)
    pos, chunks = 8, []
    while pos < len(png):
        length = int.from_bytes(png[pos : pos + 4], "big")
        chunks.append(png[pos + 4 : pos + 8].decode("ascii"))
        pos += 12 + length
    assert set(chunks) <= {"IHDR", "PLTE", "IDAT", "IEND"}
    assert cover_data_uri(book).startswith("data:image/png;base64,iVBORw0KGgo")
    long_title = Metadata(
        title="An " + "Extraordinarily " * 30 + "Long Title",
        authors=("someone_with_a_very_long_name_indeed",),
    )
    with Image.open(io.BytesIO(cover_png(book_of(Story(long_title, ()))))) as img:
        assert img.size == (1600, 2400)


# --------------------------------------------------------------------------- score script


def score_keys() -> list[Path]:
    return sorted((SHARED / "eval" / "keys").glob("*.json"))


@pytest.mark.skipif(
    not (SHARED / "eval" / "epub_score.py").is_file() or not (SHARED / "seeds").is_dir(),
    reason="../shared/eval or ../shared/seeds is absent",
)
@pytest.mark.parametrize("key", score_keys(), ids=lambda p: p.stem)
def test_score_script_passes(key: Path, tmp_path: Path, theme: Theme) -> None:
    source = json.loads(key.read_text(encoding="utf-8"))["source"]
    out = tmp_path / "book.epub"
    out.write_bytes(build(parse(SHARED / "seeds" / source), "epub", theme=theme))
    run = subprocess.run(
        [
            sys.executable,
            str(SHARED / "eval" / "epub_score.py"),
            str(key),
            str(out),
            str(SHARED / "seeds"),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    failed = [c for c in result["checks"] if not c["ok"]]
    assert not failed, json.dumps(failed, indent=1)
    assert result["passed"] == result["total"] > 0

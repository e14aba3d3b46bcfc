"""Anthologies and joined stories, read back from the books they make.

One big volume (every file in ``../shared/seeds`` and ``seeds/``) is built once per
module in every format; the EPUB goes through EPUBCheck, the HTML through the Nu
checker, the PDF is read with pypdf. The smaller tests run the command line on the
manifest in ``seeds/anthology/`` (the one the README shows) and on files made here.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

import fic2book
from conftest import ROOT, SEEDS, SHARED_SEEDS, fold
from epubcheck_util import assert_valid_epub, java_available, run_epubcheck_many
from fic2book.app.manifest import load_manifest
from fic2book.book import apply_notes_mode, book_of
from fic2book.cli import main
from fic2book.errors import Fic2BookError
from fic2book.model import Book, Chapter, Metadata, Note, Paragraph, Story, Text
from fic2book.pipeline import build
from fic2book.render.labels import chapter_label, title_of
from fic2book.volume import join_stories, make_volume, natural_key, order_stories
from fic2book.writers import pdf_volume
from htmlcheck_util import VNU, nu_problems

MANIFEST = SEEDS / "anthology" / "anthology.toml"
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "epub": "http://www.idpf.org/2007/ops",
}
MARGIN = 45.0
"""Text this close to a page's top or bottom edge is a running head or a folio."""

needs_java = pytest.mark.skipif(not java_available(), reason="java is not installed")


def sources() -> list[Path]:
    """Every story file of both seed folders."""
    shared = sorted(SHARED_SEEDS.glob("*.txt")) if SHARED_SEEDS.is_dir() else []
    own = sorted(p for p in SEEDS.iterdir() if p.is_file() and p.name != "README.md")
    return shared + own


@pytest.fixture(scope="module")
def volume() -> Book:
    stories = [fic2book.parse(p) for p in sources()]
    return make_volume(stories, title="Every Seed", editors=("Ada Penrose",))


@pytest.fixture(scope="module")
def files(volume: Book, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("volume")
    out = {}
    with pytest.MonkeyPatch.context() as patch:
        # Small parts, so the PDF is joined from several (it would be one or two).
        patch.setattr(pdf_volume, "PART_CHARS", 30_000)
        assert len(pdf_volume.story_groups(volume)) >= 4
        for fmt in ("epub", "html", "pdf"):
            out[fmt] = folder / f"volume.{fmt}"
            out[fmt].write_bytes(build(volume, fmt, cover=fmt != "pdf"))
    return out


# --------------------------------------------------------------------------- reading back


def words(text: str) -> str:
    """Text compared by its letters and digits alone: typography, hyphenation at line
    ends and spacing make no difference."""
    return re.sub(r"[^0-9a-z]+", "", fold(text).casefold())


def paragraph_text(block: Any) -> str:
    """A paragraph's text."""
    return "".join(getattr(i, "text", "") or paragraph_text_inl(i) for i in block.inlines)


def paragraph_text_inl(inline: Any) -> str:
    """An inline's text, children included."""
    if isinstance(inline, Text):
        return inline.text
    return "".join(paragraph_text_inl(c) for c in getattr(inline, "children", ()))


def landmarks(story: Story) -> Iterator[str]:
    """Each chapter's first and last paragraph openings (six words), in reading order."""
    for chapter in story.chapters:
        paras = [b for b in chapter.blocks if isinstance(b, Paragraph)]
        for para in (paras[0], paras[-1]) if paras else ():
            yield " ".join(paragraph_text(para).split()[:6])


def assert_in_order(volume: Book, text: str) -> None:
    """Every story's landmarks are found in the text, all in reading order."""
    flat = words(text)
    at = 0
    for story in volume.stories:
        for mark in landmarks(story):
            found = flat.find(words(mark), at)
            assert found >= 0, f"{title_of(story.metadata)}: {mark!r} missing or out of order"
            at = found


def epub_part(path: Path, name: str) -> etree._Element:
    """One file of an EPUB, parsed."""
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def spine_text(path: Path) -> str:
    """The EPUB's text, file by file in spine order."""
    opf = epub_part(path, "EPUB/content.opf")
    hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:item", NS)}
    texts = []
    for ref in opf.iterfind(".//opf:itemref", NS):
        doc = epub_part(path, "EPUB/" + hrefs[ref.get("idref")])
        texts.append(" ".join(doc.itertext()))
    return "\n".join(texts)


def pdf_body_text(path: Path) -> str:
    """The PDF's text without running heads and folios."""
    reader = pypdf.PdfReader(path)
    out: list[str] = []
    for page in reader.pages:
        height = float(page.mediabox.height)

        def visit(
            text: str, cm: Any, tm: Any, font: Any, size: Any, height: float = height
        ) -> None:
            y = pypdf.mult(tm, cm)[5]
            if MARGIN < y < height - MARGIN:
                out.append(text)

        page.extract_text(visitor_text=visit)
    return "".join(out)


def outline(reader: pypdf.PdfReader) -> list[tuple[str, list[str]]]:
    """The outline as (top-level title, titles nested under it)."""
    out: list[tuple[str, list[str]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            out[-1][1].extend(str(c.title) for c in item if not isinstance(c, list))
        else:
            out.append((str(item.title), []))
    return out


def expected_children(story: Story) -> list[str]:
    """What the contents nests under a story: its chapters (and end notes), or nothing
    for a one-chapter story."""
    if len(story.chapters) == 1:
        return []
    labels = [chapter_label(c, story.metadata.title) for c in story.chapters]
    return labels + (["End Notes"] if story.metadata.end_notes else [])


# --------------------------------------------------------------------------- the big volume


def test_untitled_stories_get_distinct_readable_titles(volume: Book) -> None:
    titles = [title_of(s.metadata) for s in volume.stories]
    assert len(set(titles)) == len(titles)
    assert not any(t.startswith("Untitled") for t in titles)
    if SHARED_SEEDS.is_dir():  # hash-named files: named by their opening words
        assert all(not re.search(r"[0-9a-f]{8}", t) for t in titles)


@pytest.fixture(scope="module")
def gathered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two seeds compiled with ``--notes end`` (EPUB and HTML)."""
    out = tmp_path_factory.mktemp("gathered") / "v.epub"
    ao3, plain = SEEDS / "ao3_page_copy.txt", SEEDS / "plain_with_notes.txt"
    args = ("--notes", "end", "-o", str(out), "-f", "epub", "-f", "html")
    result = run("anthology", str(ao3), str(plain), *args)
    assert result.exit_code == 0, result.output
    return out


@needs_java
def test_epubs_are_epubcheck_clean(files: dict[str, Path], gathered: Path) -> None:
    reports = run_epubcheck_many([files["epub"], gathered])
    for path, report in reports.items():
        assert_valid_epub(path, report)


def test_epub_nav_and_ncx_nest_chapters_under_stories(files: dict[str, Path], volume: Book) -> None:
    nav = epub_part(files["epub"], "EPUB/nav.xhtml")
    top = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li", namespaces=NS)
    assert [" ".join(li.xpath("x:a//text()", namespaces=NS)) for li in top] == [
        title_of(s.metadata) for s in volume.stories
    ]
    for li, story in zip(top, volume.stories, strict=True):
        assert li.xpath("x:ol/x:li/x:a/text()", namespaces=NS) == expected_children(story)
    ncx = epub_part(files["epub"], "EPUB/toc.ncx")
    points = ncx.xpath("/ncx:ncx/ncx:navMap/ncx:navPoint", namespaces=NS)
    assert [p.xpath("ncx:navLabel/ncx:text/text()", namespaces=NS)[0] for p in points] == [
        title_of(s.metadata) for s in volume.stories
    ]
    for point, story in zip(points, volume.stories, strict=True):
        inner = point.xpath("ncx:navPoint/ncx:navLabel/ncx:text/text()", namespaces=NS)
        assert inner == expected_children(story)


def test_epub_metadata_names_editor_contributors_and_stories(files: dict[str, Path]) -> None:
    opf = epub_part(files["epub"], "EPUB/content.opf")
    meta = opf.find("opf:metadata", NS)
    assert meta is not None
    assert meta.xpath("dc:title/text()", namespaces=NS) == ["Every Seed"]
    assert meta.xpath("dc:creator/text()", namespaces=NS) == ["Ada Penrose"]
    contributors = meta.xpath("dc:contributor/text()", namespaces=NS)
    assert {"quillandember", "amberfield", "Wren Halloway"} <= set(contributors)
    roles = {m.get("refines"): m.text for m in meta.iterfind("opf:meta[@property='role']", NS)}
    assert roles["#creator-1"] == "edt"
    assert {roles[f"#{c.get('id')}"] for c in meta.iterfind("dc:contributor", NS)} == {"aut"}
    description = meta.xpath("dc:description/text()", namespaces=NS)[0]
    assert description.startswith("Contains: ")
    assert "The Salt Road by Wren Halloway" in description
    subjects = meta.xpath("dc:subject/text()", namespaces=NS)
    assert {"Slow Burn", "The Lantern Courts", "Harbour of Nine Bells"} <= set(subjects)


def test_epub_holds_every_story_in_order(files: dict[str, Path], volume: Book) -> None:
    assert_in_order(volume, spine_text(files["epub"]))


def test_epub_contents_page_is_in_the_reading_order(files: dict[str, Path]) -> None:
    opf = epub_part(files["epub"], "EPUB/content.opf")
    spine = [(r.get("idref"), r.get("linear")) for r in opf.iterfind(".//opf:itemref", NS)]
    assert spine[:3] == [("cover", None), ("volume-title", None), ("nav", None)]


def html_root(path: Path) -> Any:
    """The single-file HTML, parsed."""
    return lxml_html.fromstring(path.read_bytes())


def test_html_contents_is_nested_and_every_link_lands(files: dict[str, Path], volume: Book) -> None:
    root = html_root(files["html"])
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids)), "ids collide"
    top = root.xpath("//nav[@id='contents']/ol/li")
    assert [li.xpath("string(a)") for li in top] == [title_of(s.metadata) for s in volume.stories]
    for li, story in zip(top, volume.stories, strict=True):
        assert li.xpath("ol/li/a/text()") == expected_children(story)
    links = root.xpath("//a[starts-with(@href, '#')]/@href")
    assert links and all(href[1:] in ids for href in links)


def test_html_holds_every_story_in_order(files: dict[str, Path], volume: Book) -> None:
    root = html_root(files["html"])
    assert_in_order(volume, root.xpath("string(//body)"))


@pytest.mark.skipif(VNU is None, reason="the Nu checker is not installed")
@needs_java
def test_html_is_nu_clean(files: dict[str, Path]) -> None:
    assert nu_problems([files["html"]]) == []


def test_pdf_outline_nests_chapters_under_stories(files: dict[str, Path], volume: Book) -> None:
    entries = outline(pypdf.PdfReader(files["pdf"]))
    assert [title for title, _ in entries[:2]] == ["Every Seed", "Contents"]
    assert [title for title, _ in entries[2:]] == [title_of(s.metadata) for s in volume.stories]
    for (_, children), story in zip(entries[2:], volume.stories, strict=True):
        assert children == expected_children(story)


def test_pdf_contents_links_land_where_the_outline_does(files: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(files["pdf"])
    starts = {}
    for item in reader.outline:
        if not isinstance(item, list):
            starts[str(item.title)] = reader.get_destination_page_number(item)
    contents = starts["Contents"]
    first_story = min(v for k, v in starts.items() if k not in ("Every Seed", "Contents"))
    targets = set()
    for number in range(contents, first_story):
        for annot in reader.pages[number].get("/Annots", []):
            dest = annot.get_object()["/Dest"]
            targets.add(reader.get_page_number(dest[0].get_object()))
    story_starts = {v for k, v in starts.items() if k not in ("Every Seed", "Contents")}
    assert story_starts <= targets


def test_pdf_folios_run_on_across_parts(files: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(files["pdf"])
    checked = 0
    for number, page in enumerate(reader.pages):
        found: list[str] = []

        def visit(
            text: str, cm: Any, tm: Any, font: Any, size: Any, out: list[str] = found
        ) -> None:
            if pypdf.mult(tm, cm)[5] <= MARGIN and text.strip():
                out.append(text.strip())

        page.extract_text(visitor_text=visit)
        if found:
            assert found == [str(number + 1)]
            checked += 1
    assert checked > len(reader.pages) // 2


def test_pdf_holds_every_story_in_order(files: dict[str, Path], volume: Book) -> None:
    assert_in_order(volume, pdf_body_text(files["pdf"]))


def test_pdf_running_heads_name_the_story(files: dict[str, Path], volume: Book) -> None:
    reader = pypdf.PdfReader(files["pdf"])
    heads: list[str] = []
    for page in reader.pages:
        height = float(page.mediabox.height)
        found: list[str] = []

        def visit(
            text: str,
            cm: Any,
            tm: Any,
            font: Any,
            size: Any,
            out: list[str] = found,
            height: float = height,
        ) -> None:
            if pypdf.mult(tm, cm)[5] >= height - MARGIN and text.strip():
                out.append(text)

        page.extract_text(visitor_text=visit)
        heads.append(words(" ".join(found)))
    longest = max(volume.stories, key=pdf_volume.story_size)
    assert any(words(title_of(longest.metadata)) in head for head in heads)
    assert not any(words("Every Seed") in head for head in heads)


# --------------------------------------------------------------------------- the manifest


def run(*args: str) -> Any:
    """The command line, run in-process."""
    return CliRunner().invoke(main, list(args))


def test_readme_shows_the_seed_manifest() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.DOTALL)
    assert MANIFEST.read_text(encoding="utf-8") in blocks


def test_manifest_overrides_join_and_metadata(tmp_path: Path) -> None:
    out = tmp_path / "volume.epub"
    result = run(
        "anthology", "--manifest", str(MANIFEST), "-o", str(out), "-f", "epub", "-f", "html"
    )
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.with_suffix(".html").is_file()
    manifest = load_manifest(MANIFEST)
    nav = epub_part(out, "EPUB/nav.xhtml")
    titles = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li/x:a/text()", namespaces=NS)
    assert len(titles) == len(manifest.entries) + 1  # and the end matter (notes = "end")
    assert titles[-1] == "Notes"
    assert titles[2] == "The Dial"  # the manifest's title for an untitled file
    joined = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li[4]/x:ol/x:li/x:a/text()", namespaces=NS)
    assert joined == ["Chapter 1: The First Letter", "Chapter 2: The Second Letter"]
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    root = lxml_html.fromstring(html)
    dial = root.xpath("//section[@id='story-3-title']")[0]
    assert dial.xpath("string(.//p[@class='byline'])") == "by Anonymous"
    assert "Dex" in root.xpath("string(//section[@id='story-3-chapter-1'])")
    # notes = "drop": the plain story's author's notes are gone; "end": gathered after.
    assert not root.xpath("//section[starts-with(@id, 'story-3-')]//section[@role='note']")
    ffn = root.xpath("//section[starts-with(@id, 'story-2-chapter')]//section[@role='note']")
    assert not ffn
    assert root.xpath("//section[@id='volume-notes']//h3/text()") == ["Roads That Bend Home"]
    # the second letter's file states nothing of its own; its chapter notes stay with it
    letters = root.xpath("//section[@id='story-4-chapter-1']")[0]
    assert "second letter is already written" in letters.xpath("string(.)")
    assert root.xpath("string(//section[@id='volume-title']//p[@class='byline'])") == (
        "edited by Ada Penrose"
    )


def test_manifest_missing_entry_is_one_error_and_no_volume(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title: A\n\nSome text here.\n", encoding="utf-8")
    manifest = tmp_path / "m.toml"
    manifest.write_text(
        '[[story]]\npath = "a.txt"\n\n[[story]]\npath = ["a2.txt", "gone.txt"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "v.epub"
    result = run("anthology", "--manifest", str(manifest), "-o", str(out))
    assert result.exit_code == 1
    assert "story 2" in result.output and "a2.txt: no such file" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "m.toml"]


def test_manifest_duplicate_entry_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title: A\n\nSome text here.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    manifest = tmp_path / "m.toml"
    manifest.write_text(
        '[[story]]\npath = "a.txt"\n\n[[story]]\npath = "sub/../a.txt"\ntitle = "Again"\n',
        encoding="utf-8",
    )
    with pytest.raises(
        Fic2BookError, match=r"story 2: .*a\.txt is already in the volume \(story 1\)"
    ):
        load_manifest(manifest)
    result = run("anthology", "--manifest", str(manifest), "-o", str(tmp_path / "v.epub"))
    assert result.exit_code == 1 and "already in the volume" in result.output
    assert not (tmp_path / "v.epub").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title = \n", "not a valid TOML manifest"),
        ('titel = "x"\n', "unknown key 'titel'"),
        ('[[story]]\npath = "a.txt"\nnotes = "hide"\n', "must be one of keep, end, drop"),
    ],
)
def test_manifest_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "a.txt").write_text("Some text.\n", encoding="utf-8")
    manifest = tmp_path / "m.toml"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(Fic2BookError, match=re.escape(message)):
        load_manifest(manifest)


def test_a_growing_volume_keeps_its_stories_byte_identical(tmp_path: Path) -> None:
    for name in ("one", "two", "three"):
        (tmp_path / f"{name}.txt").write_text(
            f"Title: Story {name}\nAuthor: Wren\n\nThe {name} story begins.\n\nAnd ends.\n",
            encoding="utf-8",
        )
    manifest = tmp_path / "m.toml"
    entries = "".join(f'[[story]]\npath = "{n}.txt"\n' for n in ("one", "two"))
    manifest.write_text('title = "Grows"\n' + entries, encoding="utf-8")
    assert (
        run("anthology", "--manifest", str(manifest), "-o", str(tmp_path / "a.epub")).exit_code == 0
    )
    manifest.write_text('title = "Grows"\n' + entries + '[[story]]\npath = "three.txt"\n')
    assert (
        run("anthology", "--manifest", str(manifest), "-o", str(tmp_path / "b.epub")).exit_code == 0
    )
    with zipfile.ZipFile(tmp_path / "a.epub") as a, zipfile.ZipFile(tmp_path / "b.epub") as b:
        old = [n for n in a.namelist() if n.startswith("EPUB/text/story-")]
        assert old and all(a.read(n) == b.read(n) for n in old)
        assert "EPUB/text/story-3-title.xhtml" in b.namelist()


# --------------------------------------------------------------------------- order and titles


def story(title: str, *, series: str | None = None, index: int | None = None, **meta: Any) -> Story:
    """A one-paragraph story with some metadata."""
    chapter = Chapter(number=None, blocks=(Paragraph((Text(f"The text of {title}."),)),))
    data = Metadata(title=title, series=series, series_index=index, **meta)
    return Story(metadata=data, chapters=(chapter,))


def test_series_order_puts_parts_in_order_whatever_the_given_order() -> None:
    given = [
        story("Coda", series="Lantern Nights", index=3),
        story("Elsewhere"),
        story("Beginnings", series="Lantern Nights", index=1),
        story("Middle", series="Lantern Nights", index=2),
        story("Other", series="Another Series", index=1),
    ]
    ordered = [s.metadata.title for s in order_stories(given, "series")]
    assert ordered == ["Other", "Beginnings", "Middle", "Coda", "Elsewhere"]


def test_a_volume_of_one_series_is_titled_by_it() -> None:
    parts = [story(f"Part {n}", series="Lantern Nights", index=n) for n in (2, 3, 1)]
    book = make_volume(parts, order="series")
    assert book.metadata.title == "Lantern Nights"
    assert [s.metadata.title for s in book.stories] == ["Part 1", "Part 2", "Part 3"]
    assert make_volume(parts, title="Mine").metadata.title == "Mine"


def test_other_orders() -> None:
    given = [
        story("the Zebra", authors=("bo",), published="2020-05-01"),
        story("Apple 10", authors=("Al",), published="2019-01-01"),
        story("Apple 9", published="2021-01-01"),
    ]
    assert [s.metadata.title for s in order_stories(given, "title")] == [
        "Apple 9",
        "Apple 10",
        "the Zebra",
    ]
    assert [s.metadata.title for s in order_stories(given, "author")][:2] == [
        "Apple 10",
        "the Zebra",
    ]
    assert [s.metadata.title for s in order_stories(given, "date")] == [
        "Apple 10",
        "the Zebra",
        "Apple 9",
    ]


# --------------------------------------------------------------------------- joining


def test_natural_key_orders_numbers_by_value() -> None:
    names = ["ch10.txt", "ch2.txt", "Ch1.txt", "ch2b.txt"]
    assert sorted(names, key=natural_key) == ["Ch1.txt", "ch2.txt", "ch2b.txt", "ch10.txt"]


def chapter_files(folder: Path) -> list[Path]:
    """Three one-chapter files, ch1, ch2 and ch10, the first with the story's header."""
    folder.mkdir()
    paths = []
    for n in (1, 2, 10):
        head = "Title: The Long Way\nAuthor: Wren\nSummary: A walk.\n\n" if n == 1 else ""
        body = f"Part {n} begins here, on the road.\n\nPart {n} ends at the inn.\n"
        if n > 1:
            head = "Title: The Long Way\nAuthor: Wren\nSummary: A walk.\n\n"  # repeated header
        path = folder / f"ch{n}.txt"
        path.write_text(head + body, encoding="utf-8")
        paths.append(path)
    return paths


def test_convert_join_reads_a_folder_in_natural_order(tmp_path: Path) -> None:
    chapter_files(tmp_path / "parts")
    out = tmp_path / "out"
    result = run("convert", "--join", str(tmp_path / "parts"), "-o", str(out), "-f", "html")
    assert result.exit_code == 0, result.output
    (book,) = out.iterdir()
    root = html_root(book)
    assert root.xpath("string(//h1[@class='title'])") == "The Long Way"
    assert root.xpath("//nav[@id='contents']//a/text()") == ["Chapter 1", "Chapter 2", "Chapter 3"]
    text = words(root.xpath("string(//body)"))
    assert text.index(words("Part 1 begins")) < text.index(words("Part 2 begins"))
    assert text.index(words("Part 2 begins")) < text.index(words("Part 10 begins"))
    # the repeated header is not repeated inside the story
    assert len(root.xpath("//section[contains(@class, 'summary')]")) == 1


def test_convert_join_sorts_a_shell_glob_naturally_and_takes_a_title(tmp_path: Path) -> None:
    paths = chapter_files(tmp_path / "parts")
    as_glob = sorted(str(p) for p in paths)  # what the shell gives: ch1, ch10, ch2
    out = tmp_path / "out"
    result = run(
        "convert", "--join", *as_glob, "-o", str(out), "--title", "Road Book", "-f", "epub"
    )
    assert result.exit_code == 0, result.output
    (book,) = out.iterdir()
    assert book.name.startswith("Road-Book")
    text = words(spine_text(book))
    assert text.index(words("Part 2 begins")) < text.index(words("Part 10 begins"))


def test_join_keeps_later_files_own_notes_with_their_chapter() -> None:
    first = story("Tale", authors=("Wren",), notes=(Paragraph((Text("About the work."),)),))
    second = Story(
        Metadata(notes=(Paragraph((Text("Only about part two."),)),)),
        (Chapter(number=None, blocks=(Paragraph((Text("Second part."),)),)),),
    )
    joined = join_stories([first, second])
    assert joined.metadata.title == "Tale" and joined.metadata.authors == ("Wren",)
    assert [c.number for c in joined.chapters] == [1, 2]
    assert joined.metadata.notes == first.metadata.notes
    assert joined.chapters[1].notes_before == (Note("author-note", second.metadata.notes),)


def test_anthology_refuses_an_output_that_replaces_an_input(tmp_path: Path) -> None:
    src = tmp_path / "story.html"
    src.write_text("<p>Hello there, reader.</p>", encoding="utf-8")
    other = tmp_path / "b.txt"
    other.write_text("Title: B\n\nWords.\n", encoding="utf-8")
    before = src.read_bytes()
    result = run("anthology", str(src), str(other), "-o", str(src))
    assert result.exit_code == 1 and "would replace" in result.output
    assert src.read_bytes() == before


def test_volume_title_page(files: dict[str, Path], volume: Book) -> None:
    page = epub_part(files["epub"], "EPUB/text/volume-title.xhtml")
    assert page.xpath("string(//x:h1)", namespaces=NS) == "Every Seed"
    count = page.xpath("string(//x:p[@class='volume-count'])", namespaces=NS)
    assert count.startswith(f"{len(volume.stories)} stories by ")


def test_volume_languages_are_the_union_of_its_stories(tmp_path: Path) -> None:
    french = replace_meta_story(story("Conte"), language="fr")
    book = make_volume([story("Tale"), french], title="Two Tongues", language="en")
    path = tmp_path / "v.epub"
    path.write_bytes(build(book, "epub", cover=False))
    opf = epub_part(path, "EPUB/content.opf")
    assert opf.xpath("//dc:language/text()", namespaces=NS) == ["en", "fr"]
    page = epub_part(path, "EPUB/text/story-2-chapter-1.xhtml")
    assert page.get("lang") == "fr"


def replace_meta_story(s: Story, **changes: Any) -> Story:
    """A story with some metadata fields changed."""
    from dataclasses import replace

    return replace(s, metadata=replace(s.metadata, **changes))


def test_cover_line_names_editors_and_counts_stories() -> None:
    from fic2book.render.labels import cover_byline

    book = make_volume([story("A"), story("B")], editors=("Ada Penrose",))
    assert cover_byline(book) == "Edited by Ada Penrose · 2 stories"
    assert cover_byline(make_volume([story("A"), story("B")])) == "2 stories"


def test_quoted_glob_and_folder_inputs_are_in_natural_order(tmp_path: Path) -> None:
    from fic2book.app.inputs import gather_inputs

    paths = chapter_files(tmp_path / "parts")
    quoted = gather_inputs([tmp_path / "parts" / "ch*.txt"])
    assert quoted == paths
    assert [p.name for p in gather_inputs([tmp_path / "parts"])] == [p.name for p in paths]
    given = [paths[2], paths[0]]  # typed by hand in this order: kept
    assert gather_inputs(given) == given


def test_notes_end_gathers_each_storys_notes_in_the_end_matter(gathered: Path) -> None:
    root = html_root(gathered.with_suffix(".html"))
    notes = root.xpath("//section[@id='volume-notes']")[0]
    assert notes.getprevious().get("id").startswith("story-2-")  # after the last story
    titles = notes.xpath(".//h3/text()")
    assert titles == ["What the Lamplighter Kept", "Plain with notes"]
    in_chapters = "//section[@class='chapter']//section[@role='note']"
    assert [n.get("class") for n in root.xpath(in_chapters)] == ["note chapter-summary"]
    assert root.xpath("//nav[@id='contents']/ol/li[last()]/a/text()") == ["Notes"]
    nav = epub_part(gathered, "EPUB/nav.xhtml")
    assert nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li[last()]/x:a/text()", namespaces=NS) == [
        "Notes"
    ]


def test_pdf_end_matter_is_a_part_of_its_own() -> None:
    ao3 = fic2book.parse(SEEDS / "ao3_page_copy.txt")
    ended = apply_notes_mode(book_of(ao3), "end").stories[0]
    book = make_volume([ended, story("Short")], gathered=[True, False])
    groups = pdf_volume.story_groups(book)
    assert [[i for i, _ in g] for g in groups] == [[1, 2]]
    docs = pdf_volume.group_docs(book, [])
    assert [d.id for d in docs] == ["volume-notes"]
    docs = pdf_volume.group_docs(book, [], colophon=True)
    assert [d.id for d in docs] == ["volume-notes", "colophon"]
    contents = pdf_volume.contents_docs(book)
    assert contents[-1].id == "volume-notes" and contents[-1].toc_level == 0


def test_only_a_volume_longer_than_a_part_is_made_in_parts(
    volume: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not pdf_volume.needs_parts(make_volume([story("A"), story("B")]))
    monkeypatch.setattr(pdf_volume, "PART_CHARS", 30_000)
    assert pdf_volume.needs_parts(volume)
    assert not pdf_volume.needs_parts(Book(volume.metadata, volume.stories[:1]))


# --------------------------------------------------------------------------- order and statuses


def numbered_stories(folder: Path) -> tuple[Path, Path]:
    """``b10.txt`` and ``b2.txt``, titled Ten and Two: typed in that order they are in
    plain character order, as a shell glob gives them."""
    folder.mkdir(exist_ok=True)
    ten, two = folder / "b10.txt", folder / "b2.txt"
    ten.write_text("Title: Ten\nAuthor: Wren\n\nThe tenth story.\n", encoding="utf-8")
    two.write_text("Title: Two\nAuthor: Wren\n\nThe second story.\n", encoding="utf-8")
    return ten, two


def volume_titles(path: Path) -> list[str]:
    """The stories of an HTML volume, in the order of its contents."""
    return [str(t) for t in html_root(path).xpath("//nav[@id='contents']/ol/li/a/text()")]


def test_order_given_keeps_files_typed_in_character_order(tmp_path: Path) -> None:
    ten, two = numbered_stories(tmp_path)
    out = tmp_path / "given.html"
    result = run("anthology", str(ten), str(two), "--order", "given", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert volume_titles(out) == ["Ten", "Two"]
    # without --order the list looks like a shell glob (b10 before b2): natural order
    out = tmp_path / "glob.html"
    assert run("anthology", str(ten), str(two), "-o", str(out)).exit_code == 0
    assert volume_titles(out) == ["Two", "Ten"]


def test_a_manifests_order_given_keeps_the_inputs_order_too(tmp_path: Path) -> None:
    ten, two = numbered_stories(tmp_path / "files")
    (tmp_path / "files" / "b1.txt").write_text("Title: One\n\nThe first story.\n", "utf-8")
    manifest = tmp_path / "m.toml"
    manifest.write_text('order = "given"\n[[story]]\npath = "files/b1.txt"\n', "utf-8")
    out = tmp_path / "v.html"
    result = run("anthology", "--manifest", str(manifest), str(ten), str(two), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert volume_titles(out) == ["One", "Ten", "Two"]
    manifest.write_text('[[story]]\npath = "files/b1.txt"\n', "utf-8")  # no order: natural
    assert run("anthology", "--manifest", str(manifest), str(ten), str(two), "-o", str(out))
    assert volume_titles(out) == ["One", "Two", "Ten"]


def test_anthology_usage_errors_exit_2_and_write_nothing(tmp_path: Path) -> None:
    ten, _ = numbered_stories(tmp_path)
    result = run("anthology")
    assert result.exit_code == 2 and "no stories" in result.output
    result = run("anthology", str(ten), "-o", str(tmp_path / "v.docx"))
    assert result.exit_code == 2 and "cannot tell the format" in result.output
    assert not (tmp_path / "v.docx").exists()
    assert "Traceback" not in result.output


def test_anthology_other_statuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fic2book import pipeline

    ten, two = numbered_stories(tmp_path)
    out = tmp_path / "v.epub"
    assert run("anthology", str(ten), "-o", str(out), "--style", "nope").exit_code == 3
    broken = tmp_path / "m.toml"
    broken.write_text("title = \n", encoding="utf-8")
    assert run("anthology", "--manifest", str(broken), "-o", str(out)).exit_code == 1

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "render_all", interrupted)
    result = run("anthology", str(ten), str(two), "-o", str(out))
    assert result.exit_code == 130 and "interrupted" in result.output
    assert not out.exists()


def test_anthology_help_states_its_own_exit_statuses() -> None:
    text = run("anthology", "--help").output
    assert "Exit status:" in text and "130" in text
    assert "the volume was written" in text and "no stories given" in text
    assert "every input converted" not in text  # that is convert's wording
    assert "every input converted" in run("convert", "--help").output


# --------------------------------------------------------------------------- counting authors


def test_volume_count_says_which_stories_have_no_author(tmp_path: Path) -> None:
    from fic2book.render.html import volume_count

    named = story("A", authors=("Wren",))
    unnamed = [story("B"), story("C", authors=("Anonymous",))]
    assert volume_count(make_volume([named, *unnamed])) == "3 stories by 1 author and 2 anonymous"
    assert volume_count(make_volume([named, story("D", authors=("Ada", "Wren"))])) == (
        "2 stories by 2 authors"
    )
    assert volume_count(make_volume(unnamed)) == "2 stories"
    # read from files, the title page of every format says the same
    files = []
    for name, head in (("a", "Author: Wren\n"), ("b", ""), ("c", "")):
        files.append(tmp_path / f"{name}.txt")
        files[-1].write_text(f"Title: {name.upper()}\n{head}\nText of {name}.\n", "utf-8")
    out = tmp_path / "v.epub"
    result = run("anthology", *map(str, files), "-o", str(out), "-f", "epub", "-f", "html")
    assert result.exit_code == 0, result.output
    page = epub_part(out, "EPUB/text/volume-title.xhtml")
    count = page.xpath("string(//x:p[@class='volume-count'])", namespaces=NS)
    assert count == "3 stories by 1 author and 2 anonymous"
    html = html_root(out.with_suffix(".html"))
    assert html.xpath("string(//p[@class='volume-count'])") == count

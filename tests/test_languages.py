"""The language gallery: one short story of our own per language, in every format.

For each (Chinese, Japanese, Russian, French, German, Arabic, English with emoji): the
PDF draws every character with a real glyph (no ``.notdef``, checked with fontTools
against the embedded fonts), ``lang`` is right in the EPUB, HTML and PDF, and quotes and
dashes follow the language's conventions.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from lxml import etree, html

from fic2book import parse
from fic2book.book import book_of
from fic2book.model import Story, inline_text, iter_runs
from fic2book.pipeline import build
from fic2book.render.glyphs import missing_glyphs, story_text
from fic2book.stats import count_words
from test_pdf import descriptor, fonts, read_pdf

GALLERY = Path(__file__).parent / "fixtures" / "languages"
LANGS = ("zh", "ja", "ru", "fr", "de", "ar", "en")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@cache
def story(lang: str) -> Story:
    """A gallery story, read with its language given as ``--lang`` would."""
    return parse(GALLERY / f"{lang}.md", language=lang)


@cache
def made(lang: str, fmt: str) -> bytes:
    """A gallery story built in one format (each is built once per run)."""
    return build(book_of(story(lang)), fmt)


def text_of(s: Story) -> str:
    """A story's chapter text."""
    return "\n".join(inline_text(r) for c in s.chapters for r in iter_runs(c.blocks))


def needs_glyph(char: str) -> bool:
    """Characters drawn with a glyph of their own (not spaces, joiners, selectors)."""
    return unicodedata.category(char) not in ("Zs", "Cc", "Cf") and not (
        0xFE00 <= ord(char) <= 0xFE0F
    )


def drawn(pdf: bytes) -> list[tuple[str, str, str]]:
    """(font, text, glyph name) for every glyph of every embedded font's ToUnicode map:
    the glyph ids are the embedded font file's (WeasyPrint keeps them when it subsets),
    read with fontTools; a glyph may stand for several characters (``❤️``, ``ﬁ``)."""
    reader = read_pdf(pdf).reader
    out: list[tuple[str, str, str]] = []
    for font in {str(f["/BaseFont"]): f for f in fonts(reader) if "/ToUnicode" in f}.values():
        stream = descriptor(font)
        data = next(stream[k] for k in ("/FontFile3", "/FontFile2", "/FontFile") if k in stream)
        embedded = TTFont(io.BytesIO(data.get_object().get_data()))
        order = embedded.getGlyphOrder()
        glyphs = embedded.getGlyphSet()
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        for cid, hexchars in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]{4,})>", cmap):
            text = bytes.fromhex(hexchars).decode("utf-16-be")
            gid = int(cid, 16)
            name = order[gid] if gid < len(order) else "?"
            if (
                name != "?"
                and not has_outline(embedded, glyphs, name)
                and any(map(needs_glyph, text))
            ):
                name = "(empty)"
            out.append((str(font["/BaseFont"]), text, name))
    return out


def has_outline(font: TTFont, glyphs: Any, name: str) -> bool:
    """Whether a glyph draws anything. A colour emoji font's glyphs count: WeasyPrint
    draws their bitmaps as images and embeds the font with empty outlines."""
    family = str(font["name"].getDebugName(1) or "")
    if "CBDT" in font or "sbix" in font or "Color Emoji" in family:
        return True
    pen = BoundsPen(glyphs)
    glyphs[name].draw(pen)
    return pen.bounds is not None


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_draws_every_character_with_a_real_glyph(lang: str) -> None:
    glyphs = drawn(made(lang, "pdf"))
    # U+FFFF is the ToUnicode placeholder WeasyPrint gives glyph 0 of every subset.
    bad = (".notdef", "(empty)", "?")
    notdef = sorted({(t, g) for _, t, g in glyphs if g in bad and t != "\uffff"})
    assert not notdef, f"{lang}: drawn as .notdef or an empty glyph: {notdef}"
    chars = {c for c in story_text(story(lang)) if needs_glyph(c)}
    have = {c for _, text, glyph in glyphs if glyph not in bad for c in text}
    assert sorted(chars - have) == [], f"{lang}: no glyph drawn for these"
    assert missing_glyphs(story_text(story(lang))) == []


@pytest.mark.parametrize("lang", LANGS)
def test_language_reaches_every_format(lang: str) -> None:
    with zipfile.ZipFile(io.BytesIO(made(lang, "epub"))) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        langs = opf.xpath(
            "//dc:language/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"}
        )
        assert langs == [lang]
        for name in z.namelist():
            if name.endswith(".xhtml"):
                root = etree.fromstring(z.read(name))
                assert root.get("lang") == lang and root.get(XML_LANG) == lang, name
    page = html.fromstring(made(lang, "html"))
    assert page.get("lang") == lang
    pdf = read_pdf(made(lang, "pdf"))
    assert str(pdf.reader.trailer["/Root"]["/Lang"]) == lang


def paragraphs(lang: str) -> list[str]:
    """The gallery story's paragraphs as smartened text."""
    return [inline_text(r) for c in story(lang).chapters for r in iter_runs(c.blocks)]


def test_french_quotes_and_spacing() -> None:
    text = "\n".join(paragraphs("fr"))
    assert "«\u202fVous croyez qu’elle marchera encore\u202f?\u202f»" in text
    assert "Bien sûr\u202f!" in text and "patience\u202f;" in text and "sourit\u00a0:" in text
    assert "“" not in text and '"' not in text


def test_german_quotes() -> None:
    text = "\n".join(paragraphs("de"))
    assert "„Warum bleibst du hier?“, fragte" in text
    assert "“W" not in text and '"' not in text


def test_russian_dialogue_dashes_and_guillemets() -> None:
    paras = paragraphs("ru")
    dialogue = [p for p in paras if p.startswith("—")]
    assert len(dialogue) == 2 and all(p.startswith("—\u00a0") for p in dialogue)
    assert all(not p.lstrip().startswith("-") for p in paras)
    assert "«Завтра будет лучше»,\u00a0— подумала" in "\n".join(paras)


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_cjk_marks_left_as_written(lang: str) -> None:
    raw = (GALLERY / f"{lang}.md").read_text(encoding="utf-8")
    for para in paragraphs(lang):
        assert para in raw  # not one mark changed


def test_english_curly_quotes_and_emoji_kept() -> None:
    text = "\n".join(paragraphs("en"))
    assert "“Who’s still awake? 🌙” Priya" in text and "🦉🦉🦉" in text


def test_cjk_words_are_counted_by_character() -> None:
    text = text_of(story("zh"))
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    assert count_words(text) == han
    assert count_words("我爱你 and you") == 5


@pytest.mark.parametrize(
    ("lang", "script"),
    [("zh", "\u4e00-\u9fff"), ("ja", "\u3040-\u30ff"), ("ar", "\u0600-\u06ff\ufe70-\ufeff")],
)
def test_no_fake_italic_or_small_caps_for_scripts_without_them(lang: str, script: str) -> None:
    """CJK and Arabic faces have no italics or small capitals: a renderer would fake
    them (or, for Arabic, take the glyphs of another file: invisible words)."""
    names = {f for f, text, _ in drawn(made(lang, "pdf")) if re.search(f"[{script}]", text)}
    assert names and not any(re.search(r"Italic|Oblique|Small-Caps", n) for n in names), names
    if lang != "ar":
        assert all("CJK" in n for n in names), names


def test_arabic_reads_right_to_left() -> None:
    page = html.fromstring(made("ar", "html"))
    assert page.get("dir") == "rtl"


def test_cjk_emphasis_is_another_face_not_slanted() -> None:
    from fic2book.model import Chapter, Emph, Metadata, Paragraph, Text

    meta = Metadata(title="强调", authors=("作者",), language="zh")
    para = Paragraph((Text("她知道这是"), Emph((Text("一句老话"),)), Text("。")))
    pdf = build(book_of(Story(meta, (Chapter(1, blocks=(para,)),))), "pdf")
    faces = {f for f, text, _ in drawn(pdf) if text in "一句老话"}
    assert any("Sans-CJK" in f for f in faces), faces
    assert not any(re.search("Italic|Oblique", f) for f in faces), faces


def test_gallery_epubs_pass_epubcheck_and_html_passes_the_nu_checker(tmp_path: Path) -> None:
    from epubcheck_util import assert_valid_epub, java_available, run_epubcheck_many
    from htmlcheck_util import VNU, nu_problems

    if not java_available() or VNU is None:
        pytest.skip("Java, EPUBCheck or the Nu checker is not available")
    epubs, pages = [], []
    for lang in LANGS:
        epubs.append(tmp_path / f"{lang}.epub")
        epubs[-1].write_bytes(made(lang, "epub"))
        pages.append(tmp_path / f"{lang}.html")
        pages[-1].write_bytes(made(lang, "html"))
    for path, report in run_epubcheck_many(epubs).items():
        assert_valid_epub(path, report)
    assert nu_problems(pages) == []


def test_a_story_in_another_language_says_so_in_an_anthology() -> None:
    from fic2book.book import anthology
    from fic2book.model import Metadata

    book = anthology([story("en"), story("fr")], Metadata(title="Deux", language="en"))
    page = html.fromstring(build(book, "html"))
    assert page.get("lang") == "en"
    french = [s for s in page.iter("section") if s.get("lang") == "fr"]
    assert french and all("story-2" in (s.get("id") or "") for s in french)
    assert not any(s.get("lang") for s in page.iter("section") if "story-1" in (s.get("id") or ""))
    with zipfile.ZipFile(io.BytesIO(build(book, "epub"))) as z:
        chapter = etree.fromstring(z.read("EPUB/text/story-2-chapter-1.xhtml"))
        assert chapter.get("lang") == "fr" and chapter.get(XML_LANG) == "fr"

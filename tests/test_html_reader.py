"""Tests for the saved-HTML reader (FORMATS.md dialect 6)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from fic2book.model import (
    Block,
    BlockQuote,
    Chapter,
    Emph,
    Gap,
    Heading,
    Inline,
    LineBreak,
    Link,
    Metadata,
    Note,
    Paragraph,
    SceneBreak,
    Span,
    Story,
    Strike,
    Strong,
    Text,
    Underline,
    Verse,
    inline_text,
)
from fic2book.read.assemble import finish_story
from fic2book.read.detect import looks_like_html
from fic2book.read.sites import read_html

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT / "seeds"


# --------------------------------------------------------------------------- helpers


def story_of(html: str) -> Story:
    """Read HTML and finish it into a Story, as the CLI would."""
    draft = read_html(html)
    return finish_story(draft.meta, draft.chapters)


def fixture(path: Path) -> Story:
    """Read one fixture file (a missing one fails the test: it is part of the suite)."""
    assert path.is_file(), f"the fixture {path} is missing"
    return story_of(path.read_text(encoding="utf-8"))


def body(html: str) -> tuple[Block, ...]:
    """The blocks of the first chapter of a small HTML snippet."""
    return story_of(f"<html><body>{html}</body></html>").chapters[0].blocks


def inlines_in(inlines: Iterable[Inline]) -> Iterator[Inline]:
    """Every inline, nested ones included."""
    for node in inlines:
        yield node
        if isinstance(node, Emph | Strong | Strike | Underline | Link | Span):
            yield from inlines_in(node.children)


def block_inlines(blocks: Iterable[Block]) -> Iterator[Inline]:
    """Every inline inside some blocks, nested blocks included."""
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            yield from inlines_in(block.inlines)
        elif isinstance(block, Verse):
            for line in block.lines:
                yield from inlines_in(line)
        elif isinstance(block, BlockQuote | Note):
            yield from block_inlines(block.blocks)


def chapter_blocks(chapter: Chapter) -> Iterator[Block]:
    """All blocks of a chapter: summary, notes and text."""
    yield from chapter.summary
    for n in (*chapter.notes_before, *chapter.notes_after):
        yield from n.blocks
    yield from chapter.blocks


def meta_blocks(meta: Metadata) -> tuple[Block, ...]:
    """All block-valued metadata."""
    return meta.summary + meta.notes + meta.end_notes + meta.disclaimer


def all_text(story: Story) -> str:
    """Every Text run in the story, metadata included, joined by newlines."""
    blocks = [*meta_blocks(story.metadata)]
    for chapter in story.chapters:
        blocks.extend(chapter_blocks(chapter))
    texts = [n.text for n in block_inlines(blocks) if isinstance(n, Text)]
    return "\n".join(texts)


def texts(blocks: Iterable[Block]) -> list[str]:
    """The plain text of each paragraph."""
    return [inline_text(b.inlines) for b in blocks if isinstance(b, Paragraph)]


def count(blocks: Iterable[Block], kind: type) -> int:
    """How many blocks of one kind."""
    return sum(isinstance(b, kind) for b in blocks)


def has(blocks: Iterable[Block], kind: type, text: str) -> bool:
    """True when an inline of ``kind`` with exactly this text is in the blocks."""
    return any(
        isinstance(n, kind) and inline_text(n.children) == text for n in block_inlines(blocks)
    )


def assert_no_markup(story: Story) -> None:
    """No Text node holds a tag: the model carries plain text only."""
    for line in all_text(story).split("\n"):
        assert "<p" not in line and "</" not in line and "<em" not in line, line


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body><p>x</p></body></html>",
        "  <html lang='en'><p>x</p></html>",
        "<body>hello</body>",
        "<p>one</p>\n<p>two</p>\n<p>three</p>",
    ],
)
def test_looks_like_html(text: str) -> None:
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "Chapter 1\n\nOnce upon a time.",
        "She typed <p> once, by mistake.",
        "# Title\n\n*emphasis* and <br> once",
    ],
)
def test_plain_text_is_not_html(text: str) -> None:
    assert not looks_like_html(text)


# --------------------------------------------------------------------------- AO3 work page


def test_ao3_saved_page_metadata() -> None:
    story = fixture(SEEDS / "ao3_saved_page.html")
    meta = story.metadata
    assert meta.title == "Ferrymen Don't Sing"
    assert meta.authors == ("lowtide_lark",)
    assert meta.rating == "Teen And Up Audiences"
    assert meta.warnings == ("No Archive Warnings Apply",)
    assert meta.categories == ("Gen",)
    assert meta.fandoms == ("Harbour of Nine Bells",)
    assert meta.relationships == ("Petra Lund & Osei Marr",)
    assert meta.characters == ("Petra Lund", "Osei Marr")
    assert meta.tags == ("Friendship", "Rivers & Boats", "Fog", "Singing")
    assert meta.language == "en"
    assert meta.published == "2020-05-01"
    assert meta.completed == "2020-05-09"
    assert ("Words", "1,046") in meta.extra
    assert ("Chapters", "2/2") in meta.extra
    assert meta.source_url == "https://archiveofourown.org/works/31415926"


def test_ao3_saved_page_preface() -> None:
    meta = fixture(SEEDS / "ao3_saved_page.html").metadata
    assert texts(meta.summary)[0].startswith("Petra Lund has never lost a passenger")
    notes = texts(meta.notes)
    assert notes[0] == "Inspired by Nine Bells for a Drowned Town by saltmarsh."
    assert notes[1].startswith("Written for the Rivers & Roads exchange.")
    assert not any("See the end" in t for t in notes)
    assert texts(meta.end_notes) == [
        "That's all! Thank you for the kind words & the kudos. "
        "A short sequel is planned for the summer."
    ]


def test_ao3_saved_page_chapters() -> None:
    story = fixture(SEEDS / "ao3_saved_page.html")
    one, two = story.chapters
    assert (one.number, one.title) == (1, "The Fog Bell")
    assert (two.number, two.title) == (2, "Low Water")
    assert count(one.blocks, Paragraph) == 11
    assert count(one.blocks, SceneBreak) == 1
    assert texts(one.blocks)[0].startswith("The ferry at Nine Bells crossed the river")
    assert texts(one.blocks)[-1] == "“It’s fine,” said Petra, and rang again."
    assert has(one.blocks, Emph, "very") and has(one.blocks, Strong, "fine")
    assert one.notes_before == ()
    assert [n.role for n in one.notes_after] == ["end-note"]
    assert texts(one.notes_after[0].blocks)[0].endswith("my grandad & his fishing boat.")
    # 4 paragraphs, the song, 1 paragraph, <hr>, 3 paragraphs (the seed notes say "9
    # blocks" but list these 10).
    assert [type(b) for b in two.blocks] == [
        *[Paragraph] * 4,
        Verse,
        Paragraph,
        SceneBreak,
        *[Paragraph] * 3,
    ]
    assert count(two.blocks, SceneBreak) == 1
    verses = [b for b in two.blocks if isinstance(b, Verse)]
    assert len(verses) == 1
    assert [inline_text(line) for line in verses[0].lines] == [
        "Low water, low water,",
        "the ferry knows the way;",
        "keep your hand upon the rope",
        "and home before the day.",
    ]
    assert has(two.blocks, Emph, "in front of passengers")
    assert two.notes_before == () and two.notes_after == () and two.summary == ()


def test_ao3_saved_page_drops_chrome_and_scripts() -> None:
    story = fixture(SEEDS / "ao3_saved_page.html")
    text = all_text(story)
    for chrome in (
        "Not Real",
        "script text",
        "kudos ready",
        "Chapter Text",
        "Kudos ♥",
        "Next Chapter",
        "Entire Work",
        "Sign in",
        "Terms of Service",
        "left kudos",
        "Archive of Our Own",
    ):
        assert chrome not in text
    assert_no_markup(story)
    assert sum(count(c.blocks, Gap) for c in story.chapters) == 0


def test_ao3_one_shot_page() -> None:
    story = fixture(FIXTURES / "ao3_work.html")
    meta = story.metadata
    assert meta.title == "Tea for the Night Shift"
    assert meta.authors == ("kettlewhistle",)
    assert meta.rating == "General Audiences"
    assert meta.fandoms == ("Starfall Academy",)
    assert meta.tags == ("Tea", "Cats & Dogs")
    assert meta.language == "en"
    assert meta.published == "2022-01-15"
    assert texts(meta.summary) == ["The observatory porter makes tea for whoever is awake."]
    assert texts(meta.notes) == ["A tiny thing for a friend & fellow insomniac."]
    assert texts(meta.end_notes) == ["Thanks for reading!"]
    (chapter,) = story.chapters
    assert chapter.number is None and chapter.title is None
    assert count(chapter.blocks, Paragraph) == 5
    assert isinstance(chapter.blocks[3], SceneBreak)
    assert has(chapter.blocks, Emph, "definitely")
    assert has(chapter.blocks, Strong, "Somebody")
    text = all_text(story)
    assert "Work Text" not in text and "Script Title" not in text
    assert texts(chapter.blocks)[-1].endswith("would be along soon.")


# --------------------------------------------------------------------------- AO3 download


def test_ao3_download() -> None:
    story = fixture(FIXTURES / "ao3_download.html")
    meta = story.metadata
    assert meta.title == "The Cartographer's Cat"
    assert meta.authors == ("pennywhistle",)
    assert meta.rating == "General Audiences"
    assert meta.fandoms == ("The Lantern Courts",)
    assert meta.language == "en"
    assert (meta.published, meta.completed) == ("2019-02-11", "2019-02-12")
    assert ("Words", "196") in meta.extra
    assert meta.source_url == "https://archiveofourown.org/works/1618033"
    assert texts(meta.summary) == [
        "Ilse's cat keeps sitting on the maps. It turns out the cat knows best."
    ]
    assert texts(meta.notes) == ["Based on a true story & a very real cat."]
    assert texts(meta.end_notes) == ["Thank you for reading about my cat's fictional cousin."]
    one, two = story.chapters
    assert (one.number, one.title) == (1, "The Blot")
    assert (two.number, two.title) == (2, None)
    assert count(one.blocks, Paragraph) == 3
    assert isinstance(one.blocks[2], SceneBreak)
    assert has(one.blocks, Emph, "three times")
    assert one.notes_before == () and one.notes_after == ()
    assert texts(two.notes_before[0].blocks) == ["Short and silly, sorry!"]
    assert two.notes_before[0].role == "author-note"
    assert texts(two.notes_after[0].blocks) == ["Biscuit is asleep on my keyboard as I post this."]
    assert count(two.blocks, Paragraph) == 2
    assert has(two.blocks, Strong, "the Biscuit method")
    text = all_text(story)
    for label in ("Posted originally", "drop by the Archive", "Chapter End Notes"):
        assert label not in text
    assert "Summary" not in texts(meta.summary) and "Notes" not in texts(meta.notes)
    assert_no_markup(story)


# --------------------------------------------------------------------------- FFN


def test_ffn_story_page() -> None:
    story = fixture(FIXTURES / "ffn_story.html")
    meta = story.metadata
    assert meta.title == "First Frost"
    assert meta.authors == ("Tamsin Reed",)
    assert meta.fandoms == ("The Lantern Courts",)
    assert meta.rating == "K+"
    assert meta.language == "en"
    assert meta.tags == ("Humor",)
    assert meta.published == "2008-06-29"
    assert meta.status == "Complete"
    assert meta.source_url == "https://www.fanfiction.net/s/98765"
    assert texts(meta.summary)[0].startswith("The first frost of the year")
    assert texts(meta.disclaimer) == ["The Lantern Courts isn't mine."]
    (chapter,) = story.chapters
    assert chapter.number is None and chapter.title is None
    assert texts(chapter.notes_before[0].blocks) == [
        "Written for a winter prompt on the forums. Thanks to Lu for the beta!"
    ]
    assert texts(chapter.notes_after[0].blocks) == ["Please leave a review if you liked it!"]
    assert count(chapter.blocks, Paragraph) == 9
    assert count(chapter.blocks, SceneBreak) == 2
    assert has(chapter.blocks, Emph, "kill") and has(chapter.blocks, Strong, "THANK YOU")
    story_text = "\n".join(texts(chapter.blocks))
    assert "A/N" not in story_text and "Disclaimer" not in story_text
    assert texts(chapter.blocks)[0].startswith("The first frost came to the Low Court")
    assert "Type your review" not in all_text(story)


FFN_CHAPTER_PAGE = """<html><body>
<div id="pre_story_links"><a href="/anime/">Anime</a>
<a href="/anime/Kite-Runners/">Kite Runners</a></div>
<div id="profile_top"><b class="xcontrast_txt">Paper Wings</b>
<span class="xcontrast_txt">By:</span>
<a class="xcontrast_txt" href="https://www.fanfiction.net/u/42/Rook-Ashby">Rook Ashby</a>
<div class="xcontrast_txt">Kites, rivals and one very windy day.</div>
<span class="xgray xcontrast_txt">Rated: <a>Fiction T</a> - English - Drama - Mika T., Jun O. -
Chapters: 3 - Words: 2,100 - Updated: <span data-xutime="1700000000">Nov 14</span> -
Published: <span data-xutime="1214700000">6/29/2008</span> - id: 777</span></div>
<select id="chap_select"><option value="1">1. Launch<option value="2">2. Crosswind
<option value="3" selected>3. Chapter 3</select>
<div id="storytext"><p>Author's Note: Sorry this took so long!</p>
<p>The wind dropped at noon.</p><p>Mika reeled in the line.</p>
<p>A/N: Reviews make me write faster.</p></div>
</body></html>"""


def test_ffn_chapter_of_a_longer_story() -> None:
    story = story_of(FFN_CHAPTER_PAGE)
    meta = story.metadata
    assert meta.title == "Paper Wings"
    assert meta.authors == ("Rook Ashby",)
    assert meta.fandoms == ("Kite Runners",)
    assert meta.rating == "T"
    assert meta.characters == ("Mika T.", "Jun O.")
    assert meta.updated == "2023-11-14"
    assert meta.published == "2008-06-29"
    (chapter,) = story.chapters
    assert (chapter.number, chapter.title) == (3, None)
    assert texts(chapter.blocks) == ["The wind dropped at noon.", "Mika reeled in the line."]
    assert texts(chapter.notes_before[0].blocks) == ["Sorry this took so long!"]
    assert texts(chapter.notes_after[0].blocks) == ["Reviews make me write faster."]


# --------------------------------------------------------------------------- generic HTML


GENERIC = """<!DOCTYPE html><html><head><title>Lanterns - My Archive</title>
<meta name="author" content="Salt and Pepper">
<style>p { color: red; } .secret { content: "style text"; }</style></head>
<body><nav><a href="/">Home</a> | <a href="/list">Stories</a></nav>
<h1>Lanterns</h1>
<h2>Chapter 1: Wick</h2><p>The first <i>lantern</i> &amp; the second.</p>
<h2>Oil</h2><p>The oil ran out.</p><script>document.write("script text")</script>
</body></html>"""


def test_generic_html_chapters_at_h2() -> None:
    story = story_of(GENERIC)
    assert story.metadata.title == "Lanterns"
    assert story.metadata.authors == ("Salt and Pepper",)
    one, two = story.chapters
    assert (one.number, one.title) == (1, "Wick")
    assert (two.number, two.title) == (None, "Oil")
    assert texts(one.blocks) == ["The first lantern & the second."]
    assert has(one.blocks, Emph, "lantern")
    text = all_text(story)
    assert "script text" not in text and "style text" not in text and "Home" not in text


def test_generic_html_title_from_title_tag_and_one_chapter() -> None:
    story = story_of("<html><head><title>Only Title</title></head><body><p>a</p><p>b</p>")
    assert story.metadata.title == "Only Title"
    (chapter,) = story.chapters
    assert texts(chapter.blocks) == ["a", "b"]


# --------------------------------------------------------------------------- block rules


def test_hr_and_marker_paragraphs_are_scene_breaks() -> None:
    blocks = body("<p>a</p><hr><p>b</p><p><b>* * *</b></p><p>c</p><p>xXx</p><p>d</p>")
    assert [type(b) for b in blocks] == [Paragraph, SceneBreak] * 3 + [Paragraph]
    assert blocks[1] == SceneBreak("<hr>")
    assert blocks[3] == SceneBreak("* * *")


def test_empty_paragraphs_are_gaps_and_never_at_the_edges() -> None:
    blocks = body("<p></p><p>a</p><p>&nbsp;</p><p>b</p><p> </p><p><br></p><p>c</p><p></p>")
    assert [type(b) for b in blocks] == [Paragraph, Gap, Paragraph, Gap, Paragraph]


def test_two_nbsp_paragraphs_are_a_scene_break() -> None:
    blocks = body("<p>a</p>\n<p>&nbsp;</p>\n<p>&nbsp;</p>\n<p>b</p>")
    assert [type(b) for b in blocks] == [Paragraph, SceneBreak, Paragraph]


def test_short_br_lines_are_verse_long_ones_keep_line_breaks() -> None:
    verse, prose = body(
        "<p>Roses <em>bloom</em>,<br>\n violets fade,<br>the end</p>"
        f"<p>{'word ' * 30}<br>{'more ' * 30}</p>"
    )
    assert isinstance(verse, Verse)
    assert [inline_text(line) for line in verse.lines] == [
        "Roses bloom,",
        "violets fade,",
        "the end",
    ]
    assert isinstance(verse.lines[0][1], Emph)
    assert isinstance(prose, Paragraph)
    assert sum(isinstance(n, LineBreak) for n in prose.inlines) == 1


def test_emphasis_split_across_verse_lines() -> None:
    (verse,) = body("<p><em>first line<br>second line</em></p>")
    assert isinstance(verse, Verse)
    assert verse.lines == ((Emph((Text("first line"),)),), (Emph((Text("second line"),)),))


def test_double_br_splits_paragraphs_and_triple_leaves_a_gap() -> None:
    blocks = body(f"<div>{'long ' * 30}<br><br>{'next ' * 30}<br><br><br>{'last ' * 30}</div>")
    assert [type(b) for b in blocks] == [Paragraph, Paragraph, Gap, Paragraph]


def test_blockquote_heading_lists_and_alignment() -> None:
    blocks = body(
        "<blockquote><p>quoted</p></blockquote><h3>A <em>Letter</em></h3>"
        "<ul><li>one</li><li>two</li></ul><p align='center'>mid</p>"
        "<div style='text-align: right'><p>right</p></div><center>centre</center>"
    )
    quote, heading, one, two, mid, right, centre = blocks
    assert quote == BlockQuote((Paragraph((Text("quoted"),)),))
    assert heading == Heading(3, (Text("A "), Emph((Text("Letter"),))))
    assert texts([one, two]) == ["one", "two"]
    assert (mid, right, centre) == (
        Paragraph((Text("mid"),), "center"),
        Paragraph((Text("right"),), "right"),
        Paragraph((Text("centre"),), "center"),
    )


def test_inline_elements() -> None:
    (p,) = body(
        "<p><i>i</i> <cite>c</cite> <b>b</b> <strike>s</strike> <del>d</del> <u>u</u> "
        "<ins>n</ins> <span class='sc caps'>span</span> <span>plain</span> "
        "<span style='text-decoration: underline'>ffn</span> "
        "<a href='https://example.org/a'>web</a> <a href='mailto:x@example.org'>mail</a> "
        "<a href='/works/1'>relative</a> <a href='javascript:void(0)'>js</a></p>"
    )
    assert isinstance(p, Paragraph)
    nodes = p.inlines
    assert nodes[0] == Emph((Text("i"),))
    assert Emph((Text("c"),)) in nodes and Strong((Text("b"),)) in nodes
    assert Strike((Text("s"),)) in nodes and Strike((Text("d"),)) in nodes
    assert Underline((Text("u"),)) in nodes and Underline((Text("n"),)) in nodes
    assert Underline((Text("ffn"),)) in nodes
    assert Span((Text("span"),), ("sc", "caps")) in nodes
    assert Link((Text("web"),), "https://example.org/a") in nodes
    assert Link((Text("mail"),), "mailto:x@example.org") in nodes
    links = [n for n in nodes if isinstance(n, Link)]
    assert len(links) == 2
    assert inline_text(nodes).endswith("span plain ffn web mail relative js")


def test_whitespace_collapses_but_nbsp_and_entities_survive() -> None:
    (p,) = body(
        "<p>\n  One   <em> two </em>\tthree&nbsp;&nbsp;four &amp; &lt;b&gt; &#8212; é\n</p>"
    )
    assert isinstance(p, Paragraph)
    assert inline_text(p.inlines) == "One two three\u00a0\u00a0four & <b> — é"
    assert p.inlines[0] == Text("One ")


def test_the_space_after_an_inline_picture_stays() -> None:
    (p,) = body('<p>She read <img src="x.png" alt="a star"> in red, and <em>then</em> slept.</p>')
    assert isinstance(p, Paragraph)
    assert [type(n).__name__ for n in p.inlines[:3]] == ["Text", "InlineImage", "Text"]
    assert p.inlines[0] == Text("She read ") and p.inlines[2] == Text(" in red, and ")


def test_markup_looking_text_stays_text_and_scripts_vanish() -> None:
    story = story_of(
        "<html><body><p>&lt;p&gt;literal&lt;/p&gt;</p><script>var x = '<p>gone</p>';</script>"
        "<noscript>no js</noscript><form><p>form text</p></form><!-- a comment -->"
        "<iframe src='x'></iframe><p>kept</p></body></html>"
    )
    (chapter,) = story.chapters
    assert texts(chapter.blocks) == ["<p>literal</p>", "kept"]
    text = all_text(story)
    assert "gone" not in text and "no js" not in text and "form text" not in text
    assert "comment" not in text


def test_too_deeply_nested_markup_still_reads() -> None:
    deep = "<b><i>" * 1200 + "deep" + "</i></b>" * 1200
    story = story_of(f"<html><head><title>Deep</title></head><body><p>top</p><p>{deep}</p>")
    assert story.metadata.title == "Deep"
    assert texts(story.chapters[0].blocks) == ["top", "deep"]


# --------------------------------------------------------------------------- AO3 details


AO3_SERIES = """<html><body>
<dl class="work meta group">
<dt class="freeform tags">Additional Tags:</dt>
<dd class="freeform tags"><ul class="commas"><li><a class="tag">Hurt/Comfort, sort of</a></li>
<li><a class="tag">Friends and Rivals</a></li></ul></dd>
<dt class="series">Series:</dt><dd class="series"><span class="series">
<span class="position">Part 2 of <a href="/series/9">The Bell Cycle</a></span></span></dd>
</dl>
<div id="workskin"><div class="preface group"><h2 class="title heading">Two</h2>
<h3 class="byline heading"><a rel="author" href="/users/a">Salt and Pepper</a>,
<a rel="author" href="/users/b">quill</a></h3></div>
<div id="chapters"><div class="chapter">
<div class="chapter preface group"><h3 class="title"><a href="/c/1">Chapter 4</a></h3>
<div id="summary" class="summary module"><h3 class="heading">Summary:</h3>
<blockquote class="userstuff"><p>Chapter summary.</p></blockquote></div>
<div id="notes" class="notes module"><h3 class="heading">Notes:</h3>
<p class="jump">(See the end of the chapter for <a href="#x">more notes</a>.)</p>
<blockquote class="userstuff"><p>Before notes.</p></blockquote></div></div>
<div class="userstuff module" role="article"><h3 class="landmark heading">Chapter Text</h3>
<p>Story.</p></div>
<div class="chapter preface group"><div class="end notes module">
<blockquote class="userstuff"><p>After notes.</p></blockquote></div></div>
</div></div></div></body></html>"""


def test_ao3_series_whole_tags_and_chapter_parts() -> None:
    story = story_of(AO3_SERIES)
    meta = story.metadata
    assert meta.series == "The Bell Cycle" and meta.series_index == 2
    assert meta.tags == ("Hurt/Comfort, sort of", "Friends and Rivals")
    assert meta.authors == ("Salt and Pepper", "quill")
    (chapter,) = story.chapters
    assert (chapter.number, chapter.title) == (4, None)
    assert texts(chapter.summary) == ["Chapter summary."]
    assert texts(chapter.notes_before[0].blocks) == ["Before notes."]
    assert texts(chapter.notes_after[0].blocks) == ["After notes."]
    assert texts(chapter.blocks) == ["Story."]


def test_break_marker_line_inside_a_br_paragraph() -> None:
    blocks = body(f"<p>{'before ' * 20}<br>~*~<br>{'after ' * 20}</p>")
    assert [type(b) for b in blocks] == [Paragraph, SceneBreak, Paragraph]
    assert blocks[1] == SceneBreak("~*~")


def test_ao3_download_of_a_one_shot() -> None:
    story = story_of(
        "<html><body><div id='preface'><p class='message'>Posted originally on the "
        "<a href='http://archiveofourown.org/'>Archive of Our Own</a> at "
        "<a href='http://archiveofourown.org/works/55'>http://archiveofourown.org/works/55</a>"
        ".</p><div class='meta'><dl class='tags'><dt>Additional Tags:</dt>"
        "<dd><a href='x'>Fluff, mostly</a>, <a href='y'>Tea</a></dd>"
        "<dt>Series:</dt><dd>Part 3 of <a href='s'>Small Hours</a></dd></dl>"
        "<h1>Kettle</h1><div class='byline'>by Anonymous</div></div></div>"
        "<div id='chapters' class='userstuff'><div class='userstuff'><p>Steam.</p>"
        "<p>Sleep.</p></div></div></body></html>"
    )
    meta = story.metadata
    assert meta.title == "Kettle" and meta.authors == ("Anonymous",)
    assert meta.tags == ("Fluff, mostly", "Tea")
    assert (meta.series, meta.series_index) == ("Small Hours", 3)
    assert meta.source_url == "https://archiveofourown.org/works/55"
    (chapter,) = story.chapters
    assert (chapter.number, chapter.title) == (None, None)
    assert texts(chapter.blocks) == ["Steam.", "Sleep."]
    assert "Posted originally" not in all_text(story)

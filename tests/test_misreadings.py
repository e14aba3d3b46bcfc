"""The classes of misreading found in real files (issue 8), each in our own words:
scene-break markers, status from chapter counts, pointers, footnotes after a break,
titles' own punctuation and dates as the page shows them."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from fic2book import parse
from fic2book.model import Gap, Paragraph, SceneBreak, Story, Verse, inline_text
from fic2book.read.rules.breaks import is_scene_break_line
from fic2book.read.rules.headings import parse_heading

NBSP = "\u00a0"


def read(text: str, name: str = "story.txt") -> Story:
    return parse(text.encode("utf-8"), name=name)


def kinds(story: Story) -> list[str]:
    return [type(b).__name__ for b in story.chapters[0].blocks]


# --------------------------------------------------------------------------- breaks


@pytest.mark.parametrize(
    "line",
    [
        "oooooooooooo",
        "8888",
        "xxxxxx",
        "OOOOOOO",
        "-" * 72,
        "_" * 60,
        "*       *       *       *       *       *",
        "-line break-",
        ".:O:.:O:.",
        ".:O:.:O:.:O:.:O:.",
        NBSP + "~~~~~~" + NBSP,
    ],
)
def test_more_markers_are_breaks(line: str) -> None:
    assert is_scene_break_line(line)


@pytest.mark.parametrize(
    "line", ["Ooooh!", "Oo.", "Ooo...", "1999", "100", "xoxo", "Zzzz", "No.", "A long line " * 5]
)
def test_prose_is_never_a_break(line: str) -> None:
    assert not is_scene_break_line(line)


def test_rows_of_spread_asterisks_are_one_break() -> None:
    row = "*       *       *       *       *"
    story = read(f"First scene here.\n\n{row}\n\n{row}\n\nSecond scene here.\n")
    assert kinds(story) == ["Paragraph", "SceneBreak", "Paragraph"]


def test_nbsp_paragraphs_around_a_marker_are_absorbed() -> None:
    page = (
        f"<html><body><p>One scene.</p><p>{NBSP}</p><p>oooooooooo</p><p>{NBSP}</p>"
        "<p>Another scene.</p></body></html>"
    )
    assert kinds(read(page, "p.html")) == ["Paragraph", "SceneBreak", "Paragraph"]


def test_the_breaks_fixture_has_every_marker() -> None:
    story = parse(FIXTURES / "breaks_plain.txt")
    blocks = story.chapters[0].blocks
    assert sum(isinstance(b, SceneBreak) for b in blocks) == 7
    texts = [inline_text(b.inlines) for b in blocks if isinstance(b, Paragraph)]
    assert any(t.startswith(("\u201cOoooh!", '"Ooooh!')) for t in texts)


# --------------------------------------------------------------------------- status


@pytest.mark.parametrize(
    ("chapters", "status"), [("3/3", "Complete"), ("2/?", "In Progress"), ("2/5", "In Progress")]
)
def test_ao3_chapter_counts_give_the_status(chapters: str, status: str) -> None:
    text = (
        "Rating:\n    Teen And Up Audiences\nLanguage:\n    English\n"
        f"Stats:\n    Published: 2020-05-01 Words: 30 Chapters: {chapters}\n\n"
        "The Kiln\n\nWork Text:\n\nThe kiln cooled overnight and cracked at dawn.\n"
    )
    assert read(text).metadata.status == status


def test_an_ao3_page_chapter_count_gives_the_status() -> None:
    page = (
        '<html><body><dl class="work meta group"><dt class="stats">Stats:</dt>'
        '<dd class="stats"><dl class="stats"><dt>Published:</dt><dd>2021-01-02</dd>'
        "<dt>Chapters:</dt><dd>1/?</dd></dl></dd></dl>"
        '<div id="workskin"><h2 class="title">Kiln</h2><div class="userstuff">'
        "<p>The kiln cooled.</p></div></div></body></html>"
    )
    assert read(page, "kiln.html").metadata.status == "In Progress"


# --------------------------------------------------------------------------- small ones


def test_titles_keep_their_own_punctuation() -> None:
    story = parse(FIXTURES / "breaks_plain.txt")
    assert story.chapters[0].title == "All the hurt cast upon him...."


def test_pointers_are_dropped_in_every_reader() -> None:
    pointer = "(See the end of the chapter for notes.)"
    plain = read(f"Hollow Hill\n\nThe hill was hollow.\n\n{pointer}\n\nIt rang like a bell.\n")
    page = read(f"<html><body><p>A.</p><p>{pointer}</p><p>B.</p></body></html>", "x.html")
    for story in (plain, page):
        texts = [inline_text(b.inlines) for b in story.chapters[0].blocks if hasattr(b, "inlines")]
        assert pointer not in texts


def test_nbsp_pair_before_footnotes_is_a_gap() -> None:
    story = parse(FIXTURES / "footnote_page.html")
    blocks = story.chapters[0].blocks
    assert not any(isinstance(b, SceneBreak) for b in blocks)
    assert isinstance(blocks[-2], Gap)
    assert inline_text(blocks[-1].inlines).startswith("[1]")  # type: ignore[union-attr]


def test_nbsp_pair_before_prose_is_still_a_break() -> None:
    page = f"<html><body><p>A.</p><p>{NBSP}</p><p>{NBSP}</p><p>B.</p></body></html>"
    assert kinds(read(page, "x.html")) == ["Paragraph", "SceneBreak", "Paragraph"]


@pytest.mark.parametrize(
    ("stamp", "shown", "day"),
    [
        ("1700000000", "Nov 14", "2023-11-14"),  # 22:13 UTC on Nov 14
        ("1700006400", "Nov 14", "2023-11-14"),  # already Nov 15 in UTC, shown Nov 14
        ("1704070000", "Dec 31", "2023-12-31"),  # Jan 1 2024 in UTC, shown Dec 31
        ("1214700000", "6/29/2008", "2008-06-29"),
    ],
)
def test_ffn_dates_are_the_ones_the_page_shows(stamp: str, shown: str, day: str) -> None:
    page = (
        '<html><body><div id="profile_top"><b class="xcontrast_txt">Tide</b>'
        '<a href="/u/1/x">Wren</a><span class="xgray">Rated: K - English - Words: 9 - '
        f'Updated: <span data-xutime="{stamp}">{shown}</span> - id: 1</span></div>'
        '<div id="storytext"><p>The tide came in.</p></div></body></html>'
    )
    assert read(page, "t.html").metadata.updated == day


# --------------------------------------------------------------------------- old FFN pages


def test_an_old_ffn_page_gives_its_metadata() -> None:
    story = parse(FIXTURES / "ffn_old_page.html")
    meta = story.metadata
    assert meta.title == "The Orchard Wall"
    assert meta.authors == ("Tamsin Reed",)
    assert meta.fandoms == ("Hollow Crown",)
    assert meta.rating == "T"
    assert (meta.published, meta.updated) == ("2009-01-15", "2009-04-02")
    summary = inline_text(meta.summary[0].inlines)  # type: ignore[union-attr]
    assert summary == "Two apprentices, one stolen key, and a wall nobody is meant to climb."
    assert (story.chapters[0].number, story.chapters[0].title) == (2, "Over the Wall")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("FanFiction.Net - Ash and Ember", "Ash and Ember"),
        ("Ash and Ember Chapter 4, a Tide Kings fanfic | FanFiction", "Ash and Ember"),
    ],
)
def test_an_old_ffn_title_loses_the_sites_words(title: str, expected: str) -> None:
    page = (
        f"<html><head><title>{title}</title></head><body>"
        '<div id="storytext"><p>Embers, then ash.</p></div></body></html>'
    )
    assert read(page, "old.html").metadata.title == expected


def test_any_page_falls_back_to_its_title_without_the_site() -> None:
    page = (
        "<html><head><title>Glass Harbour | Quillhouse Archive</title>"
        '<meta property="og:site_name" content="Quillhouse Archive"></head>'
        "<body><p>The harbour froze in one night.</p></body></html>"
    )
    assert read(page, "x.html").metadata.title == "Glass Harbour"


# --------------------------------------------------------------------------- other archives


def test_an_archive_page_keeps_only_the_story() -> None:
    story = parse(FIXTURES / "archive_chapter.html")
    meta = story.metadata
    assert meta.title == "Low Tide Letters"
    assert meta.authors == ("Jo Marlow",)
    assert (meta.language, meta.language_source) == ("en", "markup")
    (chapter,) = story.chapters
    assert (chapter.number, chapter.title) == (3, "The Ferry")
    words = " ".join(inline_text(b.inlines) for b in chapter.blocks if isinstance(b, Paragraph))
    assert words.startswith("The ferry left at six")
    assert words.endswith("the house with the green door.")
    for chrome in (
        "Browse",
        "Aa Serif",
        "You may also like",
        "Share on",
        "Great chapter",
        "Post comment",
        "Next chapter",
        "Copyright",
    ):
        assert chrome not in words
    assert sum(isinstance(b, SceneBreak) for b in chapter.blocks) == 1


def test_without_json_ld_the_byline_names_the_author_not_the_site() -> None:
    page = (
        '<html lang="es"><head><title>La marea | Cuentos del Puerto</title>'
        '<meta property="og:site_name" content="Cuentos del Puerto">'
        '<meta name="author" content="Cuentos del Puerto"></head><body>'
        '<nav><a href="/">Inicio</a></nav><main><h1>La marea</h1>'
        '<p class="byline">by <a href="/u/7">Lucía Rey</a></p>'
        "<div class='text'><p>La marea subió de noche y se llevó las barcas.</p>"
        "<p>Por la mañana, el pueblo entero bajó a la playa a mirar el agua.</p></div>"
        "</main><footer>Aviso legal</footer></body></html>"
    )
    meta = read(page, "marea.html").metadata
    assert meta.title == "La marea"
    assert meta.authors == ("Lucía Rey",)
    assert meta.language == "es"


# --------------------------------------------------------------------------- markdown


def test_markdown_title_above_chapters_at_the_same_level() -> None:
    story = parse(FIXTURES / "markdown_site.md")
    assert story.metadata.title == "Paper Boats"
    assert story.metadata.authors == ("Rowan Tell",)
    assert story.metadata.published == "2021-06-04"
    assert [(c.number, c.title) for c in story.chapters] == [
        (1, "The Gutter River"),
        (2, "The Drain"),
    ]


def test_markdown_comments_are_dropped_and_a_lone_quote_line_is_no_break() -> None:
    story = parse(FIXTURES / "markdown_site.md")
    blocks = [b for c in story.chapters for b in c.blocks]
    assert not any(isinstance(b, SceneBreak | Gap) for b in blocks)
    text = " ".join(inline_text(b.inlines) for b in blocks if isinstance(b, Paragraph))
    assert "more" not in text.split() and "note to self" not in text
    assert not is_scene_break_line(">")


def test_markdown_chapter_level_is_the_one_running_through_the_text() -> None:
    story = parse(FIXTURES / "markdown_dateline.md")
    assert story.metadata.title == "Salt and Iron"
    assert [c.title for c in story.chapters] == ["Part 1", "Part 2", "Part 3"]
    notes = story.metadata.notes
    assert inline_text(notes[0].inlines) == "Posted in the spring of 2019"  # type: ignore[union-attr]


# --------------------------------------------------------------------------- FFN edges


def _texts(blocks: object) -> list[str]:
    return [inline_text(b.inlines) for b in blocks if isinstance(b, Paragraph)]  # type: ignore[attr-defined]


def test_ffn_story_text_front_and_back_matter_is_set_apart() -> None:
    story = parse(FIXTURES / "ffn_front_matter.html")
    (chapter,) = story.chapters
    assert (chapter.number, chapter.title) == (1, "Banishment")
    story_text = _texts(chapter.blocks)
    assert story_text[0].startswith("The gate closed behind Wren")
    assert story_text[-1].startswith("By dusk the eyrie")
    before = [t for n in chapter.notes_before for t in _texts(n.blocks)]
    after = [t for n in chapter.notes_after for t in _texts(n.blocks)]
    assert any(t.startswith("Hi everyone!") for t in before)
    assert any("Talking" in t and "flashback" in t for t in before)
    assert after[0] == "End of Chapter One"
    assert after[1].startswith("Please review!")  # the AN- label is dropped
    assert after[-1] == "~Fennick"
    assert _texts(story.metadata.disclaimer) == [
        "I don\u2019t own the Stormlands books or anything in them."
    ]
    everything = " ".join(story_text + before + after)
    assert "Chapter 1 - Banishment" not in everything and "by Fennick" not in everything


def test_ffn_page_text_repeats_are_dropped_and_notes_kept() -> None:
    story = parse(FIXTURES / "ffn_text_front_matter.txt")
    assert story.metadata.title == "The Ford"
    assert story.metadata.status == "Complete"
    (chapter,) = story.chapters
    assert _texts(chapter.blocks)[0].startswith("The river was brown")
    assert _texts(story.metadata.notes)[0].startswith("Thanks to everyone")
    assert _texts(story.metadata.disclaimer) == ["Stormlands is not mine."]
    assert _texts(story.metadata.end_notes) == ["Please review!", "-Fennick"]


def test_an_in_text_heading_names_an_untitled_chapter() -> None:
    page = (
        '<html><body><div id="storytext"><p>Chapter Six</p>'
        "<p>The snow came early that year, and the pass closed before the traders left.</p>"
        "</div></body></html>"
    )
    (chapter,) = read(page, "six.html").chapters
    assert chapter.number == 6
    assert _texts(chapter.blocks)[0].startswith("The snow came early")


# --------------------------------------------------------------------------- plain text


def test_plain_title_after_an_illustration_and_a_note_line() -> None:
    story = parse(FIXTURES / "plain_front_matter.txt")
    assert story.metadata.title == "THE LAMPLIGHTER\u2019S DAUGHTER"
    assert story.metadata.authors == ("Hesper Vane",)
    assert _texts(story.metadata.notes) == [
        "Written for the winter exchange. Thank you to my beta!"
    ]


def test_a_contents_list_is_neither_chapters_nor_notes() -> None:
    story = parse(FIXTURES / "plain_front_matter.txt")
    assert [(c.number, c.title) for c in story.chapters] == [(1, "THE LAMPS"), (2, "THE SONG")]
    everything = " ".join(t for c in story.chapters for t in _texts(c.blocks)) + " ".join(
        _texts(story.metadata.notes)
    )
    assert "Contents" not in everything and "The Lamps" not in everything


def test_set_in_and_alternating_verse_keep_their_lines() -> None:
    story = parse(FIXTURES / "plain_front_matter.txt")
    verses = [b for b in story.chapters[1].blocks if isinstance(b, Verse)]
    assert [len(v.lines) for v in verses] == [4, 4]
    assert inline_text(verses[1].lines[1]) == "The lamps will burn along the wall,"
    prose = _texts(story.chapters[1].blocks)
    assert prose[0].startswith("Her father sang") and prose[0].endswith("worn smooth:")


@pytest.mark.parametrize(
    ("line", "number", "title"),
    [("Un : Kiba", 1, "Kiba"), ("Deux : Akamaru", 2, "Akamaru"), ("CHAPTER I.", 1, None)],
)
def test_headings_in_other_shapes(line: str, number: int, title: str | None) -> None:
    info = parse_heading(line)
    assert info is not None and (info.number, info.title) == (number, title)


def test_pandoc_markdown_escapes_attributes_and_divs() -> None:
    story = parse(FIXTURES / "markdown_pandoc.md")
    one, two = story.chapters
    assert (one.number, one.title, two.number, two.title) == (1, None, 2, "Chalk")
    first = _texts(one.blocks)[0]
    assert first.startswith("Mags said \u201cnot tonight\u201d") and "#1" in first
    assert "\\" not in first and "{#" not in (two.title or "")
    assert [t for n in one.notes_after for t in _texts(n.blocks)] == [
        "Sorry for the wait, exams ate my month."
    ]
    assert "::" not in " ".join(_texts(two.blocks))


def test_site_generator_markup_is_dropped() -> None:
    text = (
        '+++\ntitle = "Chambre"\n+++\n\n{{< figure src="a.png" alt="A room" >}}\n\n'
        "{{ frontmatter.title }}\n\nLa chambre était bleue.\n{ .center }\n\n"
        "Elle ouvrit la fenêtre et regarda la rue. {: .right}\n"
    )
    story = read(text, "chambre.md")
    assert _texts(story.chapters[0].blocks) == [
        "La chambre était bleue.",
        "Elle ouvrit la fenêtre et regarda la rue.",
    ]


def test_a_chapter_page_names_the_work_and_the_profile_linked_author() -> None:
    page = (
        "<html><head><title>Episode 5 - The Drain - Hollow Frequency | Quill Road</title>"
        '<meta property="og:site_name" content="Quill Road"></head><body>'
        '<nav><a href="/fictions">Fictions</a></nav>'
        '<div class="fic-header"><h1>Episode 5 - The Drain</h1>'
        '<h2>Hollow Frequency</h2><a href="/profile/4417">Mira Kell</a></div>'
        '<div class="chapter-content"><p>The drain sang at night, low and steady, like a '
        "radio left on in another room.</p><p>Nobody on the street admitted to hearing it, "
        "which is how Odile knew that everybody did.</p></div>"
        '<div class="comments"><a href="/profile/9">SomeReader</a><p>First!</p></div>'
        "</body></html>"
    )
    story = read(page, "ep5.html")
    assert story.metadata.title == "Hollow Frequency"
    assert story.metadata.authors == ("Mira Kell",)
    assert story.chapters[0].title == "Episode 5 - The Drain"
    assert "First!" not in " ".join(_texts(story.chapters[0].blocks))


def test_markdown_reading_time_and_footnotes() -> None:
    text = (
        "# Rain\n\n2 minutes\n{ .md-time-to-read }\n\nIt rained[^1] all day.\n\n"
        "[^1]: The first rain of the autumn,\n    and a cold one.\n\n"
        "Nobody went out, and the street was empty until dusk.\n"
    )
    story = read(text, "rain.md")
    assert _texts(story.chapters[0].blocks) == [
        "It rained[1] all day.",
        "Nobody went out, and the street was empty until dusk.",
    ]
    assert _texts(story.metadata.end_notes) == ["[1] The first rain of the autumn, and a cold one."]


def test_a_login_profile_link_is_not_the_author() -> None:
    page = (
        "<html><head><title>Night Ferry | Quill Road</title></head><body>"
        '<nav><a href="/profile/1">My Profile</a></nav><div class="chapter-content">'
        "<p>The night ferry was late again, and the harbour lights were going out.</p>"
        "</div></body></html>"
    )
    assert read(page, "f.html").metadata.authors == ()


def test_markdown_with_inline_html_is_markdown() -> None:
    text = (
        "---\ntitle: Moss\nauthors:\n    - Ada Quill\n"
        'description: "<strong>Moss</strong> grows <i>slowly</i>.<p>Then fast.</p>"\n---\n'
        '<p style="text-align: right;"><em>312 words</em></p>\n'
        "<p>The moss came up through the floorboards in <em>March</em>.</p>"
        '<p style="text-align: center;">#</p><p>By May it had reached the stairs.<br>'
        "Nobody minded.</p>\n"
    )
    story = read(text, "moss.md")
    assert (story.metadata.title, story.metadata.authors) == ("Moss", ("Ada Quill",))
    assert _texts(story.metadata.summary) == ["Moss grows slowly.", "Then fast."]
    blocks = story.chapters[0].blocks
    assert [type(b).__name__ for b in blocks][:2] == ["Paragraph", "SceneBreak"]
    assert len(blocks) == 3  # the <br> keeps its line break
    assert "<" not in " ".join(_texts(blocks)) and "312 words" not in " ".join(_texts(blocks))


def test_a_gutenberg_text_keeps_its_licence_apart() -> None:
    story = parse(FIXTURES / "gutenberg_plain.txt")
    meta = story.metadata
    assert (meta.title, meta.authors, meta.language) == (
        "The Tin Lantern",
        ("Odile Farrant",),
        "en",
    )
    (chapter,) = story.chapters
    text = _texts(chapter.blocks)
    assert text[0].startswith("The tin lantern hung")
    assert not any("PROJECT GUTENBERG" in t or "ebook" in t for t in text)
    assert any("for the use of anyone anywhere" in t for t in _texts(meta.disclaimer))
    assert _texts(meta.end_notes)[0].startswith("Updating editions will replace")

"""Regression tests for wrong readings found by feeding the readers awkward, realistic input.

Every text here is original (invented characters and places). Each test names the input
shape it guards, and asserts the reading a user would expect.
"""

from __future__ import annotations

import codecs
import sys

import pytest

from conftest import SEEDS
from fic2book import parse
from fic2book.model import Emph, Paragraph, Story, inline_text
from fic2book.read.decode import decode
from fic2book.read.inlines import parse_emphasis
from fic2book.read.rules.breaks import is_scene_break_line
from fic2book.read.rules.headings import parse_heading
from fic2book.read.sites import detect
from fic2book.serialize import story_to_data
from fic2book.typography import smart_quotes, smart_text
from growth import assert_linear
from tree import blocks_text, chapter_text, notes_text

NB = "\u00a0"


def read(text: str, name: str = "story.txt", **kw: object) -> Story:
    return parse(text.encode("utf-8"), name=name, **kw)  # type: ignore[arg-type]


def everything(story: Story) -> str:
    return "\n".join(chapter_text(c) for c in story.chapters)


# --------------------------------------------------------------------------- AO3 text

AO3_NO_CHAPTER_TEXT = """Rating:
    General Audiences
Archive Warning:
    No Archive Warnings Apply
Fandom:
    Harbour Lights (TV)
Additional Tags:
    Fluff
Stats:
    Published: 2021-03-04
    Words: 1,234
    Chapters: 2/2

The Keeper's Lamp

gullwinged

Summary:

Mara fixes the lamp.

Notes:

For my sister.

Chapter 1: The Ladder

The storm came in low over the harbour.

"Hold it steady," she said.

Chapter 2: The Lamp

Notes:

Short one, sorry!

The lamp lit at last, and the whole bay turned gold.

Tobias said nothing, which was how she knew he was impressed.

Notes:

Thanks for reading!
"""


def test_ao3_copy_without_chapter_text_keeps_titles_and_text() -> None:
    """``Chapter N: Title`` lines but no ``Chapter Text`` marker: the titles are the
    headings' titles, and a chapter's opening ``Notes:`` does not swallow its text."""
    s = read(AO3_NO_CHAPTER_TEXT)
    one, two = s.chapters
    assert (one.number, one.title, two.number, two.title) == (1, "The Ladder", 2, "The Lamp")
    assert chapter_text(one).startswith("The storm came in low")
    assert notes_text(two.notes_before) == ["Short one, sorry!"]
    assert chapter_text(two).startswith("The lamp lit at last")
    assert chapter_text(two).endswith("how she knew he was impressed.")
    assert "Thanks for reading!" in notes_text(two.notes_after) + blocks_text(s.metadata.end_notes)


def test_ao3_inline_summary_and_notes_are_not_lost() -> None:
    """``Summary: text`` and ``Notes: text`` on one line are the summary and the notes."""
    text = """Rating: Teen And Up Audiences
Archive Warning: No Archive Warnings Apply
Fandom: Harbour Lights (TV)
Additional Tags: Fluff

The Keeper's Lamp

gullwinged

Summary: Mara fixes the lamp. Tobias holds the ladder.

Notes: For my sister, who hates heights.

Work Text:

The storm came in low over the harbour.
"""
    s = read(text)
    m = s.metadata
    assert (m.title, m.authors) == ("The Keeper’s Lamp", ("gullwinged",))
    assert blocks_text(m.summary) == ["Mara fixes the lamp. Tobias holds the ladder."]
    assert blocks_text(m.notes) == ["For my sister, who hates heights."]


def test_ao3_loose_preface_lines_are_not_dropped() -> None:
    """A preface line after the title and byline that no label claims is kept."""
    text = (
        "Archive Warning: No Archive Warnings Apply\nAdditional Tags: Fluff\n\n"
        "The Keeper's Lamp\n\ngullwinged\n\nWritten for the Lighthouse Exchange 2021\n\n"
        "Work Text:\n\nThe storm came in low over the harbour.\n"
    )
    s = read(text)
    assert (s.metadata.title, s.metadata.authors) == ("The Keeper’s Lamp", ("gullwinged",))
    assert blocks_text(s.metadata.notes) == ["Written for the Lighthouse Exchange 2021"]


# --------------------------------------------------------------------------- FFN text

FFN_TOP = """Cartoons » Skyward Foxes

Tin Wings
By: amberlark

A fox learns to fly. Sort of.

"""
FFN_BODY = """
Chapter 1: Scrap

Rook found the wings in the scrapyard behind the mill.

Chapter 2: Sky

The wings held. Mostly.
"""


@pytest.mark.parametrize(
    "stats",
    [
        "Rated: Fiction T - English - Adventure - Chapters: 2 -\n"
        "Words: 2,310 - Reviews: 12 - Published: 5/1/2012 - id: 7712345",
        "Rated: Fiction T - English - Adventure - Chapters: 2\n"
        "- Words: 2,310 - Reviews: 12 - Published: 5/1/2012 - id: 7712345",
    ],
    ids=["dash-at-end", "dash-at-start"],
)
def test_ffn_stats_line_split_over_two_lines(stats: str) -> None:
    """A stats line the copy broke in two is still FFN's stats line."""
    s = read(FFN_TOP + stats + "\n" + FFN_BODY)
    m = s.metadata
    assert (m.title, m.authors, m.rating, m.language) == ("Tin Wings", ("amberlark",), "T", "en")
    assert m.published == "2012-05-01" and ("Words", "2,310") in m.extra
    assert [c.title for c in s.chapters] == ["Scrap", "Sky"]
    assert "Rated" not in everything(s)


def test_ffn_selector_repeated_below_the_chapter_is_dropped() -> None:
    """FFN shows the chapter selector below the text too; it is chrome there as well,
    and the note it hid at the chapter's end is a note again."""
    text = (
        FFN_TOP
        + "Rated: Fiction T - English - Adventure - Chapters: 2 - Words: 2,310 - id: 7712345\n\n"
        "1. Scrap\n2. Sky\n\nChapter 1: Scrap\n\n"
        "Rook found the wings in the scrapyard behind the mill.\n\n"
        "Thanks for reading! Please review!\n\nNext >\n1. Scrap\n2. Sky\n\nReview\n\n"
        "Chapter 2: Sky\n\nThe wings held. Mostly.\n"
    )
    s = read(text)
    one, _ = s.chapters
    assert blocks_text(one.blocks) == ["Rook found the wings in the scrapyard behind the mill."]
    assert notes_text(one.notes_after) == ["Thanks for reading! Please review!"]
    assert "Scrap" not in everything(s)


# --------------------------------------------------------------------------- plain text


def test_opening_by_sentence_is_not_a_byline() -> None:
    """``by the time ...`` under a short first line is story, not an author."""
    text = (
        "Morning\n\nby the time the bells rang, the market was already full.\n\n"
        "Pell sold bread until noon.\n"
    )
    s = read(text)
    assert s.metadata.authors == ()
    assert "by the time the bells rang" in everything(s)


def test_real_byline_still_read() -> None:
    s = read("The Bread Thief\n\nby Hollis Marr\n\nPell sold bread until noon.\n")
    assert (s.metadata.title, s.metadata.authors) == ("The Bread Thief", ("Hollis Marr",))


def test_story_opening_with_chapter_and_thank_you_is_story() -> None:
    """Narration that happens to say "chapter" and "thank you" is not an author's note."""
    text = (
        "The chapter house had been empty for a hundred years, and the new abbot wanted "
        "it cleaned before the thaw. Thank you, he had told Brother Aled, in a way that "
        "meant you will do it alone.\n\nAled did it alone.\n\n"
        "He found the first book on the third day.\n"
    )
    s = read(text)
    assert s.metadata.notes == ()
    assert chapter_text(s.chapters[0]).startswith("The chapter house")


@pytest.mark.parametrize(
    "opening",
    [
        "Reviews of the new play had been terrible, and the actors were furious about it.",
        "She posted the letter on Tuesday. It was the last update her mother would get.",
    ],
)
def test_story_openings_with_note_words_stay_story(opening: str) -> None:
    s = read(opening + "\n\nAled did it alone.\n\nHe found the book on the third day.\n")
    assert s.metadata.notes == ()
    assert chapter_text(s.chapters[0]).startswith(opening)


def test_real_opening_note_is_still_a_note() -> None:
    text = (
        "Thank you so much for all the reviews on the last chapter! I hope you enjoy "
        "this one.\n\nAled did it alone.\n\nHe found the first book on the third day.\n"
    )
    s = read(text)
    assert blocks_text(s.metadata.notes)[0].startswith("Thank you so much")
    assert chapter_text(s.chapters[0]).startswith("Aled did it alone.")


def test_header_summary_wrapped_over_lines_is_one_paragraph() -> None:
    """A ``Summary:`` value hard-wrapped over several lines is one paragraph."""
    text = (
        "Title: Salt and Cinder\nAuthor: brackenfold\n"
        "Summary: The ferryman's daughter wants to cross the river, but her father\n"
        "says no, and the river has its own opinion about the whole thing.\n"
        "Rating: T\n\nNoor waited until her father slept.\n"
    )
    s = read(text)
    assert blocks_text(s.metadata.summary) == [
        "The ferryman’s daughter wants to cross the river, but her father says no, "
        "and the river has its own opinion about the whole thing."
    ]
    assert s.metadata.rating == "T"


def test_header_summary_lines_that_end_sentences_stay_lines() -> None:
    text = (
        "Title: Salt and Cinder\nSummary: The daughter wants to cross.\n"
        "Her father says no.\n\nNoor waited until her father slept.\n"
    )
    s = read(text)
    assert blocks_text(s.metadata.summary) == [
        "The daughter wants to cross.",
        "Her father says no.",
    ]


def test_note_closing_the_text_before_chapter_one_is_kept() -> None:
    """An author's note after an untitled opening and before ``Chapter 1`` is not lost."""
    text = (
        "The lighthouse had been dark for nine winters when the girl came up the path.\n\n"
        "Thanks so much for reading the prologue! Reviews make me update faster.\n\n"
        "Chapter 1\n\nMara fixed the lamp on the first night.\n"
    )
    s = read(text)
    opening, one = s.chapters
    assert chapter_text(opening).startswith("The lighthouse")
    assert notes_text(opening.notes_after) == [
        "Thanks so much for reading the prologue! Reviews make me update faster."
    ]
    assert one.number == 1


def test_forcing_ffn_on_text_without_stats_line_reads_it() -> None:
    s = read("Just a story.\n\nAnother paragraph.\n", dialect="ffn")
    assert blocks_text(s.chapters[0].blocks) == ["Just a story.", "Another paragraph."]


# --------------------------------------------------------------------------- headings


def test_compound_number_word_headings() -> None:
    """``Chapter Twenty-One`` is chapter 21, not chapter 20 titled ``One``."""
    info = parse_heading("Chapter Twenty-One")
    assert info is not None and (info.number, info.title) == (21, None)
    info = parse_heading("Chapter Thirty Two: The Weir")
    assert info is not None and (info.number, info.title) == (32, "The Weir")
    text = "".join(
        f"{h}\n\nThe wind came off the moor all night.\n\n"
        for h in ("Chapter Twenty-One", "Chapter Twenty-Two")
    )
    assert [c.number for c in read(text).chapters] == [21, 22]


def _headed(heads: list[str]) -> str:
    return "".join(f"{h}\n\nThe wind came off the moor all night.\n\n" for h in heads)


@pytest.mark.parametrize(
    ("heads", "want"),
    [
        (
            ["Part One", "Chapter 1", "Chapter 2", "Part Two", "Chapter 1", "Chapter 2"],
            [(None, "Part One"), (1, None), (2, None), (None, "Part Two"), (1, None), (2, None)],
        ),
        (
            ["Book One", "Chapter 1", "Book Two", "Chapter 2"],
            [(None, "Book One"), (1, None), (None, "Book Two"), (2, None)],
        ),
        (
            ["Chapter 1", "Chapter 2", "Chapter 4", "Chapter 5"],
            [(1, None), (2, None), (4, None), (5, None)],
        ),
    ],
    ids=["numbering-restarts-per-part", "book-headings", "a-missing-chapter"],
)
def test_chapter_sequences(heads: list[str], want: list[tuple[int | None, str | None]]) -> None:
    s = read(_headed(heads))
    assert [(c.number, c.title) for c in s.chapters] == want
    assert "Chapter" not in everything(s)


def test_heading_with_its_title_on_the_next_line() -> None:
    """``Chapter 1`` with ``The Beginning`` right under it is one heading, not verse."""
    text = (
        "Chapter 1\nThe Beginning\n\nThe wind came off the moor all night.\n\n"
        "Chapter 2\nThe Middle\n\nNobody closed the shutters.\n"
    )
    s = read(text)
    assert [(c.number, c.title) for c in s.chapters] == [(1, "The Beginning"), (2, "The Middle")]
    assert blocks_text(s.chapters[0].blocks) == ["The wind came off the moor all night."]


def test_heading_followed_by_a_sentence_is_not_titled_by_it() -> None:
    text = "Chapter 1\nThe wind came off the moor.\n\nNobody slept.\n"
    s = read(text)
    assert all(c.title is None for c in s.chapters)
    assert "The wind came off the moor." in everything(s)


@pytest.mark.parametrize("deco", ["~{}~", "-{}-", "~*~ {} ~*~", "== {} =="])
def test_decorated_chapter_headings(deco: str) -> None:
    """Symbols around a heading (``~Chapter 1~``) do not hide it."""
    text = "".join(
        deco.format(f"Chapter {n}") + "\n\nThe wind came off the moor all night.\n\n"
        for n in (1, 2)
    )
    s = read(text)
    assert [c.number for c in s.chapters] == [1, 2]
    assert "Chapter" not in everything(s)


# --------------------------------------------------------------------------- breaks


@pytest.mark.parametrize("line", ["-o-", "~o~", "~x~", "--o--", "- o -", "=x="])
def test_single_token_framed_breaks(line: str) -> None:
    assert is_scene_break_line(line)


@pytest.mark.parametrize("line", ["o", "x", "'o'", "(x)", "o.", "-o"])
def test_single_token_not_framed_is_not_a_break(line: str) -> None:
    assert not is_scene_break_line(line)


# --------------------------------------------------------------------------- markdown

SETEXT = """The Glass Orchard
=================

by Hester Lyle

Chapter 1: Frost
----------------

The orchard froze in a single night. Every pear on every
branch hung there like a lamp.

* * *

Oren walked the rows at dawn with his hands in his pockets.

Chapter 2: Thaw
---------------

The thaw came a week later, and the pears fell all at once.
"""


def test_markdown_setext_headings() -> None:
    s = read(SETEXT, name="orchard.md")
    assert s.metadata.title == "The Glass Orchard"
    assert s.metadata.authors == ("Hester Lyle",)
    assert [(c.number, c.title) for c in s.chapters] == [(1, "Frost"), (2, "Thaw")]
    one = s.chapters[0]
    assert [type(b).__name__ for b in one.blocks] == ["Paragraph", "SceneBreak", "Paragraph"]
    assert "===" not in everything(s) and "—" * 3 not in everything(s)


def test_markdown_dashes_under_prose_after_blank_line_stay_a_break() -> None:
    text = "# Title\n\nFirst scene ends.\n\n---\n\nSecond scene starts.\n"
    s = read(text, name="x.md")
    assert [type(b).__name__ for b in s.chapters[0].blocks] == [
        "Paragraph",
        "SceneBreak",
        "Paragraph",
    ]


def test_generic_html_byline_under_the_title() -> None:
    page = (
        "<html><body><h1>The Keeper's Lamp</h1><p>by gullwinged</p>"
        "<h2>Chapter 1: The Ladder</h2><p>The storm came in low.</p>"
        "<h2>Chapter 2: The Lamp</h2><p>The lamp lit at last.</p></body></html>"
    )
    s = read(page, name="lamp.html")
    assert (s.metadata.title, s.metadata.authors) == ("The Keeper’s Lamp", ("gullwinged",))
    assert [(c.number, c.title) for c in s.chapters] == [(1, "The Ladder"), (2, "The Lamp")]


# --------------------------------------------------------------------------- wrapping

WRAPPED_DIALOGUE = """The ferry left at six, and Maren was the last one aboard, as she had been
every morning for eleven years. The deckhand nodded at her. She nodded
back. Neither of them had ever said a word to the other.

"Cold," he said.

"Yes."

"Colder tomorrow."

She looked at him properly for the first time. He was younger than she had
thought, and there was a burn scar along his jaw that went down under the
collar of his coat.

"How do you know?"

"My knee," he said, and grinned.

The ferry shuddered away from the quay, and the town slid back into the fog
as if somebody were folding it up for the night.
"""


def test_hard_wrapped_text_with_short_dialogue_is_unwrapped() -> None:
    """Many one-line dialogue paragraphs do not hide that the prose is hard-wrapped."""
    s = read(WRAPPED_DIALOGUE)
    blocks = s.chapters[0].blocks
    assert all(isinstance(b, Paragraph) for b in blocks)
    texts = blocks_text(blocks)
    assert len(texts) == 8
    assert texts[0].endswith("said a word to the other.")
    assert texts[4].startswith("She looked at him properly") and texts[4].endswith("his coat.")


def test_block_text_with_a_short_poem_is_not_wrapped() -> None:
    text = (
        "The hall was quiet when the choir began, and nobody in the back rows moved.\n\n"
        "They sang the old harvest song, the one every child in the valley knew.\n\n"
        "Bring the barley, bring the rye,\nbring it in before July,\n"
        "bring the apples, bring the pears,\nleave the rest to the foxes' heirs.\n\n"
        "When it was over, Ada found she was crying and could not have said why.\n\n"
        "Her brother handed her his handkerchief without looking at her.\n\n"
        "It was clean, which surprised both of them more than the song had.\n"
    )
    s = read(text)
    assert [type(b).__name__ for b in s.chapters[0].blocks].count("Verse") == 1


# --------------------------------------------------------------------------- typography


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ('"\'Course not," he said.', "“’Course not,” he said."),
        ("'Allo 'allo!", "’Allo ’allo!"),
        ('She stopped..."Really?"', "She stopped...“Really?”"),
        ('He sighed"Fine," she said.', "He sighed“Fine,” she said."),
    ],
)
def test_quote_cases(raw: str, want: str) -> None:
    assert smart_quotes(raw) == want


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("I was going to--", "I was going to—"),
        ("--and then nothing.", "—and then nothing."),
        ("see http://example.org/a--b for more", "see http://example.org/a--b for more"),
    ],
)
def test_dash_cases(raw: str, want: str) -> None:
    assert smart_text(raw) == want


def test_dash_at_paragraph_end_before_emphasis() -> None:
    s = read('She said, "If you--"\n\nHe was going to--\n\n*Wait--*\n')
    texts = blocks_text(s.chapters[0].blocks)
    assert texts == ["She said, “If you—”", "He was going to—", "Wait—"]


# --------------------------------------------------------------------------- decoding

ENGLISH = (
    "“I can’t,” she said. The café was closed — again… Naïve of her, really.\n\n"
    "He shrugged. “Then we’ll walk to the harbour instead,” and they did.\n"
)


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman"])
@pytest.mark.parametrize("copies", [1, 4])
def test_western_legacy_encodings(encoding: str, copies: int) -> None:
    """Windows-1252 and Mac Roman English text decode exactly, short or long."""
    text = ENGLISH * copies
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize(
    "text",
    ["It’s fine.\n", "The café was closed.\n", "“No,” she said.\n", "Naïve — as ever.\n"],
)
def test_short_cp1252_files(text: str) -> None:
    assert decode(text.encode("cp1252")) == text


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman"])
@pytest.mark.parametrize(
    "sample", ["epigraph_verse.txt", "ffn_page_copy.txt", "plain_with_notes.txt"]
)
def test_our_samples_saved_in_legacy_encodings_read_the_same(sample: str, encoding: str) -> None:
    """Our samples re-saved as Windows-1252 or Mac Roman read exactly as the UTF-8 ones
    (charset-normalizer alone read some as Shift-JIS or code page 850)."""
    text = (SEEDS / sample).read_text(encoding="utf-8-sig")
    want = story_to_data(parse(text.encode("utf-8"), name=sample))
    assert story_to_data(parse(text.encode(encoding), name=sample)) == want


def test_utf8_file_with_one_stray_windows_1252_byte() -> None:
    """One legacy byte in a UTF-8 file spoils only that character, not the whole file."""
    good = ("“I can’t,” she said. The café was closed — again.\n\n" * 5).encode()
    text = decode(good + "He said it\u2019s fine.\n".encode("cp1252"))
    assert text.startswith("“I can’t,” she said. The café")
    assert text.endswith("He said it’s fine.\n")


def test_central_european_legacy_text_still_decodes() -> None:
    text = "Wiatr wiał przez całą noc. „To błąd”, powiedziała Zośka. Nikt nie spał.\n" * 3
    assert decode(text.encode("cp1250")) == text


def test_cyrillic_legacy_text_still_decodes() -> None:
    text = "Ветер дул всю ночь. «Это ошибка», — сказала Маша. Никто не спал.\n" * 3
    assert decode(text.encode("cp1251")) == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(encoding: str) -> None:
    text = "Chapter 1\n\n“It’s cold,” said Ana — café, naïve.\n\nThe wind came off the moor.\n"
    assert decode(text.encode(encoding)) == text


def test_chapter_files_joined_with_their_boms() -> None:
    """Chapter files joined end to end, each with a BOM and no blank line at its end."""
    one = codecs.BOM_UTF8 + b"Chapter 1\r\n\r\nThe wind came off the moor.\r\n"
    two = codecs.BOM_UTF8 + b"Chapter 2\r\n\r\nNobody slept.\r\n"
    s = parse(one + two, name="joined.txt")
    assert [c.number for c in s.chapters] == [1, 2]
    assert [chapter_text(c) for c in s.chapters] == ["The wind came off the moor.", "Nobody slept."]


def test_utf8_bom_and_crlf() -> None:
    data = codecs.BOM_UTF8 + "Chapter 1\r\n\r\nIt’s cold.\r\n".encode()
    s = parse(data, name="x.txt")
    assert [c.number for c in s.chapters] == [1]
    assert chapter_text(s.chapters[0]) == "It’s cold."


# --------------------------------------------------------------------------- inlines


def test_many_emphasis_spans_in_one_paragraph() -> None:
    """A paragraph with thousands of emphasised words does not overflow the stack."""
    line = "She *really* meant it. " * (sys.getrecursionlimit() + 500)
    inlines = parse_emphasis(line)
    assert sum(isinstance(n, Emph) for n in inlines) == sys.getrecursionlimit() + 500
    assert inline_text(inlines) == line.replace("*", "")


def test_unclosed_markers_are_linear() -> None:
    """Unclosed ``*`` or ``_`` markers cost linear time, not quadratic."""
    for unit in ("She *really meant it. ", "a _case of it. "):
        line = unit * 2000
        assert inline_text(parse_emphasis(line)) == line
        assert_linear(parse_emphasis, lambda k, u=unit: u * k, 2500)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("*a* and *b*", ["Emph", "Text", "Emph"]),
        ("**strong *inner* end**", ["Strong"]),
        ("snake_case_name stays", ["Text"]),
        ("2*3*4", ["Text"]),
        ("*one\ntwo*", ["Text"]),
        ("***both***", ["Strong"]),
        ("f***ing", ["Text"]),
    ],
)
def test_emphasis_shapes(raw: str, want: list[str]) -> None:
    assert [type(n).__name__ for n in parse_emphasis(raw)] == want


# --------------------------------------------------------------------------- whole files


def test_only_whitespace_is_an_empty_file() -> None:
    from fic2book.errors import Fic2BookError

    with pytest.raises(Fic2BookError, match="empty"):
        parse(b" \r\n\t\n" + NB.encode() + b"\n", name="blank.txt")


def test_detect_still_plain_for_dialogue_opening() -> None:
    text = '"Run."\n\nPell did not run. He stood in the doorway of the bakery.\n'
    assert detect(text, "x.txt") == "plain"
    s = read(text)
    assert blocks_text(s.chapters[0].blocks)[0] == "“Run.”"
    assert s.metadata.title == "Story"

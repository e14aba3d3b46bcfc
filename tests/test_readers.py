"""Each text dialect read from its fixture, asserted on the parsed tree.

The goldens in test_golden.py pin the whole tree; these tests state the parts that
matter most in words, so a regenerated golden cannot quietly accept a wrong reading.
"""

from __future__ import annotations

from conftest import FIXTURES, SEEDS
from fic2book import parse
from fic2book.model import Emph, Gap, Paragraph, SceneBreak, Strong, Text, Verse, inline_text
from fic2book.read.sites import detect
from tree import blocks_text, chapter_text, count, notes_text


def fx(name: str) -> str:
    return str(FIXTURES / name)


def test_dialects_are_detected() -> None:
    expected = {
        "ao3_text.txt": "ao3",
        "ffn_text.txt": "ffn",
        "header_text.txt": "header",
        "plain_notes.txt": "plain",
        "markdown.md": "markdown",
        "wrapped.txt": "plain",
        "verse.txt": "plain",
        "ao3_work.html": "html",
        "ao3_download.html": "html",
        "ffn_story.html": "html",
    }
    for name, dialect in expected.items():
        text = (FIXTURES / name).read_text(encoding="utf-8")
        assert detect(text, name) == dialect, name


def test_ao3_text() -> None:
    s = parse(fx("ao3_text.txt"))
    m = s.metadata
    assert (m.title, m.authors, m.fandoms, m.rating) == (
        "Night Owls",
        ("sparrowquill",),
        ("Starfall Academy",),
        "General Audiences",
    )
    assert (m.published, m.updated) == ("2019-10-02", "2019-10-20")
    assert ("Words", "402") in m.extra and ("Chapters", "2/?") in m.extra
    assert blocks_text(m.notes) == ["• Inspired by Letters by Wing by inkmoth"]
    one, two = s.chapters
    assert (one.number, one.title, two.number, two.title) == (1, "The Wrong Owl", 2, None)
    assert chapter_text(one).startswith("The owl Wren borrowed")
    assert chapter_text(one).endswith("still holding out envelopes.")
    assert count(s, SceneBreak) == 1 and count(s, Gap) == 0
    assert two.notes_before == ()
    assert notes_text(two.notes_after) == ["Sorry this one is short! Exams are eating me alive."]
    everything = "\n".join(chapter_text(c) for c in s.chapters)
    assert "Chapter Text" not in everything and "See the end" not in everything


def test_ffn_text() -> None:
    s = parse(fx("ffn_text.txt"))
    m = s.metadata
    assert (m.title, m.authors, m.fandoms, m.rating, m.language) == (
        "The Borrowed Broom",
        ("quietcomet",),
        ("Starfall Academy",),
        "K+",
        "en",
    )
    assert (m.status, m.published, m.tags) == ("Complete", "2010-03-14", ("Humor",))
    assert m.source_url == "https://www.fanfiction.net/s/5550123"
    one, two = s.chapters
    assert (one.title, two.title) == ("The Shed", "The Race")
    assert len(one.notes_before) == 1 and not notes_text(one.notes_before)[0].startswith("Auth")
    assert chapter_text(one).startswith("The broom shed behind the east lawn")
    assert chapter_text(one).endswith("deciding whether to like you.")
    assert [b.marker for b in one.blocks if isinstance(b, SceneBreak)] == ["oOo"]
    assert notes_text(two.notes_after)[0].startswith("Thanks for reading!")
    assert "Review" not in chapter_text(one).split("\n")


def test_header_text_keeps_a_mid_story_form_as_story() -> None:
    s = parse(fx("header_text.txt"))
    m = s.metadata
    assert (m.title, m.authors, m.rating) == ("Lighthouse Rules", ("Corrie Vane",), "K")
    assert ("World", "The Lantern Courts") in m.extra
    assert blocks_text(m.notes) == ["My first fic, be gentle!"]
    assert (m.completed, m.status) == ("2009-03-14", "Complete")
    assert ("Words", "430") in m.extra
    (chapter,) = s.chapters
    records = [b for b in chapter.blocks if isinstance(b, Verse) and b.role == "record"]
    assert [inline_text(line) for line in records[0].lines] == [
        "Name: Pip Farrow",
        "Age: 11",
        "Post: Lamp room",
    ]
    assert not any(label in ("Name", "Age", "Post") for label, _ in m.extra)
    strong = [
        n
        for b in chapter.blocks
        if isinstance(b, Paragraph)
        for n in b.inlines
        if isinstance(n, Strong)
    ]
    assert strong == [Strong((Text("never"),))]
    assert chapter_text(chapter).endswith("The light did not go out.")


def test_plain_text_opening_author_talk_and_typography() -> None:
    s = parse(fx("plain_notes.txt"))
    m = s.metadata
    assert len(m.notes) == 2 and len(m.disclaimer) == 1 and len(m.end_notes) == 1
    assert blocks_text(m.disclaimer) == ["nothing here is mine except Jonah and the van."]
    (chapter,) = s.chapters
    text = chapter_text(chapter)
    assert text.startswith("The van broke down forty miles outside Ashby")
    assert text.endswith("without being asked.")
    assert count(s, Gap) == 2 and count(s, SceneBreak) == 0
    paras = text.split("\n")
    assert any(p.startswith("“Grey") for p in paras)
    assert any(p.endswith("—”") for p in paras)
    assert "’80s" in text and "’em" in text and "…" in text and "--" not in text
    assert '"' not in text


def test_plain_text_no_smart_keeps_punctuation() -> None:
    s = parse(fx("plain_notes.txt"), smart=False)
    text = chapter_text(s.chapters[0])
    assert "--" in text and "..." in text and '"' in text


def test_markdown() -> None:
    s = parse(fx("markdown.md"))
    assert (s.metadata.title, s.metadata.authors) == ("The Map Room", ("Ines Albarran",))
    one, two = s.chapters
    assert (one.number, one.title, two.number, two.title) == (1, "Ink", 2, "Correction")
    assert sum(isinstance(b, Paragraph) for b in one.blocks) == 4
    assert count(s, SceneBreak) == 1
    text = chapter_text(one)
    assert "map_room_old" in text and "https://survey.example.org/archive/old_maps_index" in text
    emph = [
        inline_text(n.children)
        for c in s.chapters
        for b in c.blocks
        if isinstance(b, Paragraph)
        for n in b.inlines
        if isinstance(n, Emph)
    ]
    assert emph == ["storage", "different", "probably"]


def test_wrapped_text_with_indented_paragraphs() -> None:
    s = parse(fx("wrapped.txt"))
    assert (s.metadata.title, s.metadata.authors) == (
        "The Lamp at Hollin Ford",
        ("Aster Penhallow",),
    )
    one, two = s.chapters
    assert (one.title, two.title) == ("Part One", "Part Two")
    assert sum(isinstance(b, Paragraph) for b in one.blocks) == 4
    assert sum(isinstance(b, Paragraph) for b in two.blocks) == 1
    assert chapter_text(two).startswith("Hollin looked at the sky")
    assert "\n" not in chapter_text(two)


def test_epigraph_and_mid_story_verse() -> None:
    s = parse(fx("verse.txt"))
    (chapter,) = s.chapters
    verses = [b for b in chapter.blocks if isinstance(b, Verse)]
    assert [v.role for v in verses] == ["epigraph", "verse"]
    assert len(verses[0].lines) == 3 and len(verses[1].lines) == 4
    assert chapter.blocks[0] is verses[0]
    assert count(s, SceneBreak) == 1


def test_encodings_of_our_seeds() -> None:
    cp = parse(SEEDS / "legacy_cp1252.txt")
    text = chapter_text(cp.chapters[0])
    assert "é" in text and "\ufffd" not in text and "â€" not in text
    u16 = parse(SEEDS / "utf16_bom.txt")
    assert u16.metadata.title == "Seven Lanterns for Aunt Hesper"

"""Paragraph layout rules: separators, gaps, AO3 breaks, verse, records, wrapping."""

from fic2book.model import Gap, Paragraph, SceneBreak, Verse, inline_text
from fic2book.read.rules.paragraphs import blocks_from_lines, detect_layout

NB = "\u00a0"


def kinds(blocks: tuple[object, ...]) -> list[str]:
    return [type(b).__name__ for b in blocks]


def lines(text: str) -> list[str]:
    return text.split("\n")


def test_one_blank_line_separates_paragraphs() -> None:
    blocks = blocks_from_lines(lines("First one.\n\nSecond one.\n\nThird one."))
    assert kinds(blocks) == ["Paragraph"] * 3


def test_two_blank_lines_are_a_gap_when_one_is_usual() -> None:
    text = "A a.\n\nB b.\n\nC c.\n\n\nD d.\n\nE e."
    assert kinds(blocks_from_lines(lines(text))) == [
        "Paragraph",
        "Paragraph",
        "Paragraph",
        "Gap",
        "Paragraph",
        "Paragraph",
    ]


def test_two_blank_lines_are_normal_when_the_file_double_spaces() -> None:
    text = "A a.\n\n\nB b.\n\n\nC c.\n\n\n\nD d."
    assert kinds(blocks_from_lines(lines(text))) == [
        "Paragraph",
        "Paragraph",
        "Paragraph",
        "Gap",
        "Paragraph",
    ]


def test_ao3_nbsp_pattern_is_a_scene_break_and_lone_nbsp_a_gap() -> None:
    text = f"One.\n\n{NB}\n\n\n{NB}\n\nTwo.\n\n{NB}\n\nThree."
    blocks = blocks_from_lines(lines(text))
    assert kinds(blocks) == ["Paragraph", "SceneBreak", "Paragraph", "Gap", "Paragraph"]


def test_marker_line_is_a_scene_break_and_absorbs_gaps() -> None:
    text = "One.\n\n\n* * *\n\n\nTwo."
    blocks = blocks_from_lines(lines(text))
    assert kinds(blocks) == ["Paragraph", "SceneBreak", "Paragraph"]
    assert isinstance(blocks[1], SceneBreak) and blocks[1].marker == "* * *"


def test_consecutive_short_lines_in_a_spaced_file_are_verse() -> None:
    text = (
        "Prose here, long enough.\n\n"
        "Roses on the wall\nrain upon the sill\nnobody at all\n\nMore prose."
    )
    blocks = blocks_from_lines(lines(text))
    assert kinds(blocks) == ["Paragraph", "Verse", "Paragraph"]
    verse = blocks[1]
    assert isinstance(verse, Verse)
    assert [inline_text(ln) for ln in verse.lines] == [
        "Roses on the wall",
        "rain upon the sill",
        "nobody at all",
    ]


def test_long_consecutive_lines_are_separate_paragraphs_not_verse() -> None:
    long = "This line is a whole paragraph of prose that goes on well past any verse line. " * 2
    blocks = blocks_from_lines(lines(f"Start.\n\n{long}\n{long}\n\nEnd."))
    assert kinds(blocks) == ["Paragraph"] * 4


def test_label_value_paragraphs_are_one_record() -> None:
    text = "He read the card.\n\nName: Ilse\n\nAge: 31\n\nRank: Captain\n\nHe put it down."
    blocks = blocks_from_lines(lines(text))
    assert kinds(blocks) == ["Paragraph", "Verse", "Paragraph"]
    assert isinstance(blocks[1], Verse) and blocks[1].role == "record"
    assert [inline_text(ln) for ln in blocks[1].lines] == ["Name: Ilse", "Age: 31", "Rank: Captain"]


def test_two_label_paragraphs_stay_prose() -> None:
    text = "Note: this is prose.\n\nAge: eleven years.\n\nEnd."
    assert kinds(blocks_from_lines(lines(text))) == ["Paragraph"] * 3


def test_one_line_per_paragraph_files_treat_a_blank_line_as_a_gap() -> None:
    text = "\n".join(f"Sentence number {i} of the story." for i in range(8))
    text = text + "\n\nAfter the gap.\nAnd one more."
    layout = detect_layout(lines(text))
    assert layout.separator == 0
    blocks = blocks_from_lines(lines(text), layout)
    assert kinds(blocks) == ["Paragraph"] * 8 + ["Gap", "Paragraph", "Paragraph"]


def test_hard_wrapped_text_is_unwrapped() -> None:
    para = (
        "The road ran down to the sea between low stone walls, and the carter\n"
        "walked beside his horse because the hill was steep and the load was\n"
        "heavy with salt from the pans beyond the marsh at the river mouth.\n"
    )
    text = (para + "\n") * 3
    layout = detect_layout(lines(text))
    assert layout.wrapped
    blocks = blocks_from_lines(lines(text), layout)
    assert kinds(blocks) == ["Paragraph"] * 3
    assert isinstance(blocks[0], Paragraph)
    assert inline_text(blocks[0].inlines).startswith("The road ran down to the sea between low")
    assert "carter walked" in inline_text(blocks[0].inlines)


def test_indented_wrapped_text_splits_at_indents() -> None:
    text = (
        "    The first paragraph begins with an indent and goes on for a while\n"
        "until the line is cut near the right margin as old archives did it.\n"
        "    The second paragraph also starts indented, with no blank line at\n"
        "all between it and the one before, which is how many files look.\n"
    ) * 2
    layout = detect_layout(lines(text))
    assert layout.wrapped and layout.indented
    assert kinds(blocks_from_lines(lines(text), layout)) == ["Paragraph"] * 4


def test_edges_never_start_or_end_with_breaks_or_gaps() -> None:
    blocks = blocks_from_lines(lines(f"***\n\n\n\nOnly.\n\n\n\n{NB}\n\n\n{NB}"))
    assert kinds(blocks) == ["Paragraph"]
    assert not any(isinstance(b, Gap | SceneBreak) for b in blocks)


def test_markdown_quote_with_blank_quoted_lines_is_one_quote() -> None:
    from fic2book.model import BlockQuote
    from fic2book.read.rules.paragraphs import Layout

    text = "Before.\n\n> Dear Tam,\n>\n> The drawer is yours.\n>\n> Love\n\nAfter."
    layout = Layout(wrapped=True, markdown=True)
    blocks = blocks_from_lines(lines(text), layout)
    assert kinds(blocks) == ["Paragraph", "BlockQuote", "Paragraph"]
    quote = blocks[1]
    assert isinstance(quote, BlockQuote)
    assert kinds(quote.blocks) == ["Paragraph"] * 3

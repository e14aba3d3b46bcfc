"""The readers' ordered rule lists (``read/rules/ruler.py``)."""

from __future__ import annotations

import pytest

from fic2book.read.formats.markdown import MARKDOWN_RULES
from fic2book.read.formats.text import TEXT_RULES, TextState, read_text
from fic2book.read.rules.ruler import Ruler


def test_text_and_markdown_rules_run_in_their_documented_order() -> None:
    assert TEXT_RULES.names() == ["gutenberg", "header", "trailer", "title", "contents", "chapters"]
    assert MARKDOWN_RULES.names() == [
        "comments",
        "front matter",
        "clean",
        "sections",
        "byline",
        "chapters",
    ]


def test_a_rule_goes_in_by_name_and_leaves_the_list_it_came_from_alone() -> None:
    seen: list[str] = []

    def spy(state: TextState) -> None:
        seen.append(state.lines[0])

    ruler = TEXT_RULES.before("chapters", "spy", spy)
    assert ruler.names()[-2:] == ["spy", "chapters"]
    assert "spy" not in TEXT_RULES.names()
    draft = ruler.run(TextState(["Title: A", "", "Once there was a lamp."], header=True)).draft
    assert seen == ["Once there was a lamp."]  # after the header rule took the header
    assert draft.meta.text("title") == "A"
    assert TEXT_RULES.after("header", "spy", spy).names()[2] == "spy"


def test_leaving_a_rule_out_changes_the_reading() -> None:
    text = "Contents\nOne\nTwo\n\nOne\n\nThe story starts.\n\nTwo\n\nIt goes on.\n"
    with_contents = read_text(text, header=False)
    without = TEXT_RULES.without("contents").run(TextState(text.split("\n"), False)).draft
    assert len(without.chapters[0].blocks) > len(with_contents.chapters[0].blocks)


def test_rule_names_are_unique_and_known() -> None:
    with pytest.raises(ValueError, match="repeat"):
        Ruler([("a", print), ("a", print)])
    with pytest.raises(KeyError, match="no rule 'nope'"):
        TEXT_RULES.before("nope", "x", print)

"""Scene-break markers, line by line."""

import pytest

from fic2book.read.rules.breaks import is_nbsp_line, is_scene_break_line

BREAKS = [
    "***",
    "* * *",
    "~~~",
    "---",
    "xXx",
    "oOo",
    "-x-x-",
    "~*~",
    "⁂",
    "[scene break]",
    "Line break",
    "  * * *  ",
    "xxxxx",
    "o0o",
    "=====",
    "~~~***~~~",
    "-- Scene Break --",
    "*",
]
NOT_BREAKS = [
    "...",
    "…",
    '"..."',
    "?!",
    "Ox",
    "OK",
    "Hello",
    "—",
    "",
    "Break the door!",
    "xo",
    "It was a line break in the code.",
    "Oh",
]


@pytest.mark.parametrize("line", BREAKS)
def test_markers_are_breaks(line: str) -> None:
    assert is_scene_break_line(line)


@pytest.mark.parametrize("line", NOT_BREAKS)
def test_dialogue_and_words_are_not_breaks(line: str) -> None:
    assert not is_scene_break_line(line)


def test_nbsp_line() -> None:
    assert is_nbsp_line("\u00a0")
    assert is_nbsp_line(" \u00a0 ")
    assert not is_nbsp_line("   ")
    assert not is_nbsp_line("a\u00a0b")

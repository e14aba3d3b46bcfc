"""Emphasis markers in plain text."""

from fic2book.model import Emph, Strong, Text, inline_text
from fic2book.read.inlines import parse_emphasis


def test_star_and_underscore_emphasis() -> None:
    assert parse_emphasis("a *big* day") == (Text("a "), Emph((Text("big"),)), Text(" day"))
    assert parse_emphasis("a _big_ day") == (Text("a "), Emph((Text("big"),)), Text(" day"))


def test_double_star_is_strong() -> None:
    assert parse_emphasis("**Stop.**") == (Strong((Text("Stop."),)),)


def test_emphasis_across_words_and_nested() -> None:
    out = parse_emphasis("*I said **no** to him*")
    assert out == (Emph((Text("I said "), Strong((Text("no"),)), Text(" to him"))),)


def test_markers_inside_words_are_text() -> None:
    for text in ["snake_case_name", "2*3*4", "file_name_here.txt", "a * b * c"]:
        assert parse_emphasis(text) == (Text(text),), text


def test_urls_are_never_emphasised() -> None:
    text = "see https://example.org/a_b_c/*x*/ now"
    assert inline_text(parse_emphasis(text)) == text
    assert all(isinstance(n, Text) for n in parse_emphasis(text))


def test_unclosed_marker_is_kept() -> None:
    assert parse_emphasis("*sigh") == (Text("*sigh"),)

"""Reader rules run in time linear in their input (issue 10, "time and memory bounded
and linear"): each case below is a class of pattern that was quadratic (a lazy ``.*?``
or a ``\\s*``/``\\s+`` retried from every position of a long run, a ``[^x]*`` tried from
each of thousands of unclosed openers, a string grown piece by piece). Each test times
the rule on an input and on one four times longer: a linear rule takes about four
times as long, a quadratic one sixteen; the test allows eight, and a floor for timer
noise on inputs that take only milliseconds."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from fic2book.app.names import clean_part
from fic2book.model import Text
from fic2book.pipeline import parse
from fic2book.read.draft import MetaBuilder
from fic2book.read.formats.html.page import strip_site_name
from fic2book.read.formats.markdown import (
    drop_comment_lines,
    drop_comments,
    footnote_refs,
    inline_html_to_markdown,
)
from fic2book.read.inlines import merge_text
from fic2book.read.rules.notes import is_author_note
from fic2book.read.sites import archive, ffn
from fic2book.read.sites.ao3 import common as ao3_common
from fic2book.read.sites.ao3 import text as ao3
from fic2book.typography import french_spacing
from growth import assert_linear, assert_linear_growth


def _parse_md(text: str) -> object:
    return parse(f"# Title\n\n{text}\n\nThe end.\n".encode(), name="story.md")


# --------------------------------------------------------------------------- markdown


@pytest.mark.parametrize(
    ("label", "make", "n"),
    [
        ("spaces before an attribute list", lambda k: "Some words" + " " * k + "words.", 4000),
        ("heading attributes after many {#", lambda k: "## Chapter " + "{#" * k + "}", 3000),
        ("unclosed comments", lambda k: "Words <!--" * k, 1500),
        ("comment lines without a closing line", lambda k: "<!-- open\n" * k, 1500),
        ("closed comments with text after them", lambda k: "<!-- a --> b\n" * k, 600),
        ("footnote openers", lambda k: "Words [^" + "[^" * k, 2500),
        ("unclosed paragraph tags", lambda k: "<b>x</b> " + "<p " * k, 3000),
    ],
)
def test_markdown_reader_is_linear(label: str, make: Callable[[int], str], n: int) -> None:
    assert_linear(_parse_md, make, n)


def test_front_matter_keys_are_linear_on_spaces() -> None:
    story = parse(b"---\ntitle  : The Lamp\nauthor = Ann\n---\n\nText.\n", name="s.md")
    assert story.metadata.title == "The Lamp" and story.metadata.authors == ("Ann",)
    assert_linear(
        lambda s: parse(s.encode(), name="s.md"), lambda k: f"---\na{' ' * k}x\n---\n", 2500
    )


def test_markdown_helpers_keep_their_rules() -> None:
    """The string-method versions of the comment, footnote and tag rules read as the
    patterns they replace did."""
    assert drop_comments("a<!-- x -->b<!-- c") == "ab<!-- c"
    assert drop_comments("<!-->a-->b") == "b"
    text = "x\n  <!-- one\ntwo --> \nkeep <!-- inline -->\n<!-- a --> b\n<!-- c -->\nend"
    assert drop_comment_lines(text) == "x\nkeep <!-- inline -->\nend"
    assert drop_comment_lines("<!-- never closed\ntext\n") == "<!-- never closed\ntext\n"
    assert footnote_refs("a[^1] b[^x y] [^[^2] [^] [^3]") == "a[1] b[^x y] [[^2] [^] [3]"
    assert inline_html_to_markdown("<p>One <em>two</em></p><p x='y'>Three<br>  four") == (
        "\n\nOne *two*\n\nThree\\\nfour"
    )


# --------------------------------------------------------------------------- site readers


def test_ao3_inline_section_label_is_linear() -> None:
    match = ao3._SECTION_INLINE.match("Summary:  Mara fixes the lamp.   ")
    assert match is not None and match.group(2) == "Mara fixes the lamp."
    assert_linear(ao3._SECTION_INLINE.match, lambda k: "Summary: x" + " " * k + "x", 1000)


def test_ao3_sniffing_is_linear_on_blank_lines() -> None:
    assert ao3.looks_like_ao3("\n\n  Chapter Text\n\n\n Work Text:\n") >= 3
    assert_linear(ao3.looks_like_ao3, lambda k: "\n" * k + "x", 1000)


def test_ao3_stats_pairs_are_linear_on_a_long_word() -> None:
    assert ao3_common._STATS_PAIR.findall("Words: 1,200 Chapters:3/4") == [
        ("Words", "1,200"),
        ("Chapters", "3/4"),
    ]
    assert_linear(ao3_common._STATS_PAIR.findall, lambda k: "a" * k, 1000)


def test_ffn_old_description_is_linear() -> None:
    text = "Mara fixes the lamp.  Chapter 2 of a Lamp fanfic. More\nChapter 3 of x\nfanfic"
    assert ffn._drop_old_description(text) == "Mara fixes the lamp. More\nChapter 3 of x\nfanfic"
    assert_linear(ffn._drop_old_description, lambda k: "Chapter 1 of " * k, 300)
    assert_linear(ffn._drop_old_description, lambda k: "x" + " " * k + "x", 1000)


def test_ffn_old_title_is_linear() -> None:
    assert ffn._old_title("The Lamp Chapter 2, a Tea Shop fanfic | FanFiction") == (
        "The Lamp",
        "Tea Shop",
    )
    assert ffn._old_title("The Lamp, a  Tea  fan fiction") == ("The Lamp", "Tea")
    assert_linear(ffn._old_title, lambda k: "Lamp" + ", a " * k, 400)
    assert_linear(ffn._old_title, lambda k: "Lamp, a b" + "\u00a0" * k + "c", 1000)
    assert_linear(ffn._old_title, lambda k: "Lamp" + " " * k + "| FanFiction x", 1000)


def test_ffn_stats_line_is_linear_on_spaces() -> None:
    def read(line: str) -> MetaBuilder:
        meta = MetaBuilder()
        ffn.read_stats(line, meta)
        return meta

    assert_linear(read, lambda k: "Rated: T - English" + " " * k + "x", 1000)


def test_author_lists_and_crossover_crumbs_are_linear_on_spaces() -> None:
    def authors(value: str) -> object:
        meta = MetaBuilder()
        meta.add("authors", value)
        return meta

    assert authors("Ann and Bo & Cy").values["authors"] == ("Ann", "Bo", "Cy")
    assert_linear(authors, lambda k: "Ann" + "\u00a0" * k + "Bo", 1000)
    assert ffn._CROSSOVER.sub("", "Tea + Lamp Crossover") == "Tea + Lamp"
    assert_linear(lambda s: ffn._CROSSOVER.sub("", s), lambda k: "Tea" + "\u00a0" * k + "x", 1000)


def test_ffn_stats_line_and_pairings_are_linear() -> None:
    line = "Rated: T - English - Words: 1,200 - Reviews: 3"
    match = ffn.STATS_LINE.match(line)
    assert match is not None and match.group(1) == "T"
    assert_linear(ffn.STATS_LINE.match, lambda k: "Rated: T - " + " " * k + "x", 1000)

    def characters(part: str) -> MetaBuilder:
        meta = MetaBuilder()
        ffn._read_characters(part, meta)
        return meta

    assert characters("[Ann, Bo] Cy").values["relationships"] == ("Ann/Bo",)
    assert_linear(characters, lambda k: "[Ann, Bo] " + "[" * k, 1000)


def test_title_separators_are_linear_on_spaces() -> None:
    assert strip_site_name("The Lamp | FanFiction") == "The Lamp"
    assert_linear(strip_site_name, lambda k: "The" + "\u00a0" * k + "Lamp", 1000)
    assert_linear(archive._TITLE_SEPARATOR.split, lambda k: "The" + " " * k + "Lamp", 1000)


# --------------------------------------------------------------------------- text and names


def test_author_note_signals_are_linear() -> None:
    assert is_author_note("This belongs to its author, not me. Thanks for reading!")
    assert_linear(is_author_note, lambda k: "It belongs to " * k, 300)


def test_french_closing_quotes_are_linear_on_spaces() -> None:
    assert french_spacing("« Oui »") == "«\u202fOui\u202f»"
    assert_linear(french_spacing, lambda k: "Oui" + "\u00a0" * k + "non", 1000)


def test_file_names_are_linear_on_separators() -> None:
    assert clean_part("The Lamp _ - .") == "The Lamp"
    assert_linear(clean_part, lambda k: "_ " * k + "x", 1000)
    # A run inside the name, where a ``[_\- .]+$`` rule would start again at each
    # separator (the leading run above is cut before the trailing rule sees it).
    assert clean_part("a_ _ b") == "a_ _ b"
    assert_linear(clean_part, lambda k: "x" + "_ " * k + "x", 1000)


def test_merging_text_runs_is_linear() -> None:
    assert merge_text([Text("a"), Text(""), Text("b")]) == (Text("ab"),)
    small, large = [Text("ab")] * 10_000, [Text("ab")] * 80_000
    assert_linear_growth(lambda: merge_text(small), lambda: merge_text(large), 8)


# --------------------------------------------------------------------------- the measure


def test_growth_catches_a_quadratic_rule_too_quick_for_a_floor() -> None:
    """A planted quadratic rule (``\\s*`` tried again from each space of a run) takes
    milliseconds at these sizes, under the 0.05 s floor the old measure let pass; its
    growth gives it away. A linear rule on the same inputs passes."""
    quadratic = re.compile(r"\s*x\s*$")
    with pytest.raises(AssertionError, match="quadratic x64"):
        assert_linear(quadratic.search, lambda k: " " * k + "y", 400)
    assert_linear(re.compile(r"\s+y").search, lambda k: " " * k + "y", 400)


def test_growth_stops_an_exponential_rule() -> None:
    """A rule that would run for ages on the large input is stopped and fails."""
    exponential = re.compile(r"(x|xx)*y")
    with pytest.raises(AssertionError, match="stopped"):
        assert_linear(exponential.search, lambda k: "x" * k, 12)

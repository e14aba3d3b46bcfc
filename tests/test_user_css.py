"""The user's stylesheet (``--css``) kept to what parses: the rule (``cssparse``), the
one warning per file, and an EPUB made with broken CSS that EPUBCheck passes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from epubcheck_util import assert_valid_epub, java_available
from fic2book.cli import main
from fic2book.cssparse import keep_parsed

ROOT = Path(__file__).resolve().parent.parent

BROKEN = (
    "p { color: red } }} garbage ; q { color: blue }\n"  # garbage between rules
    "h1 { color: navy; margin 0; *zoom: 1; border: 1px solid }\n"  # bad declarations
    "@media screen { }} ; { color: red } em { font-weight: bold }\n"  # a bad block
    'blockquote { font-family: "unclosed\n; margin: 2em }\n'  # a bad string
    "p ) { color: green }\n"  # a bad selector
    "li { color: teal\n"  # an unclosed brace at the end
)


@pytest.mark.parametrize(
    ("css", "kept", "dropped"),
    [
        ("p { color: red", "p { color: red }\n", []),
        (
            "p { color: red } }} garbage ; q { color: blue }",
            "p { color: red }\n",
            ['line 1: "}} garbage ; q {…}"'],
        ),
        (
            "p { color: red; ;;: bad; margin 0; width: 3px }",
            "p { color: red; width: 3px }\n",
            ['line 1: ": bad"', 'line 1: "margin 0"'],
        ),
        (
            "@media screen { }} ; { color: red } }",
            "@media screen {\n}\n",
            ['line 1: "} ; {…}"'],
        ),
        ("h1 { color: red  h2 { color: blue }", "h1 {}\n", ['line 1: "color: red h2 {…}"']),
        ("p { color: red; em { color: blue } }", "p { color: red }\n", ['line 1: "em {…}"']),
        ("p$ % { color: red }\nq { }", "q {}\n", ['line 1: "p$ % {…}"']),
        ("@font-face;\np { --x: ; a: }", "p { --x: }\n", ['line 1: "@font-face"', 'line 2: "a:"']),
        ("a[href { color: red }", "", ['line 1: "[href"']),
        (
            "@keyframes k { from { color: red } half { color: blue } 50% { x: y } }",
            "@keyframes k {\n  from { color: red }\n  50% { x: y }\n}\n",
            ['line 1: "half {…}"'],
        ),
        ("p { color: red };\n", "p { color: red }\n", []),  # a stray ";" loses nothing
    ],
)
def test_keep_parsed_leaves_out_what_does_not_parse(
    css: str, kept: str, dropped: list[str]
) -> None:
    assert keep_parsed(css) == (kept, dropped)


def test_well_formed_css_is_kept_whole() -> None:
    css = (
        "p::first-letter, a[href^='x' i], p:is(.a, .b), p:not(.c) > q + r ~ s, ns|a, *|*,"
        " #id.cls:hover, li:nth-child(2n+1) { color: red !important }\n"
        "@media screen and (min-width: 30em) { p { margin: calc(100% - 2em) } }\n"
        "@page :first { margin: 1cm; @top-center { content: 'x' } }\n"
        '@import url(x.css) screen;\n@namespace epub "http://www.idpf.org/2007/ops";\n'
        ":root { --x: 1px } p { margin: var(--x) }\n"
    )
    kept, dropped = keep_parsed(css)
    assert dropped == []
    assert "ns|a, *|*, #id.cls:hover" in kept and "@top-center" in kept
    assert "!important" in kept and "@import url(x.css) screen;" in kept
    for sheet in sorted((ROOT / "styles").glob("*/*.css")):  # the themes' own CSS
        kept, dropped = keep_parsed(sheet.read_text(encoding="utf-8"))
        assert dropped == [], sheet
        assert keep_parsed(kept) == (kept, [])  # what is kept parses as it is


def test_broken_css_is_kept_to_its_parsed_rules() -> None:
    kept, dropped = keep_parsed(BROKEN)
    assert keep_parsed(kept) == (kept, [])
    assert kept.splitlines() == [
        "p { color: red }",
        "h1 { color: navy; border: 1px solid }",
        "@media screen {",
        "}",
        "em { font-weight: bold }",
        "blockquote { margin: 2em }",
        "li { color: teal }",
    ]
    assert dropped == [
        'line 1: "}} garbage ; q {…}"',
        'line 2: "margin 0"',
        'line 2: "*zoom: 1"',
        'line 3: "} ; {…}"',
        'line 4: "font-family: "unclosed"',
        'line 6: "p ) {…}"',
    ]


def test_css_nested_too_deep_is_left_out_whole() -> None:
    assert keep_parsed("@media{" * 50_000) == (
        "",
        ["the whole file (its blocks are nested too deep to read)"],
    )


def convert(tmp_path: Path, css: Path, *args: str) -> tuple[list[Path], list[str]]:
    """``convert`` a small story with ``--css``; the books and the warning lines."""
    story = tmp_path / "s.txt"
    story.write_text("Title: Styled\nAuthor: Wren\n\nSome words to style.\n", "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["convert", str(story), "--css", str(css), "-o", str(out), "-j", "1", *args]
    )
    assert result.exit_code == 0, result.output
    return sorted(out.glob("*.epub")), [w for w in result.stderr.splitlines() if "warning" in w]


def test_one_warning_per_file_names_what_was_left_out(tmp_path: Path) -> None:
    css = tmp_path / "broken.css"
    css.write_text(BROKEN, encoding="utf-8")
    _, warnings = convert(tmp_path, css)
    assert warnings == [
        f"fic2book: warning: {css}: left out, as it does not parse:"
        ' line 1: "}} garbage ; q {…}", line 2: "margin 0", line 2: "*zoom: 1",'
        ' line 3: "} ; {…}", line 4: "font-family: "unclosed" and 1 more'
    ]
    good = tmp_path / "good.css"
    good.write_text("p { color: red }\n", encoding="utf-8")
    assert convert(tmp_path, good)[1] == []
    assert convert(tmp_path, css, "-q")[1] == []


@pytest.mark.skipif(not java_available(), reason="java is not installed")
def test_an_epub_made_with_broken_css_passes_epubcheck(tmp_path: Path) -> None:
    css = tmp_path / "broken.css"
    css.write_text(BROKEN, encoding="utf-8")
    (book,), _ = convert(tmp_path, css, "-f", "epub")
    assert_valid_epub(book)
    with zipfile.ZipFile(book) as z:
        sheet = z.read("EPUB/styles/book.css").decode("utf-8")
    user = sheet.split("/* user css */")[1]
    assert "h1 { color: navy; border: 1px solid }" in user and "li { color: teal }" in user
    assert "garbage" not in user and "zoom" not in user

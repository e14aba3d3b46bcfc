"""One test per hostile-input rule outside the corpus: the CSS cleaner, theme folders,
the limits and the bounded reader, the memory ceiling, output files and folders, and
the regular-expression audit of every pattern in fic2book (``regex_audit.py``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import tinycss2
from click.testing import CliRunner

import regex_audit
from fic2book import limits
from fic2book.app.names import DEFAULT_TEMPLATE, BookNamer, render_name
from fic2book.app.output import write_atomic
from fic2book.cli import main
from fic2book.errors import Fic2BookError
from fic2book.model import Metadata
from fic2book.pipeline import build
from fic2book.read.formats import markdown
from fic2book.read.sites import ffn
from fic2book.themes import clean_css, load_theme, page_css_size, stylesheet
from growth import assert_linear

STORY = "Title: The Quay\nAuthor: Wren Halloway\n\nThe gulls counted Zanzibarquill twice.\n"
FIC2BOOK = [sys.executable, "-m", "fic2book.cli"]


def _remote_urls(css: str) -> list[str]:
    """Every non-``data:`` address a real CSS parser (tinycss2) sees, and every @import."""
    found: list[str] = []

    def walk(tokens: list[object]) -> None:
        for token in tokens:
            kind = getattr(token, "type", "")
            if kind == "url":
                found.append(token.value)  # type: ignore[attr-defined]
            if kind == "function":
                name = token.lower_name  # type: ignore[attr-defined]
                if name in ("url", "src", "image-set", "-webkit-image-set", "image"):
                    found.extend(
                        a.value
                        for a in token.arguments  # type: ignore[attr-defined]
                        if getattr(a, "type", "") == "string"
                    )
            if kind == "at-rule" and token.lower_at_keyword == "import":  # type: ignore[attr-defined]
                found.append("@import")
            for attr in ("content", "prelude", "arguments"):
                inner = getattr(token, attr, None)
                if isinstance(inner, list):
                    walk(inner)

    walk(tinycss2.parse_stylesheet(css))
    return [u for u in found if not u.strip().lower().startswith("data:")]


# --------------------------------------------------------------------------- CSS cleaner

SNEAKY_CSS = [
    "p { background: \\75 rl(http://127.0.0.1:9/a) }",
    "p { background: u\\72l(http://127.0.0.1:9/b) }",
    "p { background: \\55 RL(http://127.0.0.1:9/c) }",
    "p { background: url(h\\74tp://127.0.0.1:9/d) }",
    'p { background: url("h\\74tp://127.0.0.1:9/e") }',
    'p { background: image-set("http://127.0.0.1:9/f.png" 1x) }',
    "p { background: -webkit-image-set(url(http://127.0.0.1:9/g.png) 1x) }",
    'p { background: image-set(url("data:image/png;base64,AA") 1x, "http://127.0.0.1:9/h" 2x) }',
    '@import "http://127.0.0.1:9/i.css";',
    "@\\69mport url(http://127.0.0.1:9/j.css);",
    "@IMPORT 'http://127.0.0.1:9/k.css' screen;",
    '@font-face { font-family: X; src: url(http://127.0.0.1:9/l.woff2) format("woff2") }',
    '@font-face { font-family: X; src: src("http://127.0.0.1:9/m.woff2") }',
    "p { background: url(data:x( ) ; background: url(http://127.0.0.1:9/n) }",
    'p { background: url("data:x"), url( "http://127.0.0.1:9/o" ) }',
    "p { background: url(  http://127.0.0.1:9/p  ) }",
    "p { content: url(file:///etc/passwd) } q { cursor: url(/etc/passwd), auto }",
    "p { background: url(../../secret.png) }",
    "p { background: url(http://127.0.0.1:9/q\\)x) }",
    "p { background: ur\\l(http://127.0.0.1:9/r) }",
]


@pytest.mark.parametrize("css", SNEAKY_CSS)
def test_clean_css_leaves_nothing_a_parser_would_fetch(css: str) -> None:
    assert _remote_urls(css), "the case must fetch something before cleaning"
    cleaned, removed = clean_css(css)
    assert _remote_urls(cleaned) == []
    assert removed


def test_clean_css_keeps_data_uris_namespaces_and_the_rest() -> None:
    css = (
        '@namespace epub "http://www.idpf.org/2007/ops";\n'
        "p { background: url(data:image/gif;base64,R0lGOD) no-repeat; color: red }\n"
        'h1 { background: url("data:image/png;base64,AAAA") }\n'
        "a::after { content: 'url(http://x)' }\n"
    )
    cleaned, removed = clean_css(css)
    assert cleaned == css and removed == []


def test_clean_css_is_linear_on_unclosed_urls() -> None:
    out, _ = clean_css("p { b: " + "url(" * 1000)
    assert "url(url" not in out
    assert_linear(clean_css, lambda k: "p { b: " + "url(" * k, 25_000)


def test_user_css_too_large_is_one_clear_line(tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    css = tmp_path / "big.css"
    with css.open("w", encoding="utf-8") as handle:  # 40 MB, written in pieces
        chunk = "p { color: red }\n" * 65536
        for _ in range(40 * 1024 * 1024 // len(chunk) + 1):
            handle.write(chunk)
    result = CliRunner().invoke(
        main, ["convert", str(story), "--css", str(css), "-f", "pdf", "-o", str(tmp_path / "o")]
    )
    assert result.exit_code in (1, 2, 3)
    (line,) = result.stderr.strip().splitlines()
    assert "big.css" in line and "too large" in line and "FIC2BOOK_MAX_CSS_BYTES" in line
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())
    with pytest.raises(limits.LimitError, match="CSS"):
        build(fic2book_parse(story), "pdf", user_css=("p{}" * 400_000,))


def fic2book_parse(path: Path) -> object:
    from fic2book import parse

    return parse(path)


# --------------------------------------------------------------------------- theme folders


def _theme(folder: Path) -> Path:
    folder.mkdir()
    (folder / "theme.toml").write_text('name = "mine"\ninherit = "classic"\n', encoding="utf-8")
    return folder


def test_theme_file_linking_outside_the_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("/* Secret-Marker-Qx7 */ p { color: red }", encoding="utf-8")
    theme = _theme(tmp_path / "theme")
    (theme / "epub.css").symlink_to(secret)
    with pytest.raises(Fic2BookError, match="outside the theme folder"):
        stylesheet(load_theme(str(theme)), "epub")
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["convert", str(story), "--style", str(theme), "-o", str(tmp_path / "o")]
    )
    assert result.exit_code in (1, 3) and "outside the theme folder" in result.stderr
    assert "Traceback" not in result.output


def test_theme_file_linking_inside_the_folder_is_fine(tmp_path: Path) -> None:
    theme = _theme(tmp_path / "theme")
    (theme / "shared.css").write_text("p { color: teal }", encoding="utf-8")
    (theme / "epub.css").symlink_to(theme / "shared.css")
    assert "color: teal" in stylesheet(load_theme(str(theme)), "epub")


# --------------------------------------------------------------------------- limits


def test_read_bounded_refuses_special_files_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(Fic2BookError, match="FIFO"):
        limits.read_bounded(fifo)
    with pytest.raises(Fic2BookError, match="device"):
        limits.read_bounded(Path("/dev/zero"))
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(limits.LimitError, match="too large"):
        limits.read_bounded(big, 4096)
    assert limits.read_bounded(big, 5000) == b"x" * 5000


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIC2BOOK_MAX_CHAPTERS", "2")
    monkeypatch.setenv("FIC2BOOK_MAX_INPUT_BYTES", "3M")
    assert limits.current().chapters == 2
    assert limits.current().input_bytes == 3 * 1024 * 1024
    from fic2book import parse

    with pytest.raises(limits.LimitError, match=r"too many chapters.*FIC2BOOK_MAX_CHAPTERS"):
        parse(b"# T\n\n## One\n\nA.\n\n## Two\n\nB.\n\n## Three\n\nC.\n", name="x.md")
    monkeypatch.setenv("FIC2BOOK_MAX_CHAPTERS", "lots")
    with pytest.raises(Fic2BookError, match="FIC2BOOK_MAX_CHAPTERS"):
        limits.current()


def test_small_int_bounds_digit_runs() -> None:
    assert limits.small_int("42") == 42
    assert limits.small_int("7" * 5000) is None
    assert limits.small_int("") is None


def test_memory_ceiling_turns_a_runaway_into_memory_error() -> None:
    code = (
        "from fic2book.limits import apply_memory_ceiling\n"
        "print(apply_memory_ceiling(1536 * 1024 * 1024))\n"
        "try:\n    b = bytearray(3 * 1024 * 1024 * 1024)\nexcept MemoryError:\n"
        "    print('MemoryError')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.split() == [str(1536 * 1024 * 1024), "MemoryError"]


# --------------------------------------------------------------------------- output files


def test_output_symlink_is_replaced_never_written_through(tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere.dat"
    elsewhere.write_bytes(b"precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "The-Quay_Wren-Halloway.epub").symlink_to(elsewhere)
    result = CliRunner().invoke(main, ["convert", str(story), "-o", str(out), "--no-cover"])
    assert result.exit_code == 0, result.output
    assert elsewhere.read_bytes() == b"precious"
    book = out / "The-Quay_Wren-Halloway.epub"
    assert not book.is_symlink() and zipfile.is_zipfile(book)


def test_output_symlinked_to_the_input_leaves_the_input_alone(tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "The-Quay_Wren-Halloway.epub").symlink_to(story)
    result = CliRunner().invoke(main, ["convert", str(story), "-o", str(out), "--no-cover"])
    assert result.exit_code == 0, result.output
    assert story.read_text(encoding="utf-8") == STORY
    books = [p for p in out.iterdir() if not p.is_symlink() and p.suffix == ".epub"]
    assert len(books) == 1 and zipfile.is_zipfile(books[0])


def test_output_folder_symlink_writes_into_its_target(tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "out").symlink_to(real, target_is_directory=True)
    result = CliRunner().invoke(
        main, ["convert", str(story), "-o", str(tmp_path / "out"), "--no-cover"]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in real.iterdir() if p.suffix == ".epub"] == [
        "The-Quay_Wren-Halloway.epub"
    ]


def test_unwritable_output_folder_is_one_line_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(Fic2BookError, match=r"cannot write the book \(Permission denied\)"):
        write_atomic(tmp_path / "b.epub", b"data")
    assert list(tmp_path.iterdir()) == []


def test_full_disk_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))\n"
        "from fic2book.cli import main\n"
        f"sys.argv = ['fic2book', 'convert', {str(story)!r}, '-o', {str(out)!r}, '--no-cover']\n"
        "main()\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    (line,) = run.stderr.strip().splitlines()
    assert "cannot write the book" in line and "Traceback" not in run.stderr
    assert list(out.iterdir()) == []


def test_two_converts_into_one_folder_make_whole_books(tmp_path: Path) -> None:
    stories = []
    for i in range(4):
        path = tmp_path / f"s{i}.txt"
        path.write_text(STORY.replace("The Quay", f"Quay {i}") + "More words.\n" * 50)
        stories.append(str(path))
    out = tmp_path / "out"
    cmd = ["convert", *stories, "-o", str(out), "-q", "--no-cover", "-f", "epub", "-f", "html"]
    procs = [
        subprocess.Popen([sys.executable, "-c", "from fic2book.cli import main; main()", *cmd])
        for _ in range(2)
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    names = sorted(p.name for p in out.iterdir() if p.suffix in (".epub", ".html"))
    assert len(names) == 8 and not any(n.startswith(".") for n in names)
    for name in names:
        if name.endswith(".epub"):
            with zipfile.ZipFile(out / name) as z:
                assert z.testzip() is None
        else:
            assert (out / name).read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_hostile_titles_give_safe_names(tmp_path: Path) -> None:
    titles = ["a\x00b/c\\d\n..", "../../etc/passwd", "\u202egpj.exe", "CON", "com1", "ß" * 300]
    namer = BookNamer(tmp_path)
    for title in titles:
        (stem,) = render_name(DEFAULT_TEMPLATE, Metadata(title=title), "s")
        assert not set(stem) & set("/\\\x00\n\u202e") and not stem.startswith("."), stem
        assert stem.upper() not in {"CON", "COM1"} and len(stem.encode()) < 200
        (path,) = namer.paths_for(Metadata(title=title), "s", [".epub"])
        assert path.parent == tmp_path


def test_page_size_carrying_css_is_one_error_line(tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text(STORY, encoding="utf-8")
    bad = "A5; } body { background: url(http://127.0.0.1:9/) } @page { size: A4"
    result = CliRunner().invoke(
        main, ["convert", str(story), "-f", "pdf", "--page-size", bad, "-o", str(tmp_path / "o")]
    )
    assert result.exit_code in (1, 2, 3)
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("fic2book: page size") and "Usage" not in result.output
    with pytest.raises(Fic2BookError):
        page_css_size(bad)
    with pytest.raises(Fic2BookError):
        page_css_size("a" + " " * 100_000 + "x landscape!")

    def refused(value: str) -> None:
        with pytest.raises(Fic2BookError):
            page_css_size(value)

    assert_linear(refused, lambda k: "a" + " " * k + "x landscape!", 12_500)


# --------------------------------------------------------------------------- regex audit

# Patterns that grow faster than linearly on their own but whose callers give them only
# text they read in linear time; each names the guard and the test that times the
# guarded caller on the input that would be quadratic without it.
GUARDED = {
    markdown._HEADING_ATTRS.pattern: (
        "_sub_trailing runs it only after the last '}' but one",
        "test_markdown_reader_is_linear",
    ),
    markdown._HTML_TAG.pattern: (
        "run only up to the text's last '>' (_up_to_last_tag_end)",
        "test_markdown_reader_is_linear",
    ),
    r"</?p\b[^>]*>": (
        "one of _INLINE_TAGS, run only up to the text's last '>' (_sub_tags)",
        "test_markdown_reader_is_linear",
    ),
    ffn._OLD_TITLE_FANDOM.pattern: (
        "used only for a title of several lines; the one caller passes text_of(<title>),"
        " one line, which _old_title_fandom reads without it",
        "test_ffn_old_title_is_linear",
    ),
    r"\[([^\]]+)\]": (
        "_read_characters runs it only up to the last ']', so each '[' finds its ']'",
        "test_ffn_stats_line_and_pairings_are_linear",
    ),
}
# Inline calls whose pattern the syntax walk cannot read (f-strings inside functions),
# read by a person: neither can be retried from each position of a run.
READ_BY_HAND = {
    "fic2book/read/rules/headings.py: "
    + r"""re.match(f"({'|'.join(_TENS)})[\\s-]?(\\w*)$", t)""": (
        "anchored at the start, one pass: a tens word, one separator, a word"
    ),
    "fic2book/read/sites/ao3/text.py: " + r"""re.search(f'\\b{label}:\\s*(\\S+)', flat)""": (
        "a literal label starts each try; the spaces and the word after it are read once"
    ),
}


@pytest.mark.slow
def test_every_regex_grows_linearly_on_long_runs() -> None:
    """The rule: no pattern of fic2book, module-level or inline, may grow faster than
    linearly on long runs of the characters that start markdown, bylines, breaks and
    quotes, after any usual prefix (``regex_audit.py``: a screen, then the growth from
    1,000 characters to 8,000 on the texts the screen picks)."""
    found = regex_audit.all_patterns()
    assert len(found) > 200
    problems = [
        problem
        for item in found
        if item.pattern.pattern not in GUARDED
        for problem in regex_audit.super_linear(item)
    ]
    assert problems == []


def test_the_regex_audit_reads_inline_patterns() -> None:
    source = (
        "import re\n"
        "X = re.compile(f'{A}+')\n"
        "def f(text, label):\n"
        "    re.search(r'\\s*x\\s*$', text)\n"
        "    re.sub(b'a+', b'', text, flags=re.I | re.M)\n"
        "    for word, weight in (('one', 1), ('two', 2)):\n"
        "        re.findall(word, text)\n"
        "    re.match(f'{label}:', text)\n"
    )
    found, unread = regex_audit.inline_patterns_in(source, "m.py")
    assert [(f.where, f.pattern.pattern, f.pattern.flags & 0xFF, f.methods) for f in found] == [
        ("m.py:4", r"\s*x\s*$", re.U, ("search",)),
        ("m.py:5", b"a+", re.I | re.M, ("sub",)),
        ("m.py:7", "one", re.U, ("findall",)),
        ("m.py:7", "two", re.U, ("findall",)),
    ]
    assert unread == ["m.py:8: re.match(f'{label}:', text)"]
    # The walk reads the source of fic2book itself: an inline pattern is in the audit.
    inline = {f.pattern.pattern for f in regex_audit.inline_patterns()}
    assert r"\s*(=+|-+)\s*" in inline  # paragraphs._is_setext
    assert sorted(READ_BY_HAND) == regex_audit.unread_inline_patterns()


@pytest.mark.parametrize(
    "planted",
    [r"\s*x\s*$", r"<p\b[^>]*>", r"_*_{2}y"],
    ids=["spaces-before-an-end", "unclosed-openers", "underscores"],
)
def test_the_regex_audit_catches_a_planted_quadratic_pattern(planted: str) -> None:
    found = regex_audit.Found("planted", re.compile(planted))
    assert regex_audit.super_linear(found), f"the audit let {planted!r} pass"


def test_the_regex_audit_stops_and_catches_an_exponential_pattern() -> None:
    found = regex_audit.Found("planted", re.compile(r"^(?:a|aa)*b"))
    assert regex_audit.super_linear(found, hang_guard=0.5)


def test_the_regex_audit_passes_linear_patterns() -> None:
    for planted in (r"\s+x", r"(?<!\s)\s+x", r"<[^<>]*>", r"\bby\s+(\w+)"):
        found = regex_audit.Found("planted", re.compile(planted))
        assert regex_audit.super_linear(found) == [], planted


def test_guarded_patterns_are_real_and_timed_through_their_callers() -> None:
    import test_regex_linear

    patterns = {f.pattern.pattern for f in regex_audit.all_patterns()}
    for pattern, (_, test) in GUARDED.items():
        assert pattern in patterns, f"{pattern!r} is no longer in fic2book"
        assert callable(getattr(test_regex_linear, test, None)), test

"""Themes: inheritance, the fixed cascade, options, and shipping inside the wheel."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from fic2book.errors import Fic2BookError
from fic2book.themes import builtin_names, load_theme, resolve_vars, stylesheet


def test_three_builtin_themes_inherit_base() -> None:
    assert builtin_names() == ["classic", "large-print", "sans"]
    for name in builtin_names():
        theme = load_theme(name)
        assert [f.name for f in theme.chain] == ["base", name]
        assert theme.description


def test_child_options_override_parent() -> None:
    base = load_theme("base").options
    large = load_theme("large-print").options
    assert set(base) <= set(large)
    assert large["font-size"] != base["font-size"]


def test_cascade_order_and_user_css_last() -> None:
    theme = load_theme("sans")
    css = stylesheet(theme, "screen", user_css=("p { color: red }",))
    book = (ROOT / "styles/base/book.css").read_text()[:200]
    own = (ROOT / "styles/sans/theme.css").read_text()[:200]
    screen = (ROOT / "styles/base/screen.css").read_text()[:200]
    positions = [css.index(book), css.index(own), css.index(screen), css.index("color: red")]
    assert positions == sorted(positions)
    assert css.startswith(":root {") and "--font-body:" in css


def test_epub_css_has_no_custom_properties_left() -> None:
    for name in builtin_names():
        css = stylesheet(load_theme(name), "epub")
        assert "var(" not in css, name
        assert "--font-body" not in css


def test_every_var_is_defined_by_base() -> None:
    defined = set(load_theme("base").options)
    for css_file in (ROOT / "styles").glob("*/*.css"):
        used = set(re.findall(r"var\(\s*--([\w-]+)", css_file.read_text()))
        assert used <= defined, (css_file.name, used - defined)


def test_page_size_rewrites_the_marked_line() -> None:
    css = stylesheet(load_theme("classic"), "print", page_size="6x9")
    assert "size: 6in 9in; /* page-size */" in css


def test_resolve_vars_keeps_unknown_names() -> None:
    assert resolve_vars("a{b:var(--x);c:var(--y)}", {"x": "1"}) == "a{b:1;c:var(--y)}"


def test_unknown_theme_and_theme_folder(tmp_path: Path) -> None:
    with pytest.raises(Fic2BookError, match="no theme 'nope'"):
        load_theme("nope")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "theme.toml").write_text(
        'name = "mine"\ndescription = "Mine."\ninherit = "classic"\n[options]\n'
        'font-body = "Mine Serif, serif"\n'
    )
    (mine / "theme.css").write_text("h1 { letter-spacing: 0.1em }")
    theme = load_theme(str(mine))
    assert [f.name for f in theme.chain] == ["base", "classic", "mine"]
    css = stylesheet(theme, "epub")
    assert "Mine Serif, serif" in css and "letter-spacing: 0.1em" in css


def test_inheritance_loop_is_an_error(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "theme.toml").write_text(f'name = "a"\ninherit = "{b}"\n')
    (b / "theme.toml").write_text(f'name = "b"\ninherit = "{a}"\n')
    with pytest.raises(Fic2BookError, match="loops"):
        load_theme(str(a))


def test_default_theme_loads_from_an_installed_wheel(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("fic2book-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "fic2book/styles/classic/theme.toml" in names
    assert "fic2book/styles/base/print.css" in names
    probe = (
        "import fic2book.themes as t; th = t.load_theme(); "
        "print(t.__file__); print(th.name, len(t.stylesheet(th, 'epub')) > 1000)"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(wheel)!r}); {probe}"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split("\n")
    assert out[0].startswith(str(wheel)), out
    assert out[1] == "classic True"

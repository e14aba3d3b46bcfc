"""What an installed fic2book offers beyond its commands: ``python -m fic2book``,
``--version`` naming the engines, shell completion through the console script, and one
clear line (not a traceback) when the system's Pango, which PDF needs, is missing."""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import fic2book
from fic2book.app.info import ENGINES
from fic2book.cli import main
from fic2book.errors import Fic2BookError

SCRIPT = Path(sys.executable).with_name("fic2book")
"""The console script ``pip install`` made beside this Python."""
STORY = "Title: The Lamp\nAuthor: Wren\n\nIt was dark.\n\n* * *\n\nIt was light.\n"
MISSING_PANGO = (
    "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object"
    " file: No such file or directory.  Additionally, ctypes.util.find_library() did not"
    " manage to locate a library called 'libpango-1.0-0'"
)
"""The ``OSError`` WeasyPrint's import raises on a machine without Pango."""
BANNER = "WeasyPrint could not import some external libraries."
"""The start of what WeasyPrint prints on standard output before raising it."""


def run(
    args: Sequence[str], env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A command run in a folder of its own, with this environment plus ``env``."""
    return subprocess.run(
        list(args),
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_python_m_fic2book_is_the_command_line(tmp_path: Path) -> None:
    story = tmp_path / "lamp.txt"
    story.write_text(STORY, encoding="utf-8")
    done = run([sys.executable, "-m", "fic2book", "inspect", str(story)])
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == ["The Lamp", "by Wren"]
    usage = run([sys.executable, "-m", "fic2book", "--help"])
    assert usage.stdout.startswith("Usage: fic2book ")


def test_version_names_fic2book_python_and_every_engine() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"fic2book {fic2book.__version__}"
    assert lines[1].startswith("Python 3.")
    assert lines[2].startswith("Engines: ")
    named = dict(e.rsplit(" ", 1) for e in lines[2].removeprefix("Engines: ").split(", "))
    assert named == {name: version(name) for name in ENGINES}


@pytest.mark.parametrize(
    ("shell", "marks"),
    [
        ("bash", ["_fic2book_completion()", "complete -o nosort -F _fic2book_completion fic2book"]),
        ("zsh", ["#compdef fic2book", "_fic2book_completion()"]),
        ("fish", ["function _fic2book_completion", "complete --no-files --command fic2book"]),
    ],
)
def test_console_script_prints_its_completion_script(shell: str, marks: list[str]) -> None:
    done = run([str(SCRIPT)], {"_FIC2BOOK_COMPLETE": f"{shell}_source"})
    assert done.returncode == 0, done.stderr
    for mark in marks:
        assert mark in done.stdout


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("fic2book con", ["convert"]),
        ("fic2book convert --no-c", ["--no-cover", "--no-credit", "--no-colophon"]),
        ("fic2book convert --notes ", ["keep", "end", "drop"]),
        ("fic2book anthology --style ", ["classic", "large-print", "sans"]),
        ("fic2book convert -f k", ["kepub"]),
    ],
)
def test_completion_completes_commands_options_and_values(words: str, expected: list[str]) -> None:
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {"_FIC2BOOK_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    done = run([str(SCRIPT)], env)
    assert done.returncode == 0, done.stderr
    assert [line.split(",", 1)[1] for line in done.stdout.splitlines()] == expected


# --------------------------------------------------------------------------- no Pango


@pytest.fixture
def no_pango(monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing WeasyPrint fails as it does without Pango: its banner on standard
    output, then the ``OSError`` (even when it is already loaded in this process)."""
    real = builtins.__import__

    def fake(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint" or name.startswith("weasyprint."):
            print(f"\n-----\n\n{BANNER} Please carefully follow the installation steps\n")
            raise OSError(MISSING_PANGO)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)


def one_line_about_pango(result: Any) -> str:
    """The run's only output: one error line naming what to install."""
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line: str = lines[0]
    assert line.startswith("fic2book: PDF needs the Pango library (cannot load libpango-1.0-0)")
    for what in ("apt install libpango-1.0-0 libpangoft2-1.0-0", "brew install pango"):
        assert what in line
    assert BANNER not in result.output and "Traceback" not in result.output
    return line


@pytest.mark.usefixtures("no_pango")
def test_convert_without_pango_is_one_line_and_status_3(tmp_path: Path) -> None:
    story = tmp_path / "lamp.txt"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    args = ["convert", str(story), "-f", "epub", "-f", "pdf", "-o", str(out), "-j", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3
    one_line_about_pango(result)
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.usefixtures("no_pango")
def test_anthology_without_pango_is_one_line_and_status_3(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(STORY.replace("Lamp", name), encoding="utf-8")
    target = tmp_path / "out" / "volume.pdf"
    args = ["anthology", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(target)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3
    one_line_about_pango(result)
    assert not target.exists()


@pytest.mark.usefixtures("no_pango")
def test_without_pango_the_other_formats_are_still_made(tmp_path: Path) -> None:
    story = tmp_path / "lamp.txt"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    args = ["convert", str(story), "-f", "epub", "-f", "html", "-f", "kepub", "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "-j", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "The-Lamp_Wren.epub",
        "The-Lamp_Wren.html",
        "The-Lamp_Wren.kepub.epub",
    ]


@pytest.mark.usefixtures("no_pango")
def test_library_build_without_pango_raises_the_same_error(tmp_path: Path) -> None:
    story = tmp_path / "lamp.txt"
    story.write_text(STORY, encoding="utf-8")
    with pytest.raises(Fic2BookError, match=r"^PDF needs the Pango library .*brew install pango"):
        fic2book.build(fic2book.parse(story), "pdf")

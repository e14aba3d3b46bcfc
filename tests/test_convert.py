"""`fic2book convert` and `fic2book styles`: naming, batches, bad inputs, atomic writes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from fic2book.app.names import DEFAULT_TEMPLATE, BookNamer, render_name
from fic2book.app.output import write_atomic
from fic2book.cli import main
from fic2book.model import Metadata


def books(folder: Path) -> list[str]:
    """The books in an output folder (not the hidden incremental cache)."""
    return [p.name for p in folder.iterdir() if not p.name.startswith(".")]


def test_names_are_words_and_never_empty() -> None:
    def stem(meta: Metadata, *, ascii_only: bool = False) -> str:
        return render_name(DEFAULT_TEMPLATE, meta, "s", ascii_only=ascii_only)[-1]

    assert stem(Metadata(title="Ferrymen Don’t Sing!")) == "Ferrymen-Dont-Sing"
    assert stem(Metadata(title="Café au lait"), ascii_only=True) == "Cafe-au-lait"
    assert stem(Metadata(title="日本語", authors=("山田",))) == "日本語_山田"
    assert stem(Metadata(title="★★★")) != stem(Metadata(title="☆☆☆"))
    assert re.fullmatch(r"Untitled-[0-9a-f]{8}", stem(Metadata(title="★★★")))
    assert stem(Metadata(title="The Salt Road", authors=("Wren Halloway",))) == (
        "The-Salt-Road_Wren-Halloway"
    )
    assert stem(Metadata(title=None)) == "Untitled"


def test_namer_never_repeats_and_never_takes_an_input(tmp_path: Path) -> None:
    meta = Metadata(title="Same")
    reserved = tmp_path / "Same.epub"
    namer = BookNamer(tmp_path, reserved={reserved})
    assert namer.paths_for(meta, "s", [".epub"])[0].name == "Same-2.epub"
    assert namer.paths_for(meta, "s", [".epub"])[0].name == "Same-3.epub"
    assert namer.paths_for(meta, "s", [".pdf"])[0].name == "Same.pdf"


@pytest.mark.epubcheck_skip("placeholder bytes under a book's name: the test is about the write")
def test_write_atomic_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "book.epub"
    target.write_bytes(b"old")

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, b"new book")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["book.epub"]


def test_convert_batch_keeps_going_after_a_bad_file(tmp_path: Path) -> None:
    good = FIXTURES / "ao3_text.txt"
    bad = FIXTURES / "not_text.bin"
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out"
    before = bad.read_bytes(), good.read_bytes()
    result = CliRunner().invoke(
        main,
        [
            "convert",
            str(bad),
            str(good),
            str(missing),
            "--output",
            str(out),
            "--format",
            "epub",
            "--format",
            "html",
        ],
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert sorted(books(out)) == [
        "Night-Owls_sparrowquill.epub",
        "Night-Owls_sparrowquill.html",
    ]
    errors = [ln for ln in result.output.splitlines() if ln.startswith("fic2book:")]
    assert len(errors) == 2
    assert str(bad) in errors[0] and "not a text file" in errors[0]
    assert str(missing) in errors[1]
    assert (bad.read_bytes(), good.read_bytes()) == before
    with zipfile.ZipFile(out / "Night-Owls_sparrowquill.epub") as z:
        assert z.namelist()[0] == "mimetype"


def test_convert_same_title_twice_makes_two_books(tmp_path: Path) -> None:
    story = tmp_path / "a.txt"
    story.write_text("Title: Twin\n\nOne.\n", encoding="utf-8")
    other = tmp_path / "b.txt"
    other.write_text("Title: Twin\n\nTwo.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["convert", str(story), str(other), "-o", str(out), "-f", "html"]
    )
    assert result.exit_code == 0, result.output
    names = sorted(books(out))
    assert names == ["Twin-2.html", "Twin.html"]
    assert "One." in (out / "Twin.html").read_text() and "Two." in (out / "Twin-2.html").read_text()


def test_convert_a_folder_and_options(tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "x.txt").write_text("Title: Xs\nA/N: hello readers\n\nStory.\n\nMore.\n")
    (folder / ".hidden.txt").write_text("Title: Hidden\n\nNo.\n")
    (folder / "notes.json").write_text("{}")
    css = tmp_path / "mine.css"
    css.write_text("p { color: rebeccapurple; }")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "convert",
            str(folder),
            "-o",
            str(out),
            "-f",
            "html",
            "--notes",
            "drop",
            "--css",
            str(css),
            "--style",
            "sans",
            "--title",
            "Renamed",
            "--no-cover",
        ],
    )
    assert result.exit_code == 0, result.output
    page = (out / "Renamed.html").read_text()
    assert "rebeccapurple" in page and "hello readers" not in page and "<img" not in page
    assert books(out) == ["Renamed.html"]


def test_unknown_style_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["convert", str(FIXTURES / "verse.txt"), "-o", str(tmp_path), "--style", "nope"]
    )
    assert result.exit_code == 3  # nothing could be done
    assert len(result.output.strip().splitlines()) == 1
    assert "no theme 'nope'" in result.output


def test_styles_lists_the_themes() -> None:
    result = CliRunner().invoke(main, ["styles"])
    assert result.exit_code == 0
    names = [line.split(":")[0] for line in result.output.splitlines()]
    assert names == ["classic (default)", "large-print", "sans"]
    assert all(len(line.split(": ", 1)[1]) > 10 for line in result.output.splitlines())

"""The command line: inspect's summary and JSON, and its one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fic2book.cli import main

STORY = "Title: The Lamp\nAuthor: Wren\nRating: G\n\nIt was dark.\n\n* * *\n\nIt was light.\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_inspect_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["inspect", str(write(tmp_path, "s.txt", STORY))])
    assert result.exit_code == 0
    out = result.output.splitlines()
    assert out[0] == "The Lamp"
    assert out[1] == "by Wren"
    assert "Rating: G" in out
    assert any("1 scene break" in line for line in out)


def test_inspect_json_is_the_tree(tmp_path: Path) -> None:
    path = write(tmp_path, "s.txt", STORY)
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["inspect", "--json", str(path)])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["type"] == "Story"
    assert data["metadata"]["title"] == "The Lamp"
    kinds = [b["type"] for b in data["chapters"][0]["blocks"]]
    assert kinds == ["Paragraph", "SceneBreak", "Paragraph"]
    assert data["stats"]["scene_breaks"] == 1
    assert path.read_bytes() == before


def test_inspect_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, "s.txt", STORY)
    result = CliRunner().invoke(
        main, ["inspect", "--json", "--title", "Other", "--author", "Kit", str(path)]
    )
    data = json.loads(result.output)
    assert data["metadata"]["title"] == "Other"
    assert data["metadata"]["authors"] == ["Kit"]


def test_errors_are_one_line_and_exit_1(tmp_path: Path) -> None:
    runner = CliRunner()
    for path, reason in [
        (write(tmp_path, "pic.txt", b"\x89PNG\r\n\x1a\n\x00\x00"), "not a text file"),
        (write(tmp_path, "empty.txt", b""), "empty"),
        (tmp_path / "missing.txt", "no such file"),
    ]:
        result = runner.invoke(main, ["inspect", str(path)])
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and reason in lines[0]
        assert "Traceback" not in result.output


PAGE_SIZE_WARNING = "--page-size A4 changes only PDF books, and none is asked for"


def page_size_run(tmp_path: Path, command: str, *args: str) -> tuple[int, list[str]]:
    """``command`` over two small stories with ``--page-size A4`` and ``args``; the exit
    status and the warning lines about the page size."""
    tmp_path.mkdir(exist_ok=True)
    stories = [write(tmp_path, f"s{n}.txt", STORY) for n in (1, 2)]
    out = ["-o", str(tmp_path / ("v.epub" if command == "anthology" else "out"))]
    result = CliRunner().invoke(
        main, [command, *map(str, stories), "--page-size", "A4", *out, *args]
    )
    lines = [line for line in result.stderr.splitlines() if "--page-size" in line]
    return result.exit_code, lines


@pytest.mark.parametrize("command", ["convert", "anthology"])
def test_page_size_without_a_pdf_is_said_once(tmp_path: Path, command: str) -> None:
    code, lines = page_size_run(tmp_path, command, "-f", "epub", "-f", "html")
    assert code == 0
    assert lines == [f"fic2book: warning: {PAGE_SIZE_WARNING}"]


@pytest.mark.parametrize("command", ["convert", "anthology"])
def test_page_size_is_not_said_with_a_pdf_or_quiet(tmp_path: Path, command: str) -> None:
    assert page_size_run(tmp_path / "pdf", command, "-f", "epub", "-f", "pdf") == (0, [])
    assert page_size_run(tmp_path / "quiet", command, "-f", "epub", "-q") == (0, [])

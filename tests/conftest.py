"""Shared test helpers: paths, the golden-file flag, text normalisation, and EPUBCheck
on every EPUB the tests write.

Every ``.epub`` file (kepubs included) a test leaves under pytest's temporary folders
goes through EPUBCheck in one batch, one Java start, when the session ends; an error or
warning fails the session, naming the file (its folder names the test that wrote it).
A test that writes a broken EPUB on purpose says so with
``@pytest.mark.epubcheck_skip("why")``, and its ``tmp_path`` is left out.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT / "seeds"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"

_FOLD = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "…": "...", "\u00a0": " "}
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite the golden JSON files beside the reader fixtures",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def fold(text: str) -> str:
    """Text compared without typography: straight quotes, hyphens, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    text = text.replace("--", "-")
    return re.sub(r"\s+", " ", text).strip()


_LEFT_OUT: set[Path] = set()
"""The ``tmp_path`` of each test marked ``epubcheck_skip``."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "epubcheck_skip(reason): the test writes broken EPUBs on purpose; its tmp_path is"
        " left out of the EPUBCheck run at the end of the session",
    )


@pytest.fixture(autouse=True)
def _epubcheck_opt_out(request: pytest.FixtureRequest) -> None:
    """Note the ``tmp_path`` of a test marked ``epubcheck_skip``."""
    marker = request.node.get_closest_marker("epubcheck_skip")
    if marker is not None:
        assert marker.args, "epubcheck_skip needs a reason"
        _LEFT_OUT.add(Path(request.getfixturevalue("tmp_path")))


def written_epubs(root: Path) -> list[Path]:
    """Every EPUB file under ``root`` (not left out), each content once."""
    seen: set[str] = set()
    found = []
    for path in sorted(root.rglob("*.epub")):
        if path.is_symlink() or not path.is_file():
            continue
        if any(path.is_relative_to(folder) for folder in _LEFT_OUT):
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            found.append(path)
    return found


@pytest.fixture(scope="session", autouse=True)
def _epubcheck_every_written_epub(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[None]:
    """At the end of the session, EPUBCheck on every EPUB the tests wrote."""
    yield
    from epubcheck_util import format_messages, java_available, problems, run_epubcheck_many

    epubs = written_epubs(tmp_path_factory.getbasetemp())
    if not epubs:
        return
    if not java_available():
        terminal = pytestconfig.pluginmanager.get_plugin("terminalreporter")
        if terminal is not None:
            terminal.write_line(f"Java or EPUBCheck missing: {len(epubs)} EPUB(s) left unchecked")
        return
    failed = []
    for path, report in run_epubcheck_many(epubs).items():
        found = problems(report)
        if not (report.get("publication") or {}).get("ePubVersion"):
            failed.append(f"{path}: EPUBCheck could not read it as an EPUB")
        elif found:
            failed.append(f"{path}:\n{format_messages(found)}")
    assert not failed, "EPUBCheck on the EPUBs the tests wrote:\n" + "\n".join(failed)

"""The hostile corpus (``hostile_corpus.py``) through the command line, every case one
test; the EPUBs and HTML books it makes then go through EPUBCheck and the Nu checker.

The large cases (50 MB, 100,000 chapters, 10,000 breaks in a PDF...) carry the ``slow``
marker: ``make test`` runs them, ``pytest -m "not slow"`` leaves them out.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from epubcheck_util import BAD, java_available, run_epubcheck_many
from hostile_corpus import Case, Outcome, corpus, run_case
from htmlcheck_util import VNU, nu_problems

CASES = [c for c in corpus() if not c.bench_only]
FAST = [c for c in CASES if not c.slow]
SLOW = [c for c in CASES if c.slow]


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every fast case converted once (the per-case tests assert on the outcomes)."""
    root = tmp_path_factory.mktemp("hostile")
    return {case.name: run_case(case, root / case.name) for case in FAST}


@pytest.mark.parametrize("case", FAST, ids=lambda c: c.name)
def test_hostile_case(case: Case, books: dict[str, Outcome]) -> None:
    outcome = books[case.name]
    assert outcome.handled, outcome.problems


@pytest.mark.slow
@pytest.mark.parametrize("case", SLOW, ids=lambda c: c.name)
def test_hostile_slow_case(case: Case, tmp_path: Path) -> None:
    outcome = run_case(case, tmp_path)
    assert outcome.handled, outcome.problems


@pytest.mark.skipif(not java_available(), reason="needs Java for EPUBCheck")
def test_hostile_epubs_pass_epubcheck(books: dict[str, Outcome]) -> None:
    epubs = [p for o in books.values() for p in o.outputs if p.suffix == ".epub"]
    assert len(epubs) >= 20
    reports = run_epubcheck_many(epubs)
    bad = {
        p.parent.parent.name: [m["message"] for m in r["messages"] if m["severity"] in BAD]
        for p, r in reports.items()
    }
    assert not {k: v for k, v in bad.items() if v}


@pytest.mark.skipif(VNU is None or shutil.which("java") is None, reason="needs the Nu checker")
def test_hostile_html_books_pass_the_nu_checker(books: dict[str, Outcome]) -> None:
    pages = [p for o in books.values() for p in o.outputs if p.suffix == ".html"]
    assert len(pages) >= 20
    problems = nu_problems(pages, langdetect=False)  # made-up text in no language
    assert [(Path(p.get("url", "")).parent.parent.name, p.get("message")) for p in problems] == []

"""Property tests for the writers: any text in gives a well-formed book out, no word lost.

Hypothesis drives the parse and the HTML and EPUB builds; the test keeps the first 25
EPUBs it makes and sends them through EPUBCheck at its end (one Java start, not one per
example), so it needs no other test to run first.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from epubcheck_util import assert_valid_epub, java_available, run_epubcheck_many
from fic2book import Fic2BookError, parse
from fic2book.pipeline import build
from test_properties import EXEMPT, TEXT

_WORD = re.compile(r"[A-Za-z0-9]+")
NASTY = st.sampled_from(
    ["<b>", "</p>", "&amp;", "]]>", "<!--", "\u2028", "\ufeff", "é", "🙂", "\u0301", "<script>"]
)
MIXED = st.lists(st.one_of(TEXT, NASTY), min_size=1, max_size=6).map(" ".join)


def words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def test_any_text_makes_a_well_formed_book_that_passes_epubcheck(tmp_path: Path) -> None:
    epubs: list[Path] = []

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(text=MIXED)
    def well_formed(text: str) -> None:
        data = well_formed_book(text)
        if data is not None and len(epubs) < 25:
            epubs.append(tmp_path / f"book-{len(epubs):02d}.epub")
            epubs[-1].write_bytes(data)

    well_formed()
    assert len(epubs) >= 10, "the property test made too few books to check"
    if not java_available():
        pytest.skip("Java or EPUBCheck missing: the books were not checked")
    reports = run_epubcheck_many(epubs)
    for path in epubs:
        assert_valid_epub(path, reports[path])


def well_formed_book(text: str) -> bytes | None:
    """The EPUB of a story read from ``text`` (None when the text may be refused), after
    checking that its HTML and EPUB are well-formed and lose no word."""
    try:
        story = parse(text.encode("utf-8"), name="story.txt")
    except Fic2BookError as exc:  # only a file with no text at all may be refused
        assert "empty" in str(exc) and not text.replace("\ufeff", "").strip()
        return None
    wanted = words(text) - EXEMPT - {"script", "b", "p", "amp"}

    page = build(story, "html", cover=False).decode("utf-8")
    doc = lxml_html.fromstring(page)
    assert not doc.xpath("//script|//b")
    assert wanted <= words(" ".join(doc.xpath("//body")[0].itertext()))

    data = build(story, "epub", cover=False)
    with zipfile.ZipFile(BytesIO(data)) as z:
        assert z.namelist()[0] == "mimetype"
        xhtml = [n for n in z.namelist() if n.endswith(".xhtml")]
        seen: set[str] = set()
        for name in xhtml:
            root = etree.fromstring(z.read(name))  # well-formed XML or this raises
            seen |= words(" ".join(root.itertext()))
    assert wanted <= seen
    return data

"""Property tests for the writers: any text in gives a well-formed book out, no word lost.

Hypothesis drives the parse and the HTML and EPUB builds; every generated EPUB is kept,
and the whole batch goes through EPUBCheck once at the end (one Java start, not one per
example).
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

EPUBS: list[Path] = []


def words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=MIXED)
def test_any_text_makes_a_well_formed_book(
    text: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    try:
        story = parse(text.encode("utf-8"), name="story.txt")
    except Fic2BookError as exc:  # only a file with no text at all may be refused
        assert "empty" in str(exc) and not text.replace("\ufeff", "").strip()
        return
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
    if len(EPUBS) < 25:
        path = tmp_path_factory.mktemp("prop") / "book.epub"
        path.write_bytes(data)
        EPUBS.append(path)


@pytest.mark.skipif(not java_available(), reason="Java or EPUBCheck missing")
def test_generated_books_pass_epubcheck() -> None:
    assert EPUBS, "the property test made no books"
    reports = run_epubcheck_many(EPUBS)
    for path in EPUBS:
        assert_valid_epub(path, reports[path])

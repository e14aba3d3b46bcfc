"""Property tests: random text with random structure markers (headings, breaks,
emphasis, labels, HTML fragments, active content) through the readers and the writers
gives a valid book that keeps every word of the story and runs no script.

Words a reader may legitimately consume (labels, chapter words, break markers) are
exempt, as in ``test_properties.py``; words inside active content (``<script>``) must
be dropped, never kept.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from fic2book import parse
from fic2book.pipeline import build
from hostile_corpus import active_content
from test_properties import EXEMPT

_WORD = re.compile(r"[A-Za-z0-9]+")
STORY_WORDS = ["harbour", "lantern", "Mira", "gulls", "quay", "tide", "rope", "salt", "ferry"]
MARKERS = [
    "#",
    "##",
    "# ",
    "* * *",
    "***",
    "---",
    "~~~",
    "===",
    "xXx",
    "oOo",
    "*",
    "_",
    "**",
    ">",
    "> >",
    "by",
    "Chapter 1",
    "Chapter 2:",
    "Part 1 of",
    "Title:",
    "Author:",
    "Summary:",
    "A/N:",
    "Notes:",
    '"',
    "'",
    "\u00a0",
    "  ",
    "--",
    "\t",
]
HTML_BITS = ["<em>", "</em>", "<b>", "</b>", "<p>", "</p>", "<div>", "</div>", "<br>", "<hr>"]
ACTIVE = [
    "<script>alert('zzactive')</script>",
    '<img src="http://127.0.0.1:9/x" onerror="zzactive()">',
    '<a href="javascript:zzactive()">link</a>',
    '<iframe src="http://127.0.0.1:9/"></iframe>',
    "<embed src=x>",
    "<svg><script>zzactive()</script></svg>",
]

TOKEN = st.one_of(
    st.sampled_from(STORY_WORDS), st.sampled_from(MARKERS), st.sampled_from(STORY_WORDS)
)
LINE = st.lists(TOKEN, min_size=0, max_size=10).map(" ".join)
TEXT = st.lists(LINE, min_size=1, max_size=30).map("\n".join)
HTML_TOKEN = st.one_of(
    st.sampled_from(STORY_WORDS), st.sampled_from(HTML_BITS), st.sampled_from(ACTIVE)
)
HTML = st.lists(HTML_TOKEN, min_size=1, max_size=40).map(
    lambda parts: f"<html><head><title>Sea</title></head><body>{' '.join(parts)}</body></html>"
)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _book_text(data: bytes, fmt: str) -> str:
    """A book's visible text, after checking it is well-formed and runs nothing."""
    if fmt == "epub":
        parts = []
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert z.testzip() is None
            for name in z.namelist():
                if name.endswith(".xhtml"):
                    root = etree.fromstring(z.read(name))
                    assert active_content(root) == []
                    parts.append(" ".join(root.itertext()))
                elif name.endswith((".opf", ".ncx")):
                    etree.fromstring(z.read(name))
        return " ".join(parts)
    root = lxml_html.document_fromstring(data.decode("utf-8"))
    assert active_content(root) == []
    for style in root.iter("style"):
        style.drop_tree()
    return " ".join(root.itertext())


def _check(text: str, name: str, formats: tuple[str, ...]) -> None:
    story = parse(text.encode("utf-8"), name=name)
    wanted = {w for w in _words(text) if w not in EXEMPT and w in {s.lower() for s in STORY_WORDS}}
    if name.endswith(".html"):
        wanted = _words(re.sub(r"<script>.*?</script>|<[^>]*>", " ", text)) & wanted
    for fmt in formats:
        got = _words(_book_text(build(story, fmt, cover=False), fmt))
        assert wanted <= got, (fmt, wanted - got)
        assert "zzactive" not in got


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["story.txt", "story.md"]))
def test_random_structure_keeps_every_word_in_every_writer(text: str, name: str) -> None:
    if not text.strip() or not _words(text):
        return
    _check(text, name, ("epub", "html"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HTML)
def test_random_html_keeps_story_words_and_drops_active_content(page: str) -> None:
    if not (_words(re.sub(r"<[^>]*>", " ", page)) & {w.lower() for w in STORY_WORDS}):
        return
    _check(page, "page.html", ("epub", "html"))


@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_random_structure_keeps_every_word_in_the_pdf(text: str) -> None:
    import pypdf

    if not _words(text):
        return
    story = parse(text.encode("utf-8"), name="story.md")
    wanted = {w for w in _words(text) if w not in EXEMPT and w in {s.lower() for s in STORY_WORDS}}
    reader = pypdf.PdfReader(io.BytesIO(build(story, "pdf", cover=False)))
    got = _words(" ".join(page.extract_text() or "" for page in reader.pages))
    assert wanted <= got

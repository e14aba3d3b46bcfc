"""Honest front matter and credit: this book's counts, part of a work said as such, no
page counters, the "Posted originally at" line and a colophon with a deterministic date."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from fic2book.book import book_of
from fic2book.model import Chapter, Metadata, Paragraph, Story, Text
from fic2book.pipeline import build
from fic2book.render.credit import colophon_date, credit_words
from fic2book.render.labels import part_of_work, preface_fields


def story(chapters: int, extra: tuple[tuple[str, str], ...], **meta: str) -> Story:
    """A story of short chapters numbered from 1, with labelled extra fields."""
    blocks = (Paragraph((Text("One two three four five."),)),)
    return Story(
        Metadata(title="Part", authors=("A. Writer",), extra=extra, **meta),  # type: ignore[arg-type]
        tuple(Chapter(n, blocks=blocks) for n in range(1, chapters + 1)),
    )


def fields(s: Story) -> dict[str, str]:
    """The title page's fields by label."""
    return {label: value for _, label, value in preface_fields(s)}


def test_part_of_a_work_says_so_and_labels_the_work_totals() -> None:
    got = fields(story(1, (("Words", "150,210"), ("Chapters", "41/41"), ("Kudos", "900"))))
    assert got["This Book"] == "Chapter 1 of 41"
    assert got["Chapters"] == "1" and got["Words"] == "5"
    assert got["Work’s Chapters"] == "41/41" and got["Work’s Words"] == "150,210"
    assert "Kudos" not in got


def test_a_whole_work_shows_its_own_chapter_count_and_no_page_counters() -> None:
    extra = (("Chapters", "3/3"), ("Hits", "12"), ("Bookmarks", "4"), ("Comments", "2"))
    got = fields(story(3, extra))
    assert got["Chapters"] == "3/3" and "This Book" not in got
    assert not {"Hits", "Bookmarks", "Comments"} & set(got)


@pytest.mark.parametrize(
    ("held", "stated", "want"),
    [(2, "5/?", "Chapters 1–2 of 5"), (5, "5/?", None), (1, "about 3", None), (1, None, None)],
)
def test_part_of_work(held: int, stated: str | None, want: str | None) -> None:
    assert part_of_work(story(held, ()), stated) == want


def test_credit_wording() -> None:
    assert credit_words("https://archiveofourown.org/works/1").startswith(
        "Posted originally on the Archive of Our Own at"
    )
    assert credit_words("https://www.fanfiction.net/s/1") == "Posted originally at "


def test_colophon_date_is_never_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    s = story(1, (), updated="2021-06-01", published="2020-01-02")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert colophon_date(book_of(s)) == "2021-06-01"
    assert colophon_date(book_of(story(1, ()))) is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert colophon_date(book_of(s)) == "1970-01-02"


def test_credit_and_colophon_in_the_html_and_switched_off() -> None:
    s = story(1, (), source_url="https://archiveofourown.org/works/7")
    page = html.fromstring(build(s, "html"))
    credit = page.find_class("credit")[0]
    assert credit.text_content().startswith("Posted originally on the Archive of Our Own at")
    assert credit.find("a").get("href") == "https://archiveofourown.org/works/7"
    assert "Made with fic2book" in page.get_element_by_id("colophon").text_content()
    bare = html.fromstring(build(s, "html", credit=False, colophon=False))
    assert not bare.find_class("credit") and not bare.find_class("colophon")
    assert build(s, "epub") == build(s, "epub")  # the colophon keeps output reproducible


def test_convert_switches_credit_and_colophon_off(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fic2book.cli import main

    out = tmp_path
    src = out / "story.md"
    src.write_text("---\ntitle: Off\nauthor: Me\n---\n\nOne two three.\n", encoding="utf-8")
    args = ["convert", str(src), "-f", "html", "-o", str(out / "books"), "-q"]
    result = CliRunner().invoke(main, [*args, "--no-credit", "--no-colophon"])
    assert result.exit_code == 0, result.output
    page = html.fromstring((out / "books" / "Off_Me.html").read_bytes())
    assert not page.find_class("colophon") and not page.find_class("credit")

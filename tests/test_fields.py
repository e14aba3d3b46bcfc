"""Labelled fields and dates."""

import pytest

from fic2book.lang import language_tag
from fic2book.read.draft import MetaBuilder, iso_date


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("2019-03-01", "2019-03-01"),
        ("6/29/2008", "2008-06-29"),
        ("6/29/08", "2008-06-29"),
        ("13/45/2001", "13/45/2001"),
        ("last spring", "last spring"),
    ],
)
def test_iso_date(raw: str, want: str) -> None:
    assert iso_date(raw) == want


def test_language() -> None:
    assert language_tag("English") == "en"
    assert language_tag("pt-BR") == "pt-BR"
    assert language_tag("Klingon") is None


def test_builder_maps_synonyms_and_keeps_unknown_labels() -> None:
    b = MetaBuilder()
    b.add("Rated", "T")
    b.add("Pairings", "Ana/Bel, Cas/Dev")
    b.add("Summery", "A summary.")
    b.add("World", "Canon")
    b.add("Status", "Completed 6/29/08")
    b.add("Mood", "wistful")
    meta = b.build()
    assert meta.rating == "T"
    assert meta.relationships == ("Ana/Bel", "Cas/Dev")
    assert len(meta.summary) == 1
    assert meta.status == "Completed"
    assert meta.completed == "2008-06-29"
    assert meta.extra == (("World", "Canon"), ("Mood", "wistful"))


def test_overrides_win() -> None:
    b = MetaBuilder()
    b.add("Title", "Theirs")
    assert b.build(title="Mine").title == "Mine"
    assert b.build(title=None).title == "Theirs"


def test_language_names_beyond_the_western_ones() -> None:
    for name, tag in [
        ("Hebrew", "he"),
        ("العربية", "ar"),
        ("Farsi", "fa"),
        ("Ukrainian", "uk"),
        ("čeština", "cs"),
    ]:
        assert language_tag(name) == tag

"""The work's language: labels in any script, HTML ``lang``, front matter, else detection
from the story text above a confidence threshold; ``inspect`` shows where it came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fic2book import parse
from fic2book.cli import main
from fic2book.lang import tag_of_name
from fic2book.lang.identify import detect_language

FRENCH = (
    "La pluie tombait depuis le matin sur les toits de la vieille ville. Margot avait "
    "posé sa tasse sur le rebord de la fenêtre et regardait les passants courir sous "
    "leurs parapluies, sans vraiment les voir. Elle pensait à la lettre qu'elle n'avait "
    "pas encore ouverte."
)
RUSSIAN = (
    "Снег шёл всю ночь, и к утру двор стал совсем белым. Вера вышла на крыльцо с "
    "чашкой горячего чая и долго смотрела на следы, которые вели к старому сараю."
)
CHINESE = (
    "雨从早上一直下到晚上。她坐在窗边，看着街上的行人撑着伞匆匆走过，心里想着那封还没有拆开的信。"
)


def read(text: str, name: str = "story.txt") -> object:
    return parse(text.encode("utf-8"), name=name).metadata


@pytest.mark.parametrize(
    ("name", "tag"),
    [
        ("Русский", "ru"),
        ("Français", "fr"),
        ("中文-普通话 國語", "zh"),
        ("中文-广东话 粵語", "yue"),
        ("Español", "es"),
        ("Deutsch", "de"),
        ("한국어", "ko"),
        ("Português brasileiro", "pt-BR"),
        ("Bahasa Indonesia", "id"),
        ("Tiếng Việt", "vi"),
        ("Nonsense", None),
    ],
)
def test_language_names_in_their_own_script(name: str, tag: str | None) -> None:
    assert tag_of_name(name) == tag


def test_an_ao3_language_label_in_cyrillic_is_read() -> None:
    text = (
        "Rating:\n    General Audiences\nLanguage:\n    Русский\n"
        "Stats:\n    Published: 2021-03-04 Words: 40 Chapters: 1/1\n\n"
        "Снег\n\nWork Text:\n\n" + RUSSIAN + "\n"
    )
    meta = read(text)
    assert (meta.language, meta.language_source) == ("ru", "label")  # type: ignore[attr-defined]


def test_a_header_label_names_the_language() -> None:
    meta = read("Title: Pluie\nLanguage: Français\n\n" + FRENCH + "\n")
    assert (meta.language, meta.language_source) == ("fr", "label")  # type: ignore[attr-defined]


def test_html_lang_is_the_language_when_no_label_says() -> None:
    page = f'<html lang="fr"><body><h1>Pluie</h1><p>{FRENCH}</p></body></html>'
    meta = read(page, "pluie.html")
    assert (meta.language, meta.language_source) == ("fr", "markup")  # type: ignore[attr-defined]


@pytest.mark.parametrize("fence", ["---\nlanguage: ru\n---", '+++\nlang = "ru"\n+++'])
def test_front_matter_names_the_language(fence: str) -> None:
    meta = read(fence + "\n\n# Снег\n\n" + RUSSIAN + "\n", "sneg.md")
    assert (meta.language, meta.language_source) == ("ru", "front matter")  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "tag"), [(FRENCH, "fr"), (RUSSIAN, "ru"), (CHINESE, "zh")])
def test_unlabelled_text_is_detected(text: str, tag: str) -> None:
    meta = read(text + "\n")
    assert meta.language == tag  # type: ignore[attr-defined]
    assert meta.language_source == "detected"  # type: ignore[attr-defined]
    assert meta.language_confidence >= 0.9  # type: ignore[attr-defined]


def test_too_little_text_is_not_guessed() -> None:
    assert detect_language("Ok. Yes.") is None
    assert read("Hm.\n").language is None  # type: ignore[attr-defined]


def test_the_users_lang_wins_and_says_so() -> None:
    meta = parse((FRENCH + "\n").encode(), language="de").metadata
    assert (meta.language, meta.language_source) == ("de", "option")


def test_inspect_shows_the_language_and_its_source(tmp_path: Path) -> None:
    labelled = tmp_path / "a.txt"
    labelled.write_text("Title: Pluie\nLanguage: Français\n\n" + FRENCH + "\n", encoding="utf-8")
    detected = tmp_path / "b.txt"
    detected.write_text(RUSSIAN + "\n", encoding="utf-8")
    out_a = CliRunner().invoke(main, ["inspect", str(labelled)]).output
    out_b = CliRunner().invoke(main, ["inspect", str(detected)]).output
    assert "Language: fr (label)" in out_a.splitlines()
    assert "Language: ru (detected, 1.00)" in out_b.splitlines() or any(
        line.startswith("Language: ru (detected, 0.9") for line in out_b.splitlines()
    )

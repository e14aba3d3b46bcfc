"""Book names (``--name`` templates, Unicode, ``--ascii-names``) and the TOML config."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fic2book.app.names import MAX_PART_BYTES, BookNamer, check_template, clean_part, render_name
from fic2book.cli import main
from fic2book.errors import Fic2BookError
from fic2book.model import Metadata

META = Metadata(
    title="The Salt Road",
    authors=("Wren Halloway",),
    series="Tide Books",
    series_index=2,
    fandoms=("Harbour Tales", "Other"),
    language="en",
)


def test_templates_fill_every_field() -> None:
    assert render_name("{title}_{author}", META, "salt") == ("The-Salt-Road_Wren-Halloway",)
    name = render_name("{fandom}/{series} {series_index} - {title} ({lang}, {stem})", META, "s")
    assert name == ("Harbour-Tales", "Tide-Books 2 - The-Salt-Road (en, s)")
    # A missing field leaves no dangling separator and no empty folder.
    assert render_name("{series}/{title}", Metadata(title="Alone"), "x") == ("Alone",)
    assert render_name("{author}_{title}", Metadata(title="Alone"), "x") == ("Alone",)


def test_unicode_names_keep_their_script_and_ascii_names_transliterate() -> None:
    russian = Metadata(title="Война и мир", authors=("Лев Толстой",))
    chinese = Metadata(title="红楼梦", authors=("曹雪芹",))
    assert render_name("{title}_{author}", russian, "x") == ("Война-и-мир_Лев-Толстой",)
    assert render_name("{title}_{author}", chinese, "x") == ("红楼梦_曹雪芹",)
    assert render_name("{title}_{author}", russian, "x", ascii_only=True) == (
        "Voina-i-mir_Lev-Tolstoi",
    )
    assert render_name("{title}", chinese, "x", ascii_only=True)[0].isascii()
    assert render_name("{title}", Metadata(title="🌊"), "x", ascii_only=True) == ("ocean",)
    # A title without a letter or digit: a hash keeps such names apart.
    (marks,) = render_name("{title}", Metadata(title="?!…"), "x")
    assert (
        marks.startswith("Untitled-")
        and marks != render_name("{title}", Metadata(title="!"), "x")[0]
    )


def test_only_what_file_systems_refuse_is_removed() -> None:
    assert clean_part('a<b>c:d"e\\f|g?h*i') == "abcdefghi"
    assert clean_part("evil\u202etxt.exe\x07") == "eviltxt.exe"
    assert clean_part("trailing dots. . ") == "trailing dots"
    assert clean_part("CON") == "CON_" and clean_part("nul.txt") == "nul.txt_"
    assert clean_part("Ünïcødé – ok") == "Ünïcødé – ok"
    long = clean_part("長" * 300)
    assert len(long.encode("utf-8")) <= MAX_PART_BYTES and set(long) == {"長"}
    title = Metadata(title="a/b\\..\\c")
    assert render_name("../{title}/x", title, "s") == ("a-b-c", "x")


def test_template_errors() -> None:
    assert check_template("{title}") == "{title}"
    for bad, says in (("{nope}", "unknown field {nope}"), ("{title", "--name"), ("", "empty")):
        with pytest.raises(Fic2BookError) as info:
            check_template(bad)
        assert says in str(info.value)


def test_namer_shares_a_stem_across_formats_and_respects_claims(tmp_path: Path) -> None:
    namer = BookNamer(tmp_path, reserved={tmp_path / "The-Salt-Road_Wren-Halloway.epub"})
    first = namer.paths_for(META, "s", [".epub", ".html"])
    assert [p.name for p in first] == [
        "The-Salt-Road_Wren-Halloway-2.epub",
        "The-Salt-Road_Wren-Halloway-2.html",
    ]
    mine = namer.paths_for(
        META, "s", [".epub"], own={tmp_path / "The-Salt-Road_Wren-Halloway.epub"}
    )
    assert [p.name for p in mine] == ["The-Salt-Road_Wren-Halloway.epub"]
    upper = namer.paths_for(
        Metadata(title="THE SALT ROAD", authors=("WREN HALLOWAY",)), "s", [".epub"]
    )
    assert upper[0].name == "THE-SALT-ROAD_WREN-HALLOWAY-3.epub"  # case-insensitive clash


STORY = "Title: {title}\nAuthor: {author}\nFandom: Harbour Tales\nLanguage: {lang}\n\nText.\n"


def test_cli_name_templates_make_folders(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "one.txt").write_text(STORY.format(title="Война и мир", author="Лев", lang="ru"))
    (src / "two.txt").write_text(STORY.format(title="红楼梦", author="曹雪芹", lang="zh"))
    out = tmp_path / "out"
    args = ["convert", str(src), "-o", str(out), "-f", "html", "--no-cover"]
    result = CliRunner().invoke(main, [*args, "--name", "{fandom}/{lang}/{title}"])
    assert result.exit_code == 0, result.output
    assert (out / "Harbour-Tales" / "ru" / "Война-и-мир.html").is_file()
    assert (out / "Harbour-Tales" / "zh" / "红楼梦.html").is_file()
    result = CliRunner().invoke(main, [*args, "--ascii-names", "-o", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "a").glob("*.html"))
    assert names == ["HongLouMeng_CaoXueQin.html", "Voina-i-mir_Lev.html"]


def _convert(tmp_path: Path, *args: str) -> tuple[int, str]:
    story = tmp_path / "story.txt"
    story.write_text(STORY.format(title="Configured", author="Kit", lang="en"))
    result = CliRunner().invoke(main, ["convert", str(story), *args])
    return result.exit_code, result.output


def test_config_files_and_their_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "user" / "fic2book.toml"
    user.parent.mkdir()
    user.write_text('format = ["epub", "html"]\nno-cover = true\noutput = "user-out"\n')
    monkeypatch.setattr("fic2book.app.config.user_config_file", lambda: user)
    monkeypatch.chdir(tmp_path)
    code, output = _convert(tmp_path)
    assert code == 0, output
    assert sorted(p.name for p in (tmp_path / "user-out").glob("[!.]*")) == [
        "Configured_Kit.epub",
        "Configured_Kit.html",
    ]
    # The current folder's file overrides the user's; [convert] is read too.
    (tmp_path / "fic2book.toml").write_text('[convert]\nformat = "html"\nname = "{author}"\n')
    code, output = _convert(tmp_path, "-o", "here")
    assert code == 0, output
    assert [p.name for p in (tmp_path / "here").glob("[!.]*")] == ["Kit.html"]
    # --config overrides both; the command line overrides --config.
    extra = tmp_path / "extra.toml"
    extra.write_text('name = "{title}-{lang}"\nformat = ["epub"]\n')
    code, output = _convert(tmp_path, "--config", str(extra), "-o", "x", "--name", "{stem}")
    assert code == 0, output
    assert [p.name for p in (tmp_path / "x").glob("[!.]*")] == ["story.epub"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('fromat = "epub"\n', "unknown key 'fromat'"),
        ("format = [1]\n", "'format' must be a string or a list of strings"),
        ("style = [1]\n", "'style' must be a single value"),
        ("format = \n", "not a valid TOML file"),
    ],
)
def test_config_errors_name_the_key_and_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, says: str
) -> None:
    monkeypatch.setattr("fic2book.app.config.user_config_file", lambda: tmp_path / "none.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    code, output = _convert(tmp_path, "--config", str(bad), "-o", str(tmp_path / "o"))
    assert code == 2
    lines = output.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and says in lines[0], output
    assert not (tmp_path / "o").exists()
    code, output = _convert(tmp_path, "--config", str(tmp_path / "missing.toml"))
    assert code == 2 and "no such configuration file" in output

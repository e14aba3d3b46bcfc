"""The adapter registry: one ordered list chooses the reader, `--dialect` names any
adapter, and `inspect --dialects` lists them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from fic2book import Fic2BookError, parse
from fic2book.cli import main
from fic2book.read.sites import ADAPTERS, adapter_names, choose, source_of


def chosen(name: str) -> str:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return choose(source_of(text, name)).name


def test_each_fixture_goes_to_its_sites_adapter() -> None:
    assert chosen("ao3_work.html") == "ao3-work"
    assert chosen("ao3_download.html") == "ao3-download"
    assert chosen("ffn_story.html") == "ffn-page"
    assert chosen("ao3_text.txt") == "ao3"
    assert chosen("ffn_text.txt") == "ffn"
    assert chosen("markdown.md") == "markdown"
    assert chosen("header_text.txt") == "header"
    assert chosen("plain_notes.txt") == "plain"


def test_names_are_unique_and_the_last_adapters_claim_everything() -> None:
    names = adapter_names()
    assert len(set(names)) == len(names)
    assert names[-1] == "plain"
    assert choose(source_of("<html><body><p>Hi.</p></body></html>")).name == "html"
    assert choose(source_of("~~~ nothing here ~~~")).name == "plain"


def test_forcing_html_still_lets_a_site_claim_the_page() -> None:
    text = (FIXTURES / "ao3_work.html").read_text(encoding="utf-8")
    assert choose(source_of(text, "x.txt"), "html").name == "ao3-work"


def test_forcing_a_site_adapter_reads_with_it(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("<div id='storytext'><p>Rain on the glass.</p></div>", encoding="utf-8")
    assert parse(page, dialect="ffn-page").chapters[0].blocks


def test_an_unknown_dialect_is_one_clear_error() -> None:
    with pytest.raises(Fic2BookError, match="unknown dialect 'nope'"):
        parse(b"Some text.\n", dialect="nope")


def test_inspect_lists_the_dialects() -> None:
    result = CliRunner().invoke(main, ["inspect", "--dialects"])
    assert result.exit_code == 0
    listed = [line.split(":")[0] for line in result.output.splitlines()]
    assert listed == [a.name for a in ADAPTERS]


def test_cli_rejects_an_unknown_dialect(tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text("Some text.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["inspect", "--dialect", "nope", str(story)])
    assert result.exit_code == 2
    assert "ao3-work" in result.output
    assert "Traceback" not in result.output


def test_inspect_without_a_file_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["inspect"])
    assert result.exit_code == 2
    assert "FILE" in result.output

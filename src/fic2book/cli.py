"""The command line: a thin click layer over the public API.

Expected failures (a missing file, a file that is not text) print one line naming the
file and the reason and exit with status 1; they never show a traceback. Heavy modules
are imported inside the commands that need them, so ``fic2book --help`` stays instant.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fic2book.errors import Fic2BookError


def fail(message: str) -> None:
    """Print one error line to standard error."""
    click.echo(f"fic2book: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fic2book")
def main() -> None:
    """Turn raw fan fiction files into EPUB, PDF and HTML books."""


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the whole chapter tree as JSON.")
@click.option("--title", help="Use this title instead of the file's.")
@click.option("--author", "authors", multiple=True, help="Use this author (repeatable).")
@click.option("--lang", help="The story's language (a tag such as en, or a name).")
@click.option("--no-smart", is_flag=True, help="Keep quotes, dashes and dots exactly as written.")
@click.option(
    "--dialect",
    type=click.Choice(["html", "ao3", "ffn", "markdown", "header", "plain"]),
    help="Read the file as this dialect instead of detecting it.",
)
def inspect(
    file: Path,
    as_json: bool,
    title: str | None,
    authors: tuple[str, ...],
    lang: str | None,
    no_smart: bool,
    dialect: str | None,
) -> None:
    """Show how FILE is read: a summary, or with --json the whole tree."""
    from fic2book.api import parse

    try:
        story = parse(
            file,
            title=title,
            authors=authors or None,
            language=lang,
            smart=not no_smart,
            dialect=dialect,
        )
    except Fic2BookError as exc:
        fail(str(exc))
        sys.exit(1)
    if as_json:
        from fic2book.serialize import story_to_json

        click.echo(story_to_json(story))
    else:
        from fic2book.summary import story_summary

        click.echo(story_summary(story))

"""The commands that only tell: ``inspect`` (how a file is read) and ``styles`` (the
themes), and ``inspect --dialects`` (the readers)."""

from __future__ import annotations

from pathlib import Path

import click

from fic2book.app.exits import EXIT_FAILED, EXIT_OK, fail, warn
from fic2book.app.options import Opts, read_options
from fic2book.errors import Fic2BookError


def run_inspect(file: Path, as_json: bool, opts: Opts) -> int:
    """Print how a file is read: a summary, or with ``as_json`` the whole tree; the exit
    status (1, with one line, when the file cannot be read)."""
    from fic2book import pipeline

    try:
        story = pipeline.read(file, read_options(opts), warn=warn)
    except Fic2BookError as exc:
        fail(str(exc))
        return EXIT_FAILED
    if as_json:
        from fic2book.serialize import story_to_json

        click.echo(story_to_json(story))
    else:
        from fic2book.summary import story_summary

        click.echo(story_summary(story))
    return EXIT_OK


def list_dialects() -> None:
    """Every reader ``--dialect`` can name, with its description, in registry order."""
    from fic2book.read.sites import ADAPTERS

    for adapter in ADAPTERS:
        click.echo(f"{adapter.name}: {adapter.description}")


def list_styles() -> None:
    """The built-in themes, the default marked, each with its description."""
    from fic2book.themes import DEFAULT_THEME, builtin_names, load_theme

    for name in builtin_names():
        theme = load_theme(name)
        mark = " (default)" if name == DEFAULT_THEME else ""
        click.echo(f"{name}{mark}: {theme.description}")


ENGINES = ("WeasyPrint", "EbookLib", "lxml", "Pillow", "pypdf", "click")
"""The libraries that make the books, as ``--version`` names them."""


def version_lines() -> list[str]:
    """fic2book's version, Python's, and each engine's installed version (from the
    installed packages' metadata: nothing heavy is imported)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    from fic2book import __version__

    engines = []
    for name in ENGINES:
        try:
            engines.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            engines.append(f"{name} (not installed)")
    return [
        f"fic2book {__version__}",
        f"Python {platform.python_version()}",
        "Engines: " + ", ".join(engines),
    ]

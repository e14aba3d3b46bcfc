"""The command line: click's declarations and nothing else.

Each command declares its options here and hands click's parsed values to the
application (``fic2book.app``), which turns them into the pipeline's options in one
place (``app.options``) and returns the exit status. Option groups are shared, so an
option means the same in every command that offers it. Heavy modules are imported
inside the commands, so ``fic2book --help`` stays instant; nothing imports this module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fic2book.app.exits import ANTHOLOGY_EXIT_STATUSES, EXIT_STATUSES, EXIT_USAGE, fail
from fic2book.errors import Fic2BookError

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

Decorator = Callable[[Callable[..., None]], Callable[..., None]]


# --------------------------------------------------------------------------- checks


def check_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--lang``: a language tag (``pt-BR``; ``pt_BR`` is read as that) or a language name
    fic2book knows (``English``); anything else is a usage error, not a silently wrong
    book."""
    if value is None:
        return None
    from fic2book.lang import language_tag

    tag = value.strip().replace("_", "-")
    if not tag or language_tag(tag) is None:
        raise click.BadParameter(
            f"{value!r} is not a language tag (such as en, de, pt-BR) or a language name"
            " fic2book knows"
        )
    return tag


def check_dialect(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--dialect``: the name of a reader adapter (``fic2book inspect --dialects``)."""
    if value is None:
        return None
    from fic2book.read.sites import adapter_names

    if value not in adapter_names():
        raise click.BadParameter(f"{value!r} is not one of {', '.join(adapter_names())}")
    return value


def check_page_size(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--page-size``: a size ``themes.page_css_size`` accepts, checked before any book;
    anything else is one error line (no usage screen: the value may be CSS), status 2."""
    if value is None:
        return None
    from fic2book.themes import page_css_size

    try:
        page_css_size(value)
    except Fic2BookError as exc:  # one clear line, not a usage screen (the value may be CSS)
        fail(str(exc))
        ctx.exit(EXIT_USAGE)
    return value


def check_cover(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--cover``: ``none``, or an image file that exists (read when the run starts)."""
    if value is None or value.lower() == "none":
        return value and "none"
    if not Path(value).is_file():
        raise click.BadParameter(f"{value!r} is not an image file (or 'none')")
    return value


def starting(names: list[str] | tuple[str, ...], incomplete: str) -> list[CompletionItem]:
    """Shell completion: the names that begin with what has been typed."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(n) for n in names if n.startswith(incomplete)]


def complete_style(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """``--style`` completes to the built-in themes (a theme folder is a path: the shell
    completes those itself)."""
    from fic2book.themes import builtin_names

    return starting(builtin_names(), incomplete)


def complete_dialect(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """``--dialect`` completes to the readers' names."""
    from fic2book.read.sites import adapter_names

    return starting(adapter_names(), incomplete)


class FormatName(click.ParamType):  # type: ignore[type-arg]
    """A writer's name: the built-ins are known without scanning the installed writers."""

    name = "format"

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        """Shell completion: every installed writer's name."""
        from fic2book.writers import writer_names

        return starting(writer_names(), incomplete)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """The name, when a writer of that name is installed."""
        from fic2book.writers import BUILTIN, writer_names

        if value in BUILTIN:
            return str(value)
        names = writer_names()
        if value not in names:
            self.fail(f"{value!r} is not one of {', '.join(map(repr, names))}.", param, ctx)
        return str(value)


def load_config(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """``--config`` (eager): the configuration files' settings become the defaults of the
    other options; an error in them is one line and exit status 2."""
    from fic2book.app.config import load_defaults

    known: dict[str, tuple[str, bool]] = {}
    for p in ctx.command.params:
        if isinstance(p, click.Option):
            for opt in p.opts + p.secondary_opts:
                if opt.startswith("--") and p.name not in ("config", "help"):
                    known.setdefault(opt.removeprefix("--"), (str(p.name), bool(p.multiple)))
    try:
        ctx.default_map = {**(ctx.default_map or {}), **load_defaults(value, known)}
    except Fic2BookError as exc:
        fail(str(exc))
        ctx.exit(EXIT_USAGE)
    return value


def versions(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``: fic2book's version and its engines' (as ``pandoc --version`` names
    its libraries)."""
    if not value or ctx.resilient_parsing:
        return
    from fic2book.app.info import version_lines

    for line in version_lines():
        click.echo(line)
    ctx.exit()


# --------------------------------------------------------------------------- option groups


def options(*decorators: Decorator) -> Decorator:
    """Several click options as one decorator, in the order written."""

    def apply(func: Callable[..., None]) -> Callable[..., None]:
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return apply


story_overrides = options(
    click.option("--title", help="Use this title instead of the file's."),
    click.option("--author", "authors", multiple=True, help="Use this author (repeatable)."),
    click.option(
        "--lang",
        callback=check_lang,
        help="The story's language (a tag such as en or pt-BR, or a name).",
    ),
)
"""``--title``, ``--author``, ``--lang``: what one story's file says, overridden."""

reading_options = options(
    click.option(
        "--no-smart", is_flag=True, help="Keep quotes, dashes and dots exactly as written."
    ),
    click.option("--no-images", is_flag=True, help="Leave the pictures in the text out."),
    click.option(
        "--dialect",
        callback=check_dialect,
        shell_complete=complete_dialect,
        help="Read every file with this reader instead of detecting it"
        " (see `fic2book inspect --dialects`).",
    ),
)
"""How every input is read (``ReadOptions``)."""

format_option = click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    type=FormatName(),
    help="Output format: epub, pdf, html, kepub, azw3 or an installed writer (repeatable).",
)

render_options = options(
    click.option(
        "--style",
        default=None,
        shell_complete=complete_style,
        help="A theme name (see `fic2book styles`) or a theme folder. [default: classic]",
    ),
    click.option(
        "--css",
        "css_files",
        multiple=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="Your own CSS, applied after the theme (repeatable).",
    ),
    click.option(
        "--notes",
        type=click.Choice(["keep", "end", "drop"]),
        default="keep",
        show_default=True,
        help="Author's notes in place, gathered at the end, or left out.",
    ),
    click.option(
        "--page-size",
        default=None,
        callback=check_page_size,
        help="PDF page size: A5, A4, letter, 6x9, 5x8, 148x210mm, '12cm 18cm'... "
        "[default: the theme's, A5]",
    ),
    click.option(
        "--cover",
        callback=check_cover,
        metavar="FILE|none",
        help="Use this image as the cover, or 'none' for no cover. "
        "[default: the story's own cover art, else a generated cover]",
    ),
    click.option("--no-cover", is_flag=True, help="No cover at all (as --cover none)."),
    click.option("--no-credit", is_flag=True, help="No 'Posted originally at' line."),
    click.option("--no-colophon", is_flag=True, help="No colophon page at the end."),
    click.option(
        "--check",
        is_flag=True,
        help="Check each EPUB written with EPUBCheck, the Send to Kindle rules and"
        " (when installed) Ace by DAISY; exit status 1 if a check fails.",
    ),
    click.option("--quiet", "-q", is_flag=True, help="Print only errors."),
)
"""How every book is rendered (``RenderOptions``), and what is said about it."""

batch_options = options(
    click.option(
        "--config",
        type=click.Path(path_type=Path, dir_okay=False),
        is_eager=True,
        expose_value=False,
        callback=load_config,
        help="Read option defaults from this TOML file (after fic2book.toml in"
        " your config folder and in the current folder).",
    ),
    click.option(
        "--output",
        "-o",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("out"),
        show_default=True,
        help="Folder for the books (created if missing).",
    ),
    click.option(
        "--name",
        default="{title}_{author}",
        show_default=True,
        help="Book file name template: {title} {author} {series} {series_index}"
        " {fandom} {stem} {lang}; a / makes folders.",
    ),
    click.option("--ascii-names", is_flag=True, help="Transliterate book names to ASCII."),
    click.option("--recursive", "-r", is_flag=True, help="Descend into folders' subfolders."),
    click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes (1: in this process). [default: the machine's cores]",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=600.0,
        show_default=True,
        help="Seconds one file may take before it fails (in worker processes and on"
        " a cluster; --jobs 1 has no timeout).",
    ),
    click.option("--force", is_flag=True, help="Rebuild every book, even those up to date."),
    click.option(
        "--cache",
        "cache_dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="Folder for the incremental cache [default: the output folder].",
    ),
    click.option(
        "--report",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write a JSON report of the batch to this file.",
    ),
    click.option(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="Run the conversions on this Dask cluster (needs fic2book[dask]).",
    ),
    click.option(
        "--join",
        is_flag=True,
        help="Read the inputs as the chapters of one story, in order (a folder or"
        " glob in natural order: ch2 before ch10).",
    ),
)
"""What only ``convert`` has: where books go, their names, and how the batch runs."""

volume_options = options(
    click.option(
        "--output",
        "-o",
        type=click.Path(path_type=Path, dir_okay=False),
        help="The volume's file; its suffix (.epub, .pdf, .html) picks the format. "
        "[default: out/TITLE.epub]",
    ),
    click.option(
        "--manifest", type=click.Path(path_type=Path, dir_okay=False), help="An anthology.toml."
    ),
    click.option("--title", help="The volume's title. [default: the series, or Collected Stories]"),
    click.option("--editor", "editors", multiple=True, help="The volume's editor (repeatable)."),
    click.option("--description", help="The volume's description. [default: the stories it holds]"),
    click.option("--lang", callback=check_lang, help="The volume's language."),
    click.option(
        "--order",
        type=click.Choice(["given", "title", "author", "date", "series"]),
        help="The order of the stories. [default: given, or the manifest's]",
    ),
)
"""What only ``anthology`` has: the volume's file, manifest, metadata and order."""


# --------------------------------------------------------------------------- commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=versions,
    help="Show fic2book's version and its engines', and exit.",
)
def main() -> None:
    """Turn raw fan fiction files into EPUB, PDF and HTML books."""


@main.command(epilog=EXIT_STATUSES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@batch_options
@format_option
@story_overrides
@reading_options
@render_options
def convert(inputs: tuple[Path, ...], **opts: Any) -> None:
    """Make a book of each INPUT: a story file, a folder of them, or a glob.

    Inputs run on --jobs worker processes; books are named and written in input order,
    so they do not depend on --jobs. A book already made from the same input with the
    same options is left alone (--force rebuilds). One bad file gets one error line and
    does not stop the others.
    """
    from fic2book.app.convert import run_convert

    opts["formats"] = opts["formats"] or ("epub",)
    opts["style"] = opts["style"] or "classic"
    sys.exit(run_convert(inputs, opts))


@main.command(epilog=ANTHOLOGY_EXIT_STATUSES)
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@volume_options
@format_option
@reading_options
@render_options
def anthology(inputs: tuple[Path, ...], **opts: Any) -> None:
    """Compile many stories into one volume: INPUT files, folders and globs, and/or the
    stories of a --manifest, each a part with its own title page.

    Every story is read before anything is written: a file that cannot be read is one
    error line naming it, and no volume is made.
    """
    from fic2book.app.anthology import run_anthology

    sys.exit(run_anthology(inputs, opts))


@main.command()
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the whole chapter tree as JSON.")
@click.option("--dialects", is_flag=True, help="List the readers --dialect can name, and stop.")
@story_overrides
@reading_options
def inspect(file: Path | None, as_json: bool, dialects: bool, **opts: Any) -> None:
    """Show how FILE is read: a summary, or with --json the whole tree."""
    from fic2book.app.info import list_dialects, run_inspect

    if dialects:
        list_dialects()
        return
    if file is None:
        raise click.UsageError("Missing argument 'FILE'.")
    sys.exit(run_inspect(file, as_json, opts))


@main.command()
def styles() -> None:
    """List the built-in themes."""
    from fic2book.app.info import list_styles

    list_styles()

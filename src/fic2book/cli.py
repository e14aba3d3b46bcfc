"""The command line: a thin click layer over the public API.

Expected failures (a missing file, a file that is not text) print one line naming the
file and the reason and exit with status 1; they never show a traceback. Heavy modules
are imported inside the commands that need them, so ``fic2book --help`` stays instant.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fic2book.errors import Fic2BookError
from fic2book.writers import writer_names

if TYPE_CHECKING:
    from fic2book.model import Story


def fail(message: str) -> None:
    """Print one error line to standard error."""
    click.echo(f"fic2book: {message}", err=True)


def check_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--lang``: a language tag (``pt-BR``; ``pt_BR`` is read as that) or a language name
    fic2book knows (``English``); anything else is a usage error, not a silently wrong
    book."""
    if value is None:
        return None
    from fic2book.read.fields import language_tag

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
    anything else is one error line and exit status 1."""
    if value is None:
        return None
    from fic2book.themes import page_css_size

    try:
        page_css_size(value)
    except Fic2BookError as exc:  # one clear line, not a usage screen (the value may be CSS)
        fail(str(exc))
        ctx.exit(1)
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fic2book")
def main() -> None:
    """Turn raw fan fiction files into EPUB, PDF and HTML books."""


_STORY_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml"}


def reading_options(func: Callable[..., None]) -> Callable[..., None]:
    """The options that change how a story is read, shared by every command."""
    for option in reversed(
        [
            click.option("--title", help="Use this title instead of the file's."),
            click.option(
                "--author", "authors", multiple=True, help="Use this author (repeatable)."
            ),
            click.option(
                "--lang",
                callback=check_lang,
                help="The story's language (a tag such as en or pt-BR, or a name).",
            ),
            click.option(
                "--no-smart", is_flag=True, help="Keep quotes, dashes and dots exactly as written."
            ),
            click.option(
                "--dialect",
                callback=check_dialect,
                help="Read the file with this reader instead of detecting it"
                " (see `fic2book inspect --dialects`).",
            ),
        ]
    ):
        func = option(func)
    return func


def read_story(path: Path, opts: dict[str, Any]) -> Story:
    """Parse one file with the reading options."""
    from fic2book.api import parse

    return parse(
        path,
        title=opts["title"],
        authors=opts["authors"] or None,
        language=opts["lang"],
        smart=not opts["no_smart"],
        dialect=opts["dialect"],
    )


@main.command()
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the whole chapter tree as JSON.")
@click.option("--dialects", is_flag=True, help="List the readers --dialect can name, and stop.")
@reading_options
def inspect(file: Path | None, as_json: bool, dialects: bool, **opts: Any) -> None:
    """Show how FILE is read: a summary, or with --json the whole tree."""
    if dialects:
        from fic2book.read.sites import ADAPTERS

        for adapter in ADAPTERS:
            click.echo(f"{adapter.name}: {adapter.description}")
        return
    if file is None:
        raise click.UsageError("Missing argument 'FILE'.")
    try:
        story = read_story(file, opts)
    except Fic2BookError as exc:
        fail(str(exc))
        sys.exit(1)
    if as_json:
        from fic2book.serialize import story_to_json

        click.echo(story_to_json(story))
    else:
        from fic2book.summary import story_summary

        click.echo(story_summary(story))


def expand_inputs(inputs: tuple[Path, ...], output: Path | None = None) -> list[Path]:
    """Files as given; a folder stands for the story files inside it (recursively, sorted).

    Each file counts once, however often it is named. A folder leaves out hidden files,
    the output folder when it sits inside (``fic2book convert .`` with ``out/``), and
    HTML books fic2book made itself, so a second run never reads the first run's books.
    """
    out: dict[Path, Path] = {}
    skip = output.resolve() if output is not None else None
    for path in inputs:
        if path.is_dir():
            root = path.resolve()
            inner = skip if skip and skip != root and skip.is_relative_to(root) else None
            for p in sorted(path.rglob("*")):
                if (
                    p.is_file()
                    and p.suffix.lower() in _STORY_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                    and not (inner and p.resolve().is_relative_to(inner))
                    and not made_by_us(p)
                ):
                    out.setdefault(p.resolve(), p)
        else:
            out.setdefault(_real(path), path)
    return list(out.values())


def _real(path: Path) -> Path:
    """A path with symlinks resolved, or as given when they loop (reading it then says
    so in one line, rather than a traceback here)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def made_by_us(path: Path) -> bool:
    """Whether a file is an HTML book fic2book wrote (its head names fic2book as the
    generator)."""
    if path.suffix.lower() not in (".html", ".htm", ".xhtml"):
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(16384)
    except OSError:
        return False
    return b'<meta name="generator" content="fic2book">' in head


def _read_css(
    files: tuple[Path, ...], formats: tuple[str, ...] = (), *, quiet: bool = False
) -> tuple[str, ...]:
    """The user's CSS files' text; a file that cannot be read is an error naming it.

    EPUB and HTML books load nothing from outside, so ``@import`` rules and ``url()``s
    that are not ``data:`` URIs are left out of them (``themes.clean_css``); when those
    formats are asked for, one warning per file says what was left out.
    """
    from fic2book.limits import current, read_bounded
    from fic2book.themes import clean_css

    texts: list[str] = []
    for f in files:
        try:  # a regular file within the CSS size limit (limits.read_bounded)
            text = read_bounded(f, current().css_bytes, "CSS file", "css_bytes").decode("utf-8")
        except UnicodeDecodeError:
            raise Fic2BookError(f"{f}: the CSS file is not UTF-8 text") from None
        removed = clean_css(text)[1]
        if removed and set(formats) & {"epub", "html"} and not quiet:
            what = ", ".join(r.rstrip(";").strip() for r in removed[:5])
            what += f" and {len(removed) - 5} more" if len(removed) > 5 else ""
            click.echo(
                f"fic2book: warning: {f}: left out of EPUB and HTML books, which load nothing"
                f" from outside: {what} (use data: URIs)",
                err=True,
            )
        texts.append(text)
    return tuple(texts)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    default=("epub",),
    show_default=True,
    type=click.Choice(writer_names()),
    help="Output format (repeatable).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help="Folder for the books (created if missing).",
)
@click.option(
    "--style",
    default="classic",
    show_default=True,
    help="A theme name (see `fic2book styles`) or a theme folder.",
)
@click.option(
    "--css",
    "css_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Your own CSS, applied after the theme (repeatable).",
)
@click.option(
    "--notes",
    type=click.Choice(["keep", "end", "drop"]),
    default="keep",
    show_default=True,
    help="Author's notes in place, gathered at the end, or left out.",
)
@click.option(
    "--page-size",
    default=None,
    callback=check_page_size,
    help="PDF page size: A5, A4, letter, 6x9, 5x8, 148x210mm, '12cm 18cm'... "
    "[default: the theme's, A5]",
)
@click.option("--no-cover", is_flag=True, help="Do not generate a cover image.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@reading_options
def convert(
    inputs: tuple[Path, ...],
    formats: tuple[str, ...],
    output: Path,
    style: str,
    css_files: tuple[Path, ...],
    notes: str,
    page_size: str | None,
    no_cover: bool,
    quiet: bool,
    **opts: Any,
) -> None:
    """Make a book of each INPUT file (a folder means every story file in it).

    One bad file does not stop the others: it gets one error line, and the exit status
    is 1 when any file failed.
    """
    from fic2book.book import apply_notes_mode, book_of
    from fic2book.output import Namer, write_atomic
    from fic2book.themes import load_theme
    from fic2book.writers import BuildOptions, get_writer

    try:
        theme = load_theme(style)
        options = BuildOptions(
            notes=notes,  # type: ignore[arg-type]
            page_size=page_size,
            user_css=_read_css(css_files, formats, quiet=quiet),
            cover=not no_cover,
        )
    except Fic2BookError as exc:
        fail(str(exc))
        sys.exit(1)
    files = expand_inputs(inputs, output)
    if files:
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            fail(f"{output}: cannot make the output folder ({exc.strerror})")
            sys.exit(1)
    namer = Namer(output, reserved=set(files))
    writers = [get_writer(name) for name in dict.fromkeys(formats)]
    failed = made = 0
    for path in files:
        try:
            book = apply_notes_mode(book_of(read_story(path, opts)), options.notes)
            for writer in writers:
                data = writer.render(book, theme, options)
                target = namer.path_for(book.metadata, writer.suffix)
                write_atomic(target, data)
                made += 1
                if not quiet:
                    click.echo(str(target))
        except Fic2BookError as exc:
            failed += 1
            fail(str(exc))
        except Exception as exc:  # an unexpected failure must not stop the batch
            failed += 1
            fail(f"{path}: could not be converted ({type(exc).__name__}: {exc})")
    if len(files) > 1 and not quiet:
        click.echo(f"{made} book file(s) written, {failed} input(s) failed", err=True)
    if failed or not files:
        if not files:
            fail(f"no story files found in {', '.join(map(str, inputs))}")
        sys.exit(1)


@main.command()
def styles() -> None:
    """List the built-in themes."""
    from fic2book.themes import DEFAULT_THEME, builtin_names, load_theme

    for name in builtin_names():
        theme = load_theme(name)
        mark = " (default)" if name == DEFAULT_THEME else ""
        click.echo(f"{name}{mark}: {theme.description}")

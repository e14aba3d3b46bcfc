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


def check_page_size(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--page-size``: a size ``themes.page_css_size`` accepts, checked before any book."""
    if value is None:
        return None
    from fic2book.themes import page_css_size

    try:
        page_css_size(value)
    except Fic2BookError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fic2book")
def main() -> None:
    """Turn raw fan fiction files into EPUB, PDF and HTML books."""


_DIALECTS = ["html", "ao3", "ffn", "markdown", "header", "plain"]
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
                type=click.Choice(_DIALECTS),
                help="Read the file as this dialect instead of detecting it.",
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
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the whole chapter tree as JSON.")
@reading_options
def inspect(file: Path, as_json: bool, **opts: Any) -> None:
    """Show how FILE is read: a summary, or with --json the whole tree."""
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
            out.setdefault(path.resolve(), path)
    return list(out.values())


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
    from fic2book.themes import clean_css

    texts: list[str] = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise Fic2BookError(f"{f}: no such CSS file") from None
        except UnicodeDecodeError:
            raise Fic2BookError(f"{f}: the CSS file is not UTF-8 text") from None
        except OSError as exc:
            raise Fic2BookError(f"{f}: cannot read the CSS file ({exc.strerror})") from None
        removed = clean_css(text)[1]
        if removed and set(formats) & {"epub", "html"} and not quiet:
            what = ", ".join(r.rstrip(";").strip() for r in removed)
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
@click.option(
    "--join",
    is_flag=True,
    help="Read the inputs as the chapters of one story, in order (a folder or glob in "
    "natural order: ch2 before ch10).",
)
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
    join: bool = False,
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
    if join:
        sys.exit(convert_joined(inputs, formats, output, theme, options, quiet, opts))
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
            fail("no story files found in the inputs")
        sys.exit(1)


def convert_joined(
    inputs: tuple[Path, ...],
    formats: tuple[str, ...],
    output: Path,
    theme: Any,
    options: Any,
    quiet: bool,
    opts: dict[str, Any],
) -> int:
    """``convert --join``: the inputs read as one story's chapters and written as one
    book per format; the exit status (1 when any file cannot be read: nothing is
    written then)."""
    from fic2book.anthology import gather_inputs, join_stories
    from fic2book.book import apply_notes_mode, book_of
    from fic2book.output import Namer, write_atomic
    from fic2book.writers import get_writer

    files = gather_inputs(inputs, output)
    if not files:
        fail("no story files found in the inputs")
        return 1
    folder = inputs[0].name if len(inputs) == 1 and inputs[0].is_dir() else None
    try:
        story = join_stories(
            [read_story(p, {**opts, "title": None, "authors": ()}) for p in files], folder
        )
        story = _override(story, opts)
        book = apply_notes_mode(book_of(story), options.notes)
        output.mkdir(parents=True, exist_ok=True)
        namer = Namer(output, reserved=set(files))
        for name in dict.fromkeys(formats):
            writer = get_writer(name)
            target = namer.path_for(book.metadata, writer.suffix)
            write_atomic(target, writer.render(book, theme, options))
            if not quiet:
                click.echo(str(target))
    except Fic2BookError as exc:
        fail(str(exc))
        return 1
    except OSError as exc:
        fail(f"{output}: cannot write the book ({exc.strerror})")
        return 1
    return 0


def _override(story: Story, opts: dict[str, Any]) -> Story:
    """A story with the user's ``--title``, ``--author`` and ``--lang`` applied."""
    from dataclasses import replace

    meta = story.metadata
    if opts.get("title"):
        meta = replace(meta, title=opts["title"])
    if opts.get("authors"):
        meta = replace(meta, authors=tuple(opts["authors"]))
    if opts.get("lang"):
        meta = replace(meta, language=opts["lang"])
    return replace(story, metadata=meta)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The volume's file; its suffix (.epub, .pdf, .html) picks the format. "
    "[default: out/TITLE.epub]",
)
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    type=click.Choice(writer_names()),
    help="Output format (repeatable: one volume per format, beside --output).",
)
@click.option(
    "--manifest", type=click.Path(path_type=Path, dir_okay=False), help="An anthology.toml."
)
@click.option("--title", help="The volume's title. [default: the series, or Collected Stories]")
@click.option("--editor", "editors", multiple=True, help="The volume's editor (repeatable).")
@click.option("--description", help="The volume's description. [default: the stories it holds]")
@click.option("--lang", callback=check_lang, help="The volume's language.")
@click.option(
    "--order",
    type=click.Choice(["given", "title", "author", "date", "series"]),
    help="The order of the stories. [default: given]",
)
@click.option("--style", default=None, help="A theme name or folder. [default: classic]")
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
    help="Author's notes in place, gathered per story in the volume's end matter, or left out.",
)
@click.option("--page-size", default=None, callback=check_page_size, help="PDF page size.")
@click.option("--no-cover", is_flag=True, help="Do not generate a cover image.")
@click.option("--no-smart", is_flag=True, help="Keep quotes, dashes and dots exactly as written.")
@click.option("--dialect", type=click.Choice(_DIALECTS), help="Read every file as this dialect.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
def anthology(
    inputs: tuple[Path, ...],
    output: Path | None,
    formats: tuple[str, ...],
    manifest: Path | None,
    style: str | None,
    css_files: tuple[Path, ...],
    notes: str,
    page_size: str | None,
    no_cover: bool,
    quiet: bool,
    **opts: Any,
) -> None:
    """Compile many stories into one volume: INPUT files, folders and globs, and/or the
    stories of a --manifest, each a part with its own title page.

    Every story is read before anything is written: a file that cannot be read is one
    error line naming it, and no volume is made.
    """
    from fic2book.anthology import compile_volume
    from fic2book.output import write_atomic
    from fic2book.themes import load_theme
    from fic2book.writers import BuildOptions, get_writer

    try:
        book, plan, theme_name = compile_volume(
            inputs,
            manifest,
            output,
            formats,
            notes,  # type: ignore[arg-type]
            opts,
        )
        theme = load_theme(style or theme_name or "classic")
        options = BuildOptions(
            page_size=page_size,
            user_css=_read_css(css_files, tuple(f for f, _ in plan), quiet=quiet),
            cover=not no_cover,
        )
        for name, target in plan:
            write_atomic(target, get_writer(name).render(book, theme, options))
            if not quiet:
                click.echo(str(target))
    except Fic2BookError as exc:
        fail(str(exc))
        sys.exit(1)
    except OSError as exc:
        fail(f"{exc.filename or output}: cannot write the volume ({exc.strerror})")
        sys.exit(1)


@main.command()
def styles() -> None:
    """List the built-in themes."""
    from fic2book.themes import DEFAULT_THEME, builtin_names, load_theme

    for name in builtin_names():
        theme = load_theme(name)
        mark = " (default)" if name == DEFAULT_THEME else ""
        click.echo(f"{name}{mark}: {theme.description}")

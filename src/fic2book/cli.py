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
            click.option("--no-images", is_flag=True, help="Leave the pictures in the text out."),
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


def read_story(path: Path, opts: dict[str, Any], *, quiet: bool = False) -> Story:
    """Parse one file with the reading options; warnings (pictures left out) go to
    standard error unless ``quiet``."""
    from fic2book.api import parse

    return parse(
        path,
        title=opts["title"],
        authors=opts["authors"] or None,
        language=opts["lang"],
        smart=not opts["no_smart"],
        dialect=opts["dialect"],
        images=not opts.get("no_images", False),
        warn=None if quiet else lambda m: click.echo(f"fic2book: warning: {m}", err=True),
    )


def check_cover(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--cover``: ``none``, or an image file that exists (read when the run starts)."""
    if value is None or value.lower() == "none":
        return value and "none"
    if not Path(value).is_file():
        raise click.BadParameter(f"{value!r} is not an image file (or 'none')")
    return value


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


def expand_inputs(
    inputs: tuple[Path, ...], output: Path | None = None, *, recursive: bool = True
) -> list[Path]:
    """Files as given; a folder stands for the story files inside it (sorted; in its
    subfolders too when ``recursive``); a name that does not exist but holds ``*``, ``?``
    or ``[`` is a glob (``**`` descends when ``recursive``).

    Each file counts once, however often it is named. A folder leaves out hidden files,
    the output folder when it sits inside (``fic2book convert .`` with ``out/``), and
    HTML books fic2book made itself, so a second run never reads the first run's books.
    """
    out: dict[Path, Path] = {}
    skip = output.resolve() if output is not None else None
    for path in inputs:
        if not path.exists() and any(c in str(path) for c in "*?["):
            import glob

            matches = sorted(glob.glob(str(path), recursive=recursive))
            for match in matches:
                found = Path(match)
                if found.is_file() and found.suffix.lower() in _STORY_SUFFIXES:
                    out.setdefault(found.resolve(), found)
            if matches:
                continue
        if path.is_dir():
            root = path.resolve()
            inner = skip if skip and skip != root and skip.is_relative_to(root) else None
            for p in sorted(path.rglob("*") if recursive else path.glob("*")):
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


EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOTHING, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_STATUSES = """\b
Exit status:
  0    every input converted (or already up to date)
  1    some inputs failed (each has one error line)
  2    usage error: a bad option, format, template or configuration file
  3    nothing could be done: no story files, a bad theme or CSS file, an
       output folder that cannot be written, an unreachable scheduler
  130  interrupted (Ctrl-C); finished books are kept, nothing half-written"""


class FormatName(click.ParamType):  # type: ignore[type-arg]
    """A writer's name: the built-ins are known without scanning the installed writers."""

    name = "format"

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
    from fic2book.config import load_defaults

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


def convert_options(func: Callable[..., None]) -> Callable[..., None]:
    """Every option of ``convert``, in one place (a new option is one entry here and one
    field of ``job.ConvertOptions``)."""
    func = reading_options(func)
    for option in reversed(
        [
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
                "--format",
                "-f",
                "formats",
                multiple=True,
                default=("epub",),
                show_default=True,
                type=FormatName(),
                help="Output format: epub, pdf, html or an installed writer (repeatable).",
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
                "--style",
                default="classic",
                show_default=True,
                help="A theme name (see `fic2book styles`) or a theme folder.",
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
                help="Use this image as every book's cover, or 'none' for no cover. "
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
            click.option(
                "--name",
                default="{title}_{author}",
                show_default=True,
                help="Book file name template: {title} {author} {series} {series_index}"
                " {fandom} {stem} {lang}; a / makes folders.",
            ),
            click.option("--ascii-names", is_flag=True, help="Transliterate book names to ASCII."),
            click.option(
                "--recursive", "-r", is_flag=True, help="Descend into folders' subfolders."
            ),
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
            click.option(
                "--force", is_flag=True, help="Rebuild every book, even those up to date."
            ),
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
            click.option("--quiet", "-q", is_flag=True, help="Print only errors."),
        ]
    ):
        func = option(func)
    return func


@main.command(epilog=EXIT_STATUSES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@convert_options
def convert(inputs: tuple[Path, ...], **opts: Any) -> None:
    """Make a book of each INPUT: a story file, a folder of them, or a glob.

    Inputs run on --jobs worker processes; books are named and written in input order,
    so they do not depend on --jobs. A book already made from the same input with the
    same options is left alone (--force rebuilds). One bad file gets one error line and
    does not stop the others.
    """
    from fic2book.convert_run import run_convert, run_joined

    if opts.pop("join"):
        sys.exit(run_joined(inputs, opts))
    sys.exit(run_convert(inputs, opts))


def start_checks(quiet: bool) -> Any:
    """A ``check.Checker`` for ``--check``; says once which checkers cannot run."""
    from fic2book.check import Checker

    checker = Checker()
    if not quiet:
        for note in checker.notes():
            click.echo(f"fic2book: note: {note}", err=True)
    return checker


def report_check(checker: Any, path: Path, quiet: bool) -> bool:
    """Check one written book and print the verdict (findings even when quiet); whether
    it passed."""
    report = checker.check(path)
    if not quiet or not report.ok:
        for line in report.lines:
            click.echo(line, err=not report.ok)
    return bool(report.ok)


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
    from fic2book.names import BookNamer
    from fic2book.output import write_atomic
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
        namer = BookNamer(
            output, opts["name"], ascii_only=bool(opts["ascii_names"]), reserved=files
        )
        writers = [get_writer(name) for name in dict.fromkeys(formats)]
        targets = namer.paths_for(
            book.metadata, folder or files[0].stem, [w.suffix for w in writers]
        )
        for writer, target in zip(writers, targets, strict=True):
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
    type=FormatName(),
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
@click.option("--dialect", callback=check_dialect, help="Read every file as this dialect.")
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
            cover_image=None if no_cover else manifest_cover(manifest),
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


def manifest_cover(manifest: Path | None) -> Any:
    """The cover image a manifest names (``cover = "art.png"``), read and re-encoded, or
    None when it names none."""
    if manifest is None:
        return None
    from fic2book.anthology import load_manifest
    from fic2book.images import picture_from_file

    path = load_manifest(manifest).cover
    return picture_from_file(path) if path is not None else None


@main.command()
def styles() -> None:
    """List the built-in themes."""
    from fic2book.themes import DEFAULT_THEME, builtin_names, load_theme

    for name in builtin_names():
        theme = load_theme(name)
        mark = " (default)" if name == DEFAULT_THEME else ""
        click.echo(f"{name}{mark}: {theme.description}")

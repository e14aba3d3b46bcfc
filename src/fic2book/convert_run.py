"""``fic2book convert``'s work behind its options: checks, the batch, the exit status.

Checks come first and stop the run before any book with one line: a bad ``--name``
template is a usage error (status 2); a bad theme or CSS file, no story files or an
output folder that cannot be written is status 3. Then the batch runs (``batch``), and
the status is 0 when every input was converted or already up to date, 1 when some
failed, 130 on Ctrl-C.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fic2book.cli import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_USAGE,
    _read_css,
    expand_inputs,
    fail,
)
from fic2book.errors import Fic2BookError

if TYPE_CHECKING:
    from fic2book.job import ConvertOptions


def theme_digest(style: str) -> str:
    """A SHA-256 over the theme's name, options and every file of its folders."""
    from fic2book.job import theme_for
    from fic2book.themes import theme_files

    theme = theme_for(style)
    h = hashlib.sha256(f"{theme.name}\n{sorted(theme.options.items())}".encode())
    for f in theme_files(theme):
        h.update(f.name.encode("utf-8") + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def check_theme(style: str, formats: tuple[str, ...]) -> None:
    """Load the theme and build its stylesheet for each format's layer, so a broken
    theme stops the run before any book instead of failing every file."""
    from fic2book.job import theme_for
    from fic2book.themes import stylesheet
    from fic2book.writers import get_writer

    theme = theme_for(style)
    for layer in dict.fromkeys(get_writer(name).layer for name in formats):
        stylesheet(theme, layer)


def check_output(output: Path) -> None:
    """Make the output folder, and prove a file can be written in it."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=output):
            pass
    except OSError as exc:
        raise Fic2BookError(
            f"{output}: cannot write to the output folder ({exc.strerror or exc})"
        ) from None


def preload() -> None:
    """Import the readers before worker processes fork from this one (the writers are
    loaded by ``check_theme``), so each worker starts with them loaded."""
    import fic2book.api  # noqa: F401


def run_convert(inputs: tuple[Path, ...], opts: dict[str, Any]) -> int:
    """Run ``convert`` with click's parsed options; returns the exit status (130 for a
    Ctrl-C even before the first book)."""
    try:
        return _run_convert(inputs, opts)
    except KeyboardInterrupt:
        fail("interrupted")
        return EXIT_INTERRUPTED


def _run_convert(inputs: tuple[Path, ...], opts: dict[str, Any]) -> int:
    """``run_convert``'s work."""
    from fic2book import __version__
    from fic2book.batch import DEFAULT_TIMEOUT, Batch, InProcess, Pool, Runner, default_jobs
    from fic2book.cache import Cache, settings_digest
    from fic2book.names import check_template
    from fic2book.report import Reporter

    formats = tuple(dict.fromkeys(opts["formats"]))
    quiet = bool(opts["quiet"])
    output: Path = opts["output"]
    try:
        template = check_template(opts["name"])
    except Fic2BookError as exc:
        fail(str(exc))
        return EXIT_USAGE
    try:
        check_theme(opts["style"], formats)
        cover_image = cover_picture(opts["cover"])
        css = _read_css(opts["css_files"], formats, quiet=quiet)
        files = expand_inputs(inputs, output, recursive=opts["recursive"])
        if not files:
            raise Fic2BookError("no story files found in the inputs")
        check_output(output)
        options = convert_options(opts, formats, css, template, cover_image)
        settings = settings_digest(options.digest(), theme_digest(options.style), __version__)
        jobs = min(opts["jobs"] or default_jobs(), len(files))
        timeout = opts["timeout"] or DEFAULT_TIMEOUT
        runner: Runner
        if opts["scheduler"]:
            from fic2book.dask_run import DaskRunner

            runner = DaskRunner(opts["scheduler"], options, timeout)
            jobs = max(jobs, runner.limit)
        elif jobs > 1:
            preload()
            runner = Pool(options, jobs, timeout)
        else:
            runner = InProcess(options, timeout)
    except Fic2BookError as exc:
        fail(str(exc))
        return EXIT_NOTHING

    cache = Cache(opts["cache_dir"] or output, output)
    reporter = Reporter(len(files), quiet=quiet)
    batch = Batch(files, options, output, cache, settings, reporter, opts["force"], 4 * jobs)
    with reporter:
        try:
            batch.run(runner)
        except KeyboardInterrupt:
            reporter.interrupted = True
    failed = reporter.counts()["failed"]
    if opts.get("check") and not reporter.interrupted:
        failed += run_checks(reporter.outcomes, quiet)
    status = EXIT_INTERRUPTED if reporter.interrupted else EXIT_FAILED if failed else EXIT_OK
    reporter.finish()
    if opts["report"] is not None:
        try:
            reporter.write_json(opts["report"], status)
        except OSError as exc:
            fail(f"{opts['report']}: cannot write the report ({exc.strerror or exc})")
    if status == EXIT_INTERRUPTED:
        click.echo("fic2book: interrupted", err=True)
    sys.stdout.flush()
    return status


def run_checks(outcomes: list[Any], quiet: bool) -> int:
    """``--check``: every book written or found up to date is checked once the batch is
    done (one checker per run); returns how many books failed a check."""
    from fic2book.cli import report_check, start_checks

    checker = start_checks(quiet)
    return sum(
        not report_check(checker, Path(path), quiet)
        for outcome in outcomes
        if outcome.status != "failed"
        for path in outcome.outputs
    )


def cover_picture(cover: str | None) -> Any:
    """``--cover FILE``: the picture, read and re-encoded once for the whole run."""
    if not cover or cover == "none":
        return None
    from fic2book.images import picture_from_file

    return picture_from_file(Path(cover))


def run_joined(inputs: tuple[Path, ...], opts: dict[str, Any]) -> int:
    """``convert --join``: the inputs as one story's chapters, one book per format, in
    this process (a join is one story, so there is nothing to spread over workers)."""
    from fic2book.cli import convert_joined
    from fic2book.themes import load_theme

    formats = tuple(dict.fromkeys(opts["formats"]))
    quiet = bool(opts["quiet"])
    try:
        check_theme(opts["style"], formats)
        css = _read_css(opts["css_files"], formats, quiet=quiet)
        cover_image = cover_picture(opts["cover"])
        options = convert_options(opts, formats, css, opts["name"], cover_image).build_options()
        theme = load_theme(opts["style"])
    except Fic2BookError as exc:
        fail(str(exc))
        return EXIT_NOTHING
    return convert_joined(inputs, formats, opts["output"], theme, options, quiet, opts)


def convert_options(
    opts: dict[str, Any],
    formats: tuple[str, ...],
    css: tuple[str, ...],
    template: str,
    cover_image: Any,
) -> ConvertOptions:
    """Click's parsed options as the frozen ``ConvertOptions`` every runner and the
    cache use (the CSS files already read, the cover already re-encoded)."""
    from fic2book.job import ConvertOptions

    return ConvertOptions(
        formats=formats,
        style=opts["style"],
        user_css=css,
        notes=opts["notes"],
        page_size=opts["page_size"],
        cover=not opts["no_cover"] and opts["cover"] != "none",
        cover_image=cover_image,
        images=not opts["no_images"],
        credit=not opts["no_credit"],
        colophon=not opts["no_colophon"],
        title=opts["title"],
        authors=tuple(opts["authors"]),
        lang=opts["lang"],
        smart=not opts["no_smart"],
        dialect=opts["dialect"],
        name=template,
        ascii_names=bool(opts["ascii_names"]),
    )

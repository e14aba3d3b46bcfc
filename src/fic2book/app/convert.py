"""``fic2book convert``'s work behind its options: checks, the batch, the exit status.

Checks come first and stop the run before any book with one line: a bad ``--name``
template is a usage error (status 2); a bad theme or CSS file, a system library a
format needs (Pango for PDF), no story files or an output folder that cannot be
written is status 3. Then the batch runs (``batch``), and the status is 0 when every
input was converted or already up to date, 1 when some failed, 130 on Ctrl-C.
``--join`` reads the inputs as one story's chapters instead.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from fic2book.app.exits import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_USAGE,
    fail,
    warn,
)
from fic2book.app.options import Opts, convert_options
from fic2book.errors import Fic2BookError

if TYPE_CHECKING:
    from fic2book.app.batch import Runner
    from fic2book.app.job import ConvertOptions
    from fic2book.model import Story
    from fic2book.options import ReadOptions


def theme_digest(style: str) -> str:
    """A SHA-256 over the theme's name, options and every file of its folders."""
    from fic2book.pipeline import theme_for
    from fic2book.themes import theme_files

    theme = theme_for(style)
    h = hashlib.sha256(f"{theme.name}\n{sorted(theme.options.items())}".encode())
    for f in theme_files(theme):
        h.update(f.name.encode("utf-8") + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def check_theme(style: str, formats: tuple[str, ...]) -> None:
    """Load the theme and build its stylesheet for each format's layer, so a broken
    theme stops the run before any book instead of failing every file."""
    from fic2book.pipeline import theme_for, writers_for
    from fic2book.themes import stylesheet

    theme = theme_for(style)
    for layer in dict.fromkeys(w.layer for w in writers_for(formats)):
        stylesheet(theme, layer)


def check_engines(formats: tuple[str, ...]) -> None:
    """Load the engine of each format that needs a system library (WeasyPrint, which
    needs Pango, for PDF), so a missing library is one line before any book instead of
    one failure per file."""
    if "pdf" in formats:
        from fic2book.writers.pdf import load_weasyprint

        load_weasyprint()


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
    """Import the pipeline before worker processes fork from this one (the writers are
    loaded by ``check_theme``), so each worker starts with it loaded."""
    import fic2book.pipeline  # noqa: F401


def run_convert(inputs: tuple[Path, ...], opts: Opts) -> int:
    """Run ``convert`` with click's parsed options; returns the exit status (130 for a
    Ctrl-C even before the first book)."""
    try:
        if opts.get("join"):
            return run_joined(inputs, opts)
        return _run_batch(inputs, opts)
    except KeyboardInterrupt:
        fail("interrupted")
        return EXIT_INTERRUPTED


def _prepared(opts: Opts, template: str) -> ConvertOptions:
    """The run's options, after the theme and the engines are checked (status 3 on a
    bad theme or a missing system library; the engines of a ``--scheduler`` run are
    the cluster's, not this machine's)."""
    formats = tuple(dict.fromkeys(opts["formats"]))
    check_theme(opts["style"], formats)
    if not opts.get("scheduler"):
        check_engines(formats)
    return convert_options(opts, formats, template, quiet=bool(opts["quiet"]))


def _runner(opts: Opts, options: ConvertOptions, files: int) -> tuple[Runner, int]:
    """The runner ``--scheduler`` and ``--jobs`` ask for, and how many jobs it runs."""
    from fic2book.app.batch import DEFAULT_TIMEOUT, InProcess, Pool, default_jobs

    jobs = min(opts["jobs"] or default_jobs(), files)
    timeout = opts["timeout"] or DEFAULT_TIMEOUT
    if opts["scheduler"]:
        from fic2book.app.dask_run import DaskRunner

        runner = DaskRunner(opts["scheduler"], options, timeout)
        return runner, max(jobs, runner.limit)
    if jobs > 1:
        preload()
        return Pool(options, jobs, timeout), jobs
    return InProcess(options, timeout), jobs


def _run_batch(inputs: tuple[Path, ...], opts: Opts) -> int:
    """``convert`` over many inputs: checks, the batch, the checks of ``--check``, the
    report; returns the exit status."""
    from fic2book import __version__
    from fic2book.app.batch import Batch
    from fic2book.app.cache import Cache, settings_digest
    from fic2book.app.inputs import expand_inputs
    from fic2book.app.names import check_template
    from fic2book.app.report import Reporter

    quiet = bool(opts["quiet"])
    output: Path = opts["output"]
    try:
        template = check_template(opts["name"])
    except Fic2BookError as exc:
        fail(str(exc))
        return EXIT_USAGE
    try:
        options = _prepared(opts, template)
        files = expand_inputs(inputs, output, recursive=opts["recursive"])
        if not files:
            raise Fic2BookError("no story files found in the inputs")
        check_output(output)
        settings = settings_digest(options.digest(), theme_digest(options.style), __version__)
        runner, jobs = _runner(opts, options, len(files))
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
        failed += run_checks(
            [p for o in reporter.outcomes if o.status != "failed" for p in o.outputs], quiet
        )
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


def run_checks(paths: list[str], quiet: bool) -> int:
    """``--check``: every book written or found up to date is checked once the run is
    done (one checker per run); returns how many books failed a check."""
    from fic2book.app.check import report_check, start_checks

    checker = start_checks(quiet)
    return sum(not report_check(checker, Path(path), quiet) for path in paths)


def run_joined(inputs: tuple[Path, ...], opts: Opts) -> int:
    """``convert --join``: the inputs read as one story's chapters, in order, and
    written as one book per format, in this process (a join is one story, so there is
    nothing to spread over workers); the exit status (1 when any file cannot be read:
    nothing is written then)."""
    from fic2book.app.names import check_template

    try:
        template = check_template(opts["name"])
    except Fic2BookError as exc:
        fail(str(exc))
        return EXIT_USAGE
    try:
        options = _prepared(opts, template)
    except Fic2BookError as exc:
        fail(str(exc))
        return EXIT_NOTHING
    try:
        return _write_joined(inputs, opts, options)
    except Fic2BookError as exc:
        fail(str(exc))
        return EXIT_FAILED
    except OSError as exc:
        fail(f"{opts['output']}: cannot write the book ({exc.strerror})")
        return EXIT_FAILED


def _write_joined(inputs: tuple[Path, ...], opts: Opts, options: ConvertOptions) -> int:
    """``run_joined``'s work: read, join, render, name and write."""
    from fic2book import pipeline
    from fic2book.app.inputs import gather_inputs
    from fic2book.app.names import BookNamer
    from fic2book.app.output import write_atomic
    from fic2book.volume import join_stories

    output: Path = opts["output"]
    quiet = bool(opts["quiet"])
    files = gather_inputs(inputs, output)
    if not files:
        fail("no story files found in the inputs")
        return EXIT_FAILED
    folder = inputs[0].name if len(inputs) == 1 and inputs[0].is_dir() else None
    each = replace(options.read, title=None, authors=())
    stories = [pipeline.read(p, each, warn=None if quiet else warn) for p in files]
    story = override(join_stories(stories, folder), options.read)
    books = pipeline.render_all(story, options.formats, options.style, options.render)
    output.mkdir(parents=True, exist_ok=True)
    namer = BookNamer(output, options.name, ascii_only=options.ascii_names, reserved=files)
    targets = namer.paths_for(story.metadata, folder or files[0].stem, [s for s, _ in books])
    for target, (_, data) in zip(targets, books, strict=True):
        write_atomic(target, data)
        if not quiet:
            click.echo(str(target))
    return EXIT_OK


def override(story: Story, options: ReadOptions) -> Story:
    """A story with the user's ``--title``, ``--author`` and ``--lang`` applied."""
    meta = story.metadata
    if options.title:
        meta = replace(meta, title=options.title)
    if options.authors:
        meta = replace(meta, authors=options.authors)
    if options.lang:
        meta = replace(meta, language=options.lang)
    return replace(story, metadata=meta)

"""``fic2book anthology``: many stories in one volume, behind the command's options.

Every story is read before anything is written (``compile_volume``): a file that cannot
be read, a file named twice, or an output that would replace an input stops the run with
one line and no volume. Options on the command line win over the manifest's; each
story's notes are placed as its manifest entry says, else as ``--notes`` says, when the
volume is compiled, so the render stage leaves them where they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

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
from fic2book.app.inputs import gather_inputs
from fic2book.app.manifest import Entry, Manifest, load_manifest, no_repeats, read_entry
from fic2book.app.options import Opts, cover_picture, read_options, render_options
from fic2book.errors import Fic2BookError
from fic2book.model import Book, Metadata, Story
from fic2book.options import NotesMode, ReadOptions
from fic2book.volume import make_volume


def output_plan(
    output: Path | None, formats: Sequence[str], meta: Metadata, folder: Path = Path("out")
) -> list[tuple[str, Path]]:
    """Which format goes to which file: ``--format`` names the formats (each written
    beside ``-o`` with its own suffix); without it the suffix of ``-o`` is the format;
    without ``-o`` the volume is an EPUB in ``out/`` named from its title. A suffix that
    names no format is an error."""
    from fic2book.app.names import DEFAULT_TEMPLATE, render_name
    from fic2book.writers import get_writer, writer_names

    suffixes = {get_writer(name).suffix: name for name in writer_names()}
    if not formats:
        if output is None:
            formats = ("epub",)
        elif output.suffix.lower() in suffixes:
            formats = (suffixes[output.suffix.lower()],)
        else:
            known = ", ".join(sorted(suffixes))
            raise Fic2BookError(
                f"{output}: cannot tell the format from the suffix (use {known}, or --format)"
            )
    base = output if output is not None else folder / render_name(DEFAULT_TEMPLATE, meta, "")[-1]
    plan: list[tuple[str, Path]] = []
    for name in dict.fromkeys(formats):
        suffix = get_writer(name).suffix
        target = base if base.suffix.lower() == suffix else base.with_suffix(suffix)
        if output is not None and output.suffix.lower() not in suffixes:
            target = Path(f"{base}{suffix}")
        plan.append((name, target))
    return plan


def compile_volume(
    inputs: Sequence[Path],
    manifest: Manifest | None,
    output: Path | None,
    formats: Sequence[str],
    opts: Opts,
    reading: ReadOptions,
) -> tuple[Book, list[tuple[str, Path]]]:
    """What ``fic2book anthology`` makes, before anything is written: the volume (the
    manifest's stories, then the inputs'), and where each format goes."""
    from fic2book import pipeline

    notes: NotesMode = opts.get("notes") or "keep"
    order = opts.get("order") or (manifest.order if manifest else None)
    as_given = order == "given"  # asked for in so many words: never re-sorted as a glob
    entries = list(manifest.entries) if manifest else []
    found = gather_inputs(inputs, output.parent if output else None, as_given=as_given)
    entries += [Entry((f,)) for f in found]
    if not entries:
        raise Fic2BookError("no stories: give story files, folders or a --manifest")
    no_repeats(entries, str(manifest.path) if manifest else "inputs")
    quiet = bool(opts.get("quiet"))

    def read(path: Path) -> Story:
        """One file read with the command's reading options."""
        return pipeline.read(path, reading, warn=None if quiet else warn)

    stories = [read_entry(entry, read, notes) for entry in entries]
    book = make_volume(
        stories,
        gathered=[(entry.notes or notes) == "end" for entry in entries],
        title=opts.get("title") or (manifest.title if manifest else None),
        editors=opts.get("editors") or (manifest.editors if manifest else ()),
        description=opts.get("description") or (manifest.description if manifest else None),
        language=opts.get("lang") or (manifest.language if manifest else None),
        order=order or "given",
    )
    plan = output_plan(output, formats, book.metadata)
    sources = {p.resolve() for e in entries for p in e.paths}
    for _, target in plan:
        if target.resolve() in sources:
            raise Fic2BookError(f"{target}: the volume would replace one of its stories")
    return book, plan


def run_anthology(inputs: tuple[Path, ...], opts: Opts) -> int:
    """``fic2book anthology`` with click's parsed options; the exit status, as
    ``ANTHOLOGY_EXIT_STATUSES`` says: 2 for a usage error (no stories, an output suffix
    that names no format), 3 for a bad theme, CSS file or cover picture or a missing
    system library (Pango for PDF), 1 when the manifest or a story cannot be read, the
    volume cannot be written or ``--check`` fails, 130 on Ctrl-C (a file being written
    is never left half-written)."""
    try:
        return _run_anthology(inputs, opts)
    except KeyboardInterrupt:
        fail("interrupted")
        return EXIT_INTERRUPTED


def _run_anthology(inputs: tuple[Path, ...], opts: Opts) -> int:
    """``run_anthology``'s work, Ctrl-C aside."""
    from fic2book import pipeline
    from fic2book.app.convert import check_engines, check_theme, run_checks
    from fic2book.app.output import write_atomic

    quiet = bool(opts.get("quiet"))
    try:
        if not inputs and not opts.get("manifest"):
            raise Fic2BookError("no stories: give story files, folders or a --manifest")
        plan = output_plan(opts.get("output"), opts.get("formats") or (), Metadata())
        formats = [name for name, _ in plan]
    except Fic2BookError as exc:
        fail(str(exc))
        return EXIT_USAGE
    try:  # a manifest lists the inputs: its problems fail the run as a story's do
        manifest = load_manifest(opts["manifest"]) if opts.get("manifest") else None
    except Fic2BookError as exc:
        fail(str(exc))
        return EXIT_FAILED
    style = opts.get("style") or (manifest.theme if manifest else None) or "classic"
    try:
        check_theme(style, tuple(formats))
        check_engines(tuple(formats))
        render = render_options(opts, formats, quiet=quiet)
        if render.cover and render.cover_image is None and manifest and manifest.cover:
            render = replace(render, cover_image=cover_picture(manifest.cover))
    except Fic2BookError as exc:
        fail(str(exc))
        return EXIT_NOTHING
    reading = read_options(opts, story_overrides=False)
    try:
        book, plan = compile_volume(inputs, manifest, opts.get("output"), formats, opts, reading)
        books = pipeline.render_all(book, formats, style, replace(render, notes="keep"))
        for (_, target), (_, data) in zip(plan, books, strict=True):
            write_atomic(target, data)
            if not quiet:
                click.echo(str(target))
    except Fic2BookError as exc:
        fail(str(exc))
        return EXIT_FAILED
    except OSError as exc:
        fail(f"{exc.filename or opts.get('output')}: cannot write the volume ({exc.strerror})")
        return EXIT_FAILED
    if opts.get("check") and run_checks([str(target) for _, target in plan], quiet):
        return EXIT_FAILED
    return EXIT_OK

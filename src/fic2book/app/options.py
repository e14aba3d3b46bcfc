"""The one place the command line's options become the pipeline's option values.

Click gives each command a dict of its parsed options; ``read_options``,
``render_options`` and ``convert_options`` turn it into ``ReadOptions``,
``RenderOptions`` and the batch's ``ConvertOptions``, reading the ``--css`` files and
the ``--cover`` picture once. ``convert``, ``--join`` and ``anthology`` all go through
here, so an option means the same in each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fic2book.app.exits import warn
from fic2book.app.job import ConvertOptions
from fic2book.errors import Fic2BookError
from fic2book.model import Picture
from fic2book.options import ReadOptions, RenderOptions

Opts = Mapping[str, Any]
"""Click's parsed options of one command, by parameter name."""


def read_options(opts: Opts, *, story_overrides: bool = True) -> ReadOptions:
    """How each input is read: ``--no-smart``, ``--dialect``, ``--no-images`` and, when
    the command's ``--title``, ``--author`` and ``--lang`` speak of the story (not of a
    volume: ``story_overrides``), those."""
    own = story_overrides
    return ReadOptions(
        title=opts.get("title") if own else None,
        authors=tuple(opts.get("authors") or ()) if own else (),
        lang=opts.get("lang") if own else None,
        smart=not opts.get("no_smart"),
        dialect=opts.get("dialect"),
        images=not opts.get("no_images"),
    )


def render_options(opts: Opts, formats: Sequence[str], *, quiet: bool = False) -> RenderOptions:
    """How the books are rendered: notes, page size, the ``--css`` files' text, cover
    (``--cover FILE|none``, ``--no-cover``), credit, colophon and pictures. A page size
    with no PDF asked for is said once (it changes nothing)."""
    cover = opts.get("cover")
    no_cover = bool(opts.get("no_cover")) or cover == "none"
    page_size = opts.get("page_size")
    if page_size and "pdf" not in formats and not quiet:
        warn(f"--page-size {page_size} changes only PDF books, and none is asked for")
    return RenderOptions(
        notes=opts.get("notes") or "keep",
        page_size=page_size,
        user_css=read_css(tuple(opts.get("css_files") or ()), tuple(formats), quiet=quiet),
        cover=not no_cover,
        credit=not opts.get("no_credit"),
        colophon=not opts.get("no_colophon"),
        cover_image=None if no_cover else cover_picture(cover),
        images=not opts.get("no_images"),
    )


def convert_options(
    opts: Opts, formats: Sequence[str], template: str, *, quiet: bool = False
) -> ConvertOptions:
    """Everything that decides ``convert``'s books and their names, as the frozen
    ``ConvertOptions`` every runner and the cache use."""
    return ConvertOptions(
        formats=tuple(formats),
        style=opts.get("style") or "classic",
        read=read_options(opts),
        render=render_options(opts, formats, quiet=quiet),
        name=template,
        ascii_names=bool(opts.get("ascii_names")),
    )


def cover_picture(cover: str | Path | None) -> Picture | None:
    """``--cover FILE``: the picture, read and re-encoded once for the whole run."""
    if not cover or cover == "none":
        return None
    from fic2book.images import picture_from_file

    return picture_from_file(Path(cover))


def read_css(
    files: tuple[Path, ...], formats: tuple[str, ...] = (), *, quiet: bool = False
) -> tuple[str, ...]:
    """The user's CSS files' text; a file that cannot be read is an error naming it.

    Each file is kept to what parses (``cssparse.keep_parsed``): a part that does not
    parse would reach an EPUB as it is and fail EPUBCheck, and readers drop it anyway.
    One warning per file names the parts left out (the first five, and how many more).
    EPUB and HTML books load nothing from outside, so ``@import`` rules and ``url()``s
    that are not ``data:`` URIs are left out of them (``themes.clean_css``); when those
    formats are asked for, one warning per file says what was left out.
    """
    from fic2book.cssparse import keep_parsed
    from fic2book.limits import current, read_bounded
    from fic2book.themes import clean_css

    texts: list[str] = []
    for f in files:
        try:  # a regular file within the CSS size limit (limits.read_bounded)
            text = read_bounded(f, current().css_bytes, "CSS file", "css_bytes").decode("utf-8")
        except UnicodeDecodeError:
            raise Fic2BookError(f"{f}: the CSS file is not UTF-8 text") from None
        text, unparsed = keep_parsed(text)
        if unparsed and not quiet:
            warn(f"{f}: left out, as it does not parse: {_some(unparsed, ', ')}")
        removed = clean_css(text)[1]
        if removed and set(formats) & {"epub", "html"} and not quiet:
            what = _some([r.rstrip(";").strip() for r in removed], ", ")
            warn(
                f"{f}: left out of EPUB and HTML books, which load nothing"
                f" from outside: {what} (use data: URIs)"
            )
        texts.append(text)
    return tuple(texts)


def _some(items: list[str], sep: str, shown: int = 5) -> str:
    """The first ``shown`` items joined, and ``and N more`` for the rest."""
    text = sep.join(items[:shown])
    return text + (f" and {len(items) - shown} more" if len(items) > shown else "")

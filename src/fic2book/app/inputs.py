"""Which files a command reads: files as given, folders' story files, globs, in the
order a person means.

``expand_inputs`` is ``convert``'s (each file once; a folder's story files, in its
subfolders too when asked; the output folder and fic2book's own HTML books left out);
``gather_inputs`` is the order-keeping form ``--join`` and ``anthology`` use, folders
and patterns in natural order (``ch2`` before ``ch10``).
"""

from __future__ import annotations

import glob
import re
from collections.abc import Sequence
from pathlib import Path

from fic2book.volume import natural_key

STORY_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml"})
"""The file suffixes a folder's story files have."""
_GLOB_CHARS = re.compile(r"[*?\[]")


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
            matches = sorted(glob.glob(str(path), recursive=recursive))
            for match in matches:
                found = Path(match)
                if found.is_file() and found.suffix.lower() in STORY_SUFFIXES:
                    out.setdefault(found.resolve(), found)
            if matches:
                continue
        if path.is_dir():
            root = path.resolve()
            inner = skip if skip and skip != root and skip.is_relative_to(root) else None
            for p in sorted(path.rglob("*") if recursive else path.glob("*")):
                if (
                    p.is_file()
                    and p.suffix.lower() in STORY_SUFFIXES
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


def path_key(path: Path) -> tuple[tuple[int, int | str], ...]:
    """``natural_key`` over a whole path, folder by folder."""
    return tuple(k for part in path.parts for k in (*natural_key(part), (0, "/")))


def looks_globbed(paths: Sequence[Path]) -> bool:
    """Whether files came from a shell glob: more than one, in plain character order,
    and that order differs from natural order (``ch1 ch10 ch2``, which nobody types)."""
    if len(paths) < 2:
        return False
    as_text = [str(p) for p in paths]
    return as_text == sorted(as_text) and list(paths) != sorted(paths, key=path_key)


def gather_inputs(
    inputs: Sequence[Path], output: Path | None = None, *, as_given: bool = False
) -> list[Path]:
    """Story files from the inputs, in order: a file as given; a folder's story files
    (as ``convert`` picks them) in natural order; a pattern no file has as its name
    (``"ch*.txt"``, quoted so the shell left it alone) expanded in natural order. Files
    a shell glob gave in plain character order are put in natural order, unless
    ``as_given`` (the user asked for the order given: ``--order given``). Each file
    counts once; a missing file (or a pattern nothing matches) is kept, so reading it
    names it."""
    found: dict[Path, Path] = {}
    loose: list[Path] = []
    for item in inputs:
        if item.is_dir():
            group = sorted(expand_inputs((item,), output), key=path_key)
        elif not item.exists() and _GLOB_CHARS.search(str(item)):
            matches = [Path(m) for m in glob.glob(str(item), recursive=True)]
            group = sorted((m for m in matches if m.is_file()), key=path_key) or [item]
        else:
            loose.append(item)
            group = [item]
        for path in group:
            found.setdefault(path.resolve(), path)
    files = list(found.values())
    if not as_given and looks_globbed(loose) and len(loose) == len(files):
        files.sort(key=path_key)
    return files

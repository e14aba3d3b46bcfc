"""Exit statuses and the one-line messages every command prints.

pandoc-style statuses: 0 every input converted (or up to date), 1 some inputs failed,
2 a usage error, 3 nothing could be done, 130 interrupted; ``anthology`` makes one
volume, and its statuses say so (``ANTHOLOGY_EXIT_STATUSES``). Expected failures are
one line on standard error, ``fic2book: <file>: <reason>``, never a traceback.
"""

from __future__ import annotations

import click

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOTHING, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_STATUSES = """\b
Exit status:
  0    every input converted (or already up to date)
  1    some inputs failed (each has one error line)
  2    usage error: a bad option, format, template or configuration file
  3    nothing could be done: no story files, a bad theme or CSS file, a
       missing system library (Pango for PDF), an output folder that cannot
       be written, an unreachable scheduler
  130  interrupted (Ctrl-C); finished books are kept, nothing half-written"""
"""The exit statuses as ``convert --help`` shows them (click's ``\\b`` keeps the lines)."""
ANTHOLOGY_EXIT_STATUSES = """\b
Exit status:
  0    the volume was written, in every format asked for
  1    the manifest or a story could not be read (no volume is written), the
       volume could not be written, or --check found a problem in it
  2    usage error: a bad option, no stories given, or an output suffix that
       names no format
  3    nothing could be done: a bad theme, CSS file or cover picture
  130  interrupted (Ctrl-C); nothing half-written"""
"""The exit statuses as ``anthology --help`` shows them: the same numbers, for one
volume rather than a book per input."""


def fail(message: str) -> None:
    """Print one error line to standard error."""
    click.echo(f"fic2book: {message}", err=True)


def warn(message: str) -> None:
    """Print one warning line to standard error."""
    click.echo(f"fic2book: warning: {message}", err=True)


def note(message: str) -> None:
    """Print one note (something that could not run, never a failure) to standard error."""
    click.echo(f"fic2book: note: {message}", err=True)

"""Errors the tool expects to meet: each becomes one clear line for the user, never a traceback."""

from __future__ import annotations


class Fic2BookError(Exception):
    """An expected failure, such as a file that is not text; the message names the problem."""


class NotTextError(Fic2BookError):
    """The input is not a text file (binary data, an image, an archive)."""

"""The configuration file: ``fic2book.toml`` defaults for ``convert``'s options.

Files are read in this order, each overriding the one before: ``fic2book.toml`` in the
user's config folder (``~/.config/fic2book/`` on Linux), then
``fic2book.toml`` in the current folder, then ``--config FILE``; options on the command
line win over all of them. Keys are the long option names (``format``, ``style``,
``notes``, ``page-size``, ``name``, ``jobs``...), either at the top level or under a
``[convert]`` table; a repeatable option takes a list. An unknown key, a value of the
wrong type or a file that is not TOML is a one-line error naming the key and the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from fic2book.errors import Fic2BookError

FILE_NAME = "fic2book.toml"


def user_config_file() -> Path:
    """``fic2book.toml`` in the user's config folder: the platform's usual place
    (``$XDG_CONFIG_HOME/fic2book`` or ``~/.config/fic2book`` on Linux, Application
    Support on macOS, AppData on Windows), as click finds it at no import cost."""
    import click

    return Path(click.get_app_dir("fic2book")) / FILE_NAME


def config_files(explicit: Path | None) -> list[Path]:
    """The configuration files that apply, lowest precedence first."""
    found = [p for p in (user_config_file(), Path.cwd() / FILE_NAME) if p.is_file()]
    if explicit is not None:
        if not explicit.is_file():
            raise Fic2BookError(f"{explicit}: no such configuration file")
        found.append(explicit)
    return found


def read_config(path: Path) -> dict[str, Any]:
    """One file's settings: its top-level keys and those of its ``[convert]`` table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise Fic2BookError(f"{path}: cannot read the configuration file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise Fic2BookError(f"{path}: not a valid TOML file ({exc})") from None
    table = data.get("convert", {})
    if not isinstance(table, dict):
        raise Fic2BookError(f"{path}: [convert] must be a table")
    return {k: v for k, v in data.items() if k != "convert"} | table


def to_defaults(
    settings: Mapping[str, Any], options: Mapping[str, tuple[str, bool]], path: Path
) -> dict[str, Any]:
    """Settings as click defaults: each long option name mapped to its parameter name
    (``options``: long name -> (parameter name, repeatable)); an unknown key or a
    value of the wrong shape is an error naming the key and the file."""
    out: dict[str, Any] = {}
    for key, value in settings.items():
        if key not in options:
            known = ", ".join(sorted(options))
            raise Fic2BookError(f"{path}: unknown key {key!r} (known keys: {known})")
        param, multiple = options[key]
        if multiple:
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise Fic2BookError(f"{path}: {key!r} must be a string or a list of strings")
        elif isinstance(value, (dict, list)):
            raise Fic2BookError(f"{path}: {key!r} must be a single value")
        out[param] = value
    return out


def load_defaults(
    explicit: Path | None, options: Mapping[str, tuple[str, bool]], files: Iterable[Path] = ()
) -> dict[str, Any]:
    """The merged defaults of every configuration file that applies."""
    merged: dict[str, Any] = {}
    for path in [*files, *config_files(explicit)]:
        merged.update(to_defaults(read_config(path), options, path))
    return merged

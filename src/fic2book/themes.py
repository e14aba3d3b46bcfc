"""Themes: data in ``styles/<name>/`` (a ``theme.toml`` and CSS), found at run time.

The cascade is fixed: ``base/book.css``; each theme's ``theme.css`` along its
``inherit`` chain, parent first; the format layer (``epub.css``, ``print.css`` or
``screen.css``) from base and then from each theme that has one; and last the user's
own ``--css`` files. A theme's ``[options]`` become CSS custom properties on ``:root``;
for EPUB every ``var(--name)`` is replaced by its value, since many e-readers do not
support custom properties.

Built-in themes ship inside the package as ``fic2book.styles``; a theme may also be a
path to a folder holding a ``theme.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from fic2book.errors import Fic2BookError

Layer = Literal["epub", "print", "screen"]
DEFAULT_THEME = "classic"
_VAR = re.compile(r"var\(\s*--([A-Za-z0-9_-]+)\s*\)")
_PAGE_SIZE_LINE = re.compile(r"size:[^;]*;\s*/\*\s*page-size\s*\*/")
PAGE_SIZES = {
    "a4": "A4",
    "a5": "A5",
    "a6": "A6",
    "b5": "B5",
    "letter": "letter",
    "legal": "legal",
    "6x9": "6in 9in",
    "5x8": "5in 8in",
    "5.5x8.5": "5.5in 8.5in",
    "pocket": "4.25in 6.87in",
}


@dataclass(frozen=True)
class Theme:
    """A resolved theme: its chain of folders, parent first, and merged options."""

    name: str
    """The theme's name."""
    description: str
    """One line saying what it looks like."""
    chain: tuple[Traversable, ...]
    """The theme folders from the root (``base``) down to this theme."""
    options: dict[str, str] = field(default_factory=dict)
    """Merged options, a child's overriding its parent's."""


def builtin_root() -> Traversable:
    """The folder holding the built-in themes (inside the installed package)."""
    return resources.files("fic2book.styles")


def builtin_names() -> list[str]:
    """The names of the built-in themes, ``base`` excluded (it is only inherited)."""
    return sorted(
        p.name
        for p in builtin_root().iterdir()
        if p.is_dir() and p.name != "base" and (p / "theme.toml").is_file()
    )


def _read_toml(folder: Traversable) -> dict[str, object]:
    """Read a theme folder's ``theme.toml``."""
    try:
        return tomllib.loads((folder / "theme.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise Fic2BookError(f"theme {folder.name}: cannot read theme.toml ({exc})") from None


def _folder(name_or_path: str, relative_to: Traversable | None = None) -> Traversable:
    """Find a theme folder: a built-in name, or a path to a folder with a theme.toml."""
    builtin = builtin_root() / name_or_path
    if "/" not in name_or_path and (builtin / "theme.toml").is_file():
        return builtin
    path = Path(name_or_path)
    if relative_to is not None and isinstance(relative_to, Path) and not path.is_absolute():
        path = relative_to.parent / path
    if (path / "theme.toml").is_file():
        return path
    known = ", ".join(builtin_names())
    raise Fic2BookError(f"no theme {name_or_path!r} (built-in themes: {known})")


def load_theme(name_or_path: str = DEFAULT_THEME) -> Theme:
    """Resolve a theme and its inheritance chain (cycles are an error)."""
    chain: list[Traversable] = []
    options: dict[str, str] = {}
    description = ""
    current: str | None = name_or_path
    previous: Traversable | None = None
    while current:
        folder = _folder(current, previous)
        if any(str(folder) == str(f) for f in chain):
            raise Fic2BookError(f"theme {name_or_path!r}: inheritance loops at {current!r}")
        data = _read_toml(folder)
        chain.insert(0, folder)
        description = description or str(data.get("description", ""))
        raw = data.get("options", {})
        if isinstance(raw, dict):
            options = {str(k): str(v) for k, v in raw.items()} | options
        inherit = data.get("inherit")
        current = str(inherit) if inherit else None
        previous = folder
    name = str(_read_toml(chain[-1]).get("name", chain[-1].name))
    return Theme(name=name, description=description, chain=tuple(chain), options=options)


def _css(folder: Traversable, name: str) -> str:
    """A CSS file's text from a theme folder, or empty when it has none."""
    f = folder / name
    return f.read_text(encoding="utf-8") if f.is_file() else ""


def stylesheet(
    theme: Theme,
    layer: Layer,
    *,
    user_css: tuple[str, ...] = (),
    page_size: str | None = None,
) -> str:
    """The theme's whole stylesheet for one format, in the fixed cascade order."""
    parts = [_css(theme.chain[0], "book.css")]
    parts += [_css(folder, "theme.css") for folder in theme.chain]
    parts += [_css(folder, f"{layer}.css") for folder in theme.chain]
    css = "\n".join(p for p in parts if p)
    page_size = page_size or theme.options.get("page-size")
    if layer == "print" and page_size:
        css = _PAGE_SIZE_LINE.sub(f"size: {page_css_size(page_size)}; /* page-size */", css)
    if layer == "epub":
        css = resolve_vars(css, theme.options)
    else:
        css = _root_block(theme.options) + css
    return css + "".join(f"\n/* user css */\n{extra}" for extra in user_css)


def page_css_size(page_size: str) -> str:
    """The CSS ``size`` value for a page-size name (A5, A4, letter, 6x9...) or a literal."""
    return PAGE_SIZES.get(page_size.lower(), page_size)


def _root_block(options: dict[str, str]) -> str:
    """The options as custom properties on ``:root``."""
    body = "".join(f"  --{k}: {v};\n" for k, v in options.items())
    return f":root {{\n{body}}}\n"


def resolve_vars(css: str, options: dict[str, str]) -> str:
    """Replace every ``var(--name)`` by the option's value (unknown names stay as written)."""
    return _VAR.sub(lambda m: options.get(m.group(1), m.group(0)), css)


def theme_files(theme: Theme) -> list[Traversable]:
    """Every file the theme may use (what the PDF renderer is allowed to read)."""
    return [f for folder in theme.chain for f in folder.iterdir() if f.is_file()]

"""Themes: data in ``styles/<name>/`` (a ``theme.toml`` and CSS), found at run time.

The cascade is fixed: ``base/book.css``; each theme's ``theme.css`` along its
``inherit`` chain, parent first; the format layer (``epub.css``, ``print.css`` or
``screen.css``) from base and then from each theme that has one; and last the user's
own ``--css`` files. A theme's ``[options]`` become CSS custom properties on ``:root``;
for EPUB every ``var(--name)`` is replaced by its value, since many e-readers do not
support custom properties.

Built-in themes ship inside the package as ``fic2book.styles``; a theme may also be a
path to a folder holding a ``theme.toml``. Every chain starts at ``base``, whether or
not the top theme says ``inherit``.

EPUB and single-file HTML load nothing from outside the book, so their stylesheets lose
every ``@import`` and every ``url()`` that is not a ``data:`` URI (``clean_css``): the
user's CSS and a theme folder's alike. The PDF keeps them; its renderer may only read
``data:`` URIs and the theme's own files (``writers/pdf.py``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from fic2book import cssguard, limits
from fic2book.errors import Fic2BookError

Layer = Literal["epub", "print", "screen"]
DEFAULT_THEME = "classic"
BASE_THEME = "base"
_VAR = re.compile(r"var\(\s*--([A-Za-z0-9_-]+)\s*\)")
_PAGE_SIZE_LINE = re.compile(r"size:[^;]*;\s*/\*\s*page-size\s*\*/")
_EMPTY_URL = cssguard.EMPTY_URL
"""What an external ``url()`` becomes in EPUB and HTML stylesheets (a blank 1x1 GIF)."""
_CSS_SIZES = ("a3", "a4", "a5", "b4", "b5", "jis-b4", "jis-b5", "letter", "legal", "ledger")
_ORIENTATION = re.compile(r"^(\S.*) (portrait|landscape)$", re.IGNORECASE)
"""Matched on text whose spaces are single (no lazy part to retry: linear)."""
_BY = re.compile(r"^(\d+(?:\.\d+)?)\s*x\s*(\d+(?:\.\d+)?)\s*(mm|cm|in)?$", re.IGNORECASE)
CSS_LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(mm|cm|in|pt|pc|px|q)$", re.IGNORECASE)
"""One absolute CSS length: a number and its unit."""
MM_PER = {
    "mm": 1.0,
    "cm": 10.0,
    "in": 25.4,
    "pt": 25.4 / 72,
    "pc": 25.4 / 6,
    "px": 25.4 / 96,
    "q": 0.25,
}
"""Millimetres in one of each absolute CSS unit."""
_PAGE_SIDE_MM = (60.0, 1500.0)
"""The smallest and largest page side a book may have (below it the margins meet)."""
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
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
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
    """Resolve a theme and its inheritance chain (cycles are an error). The chain always
    starts at ``base``: a theme folder that inherits nothing inherits it."""
    chain: list[Traversable] = []
    options: dict[str, str] = {}
    description = ""
    current: str | None = name_or_path
    previous: Traversable | None = None
    while current:
        try:
            folder = _folder(current, previous)
        except Fic2BookError:
            if previous is None:
                raise
            known = ", ".join(builtin_names())
            raise Fic2BookError(
                f"theme {previous.name!r} ({previous}): inherit = {current!r} is not a theme"
                f" (built-in themes: {known})"
            ) from None
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
        if current is None and str(folder) != str(builtin_root() / BASE_THEME):
            current = BASE_THEME
        previous = folder
    name = str(_read_toml(chain[-1]).get("name", chain[-1].name))
    theme = Theme(name=name, description=description, chain=tuple(chain), options=options)
    for folder in theme.chain:  # an unreadable CSS file is the theme's error, said once
        for css_name in theme_css_names():
            _css(folder, css_name)
    return theme


def theme_css_names() -> tuple[str, ...]:
    """The CSS files a theme folder may hold, in cascade order."""
    return ("book.css", "theme.css", "epub.css", "print.css", "screen.css")


def _css(folder: Traversable, name: str) -> str:
    """A CSS file's text from a theme folder, or empty when it has none.

    A file of a theme folder on disk must be a regular file inside that folder: one
    that is a symlink to a file elsewhere (which would copy a local file into the book)
    is refused, as is a file over the CSS size limit."""
    f = folder / name
    if isinstance(f, Path) and (f.exists() or f.is_symlink()):
        _inside_theme(folder, f)
    if not f.is_file():
        return ""
    try:
        if isinstance(f, Path):
            text = limits.read_bounded(
                f, limits.current().css_bytes, "CSS file", "css_bytes"
            ).decode("utf-8")
        else:
            text = f.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Fic2BookError(f"theme {folder.name}: cannot read {name} ({exc})") from None
    limits.check_css(text, f"theme {folder.name}: {name}")
    return text


def _inside_theme(folder: Traversable, f: Path) -> None:
    """Refuse a theme file whose real path (symlinks resolved) is outside its folder."""
    root = Path(str(folder)).resolve()
    try:
        real = f.resolve(strict=True)
    except (OSError, RuntimeError):
        raise Fic2BookError(f"theme {folder.name}: {f.name} is a broken link or loops") from None
    if not real.is_relative_to(root):
        raise Fic2BookError(
            f"theme {folder.name}: {f.name} is a link to a file outside the theme folder"
            f" ({real}); a theme may only use its own files"
        )


def clean_css(css: str) -> tuple[str, list[str]]:
    """CSS that loads nothing from outside: every ``@import`` rule is removed and every
    ``url()`` (or ``image-set()``, ``src()``...) whose target is not a ``data:`` URI
    becomes a ``data:`` URI of a blank 1x1 GIF (still valid CSS wherever a URL may stand;
    it draws nothing, and as a font it fails to load, so the next font is used). CSS
    escapes are decoded as a CSS parser would, and the time is linear in the size
    (``cssguard.clean``). ``@namespace`` rules stay: they load nothing.
    Returns the cleaned CSS and what was removed, in order."""
    return cssguard.clean(css)


def stylesheet(
    theme: Theme,
    layer: Layer,
    *,
    user_css: tuple[str, ...] = (),
    page_size: str | None = None,
) -> str:
    """The theme's whole stylesheet for one format, in the fixed cascade order.

    For EPUB and HTML (``epub``, ``screen``) every part, the user's CSS included, goes
    through ``clean_css``: those books load nothing from outside.
    """
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
    for number, extra in enumerate(user_css, 1):
        limits.check_css(extra, f"user CSS {number}")
    css += "".join(f"\n/* user css */\n{extra}" for extra in user_css)
    if layer != "print":
        css = clean_css(css)[0]
    return css


def page_css_size(page_size: str) -> str:
    """The CSS ``size`` value for a page size, or Fic2BookError when it is none.

    Accepted: a name (A5, A4, A6, B5, letter, legal, 6x9, 5x8, pocket...); ``WxH`` in
    inches, or with a unit (``148x210mm``, ``12x18cm``); one or two CSS lengths
    (``12cm 18cm``); any of them followed by ``portrait`` or ``landscape``. Each side
    must be between 60 mm and 1.5 m. Nothing else reaches the stylesheet.
    """
    text = " ".join(page_size.split())
    orientation = None
    m = _ORIENTATION.match(text)
    if m:
        text, orientation = m.group(1), m.group(2).lower()
    key = text.lower()
    named = PAGE_SIZES.get(key) or (text if key in _CSS_SIZES else None)
    if named is not None and " " not in named:  # a CSS page-size keyword
        return f"{named} {orientation}" if orientation else named
    sides = _page_sides(named or text)
    if sides is None:
        names = ", ".join(_SIZE_NAMES)
        raise Fic2BookError(
            f"page size {page_size!r} is not one fic2book knows: use a name ({names}), "
            "WxH in inches (6x9) or two lengths (12cm 18cm)"
        )
    low, high = _PAGE_SIDE_MM
    if not all(low <= value * MM_PER[unit] <= high for value, unit in sides):
        raise Fic2BookError(f"page size {page_size!r}: each side must be between 60mm and 1.5m")
    if len(sides) == 2 and orientation:
        wide = sides[0][0] * MM_PER[sides[0][1]] > sides[1][0] * MM_PER[sides[1][1]]
        if wide != (orientation == "landscape"):
            sides.reverse()
    return " ".join(f"{value:g}{unit}" for value, unit in sides)


_SIZE_NAMES = ("A5", "A4", "A6", "B5", "letter", "legal", "6x9", "5x8", "5.5x8.5", "pocket")


def _page_sides(text: str) -> list[tuple[float, str]] | None:
    """``WxH[unit]`` or one or two CSS lengths as (value, unit) pairs; None otherwise."""
    by = _BY.match(text)
    if by:
        unit = (by.group(3) or "in").lower()
        return [(float(by.group(1)), unit), (float(by.group(2)), unit)]
    lengths = [CSS_LENGTH.match(part) for part in text.split(" ")]
    if 1 <= len(lengths) <= 2 and all(lengths):
        return [(float(m.group(1)), m.group(2).lower()) for m in lengths if m]
    return None


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

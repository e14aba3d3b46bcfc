"""The printed page's proportions: type size and margins that scale with the page.

The rule: a line holds about ``measure-chars`` characters (66 by default, within the
60-75 of good book typography) on every page size. The root type size grows with the
square root of the page's width against A5 (11 pt on A5, about 13 pt on A4 and letter,
never more than ``print-scale-max`` times the theme's ``print-size``), and the side
margins take what the text block does not need, never less than 12 mm; the inner
(binding) margin is 4 mm wider than the outer one. Top and bottom margins are a fixed
share of the page height.

Naming the colour emoji font in a stack makes Pango print a critical error on every
PDF, so the print layer names the theme's font stacks again without it; fontconfig's
fallback still draws emoji with it when it is installed (Symbola when it is not).

The width of a line comes from the theme's ``char-width`` option: the body font's
average advance per character, spaces included, in em (0.39 for EB Garamond, about
0.5 for a sans-serif). The result is CSS appended after the theme's print layer and
before the user's own CSS, so a ``--css`` file can still override it.
"""

from __future__ import annotations

import math
import re

from fic2book.lang import is_cjk
from fic2book.themes import CSS_LENGTH, MM_PER, page_css_size

_NAMED_MM = {
    "a3": (297.0, 420.0),
    "a4": (210.0, 297.0),
    "a5": (148.0, 210.0),
    "a6": (105.0, 148.0),
    "b4": (250.0, 353.0),
    "b5": (176.0, 250.0),
    "jis-b4": (257.0, 364.0),
    "jis-b5": (182.0, 257.0),
    "letter": (215.9, 279.4),
    "legal": (215.9, 355.6),
    "ledger": (279.4, 431.8),
}
_A5_WIDTH = 148.0
_MIN_SIDE = 12.0
_GUTTER = 4.0
_COLOUR_EMOJI = ("Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji")


def page_mm(page_size: str) -> tuple[float, float]:
    """A page size (as ``--page-size`` takes it) as (width, height) in millimetres."""
    css = page_css_size(page_size).lower().split()
    landscape = "landscape" in css
    parts = [p for p in css if p not in ("portrait", "landscape")]
    if len(parts) == 1 and parts[0] in _NAMED_MM:
        width, height = _NAMED_MM[parts[0]]
    else:
        sides = [_mm(p) for p in parts]
        width, height = (sides[0], sides[-1])
    if landscape and width < height:
        width, height = height, width
    return width, height


def _mm(length: str) -> float:
    """One CSS length in millimetres."""
    m = CSS_LENGTH.match(length)
    if not m:
        raise ValueError(f"not a length: {length}")
    return float(m.group(1)) * MM_PER[m.group(2).lower()]


def _number(value: str | None, default: float) -> float:
    """The number at the start of an option's value (``1.35em`` -> 1.35)."""
    m = re.match(r"\s*(\d+(?:\.\d+)?)", value or "")
    return float(m.group(1)) if m else default


def page_css(options: dict[str, str], page_size: str | None) -> str:
    """The CSS that sets the root type size and the page margins for a page size."""
    width, height = page_mm(page_size or options.get("page-size") or "A5")
    base = _number(options.get("print-size"), 11.0)
    most = _number(options.get("print-scale-max"), 1.2)
    root = base * min(most, max(0.9, math.sqrt(width / _A5_WIDTH)))
    body_pt = root * _number(options.get("font-size"), 1.0)
    chars = _number(options.get("measure-chars"), 66.0)
    text_mm = chars * _number(options.get("char-width"), 0.39) * body_pt * 25.4 / 72
    side = max(_MIN_SIDE, (width - text_mm) / 2)
    inner, outer = side + _GUTTER / 2, max(_MIN_SIDE - _GUTTER / 2, side - _GUTTER / 2)
    top, bottom = 0.08 * height, 0.09 * height
    return (
        print_fonts(options) + "\n/* page proportions (render/page.py) */\n"
        f"html {{ font-size: {root:.2f}pt; }}\n"
        f"@page {{ margin: {top:.1f}mm {side:.1f}mm {bottom:.1f}mm {side:.1f}mm; }}\n"
        f"@page :left {{ margin-left: {outer:.1f}mm; margin-right: {inner:.1f}mm; }}\n"
        f"@page :right {{ margin-left: {inner:.1f}mm; margin-right: {outer:.1f}mm; }}\n"
    )


def print_fonts(options: dict[str, str]) -> str:
    """The theme's font stacks without the colour emoji fonts WeasyPrint cannot draw,
    as custom properties that override the theme's."""
    lines = []
    for name, value in options.items():
        if name.startswith("font-") and any(f in value for f in _COLOUR_EMOJI):
            kept = [f for f in value.split(",") if f.strip().strip("\"'") not in _COLOUR_EMOJI]
            lines.append(f"  --{name}: {','.join(kept).strip()};\n")
    return ":root {\n" + "".join(lines) + "}\n" if lines else ""


def language_css(language: str) -> str:
    """Page-margin rules for a CJK book: running heads and folios upright, in normal
    capitals (``:lang()`` cannot reach the page's margin boxes, and a CJK face has no
    italics or small capitals for a renderer to use: it would fake them)."""
    if not is_cjk(language):
        return ""
    boxes = "".join(
        f"  @{box} {{ font-variant: normal; font-style: normal; letter-spacing: 0; }}\n"
        for box in ("top-left", "top-right", "bottom-center")
    )
    return f"\n/* CJK page margins (render/page.py) */\n@page {{\n{boxes}}}\n"

"""A generated cover: the book's title and authors set on a deep-coloured page.

Used when a story brings no cover image of its own. The picture depends only on the
book's title and authors (and on the fonts installed), so the same book always gets the
same cover, byte for byte, on the same machine: the colour comes from a hash of the
title, nothing random or time-based is drawn, and the PNG carries no metadata chunks.

A title in a script the serif lacks (Hebrew, Arabic, Chinese...) is set in an installed
font that has its letters, found through fontconfig; characters no installed font has
(an emoji without an emoji font) are left out rather than drawn as empty boxes.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import io
import subprocess
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, TypeAlias

from fic2book.model import Book
from fic2book.render.labels import book_title, cover_byline

if TYPE_CHECKING:  # Pillow is imported only when a cover is drawn
    from PIL import Image, ImageDraw, ImageFont

    Font: TypeAlias = ImageFont.FreeTypeFont | ImageFont.ImageFont

WIDTH = 1600
"""Cover width in pixels (2:3, the usual e-book cover shape)."""
HEIGHT = 2400
"""Cover height in pixels."""

# Deep background colours, each with the darker shade the gradient runs to.
PALETTE: tuple[tuple[tuple[int, int, int], tuple[int, int, int]], ...] = (
    ((28, 46, 74), (12, 20, 36)),  # midnight blue
    ((86, 24, 36), (40, 10, 18)),  # oxblood
    ((22, 66, 56), (8, 30, 26)),  # bottle green
    ((58, 36, 82), (26, 14, 40)),  # aubergine
    ((94, 58, 26), (44, 24, 10)),  # tobacco
    ((30, 60, 84), (12, 26, 40)),  # slate teal
    ((70, 32, 58), (32, 12, 26)),  # plum
    ((44, 52, 30), (20, 24, 12)),  # olive
)
INK = (244, 235, 217)
"""The title's colour: a warm off-white."""
ACCENT = (212, 180, 120)
"""The frame's, ornament's and author line's colour: a muted gold."""

FONT_CANDIDATES = ("EB Garamond 12", "EB Garamond", "DejaVu Serif")
"""Font families asked of fontconfig, best first."""

_MARGIN = 200
_FRAME_INSET = 70
_TITLE_SIZES = (170, 150, 132, 116, 102, 90, 80)
_MAX_TITLE_LINES = 7
_MAX_COVER_CHARS = 1000
"""More of a title (or the authors) than fits on seven lines at the smallest size."""


def palette_colours(title: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The (top, bottom) gradient colours for a title: a SHA-256 of the title picks one
    entry of the palette, so a title always gets the same colours."""
    digest = hashlib.sha256(title.encode("utf-8")).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def fontconfig(*command: str, timeout: float = 10) -> str | None:
    """What a fontconfig command prints, or None when it fails or fontconfig is missing
    (the cover then falls back to another font, never to an error)."""
    try:
        out = subprocess.run(
            list(command), capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


def _fc_match(pattern: str, family: str) -> str | None:
    """The font file fontconfig picks for a pattern, or None when it is not that family
    (fontconfig always answers with something) or fontconfig is unavailable."""
    out = fontconfig("fc-match", "-f", "%{family}\n%{file}", pattern, timeout=5)
    lines = (out or "").split("\n")
    if len(lines) < 2 or not lines[1]:
        return None
    families = [f.strip().lower() for f in lines[0].split(",")]
    return lines[1] if family.lower() in families else None


@cache
def font_file(italic: bool = False) -> str | None:
    """The first of ``FONT_CANDIDATES`` that is installed (italic when asked and
    available), or None when none is; looked up once per process."""
    for family in FONT_CANDIDATES:
        if italic:
            found = _fc_match(f"{family}:italic", family)
            if found:
                return found
        found = _fc_match(family, family)
        if found:
            return found
    return None


@cache
def load_font(size: int, italic: bool = False, path: str | None = None) -> Font:
    """A font at a pixel size: the file given, else the serif fontconfig matches, else
    Pillow's default font."""
    from PIL import ImageFont

    path = path or font_file(italic)
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


Charset = tuple[tuple[int, ...], tuple[int, ...]]
"""A font's characters as sorted range starts and range ends (inclusive)."""


def _parse_charset(text: str) -> Charset:
    """fontconfig's ``%{charset}`` (``20-7e a0-17f 192 ...``) as range starts and ends."""
    starts: list[int] = []
    ends: list[int] = []
    for item in text.split():
        low, _, high = item.partition("-")
        try:
            starts.append(int(low, 16))
            ends.append(int(high or low, 16))
        except ValueError:
            continue
    return tuple(starts), tuple(ends)


@cache
def charset(path: str) -> Charset | None:
    """The characters a font file has (fontconfig's view), or None when fontconfig
    cannot tell (then every character is taken to be there)."""
    lines = (fontconfig("fc-query", "-f", "%{charset}\n", path) or "").splitlines()
    if not lines or not lines[0].strip():
        return None
    return _parse_charset(lines[0])


def _has(chars: Charset | None, code: int) -> bool:
    """Whether a charset holds a code point (None holds everything)."""
    if chars is None:
        return True
    starts, ends = chars
    i = bisect.bisect_right(starts, code) - 1
    return i >= 0 and code <= ends[i]


def _needs_glyph(char: str) -> bool:
    """Whether a character is drawn with a glyph of its own: not spaces, controls, format
    characters (joiners, marks of direction, the BOM) or variation selectors, which a
    shaper handles without the font's help."""
    if unicodedata.category(char) in ("Zs", "Zl", "Zp", "Cc", "Cf", "Cs"):
        return False
    code = ord(char)
    return not (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def covers(path: str, text: str) -> bool:
    """Whether a font file has a glyph for every character of a text that needs one."""
    chars = charset(path)
    return all(_has(chars, ord(c)) for c in text if _needs_glyph(c))


def _number(text: str, default: float) -> float:
    """A fontconfig number (``80``, or a variable font's range ``[100 900]``'s start)."""
    try:
        return float(text.strip("[] ").split()[0])
    except (ValueError, IndexError):
        return default


def _candidates(text: str, italic: bool) -> list[tuple[str, Charset]]:
    """Installed fonts that might draw a text's characters, each with its charset, best
    first: fontconfig's sorted match for those characters, re-ranked so a face like the
    cover's (serif before sans, not monospaced, regular weight, italic only for the
    authors) comes before one that merely has the letters."""
    needed = sorted({ord(c) for c in text if _needs_glyph(c)})
    pattern = "serif:charset=" + " ".join(f"{c:x}" for c in needed)
    listing = fontconfig(
        "fc-match",
        "-s",
        "-f",
        "%{file}\t%{family}\t%{spacing}\t%{weight}\t%{slant}\t%{charset}\n",
        pattern,
    )
    ranked: list[tuple[tuple[int, ...], str, Charset]] = []
    for rank, line in enumerate((listing or "").splitlines()):
        fields = line.split("\t")
        if len(fields) != 6 or not fields[0].lower().endswith((".ttf", ".otf", ".ttc", ".otc")):
            continue
        path, family, spacing, weight, slant, chars = fields
        family = family.lower()
        key = (
            0 if "serif" in family and "sans" not in family else 1,
            1 if _number(spacing, 0) >= 90 else 0,  # monospaced or charcell
            0 if 50 <= _number(weight, 80) <= 105 else 1,  # regular to medium
            0 if (_number(slant, 0) > 0) == italic else 1,
            rank,
        )
        ranked.append((key, path, _parse_charset(chars)))
    ranked.sort(key=lambda item: item[0])
    return [(path, chars) for _, path, chars in ranked]


@cache
def font_for(text: str, italic: bool = False) -> tuple[str | None, str]:
    """The font file to set a text in, and the text as it will be drawn.

    The rule: the serif of ``FONT_CANDIDATES`` when it has every character; else the
    installed font (fontconfig's order) that has the most of them, the serif winning a
    tie; then characters that font lacks are left out (they would be drawn as empty
    boxes), spaces closed up. Without fontconfig, the serif (or Pillow's default font)
    and the text unchanged.
    """
    primary = font_file(italic)
    if primary is None or charset(primary) is None or covers(primary, text):
        return primary, text
    needed = [ord(c) for c in text if _needs_glyph(c)]

    def score(chars: Charset | None) -> int:
        return sum(_has(chars, code) for code in needed)

    best, best_chars = primary, charset(primary)
    best_score = score(best_chars)
    for path, chars in _candidates(text, italic):
        if (found := score(chars)) > best_score:
            best, best_chars, best_score = path, chars, found
            if found == len(needed):
                break
    kept = "".join(c for c in text if not _needs_glyph(c) or _has(best_chars, ord(c)))
    return best, " ".join(kept.split())


def _width(draw: ImageDraw.ImageDraw, text: str, font: Font) -> float:
    """The advance width of a line of text."""
    return draw.textlength(text, font=font)


def wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, max_width: float) -> list[str]:
    """Greedy word wrap to a pixel width; a word wider than a line is cut into pieces
    (the longest piece that fits, found by halving: a few widths per piece, not one per
    character, so a long word costs linear time)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while _width(draw, word, font) > max_width and len(word) > 1:
            low, high = 1, len(word) - 1  # word[:low] is kept even when it does not fit
            while low < high:
                mid = (low + high + 1) // 2
                if _width(draw, word[:mid], font) > max_width:
                    high = mid - 1
                else:
                    low = mid
            cut = low
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if current and _width(draw, candidate, font) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


def fit_title(
    draw: ImageDraw.ImageDraw, title: str, max_width: float, path: str | None = None
) -> tuple[Font, list[str]]:
    """The largest title size whose wrapped lines fit ``_MAX_TITLE_LINES``; at the smallest
    size, extra lines are dropped and the last kept one ends with an ellipsis. Only the
    first ``_MAX_COVER_CHARS`` characters are set: more never fit on the cover."""
    title = title[:_MAX_COVER_CHARS]
    for size in _TITLE_SIZES:
        font = load_font(size, path=path)
        lines = wrap(draw, title, font, max_width)
        if len(lines) <= _MAX_TITLE_LINES:
            return font, lines
    lines = lines[:_MAX_TITLE_LINES]
    last = lines[-1]
    while last and _width(draw, last + "…", font) > max_width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return font, lines


Colour = tuple[int, int, int]
_AA_LEVELS = 64
"""Shades of antialiasing kept for each ink (of 255 a font renderer gives)."""


@cache
def _gradient_rows(top: Colour, bottom: Colour) -> tuple[Colour, ...]:
    """The colour of each row of a vertical gradient from ``top`` to ``bottom``."""
    last = HEIGHT - 1
    return tuple(
        (
            round(top[0] + (bottom[0] - top[0]) * y / last),
            round(top[1] + (bottom[1] - top[1]) * y / last),
            round(top[2] + (bottom[2] - top[2]) * y / last),
        )
        for y in range(HEIGHT)
    )


def _blend(ink: Colour, ground: Colour, level: int) -> Colour:
    """An ink at ``level`` of ``_AA_LEVELS`` coverage over a background colour."""
    a = level / _AA_LEVELS
    return (
        round(ground[0] + (ink[0] - ground[0]) * a),
        round(ground[1] + (ink[1] - ground[1]) * a),
        round(ground[2] + (ink[2] - ground[2]) * a),
    )


def _compose(
    top: Colour, bottom: Colour, inks: Sequence[tuple[Image.Image, int, Colour, int]]
) -> tuple[Image.Image, dict[Colour, int]]:
    """The cover as a palette image: a vertical gradient (one column of row colours,
    stretched sideways), then each ink mask over it in order.

    The rule: the palette holds every row colour of the gradient (at most 128; a
    gradient of the cover palette has about 50) and, for each ink, ``_AA_LEVELS``
    shades of it blended over the background at the ink's own middle row (``inks``:
    mask, the cover row of the mask's top, colour, middle row). A pixel an ink covers
    takes that ink's shade for its coverage, so edges stay antialiased. A palette
    image is a third of the bytes of an RGB one, so its PNG is several times faster
    to encode.
    Returns the image and each ink's palette index at full coverage.
    """
    from PIL import Image

    rows = list(_gradient_rows(top, bottom))
    order = list(dict.fromkeys(rows))
    if len(order) > 128:  # a steep gradient: keep 128 evenly spaced steps
        rows = [order[round(i * 127 / (len(order) - 1))] for i in _rank(rows, order)]
        order = list(dict.fromkeys(rows))
    index = {c: i for i, c in enumerate(order)}
    column = bytes(index[c] for c in rows)
    img = Image.frombytes("L", (1, HEIGHT), column).resize(
        (WIDTH, HEIGHT), Image.Resampling.NEAREST
    )
    palette: list[Colour] = list(order)
    full: dict[Colour, int] = {}
    for mask, offset, colour, row in inks:
        base = len(palette)
        full[colour] = base + _AA_LEVELS - 1
        ground = rows[min(max(row, 0), HEIGHT - 1)]
        palette += [_blend(colour, ground, k) for k in range(1, _AA_LEVELS + 1)]
        lut = [base + max(0, -(-v * _AA_LEVELS // 255) - 1) for v in range(256)]
        box = mask.getbbox()
        if box:  # only the inked part of the mask is looked at
            part = mask.crop(box)
            where = (box[0], box[1] + offset, box[2], box[3] + offset)
            img.paste(part.point(lut), where, mask=part.point([0] + [255] * 255))
    img.putpalette([channel for colour in palette for channel in colour])
    return img, full


def _rank(rows: list[Colour], order: list[Colour]) -> list[int]:
    """Each row's position among the distinct colours."""
    position = {c: i for i, c in enumerate(order)}
    return [position[c] for c in rows]


def _line_height(font: Font) -> int:
    """The distance between two baselines of a font (its size times 1.2)."""
    size = getattr(font, "size", 40)
    return round(float(size) * 1.2)


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    lines: Sequence[str],
    font: Font,
    top: int,
) -> int:
    """Draw lines (full coverage on a mask) centred horizontally from ``top`` down;
    returns the y below the last."""
    step = _line_height(font)
    y = top
    for line in lines:
        draw.text((WIDTH / 2, y), line, font=font, fill=255, anchor="ma")
        y += step
    return y


def _ornament(draw: ImageDraw.ImageDraw, cy: int) -> None:
    """A small ornament (on a mask): a diamond between two hairlines, centred at ``cy``."""
    cx = WIDTH // 2
    r = 16
    draw.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=255)
    draw.line([(cx - 190, cy), (cx - 2 * r, cy)], fill=255, width=3)
    draw.line([(cx + 2 * r, cy), (cx + 190, cy)], fill=255, width=3)


def cover_image(book: Book) -> Image.Image:
    """The cover as a Pillow image: gradient, inner frame, title, ornament, authors.

    The title block is centred a little above the middle; authors, in a smaller italic
    of the same family, sit below the ornament. The title and the accents are drawn on
    masks as tall as their band of the cover and laid over the gradient by ``_compose``.
    """
    from PIL import Image, ImageDraw

    top, bottom = palette_colours(book_title(book))
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    max_width = WIDTH - 2 * _MARGIN
    title_path, title = font_for(book_title(book))
    title_font, title_lines = fit_title(measure, title, max_width, title_path)
    author_path, authors = font_for(cover_byline(book), italic=True)
    author_font = load_font(84, italic=True, path=author_path)
    author_lines = (
        wrap(measure, authors[:_MAX_COVER_CHARS], author_font, max_width)[:3] if authors else []
    )

    gap = 90
    title_height = len(title_lines) * _line_height(title_font)
    author_height = len(author_lines) * _line_height(author_font)
    block = title_height + gap * 2 + author_height
    title_top = max(_MARGIN + 60, round(HEIGHT * 0.44 - block / 2))
    title_end = title_top + title_height

    pad = _line_height(title_font)  # room for accents and descenders
    ink_top = title_top - pad
    ink_mask = Image.new("L", (WIDTH, title_height + 2 * pad), 0)
    _draw_lines(ImageDraw.Draw(ink_mask), title_lines, title_font, pad)

    accent_top = title_end + gap // 2 - 24
    accent_mask = Image.new("L", (WIDTH, gap + author_height + _line_height(author_font)), 0)
    accent = ImageDraw.Draw(accent_mask)
    _ornament(accent, title_end + gap // 2 - accent_top)
    if author_lines:
        _draw_lines(accent, author_lines, author_font, title_end + gap - accent_top)
    img, full = _compose(
        top,
        bottom,
        [
            (accent_mask, accent_top, ACCENT, title_end + gap + author_height // 2),
            (ink_mask, ink_top, INK, (title_top + title_end) // 2),
        ],
    )
    frame = ImageDraw.Draw(img)
    inset = _FRAME_INSET
    edge = full[ACCENT]
    frame.rectangle([inset, inset, WIDTH - 1 - inset, HEIGHT - 1 - inset], outline=edge, width=4)
    frame.rectangle(
        [inset + 16, inset + 16, WIDTH - 1 - inset - 16, HEIGHT - 1 - inset - 16],
        outline=edge,
        width=1,
    )
    return img


PNG_LEVEL = 1
"""zlib level of the cover PNG: the fastest (level 6 takes half as long again to save
a third of 40 KB)."""


def cover_png(book: Book) -> bytes:
    """The generated cover as PNG bytes, 1600x2400, byte-identical for identical input
    on the same machine (no ``optimize``, no text chunks, no timestamps). Covers are
    kept per process by title and byline, so books that share them draw it once."""
    return _cover_png(book_title(book), cover_byline(book))


@lru_cache(maxsize=32)
def _cover_png(title: str, byline: str) -> bytes:
    """The cover PNG for a title and the line under it (see ``cover_png``)."""
    from fic2book.model import Metadata

    book = Book(metadata=Metadata(title=title, authors=(byline,) if byline else ()))
    buf = io.BytesIO()
    cover_image(book).save(buf, format="PNG", optimize=False, compress_level=PNG_LEVEL)
    return buf.getvalue()


def cover_data_uri(book: Book) -> str:
    """The generated cover as a ``data:image/png;base64,...`` URI (single-file HTML)."""
    return "data:image/png;base64," + base64.b64encode(cover_png(book)).decode("ascii")

"""Make the README's picture screenshots: one saved page with a drawn map, in each format.

Run from the repository root with the project's virtualenv (needs ``pdftoppm`` from
poppler-utils and Chromium)::

    .venv/bin/python docs/images/make_picture_shots.py

It writes a short saved page of our own with a ``_files`` folder, converts it to EPUB,
PDF and HTML with fic2book, and saves ``pictures-epub.png`` (the chapter file of the
EPUB in Chromium at an e-reader's size), ``pictures-pdf.png`` (the PDF page that shows
the map, through pdftoppm) and ``pictures-html.png`` (the HTML page at a phone's width)
beside this script.
"""

from __future__ import annotations

import math
import subprocess
import tempfile
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
PARCHMENT = (236, 222, 190)
FORMATS = ("-f", "epub", "-f", "pdf", "-f", "html")
CHROMIUM = [
    "chromium",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--hide-scrollbars",
    "--virtual-time-budget=5000",
]

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Lanterns</title></head>
<body><div id="workskin">
<div class="preface group"><h2 class="title heading">Lanterns</h2>
<h3 class="byline heading"><a rel="author" href="/users/quillmoth">quillmoth</a></h3></div>
<div id="chapters" role="article"><div class="userstuff">
<p>The river ran wide that spring, and Osk kept the ferry lantern burning late into
every night, long after the last of the market boats had tied up.</p>
<figure><img src="Lanterns_files/map.png" alt="A hand-drawn map of the river valley">
<figcaption>The valley, as Osk drew it for her brother</figcaption></figure>
<p>She marked each landing on the old map with a thumbprint of soot, and counted the
lights on the water until she could count them with her eyes closed.</p>
</div></div></div></body></html>
"""


def draw_map(path: Path) -> None:
    """A parchment map: a winding river, landings and a compass star."""
    width, height = 1200, 800
    image = Image.new("RGB", (width, height), PARCHMENT)
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, width - 13, height - 13), outline=(120, 90, 50), width=6)
    river = [(x, 400 + 140 * math.sin(x / 170) + 40 * math.sin(x / 53)) for x in range(0, 1201, 8)]
    draw.line(river, fill=(70, 120, 170), width=34, joint="curve")
    draw.line(river, fill=(120, 170, 210), width=14, joint="curve")
    for k, x in enumerate((180, 430, 700, 960)):
        y = 400 + 140 * math.sin(x / 170) + 40 * math.sin(x / 53) + (-70 if k % 2 else 70)
        draw.rectangle((x - 18, y - 12, x + 18, y + 14), fill=(150, 70, 50))
        draw.polygon([(x - 24, y - 12), (x, y - 36), (x + 24, y - 12)], fill=(90, 50, 40))
    cx, cy, r = 1070, 130, 70
    for angle in range(0, 360, 45):
        a = math.radians(angle)
        length = r if angle % 90 == 0 else r * 0.55
        tip = (cx + length * math.sin(a), cy - length * math.cos(a))
        left = (cx + 12 * math.sin(a - math.pi / 2), cy - 12 * math.cos(a - math.pi / 2))
        right = (cx + 12 * math.sin(a + math.pi / 2), cy - 12 * math.cos(a + math.pi / 2))
        draw.polygon([left, tip, right], fill=(120, 90, 50))
    for i in range(60):  # hills
        x, y = 80 + (i * 97) % 1040, 90 + (i * 53) % 160
        draw.arc((x, y, x + 60, y + 40), 200, 340, fill=(130, 110, 70), width=4)
    image.save(path)


def main() -> None:
    """Build the books and take the three screenshots."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = root / "Lanterns_files"
        files.mkdir()
        draw_map(files / "map.png")
        page = root / "Lanterns.html"
        page.write_text(PAGE, encoding="utf-8")
        out = root / "out"
        subprocess.run(
            ["fic2book", "convert", str(page), "-o", str(out), "-q", *FORMATS],
            check=True,
        )
        (pdf,) = out.glob("*.pdf")
        (html,) = out.glob("*.html")
        (epub,) = out.glob("*.epub")
        shot_pdf(pdf, HERE / "pictures-pdf.png")
        shot(html.as_uri(), HERE / "pictures-html.png", (390, 2400))
        crop_to_map(HERE / "pictures-html.png", 760)
        unpacked = root / "epub"
        with zipfile.ZipFile(epub) as z:
            z.extractall(unpacked)
        chapter = unpacked / "EPUB" / "text" / "story-1-chapter-1.xhtml"
        shot(chapter.as_uri(), HERE / "pictures-epub.png", (480, 680))


def shot_pdf(pdf: Path, target: Path) -> None:
    """The first PDF page that draws an image, rendered by pdftoppm at 80 dpi."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    number = next(
        i + 1 for i, page in enumerate(reader.pages) if b" Do" in page.get_contents().get_data()
    )
    pages = ("-f", str(number), "-l", str(number))
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            *pages,
            "-singlefile",
            str(pdf),
            str(target.with_suffix("")),
        ],
        check=True,
    )


def crop_to_map(path: Path, height: int) -> None:
    """Cut a tall page screenshot down to ``height`` pixels around the map (found by its
    parchment colour), as a phone would show the chapter."""
    with Image.open(path) as image:
        page = image.convert("RGB")
    x = page.width // 2
    top = next(y for y in range(page.height) if page.getpixel((x, y)) == PARCHMENT)
    start = max(0, top - 130)
    page.crop((0, start, page.width, min(page.height, start + height))).save(path)


def shot(url: str, target: Path, size: tuple[int, int]) -> None:
    """A headless Chromium screenshot of a page at a window size."""
    subprocess.run(
        [*CHROMIUM, f"--window-size={size[0]},{size[1]}", f"--screenshot={target}", url],
        check=True,
        capture_output=True,
    )


if __name__ == "__main__":
    main()

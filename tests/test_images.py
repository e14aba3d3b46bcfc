"""Pictures: the source rules, the re-encoding and the resolving pass (``images.py``)."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from PIL import Image as PILImage

from fic2book.errors import Fic2BookError
from fic2book.images import (
    DEFAULT_ALT,
    ImageOptions,
    ImageRefused,
    left_out_text,
    local_file,
    markup_role,
    picture_from_file,
    picture_of,
    pictures_of,
    resolve,
    without_images,
)
from fic2book.model import (
    Chapter,
    Emph,
    Image,
    InlineImage,
    Metadata,
    Paragraph,
    SceneBreak,
    Span,
    Story,
    Text,
)
from fic2book.serialize import story_to_data


def png(size: tuple[int, int], colour: tuple[int, int, int] = (10, 20, 30)) -> bytes:
    """A one-colour PNG."""
    out = io.BytesIO()
    PILImage.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def decoded(data: bytes) -> PILImage.Image:
    """An encoded picture opened again."""
    image = PILImage.open(io.BytesIO(data))
    image.load()
    return image


# --------------------------------------------------------------------------- markup


@pytest.mark.parametrize(
    ("words", "role"),
    [
        (("Cover art for Lanterns",), "cover"),
        (("", "", "Lanterns_files/cover.jpg"), "cover"),
        (("", "coverart"), "cover"),
        (("Discovery of the map",), "illustration"),
        (("", "scene-divider"), "divider"),
        (("", "", "files/separator_2.png"), "divider"),
        (("", "", "hr.gif"), "divider"),
        (("A map", "", "map.png"), "illustration"),
    ],
)
def test_markup_role(words: tuple[str, ...], role: str) -> None:
    assert markup_role(*words) == role


# --------------------------------------------------------------------------- sources


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A page folder with a picture, a subfolder and a symlink out."""
    page = tmp_path / "page"
    (page / "Story_files").mkdir(parents=True)
    (page / "Story_files" / "a b.png").write_bytes(png((4, 4)))
    (tmp_path / "secret.png").write_bytes(png((4, 4)))
    (page / "Story_files" / "out.png").symlink_to(tmp_path / "secret.png")
    (page / "Story_files" / "in.png").symlink_to(page / "Story_files" / "a b.png")
    (page / "Story_files" / "loop.png").symlink_to(page / "Story_files" / "loop.png")
    return page


@pytest.mark.parametrize(
    ("src", "reason"),
    [
        ("https://example.org/a.png", "remote address"),
        ("HTTP://example.org/a.png", "remote address"),
        ("//cdn.example.org/a.png", "remote address"),
        ("file:///etc/passwd", "file: address"),
        ("/etc/passwd", "absolute path"),
        ("C:\\Users\\me\\a.png", "absolute path"),
        ("../secret.png", "outside the page's folder"),
        ("Story_files/../../secret.png", "outside the page's folder"),
        ("Story_files/out.png", "outside the page's folder"),
        ("Story_files/nothing.png", "missing file"),
        ("", "missing file"),
        ("Story_files/loop.png", "missing file"),
        ("Story_files/a%00b.png", "missing file"),
    ],
)
def test_refused_sources(folder: Path, src: str, reason: str) -> None:
    with pytest.raises(ImageRefused) as caught:
        local_file(src, folder)
    assert caught.value.reason == reason


def test_allowed_sources(folder: Path) -> None:
    target = (folder / "Story_files" / "a b.png").resolve()
    assert local_file("Story_files/a%20b.png?v=3#x", folder) == target
    assert local_file("Story_files\\a b.png", folder) == target
    assert local_file("./Story_files/../Story_files/a b.png", folder) == target
    # A symlink that stays inside the folder is fine.
    assert local_file("Story_files/in.png", folder) == target


def test_no_folder_means_nothing_is_read() -> None:
    with pytest.raises(ImageRefused) as caught:
        local_file("Story_files/a.png", None)
    assert caught.value.reason == "no folder to look in"


# --------------------------------------------------------------------------- decoding


def test_large_png_is_capped_and_reencoded() -> None:
    picture = picture_of(png((2400, 1200)))
    assert (picture.width, picture.height) == (1600, 800)
    assert picture.media_type == "image/png" and picture.key.endswith(".png")
    assert decoded(picture.data).size == (1600, 800)
    assert picture_of(png((2400, 1200))) == picture  # deterministic


def test_jpeg_stays_jpeg_without_its_metadata() -> None:
    image = PILImage.new("RGB", (300, 200), (200, 100, 50))
    exif = PILImage.Exif()
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    assert b"SecretCam" in out.getvalue()
    picture = picture_of(out.getvalue())
    assert picture.media_type == "image/jpeg"
    assert b"SecretCam" not in picture.data
    assert not decoded(picture.data).getexif()


def test_animated_gif_keeps_its_first_frame() -> None:
    frames = [PILImage.new("RGB", (40, 30), c) for c in ((255, 0, 0), (0, 255, 0))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0)
    picture = picture_of(out.getvalue())
    image = decoded(picture.data)
    assert picture.media_type == "image/png"
    assert getattr(image, "n_frames", 1) == 1
    assert image.convert("RGB").getpixel((5, 5)) == (255, 0, 0)


def test_transparency_survives() -> None:
    out = io.BytesIO()
    PILImage.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, "PNG")
    image = decoded(picture_of(out.getvalue()).data)
    assert image.mode == "RGBA" and image.getpixel((1, 1))[3] == 0


def test_byte_cap_shrinks_the_picture() -> None:
    noise = PILImage.effect_noise((700, 700), 90).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "PNG")
    picture = picture_of(out.getvalue(), ImageOptions(max_bytes=80_000))
    assert len(picture.data) <= 80_000
    assert picture.media_type == "image/jpeg"  # an opaque PNG may become a JPEG


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', "SVG"),
        (b'<?xml version="1.0"?>\n<svg><script>x()</script></svg>', "SVG"),
        (b"not an image at all", "not a readable image"),
        (png((64, 64))[:40], "not a readable image"),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "not a readable image"),
    ],
)
def test_refused_images(data: bytes, reason: str) -> None:
    with pytest.raises(ImageRefused) as caught:
        picture_of(data)
    assert caught.value.reason.startswith(reason)


def test_too_many_pixels_is_refused() -> None:
    with pytest.raises(ImageRefused) as caught:
        picture_of(png((300, 300)), ImageOptions(max_pixels=10_000))
    assert caught.value.reason == "too large"


def test_cover_file_errors_are_one_line(tmp_path: Path) -> None:
    svg = tmp_path / "c.svg"
    svg.write_text("<svg/>")
    text = tmp_path / "c.png"
    text.write_text("hello")
    for path, words in (
        (svg, "SVG images are not supported"),
        (text, "cannot be used as a cover (not a readable image)"),
        (tmp_path / "none.png", "no such image file"),
    ):
        with pytest.raises(Fic2BookError, match=re.escape(words)):
            picture_from_file(path)


# --------------------------------------------------------------------------- resolving


def _story(*blocks: object, notes: tuple[object, ...] = ()) -> Story:
    """A one-chapter story around some blocks."""
    return Story(
        Metadata(title="T", notes=notes),  # type: ignore[arg-type]
        (Chapter(1, blocks=blocks),),  # type: ignore[arg-type]
    )


def test_resolve_keeps_allowed_pictures_and_warns_once(folder: Path) -> None:
    (folder / "Story_files" / "rule.png").write_bytes(png((500, 12)))
    (folder / "Story_files" / "cover.png").write_bytes(png((30, 40), (1, 2, 3)))
    story = _story(
        Paragraph((Text("Before.\n"),)),
        Paragraph((Emph((InlineImage("Story_files/a%20b.png", "A square"),)),)),
        Paragraph((InlineImage("Story_files/rule.png"),)),
        Paragraph((Text("A "), InlineImage("https://x.org/i.png"), Text("word."))),
        Paragraph((InlineImage("../secret.png"),)),
        Paragraph((InlineImage("Story_files/out.png"),)),
        Image("Story_files/a b.png", caption=(Text("The same square"),)),
        Paragraph((InlineImage("https://x.org/sep.png", role="divider"),)),
        notes=(Paragraph((InlineImage("Story_files/cover.png", "Cover", role="cover"),)),),
    )
    resolved, warnings = resolve(story, folder)
    blocks = resolved.chapters[0].blocks
    assert [type(b).__name__ for b in blocks] == [
        "Paragraph",
        "Image",
        "SceneBreak",
        "Paragraph",
        "Image",
        "SceneBreak",
    ]
    first, second = blocks[1], blocks[4]
    assert isinstance(first, Image) and isinstance(second, Image)
    assert first.alt == "A square" and second.alt == DEFAULT_ALT
    assert second.caption == (Text("The same square"),)
    assert first.picture is not None and first.picture == second.picture
    assert blocks[3] == Paragraph((Text("A "), Text("word.")))
    assert warnings == ["3 images left out: 2 outside the page's folder, 1 remote address"]
    cover = resolved.metadata.cover
    assert cover is not None and (cover.width, cover.height) == (30, 40)
    # The cover art stays where the page had it, too.
    assert isinstance(resolved.metadata.notes[0], Image)
    assert [p.key for p in pictures_of(resolved)] == [cover.key, first.picture.key]


def test_a_repeated_flourish_is_a_divider(folder: Path) -> None:
    (folder / "Story_files" / "flourish.png").write_bytes(png((300, 90)))
    (folder / "Story_files" / "art.png").write_bytes(png((300, 400)))
    flourish = Paragraph((InlineImage("Story_files/flourish.png"),))
    art = Paragraph((InlineImage("Story_files/art.png"),))
    words = Paragraph((Text("Words."),))
    resolved, _ = resolve(_story(words, flourish, words, flourish, art, words, art), folder)
    kinds = [type(b).__name__ for b in resolved.chapters[0].blocks]
    # The repeated art is taller than a flourish: it stays a picture, both times.
    expected = "Paragraph SceneBreak Paragraph SceneBreak Image Paragraph Image"
    assert kinds == expected.split()
    once, _ = resolve(_story(words, flourish, words), folder)
    assert isinstance(once.chapters[0].blocks[1], Image)


def test_notes_naming_the_cover_art_mark_it(folder: Path) -> None:
    art = Paragraph((InlineImage("Story_files/a%20b.png"),))
    credit = Paragraph((Text("Gorgeous cover art by "), Emph((Text("fernwright"),))))
    resolved, _ = resolve(_story(notes=(credit, art, Paragraph((Text("Enjoy!"),)))), folder)
    assert resolved.metadata.cover is not None
    # Without the credit the same picture is only an illustration.
    plain, _ = resolve(_story(notes=(art, Paragraph((Text("Enjoy!"),)))), folder)
    assert plain.metadata.cover is None


def test_data_uri_pictures_are_read_and_reencoded() -> None:
    uri = "data:image/png;base64," + base64.b64encode(png((10, 6), (9, 9, 9))).decode()
    resolved, warnings = resolve(_story(Paragraph((InlineImage(uri, "Dot"),))), None)
    (image,) = resolved.chapters[0].blocks
    assert isinstance(image, Image) and image.picture is not None
    assert (image.picture.width, image.picture.height) == (10, 6) and warnings == []
    bad, warnings = resolve(_story(Paragraph((InlineImage("data:image/png,zzz"),))), None)
    assert bad.chapters[0].blocks == () and warnings == ["1 image left out: 1 not a readable image"]


def test_no_images_keeps_only_the_cover(folder: Path) -> None:
    (folder / "Story_files" / "cover.png").write_bytes(png((30, 40)))
    story = _story(
        Paragraph((InlineImage("Story_files/a b.png"),)),
        Paragraph((Text("Text "), InlineImage("https://x.org/i.png"))),
        Paragraph((InlineImage("Story_files/cover.png", role="cover"),)),
    )
    resolved, warnings = resolve(story, folder, ImageOptions(keep=False))
    assert warnings == []
    assert resolved.chapters[0].blocks == (Paragraph((Text("Text "),)),)
    assert resolved.metadata.cover is not None
    # Leaving out pictures after resolving does the same.
    kept, _ = resolve(story, folder)
    assert without_images(kept).chapters[0].blocks == (Paragraph((Text("Text "),)),)
    assert without_images(kept).metadata.cover == resolved.metadata.cover


def test_resolve_without_images_changes_nothing() -> None:
    story = _story(Paragraph((Text("Just words."),)), SceneBreak("* * *"))
    resolved, warnings = resolve(story, None)
    assert resolved is story and warnings == []


def test_json_shows_picture_sizes_not_bytes(folder: Path) -> None:
    story, _ = resolve(
        _story(
            Paragraph((InlineImage("Story_files/a b.png", "Sq"),)),
        ),
        folder,
    )
    data = story_to_data(story)
    image = data["chapters"][0]["blocks"][0]
    assert image["type"] == "Image" and image["alt"] == "Sq"
    assert image["picture"]["width"] == 4 and image["picture"]["size"] > 0
    assert "data" not in image["picture"]
    assert data["metadata"]["cover"] is None


def test_a_picture_left_out_leaves_its_alt_text_and_caption(folder: Path) -> None:
    story = _story(
        Paragraph(
            (Text("A "), InlineImage("https://x.org/i.png", " A  red door "), Text(" here."))
        ),
        Image("https://x.org/j.png", "The harbour", caption=(Emph((Text("Drawn by me"),)),)),
        Image("Story_files/gone.png", caption=(Text("Only a caption"),)),
        Paragraph((InlineImage("https://x.org/k.png"),)),  # no alt text: nothing to keep
    )
    resolved, warnings = resolve(story, folder)
    alt = left_out_text(InlineImage("x", "A red door"))
    assert alt == (Span((Text("[Picture: A red door]"),), ("picture-alt",)),)
    assert resolved.chapters[0].blocks == (
        Paragraph((Text("A "), *alt, Text(" here."))),
        Paragraph(
            (
                Span((Text("[Picture: The harbour]"),), ("picture-alt",)),
                Text(" "),
                Emph((Text("Drawn by me"),)),
            )
        ),
        Paragraph((Text("Only a caption"),)),
    )
    assert warnings == ["4 images left out: 3 remote address, 1 missing file"]
    # --no-images: the user asked for no pictures, so none leaves text behind
    none, _ = resolve(story, folder, ImageOptions(keep=False))
    assert none.chapters[0].blocks == (Paragraph((Text("A "), Text(" here."))),)

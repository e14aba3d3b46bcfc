"""Pictures: where a page's images may come from, and how they enter a book.

Readers only note what a page shows (``Image`` and ``InlineImage`` with the page's own
``src`` and alt text); ``resolve`` then finds each file and turns it into a ``Picture``.
The rules:

- Only files inside the page's own folder (its ``Story_files/`` folder included) are
  read: relative paths, with ``..`` and symlinks resolved, that stay inside it. Remote
  addresses, ``file:`` URLs, absolute paths and anything leading out of the folder are
  left out, and the book gets one warning saying how many and why. ``data:`` URIs in
  the page are read too (nothing is fetched).
- Every image is decoded and re-encoded with Pillow, so nothing reaches a book as it
  came (no metadata, no hidden payload, no extra frames): an animated image keeps its
  first frame, the longest side and the byte size are capped (``ImageOptions``), and
  SVG is refused (fic2book has no rasteriser it trusts with scripts).
- An image the page marks as a divider, or one standing alone that is shaped like a
  rule (wide and flat) or repeated as a flourish, becomes a scene break; one marked as
  cover art becomes the work's cover and stays where it was.
- Alt text is the page's, else ``Illustration``. A picture left out for one of the
  reasons above keeps its alt text (and caption) in the text, ``[Picture: alt]``, so
  nothing the author wrote is lost (``left_out_text``); ``--no-images`` keeps none.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from fic2book.errors import Fic2BookError
from fic2book.model import (
    BLOCK_TYPES,
    INLINE_CONTAINERS,
    Block,
    Book,
    Image,
    ImageRole,
    Inline,
    InlineImage,
    InlineRun,
    LineBreak,
    Node,
    Paragraph,
    Picture,
    SceneBreak,
    Span,
    Story,
    Text,
    count_nodes,
    inline_text,
    iter_inlines,
    map_block_runs,
    map_inlines,
    query,
    walk,
)

N = TypeVar("N", bound=Node)

DEFAULT_ALT = "Illustration"
"""The text alternative of a picture whose page gave none."""
DIVIDER_MARKER = "<img>"
"""The ``SceneBreak.marker`` of a divider image."""

# Why an image was left out (the words of the one warning per book).
REMOTE = "remote address"
FILE_URL = "file: address"
ABSOLUTE = "absolute path"
OUTSIDE = "outside the page's folder"
MISSING = "missing file"
NO_FOLDER = "no folder to look in"
UNREADABLE = "not a readable image"
SVG = "SVG (not supported)"
TOO_LARGE = "too large"

_DECODERS = ("PNG", "JPEG", "GIF", "WEBP", "BMP")
"""The only formats Pillow may decode here (never EPS, which runs Ghostscript)."""
_COVER_WORDS = re.compile(r"(?<![a-z])cover(?:[ _-]?art)?(?![a-z])", re.IGNORECASE)
_DIVIDER_WORDS = re.compile(
    r"(?<![a-z])(?:divider|separator|seperator|scene[ _-]?break|page[ _-]?break|hr)(?![a-z])",
    re.IGNORECASE,
)
_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]")
_SVG_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<svg", re.S
)


@dataclass(frozen=True)
class ImageOptions:
    """How pictures are read: whether at all, and the caps a picture must fit."""

    keep: bool = True
    """False (``--no-images``): pictures in the text are left out (the cover stays)."""
    max_side: int = 1600
    """The longest side in pixels; larger images are scaled down."""
    max_bytes: int = 1_000_000
    """The most bytes one encoded picture may take; larger ones are re-encoded smaller."""
    max_file_bytes: int = 40_000_000
    """Source files larger than this are not read at all."""
    max_pixels: int = 50_000_000
    """Source images with more pixels than this are not decoded (decompression bombs)."""


class ImageRefused(Exception):
    """An image that cannot enter a book; ``reason`` says why in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        """One of the module's reason phrases."""


# --------------------------------------------------------------------------- markup


def markup_role(*words: str) -> ImageRole:
    """What a page marks an image as, from its alt text, title, classes, id and file
    name: ``cover`` when one says cover (``cover art``, ``cover.jpg``), ``divider`` when
    one says divider, separator, scene break or hr, else ``illustration``."""
    text = " ".join(w for w in words if w)
    if _COVER_WORDS.search(text):
        return "cover"
    if _DIVIDER_WORDS.search(text):
        return "divider"
    return "illustration"


def is_divider_shape(picture: Picture, uses: int = 1) -> bool:
    """A picture standing alone that is a scene divider by its shape: at least five
    times as wide as high and at most 100 px high (a drawn rule), or, when the story
    shows it alone two or more times, at most 200 px high (a repeated flourish)."""
    if picture.height <= 100 and picture.width >= 5 * picture.height:
        return True
    return uses >= 2 and picture.height <= 200


# --------------------------------------------------------------------------- sources


def local_file(src: str, folder: Path | None) -> Path:
    """The file a page's image source names, or ImageRefused. The rule: a relative path
    (URL-escapes undone, query and fragment dropped) whose target, with ``..`` and
    symlinks resolved, is a file inside ``folder``; remote addresses, ``file:`` URLs,
    absolute paths and escapes from the folder are refused."""
    src = src.strip()
    if _WINDOWS_PATH.match(src):
        raise ImageRefused(ABSOLUTE)
    parts = urlsplit(src)
    scheme = parts.scheme.lower()
    if scheme == "file":
        raise ImageRefused(FILE_URL)
    if scheme or parts.netloc or src.startswith("//"):
        raise ImageRefused(REMOTE)
    path = unquote(parts.path).replace("\\", "/")
    if not path:
        raise ImageRefused(MISSING)
    if path.startswith("/"):
        raise ImageRefused(ABSOLUTE)
    if folder is None:
        raise ImageRefused(NO_FOLDER)
    try:
        root = folder.resolve()
        target = root.joinpath(*PurePosixPath(path).parts).resolve()
        if not target.is_relative_to(root):
            raise ImageRefused(OUTSIDE)
        if not target.is_file():
            raise ImageRefused(MISSING)
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        raise ImageRefused(MISSING) from None
    return target


def data_uri_bytes(src: str) -> bytes | None:
    """The bytes of a ``data:`` URI (base64 or percent-encoded), or None when ``src`` is
    not one; a malformed one is ImageRefused."""
    if src[:5].lower() != "data:":
        return None
    head, sep, payload = src[5:].partition(",")
    if not sep:
        raise ImageRefused(UNREADABLE)
    if head.lower().endswith(";base64"):
        try:
            return base64.b64decode(payload, validate=False)
        except (binascii.Error, ValueError):
            raise ImageRefused(UNREADABLE) from None
    return unquote_to_bytes(payload)


def source_bytes(src: str, folder: Path | None, options: ImageOptions) -> bytes:
    """The raw bytes an image source stands for (see ``local_file``), or ImageRefused."""
    inline = data_uri_bytes(src.strip())
    if inline is not None:
        return inline
    path = local_file(src, folder)
    if path.suffix.lower() in (".svg", ".svgz"):
        raise ImageRefused(SVG)
    try:
        if path.stat().st_size > options.max_file_bytes:
            raise ImageRefused(TOO_LARGE)
        return path.read_bytes()
    except OSError:
        raise ImageRefused(MISSING) from None


# --------------------------------------------------------------------------- decoding


def picture_of(data: bytes, options: ImageOptions = ImageOptions()) -> Picture:
    """Decode an image and re-encode it for a book, or ImageRefused. The rules: SVG is
    refused; only PNG, JPEG, GIF, WebP and BMP are decoded; the first frame of an
    animation is kept; EXIF orientation is applied and every metadata chunk dropped;
    the longest side is scaled down to ``max_side``; a JPEG source stays JPEG, anything
    else becomes PNG (JPEG when an opaque PNG is over ``max_bytes``); a picture still
    over ``max_bytes`` is scaled down further until it fits."""
    from PIL import Image as PILImage
    from PIL import ImageOps, UnidentifiedImageError

    if _SVG_START.match(data[:4096]) or data[:2] == b"\x1f\x8b":
        raise ImageRefused(SVG if b"<svg" in data[:4096] else UNREADABLE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data), formats=_DECODERS) as source:
                if source.width * source.height > options.max_pixels:
                    raise ImageRefused(TOO_LARGE)
                source_format = source.format
                source.seek(0)
                frame = ImageOps.exif_transpose(source.copy())
    except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError):
        raise ImageRefused(TOO_LARGE) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise ImageRefused(UNREADABLE) from None
    alpha = _has_alpha(frame)
    try:
        frame = frame.convert("RGBA" if alpha else ("L" if frame.mode in ("1", "L") else "RGB"))
    except (OSError, ValueError):
        raise ImageRefused(UNREADABLE) from None
    frame.thumbnail((options.max_side, options.max_side), PILImage.Resampling.LANCZOS)
    fmt = "JPEG" if source_format == "JPEG" and not alpha else "PNG"
    encoded = _encode(frame, fmt)
    if len(encoded) > options.max_bytes and fmt == "PNG" and not alpha:
        fmt = "JPEG"
        encoded = _encode(frame, fmt)
    while len(encoded) > options.max_bytes:
        if min(frame.size) <= 32:
            raise ImageRefused(TOO_LARGE)
        size = (max(1, frame.width * 3 // 4), max(1, frame.height * 3 // 4))
        frame = frame.resize(size, PILImage.Resampling.LANCZOS)
        encoded = _encode(frame, fmt)
    suffix = ".jpg" if fmt == "JPEG" else ".png"
    return Picture(
        key=hashlib.sha256(encoded).hexdigest()[:20] + suffix,
        media_type="image/jpeg" if fmt == "JPEG" else "image/png",
        data=encoded,
        width=frame.width,
        height=frame.height,
    )


def _has_alpha(image: Any) -> bool:
    """Whether an image has transparency (an alpha band or a transparent colour)."""
    return bool(image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info)


def _encode(image: Any, fmt: str) -> bytes:
    """An image encoded without any metadata; deterministic for the same pixels."""
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
    else:
        image.save(out, "PNG")
    return out.getvalue()


def picture_from_file(path: Path, options: ImageOptions = ImageOptions()) -> Picture:
    """A picture from a file the reader named (``--cover FILE``); any path is fine, as
    the reader chose it. A file that is not a usable image is a Fic2BookError."""
    if path.suffix.lower() in (".svg", ".svgz"):
        raise Fic2BookError(f"{path}: SVG images are not supported (use PNG or JPEG)")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise Fic2BookError(f"{path}: no such image file") from None
    except IsADirectoryError:
        raise Fic2BookError(f"{path}: is a directory, not an image") from None
    except OSError as exc:
        raise Fic2BookError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return picture_of(data, options)
    except ImageRefused as exc:
        raise Fic2BookError(f"{path}: cannot be used as a cover ({exc.reason})") from None


# --------------------------------------------------------------------------- resolving


class _Resolver:
    """One pass over a story: each image found, decoded or left out, and counted."""

    def __init__(self, folder: Path | None, options: ImageOptions) -> None:
        self.folder = folder
        self.options = options
        self.cache: dict[str, Picture | ImageRefused] = {}
        self.left_out: Counter[str] = Counter()
        self.cover: Picture | None = None
        self.uses: Counter[str] = Counter()

    def picture(self, src: str) -> Picture | None:
        """The picture for a source (each source read once), or None (counted)."""
        if src not in self.cache:
            try:
                data = source_bytes(src, self.folder, self.options)
                self.cache[src] = picture_of(data, self.options)
            except ImageRefused as exc:
                self.cache[src] = exc
        found = self.cache[src]
        if isinstance(found, ImageRefused):
            self.left_out[found.reason] += 1
            return None
        return found

    def image(self, node: Image) -> Block | None:
        """An image block resolved: a scene break for a divider, None when left out."""
        if node.role == "divider":
            return SceneBreak(DIVIDER_MARKER)
        if node.picture is not None and self.options.keep:
            return node
        picture = self.kept(node)
        if picture is None:
            text = left_out_text(node) if self.refused(node) else ()
            return Paragraph(text) if text else None
        if node.role != "cover" and is_divider_shape(picture, self.uses[node.src]):
            return SceneBreak(DIVIDER_MARKER)
        return replace(node, alt=node.alt.strip() or DEFAULT_ALT, picture=picture)

    def inline(self, node: InlineImage) -> Inline | None:
        """An inline image resolved, or None when it is left out (dividers too)."""
        if node.role == "divider" or (not self.options.keep and node.role != "cover"):
            return None
        if node.picture is not None:
            return node
        picture = self.kept(node)
        if picture is None:
            text = left_out_text(node) if self.refused(node) else ()
            return text[0] if text else None
        return replace(node, alt=node.alt.strip() or DEFAULT_ALT, picture=picture)

    def refused(self, node: Image | InlineImage) -> bool:
        """Whether an image was left out for a reason of its own (a remote address, a
        missing file...), not because the user asked for no pictures."""
        return self.options.keep and isinstance(self.cache.get(node.src), ImageRefused)

    def kept(self, node: Image | InlineImage) -> Picture | None:
        """The picture an image shows in the text, or None when it is left out: with
        ``--no-images`` only the cover is read, and it becomes the book's cover only."""
        if not self.options.keep and node.role != "cover":
            return None
        picture = self.picture(node.src)
        if picture is not None and node.role == "cover":
            self.cover = self.cover or picture
            if not self.options.keep:
                return None
        return picture

    def block(self, node: Block) -> Block | tuple[Block, ...]:
        """A block resolved, the blocks inside it already being resolved: a paragraph as
        ``paragraph`` says, an image block as ``image`` says (left out: none), and any
        other block with the inline images of its own runs resolved."""
        if type(node) is Paragraph:
            return self.paragraph(node)
        if type(node) is Image:
            found = self.image(node)
            return () if found is None else found
        return map_block_runs(node, self.run)

    def run(self, inlines: InlineRun) -> InlineRun:
        """An inline run with its inline images resolved (those left out removed)."""
        return map_inlines(inlines, self.inline_node)

    def inline_node(self, node: Inline) -> Inline | tuple[Inline, ...]:
        """An inline image resolved (nothing when left out); any other inline as it is."""
        if type(node) is not InlineImage:
            return node
        found = self.inline(node)
        return () if found is None else found

    def paragraph(self, node: Paragraph) -> Block | tuple[Block, ...]:
        """A paragraph of nothing but images is picture blocks; else its inline images
        are resolved, and a paragraph left with nothing is left out."""
        if not _has_images(node.inlines):
            return node
        images = sole_images(node.inlines)
        if images:
            blocks = [
                self.image(Image(i.src, i.alt, role=i.role, picture=i.picture)) for i in images
            ]
            return tuple(b for b in blocks if b is not None)
        inlines = self.run(node.inlines)
        if inlines is node.inlines:
            return node
        return replace(node, inlines=inlines) if inlines else ()


def left_out_text(node: Image | InlineImage) -> tuple[Inline, ...]:
    """What a picture left out leaves in the text: its alt text as ``[Picture: alt]``
    (in a span of class ``picture-alt``), then a block picture's caption; nothing when
    the page gave neither."""
    alt = " ".join(node.alt.split())
    out: list[Inline] = [Span((Text(f"[Picture: {alt}]"),), ("picture-alt",))] if alt else []
    caption = node.caption if isinstance(node, Image) else ()
    if caption:
        out += [Text(" "), *caption] if out else list(caption)
    return tuple(out)


def sole_images(inlines: InlineRun) -> list[InlineImage]:
    """The images of a paragraph that holds nothing but images (inside any formatting,
    with only spaces and line breaks around): such a paragraph is a picture block. An
    empty list when the paragraph has any text."""
    found: list[InlineImage] = []
    for node in iter_inlines(inlines):
        if type(node) is InlineImage:
            found.append(node)
        elif type(node) is Text:
            if node.text.strip():
                return []
        elif type(node) is not LineBreak and type(node) not in INLINE_CONTAINERS:
            return []
    return found


def standalone_uses(value: Node) -> tuple[int, Counter[str]]:
    """How many images a model value holds, and how often each image source stands
    alone (an Image block, or a paragraph of nothing but images) in it.

    One fold over the blocks and inline images: in reading order a paragraph's inlines
    come right after it, before the next block, so an inline image met after a
    paragraph and before any other block is in that paragraph."""
    uses: Counter[str] = Counter()
    total = 0
    paragraph: Paragraph | None = None
    with_images: list[Paragraph] = []

    def visit(node: Block | InlineImage) -> None:
        nonlocal total, paragraph
        if type(node) is InlineImage:
            total += 1
            if paragraph is not None:
                with_images.append(paragraph)
                paragraph = None
        elif type(node) is Paragraph:
            paragraph = node
        else:
            paragraph = None
            if type(node) is Image:
                uses[node.src] += 1
                total += 1

    query(value, _BLOCKS_AND_INLINE_IMAGES, visit)
    for found in with_images:
        uses.update(i.src for i in sole_images(found.inlines))
    return total, uses


def _has_images(inlines: InlineRun) -> bool:
    """Whether some inlines hold an image, at any depth."""
    return count_nodes(inlines, _INLINE_IMAGE) > 0


_IMAGES = frozenset({Image, InlineImage})
_BLOCKS_AND_INLINE_IMAGES = frozenset({*BLOCK_TYPES, InlineImage})
_INLINE_IMAGE = frozenset({InlineImage})


def mark_named_cover(story: Story) -> Story:
    """The work notes' or summary's picture that the text beside it names as the cover
    (a picture standing alone right before or after a paragraph saying ``cover art by
    ...``) marked as the cover, as if its own markup had said so."""
    meta = story.metadata
    changes: dict[str, Any] = {}
    for name in ("notes", "summary"):
        blocks = list(getattr(meta, name))
        for i, block in enumerate(blocks):
            images = sole_images(block.inlines) if isinstance(block, Paragraph) else []
            if len(images) != 1 or images[0].role != "illustration":
                continue
            near = [blocks[k] for k in (i - 1, i + 1) if 0 <= k < len(blocks)]
            if any(isinstance(b, Paragraph) and _names_cover(b) for b in near):
                blocks[i] = Image(images[0].src, images[0].alt, role="cover")
                changes[name] = tuple(blocks)
                break
        if changes:
            break
    return replace(story, metadata=replace(meta, **changes)) if changes else story


def _names_cover(paragraph: Paragraph) -> bool:
    """Whether a short paragraph speaks of cover art (``Cover art by quillmoth``)."""
    text = inline_text(paragraph.inlines)
    return len(text) <= 200 and _COVER_WORDS.search(text) is not None


def resolve(
    story: Story, folder: Path | None, options: ImageOptions = ImageOptions()
) -> tuple[Story, list[str]]:
    """A story with every image resolved (see the module docstring) and the warnings to
    show: at most one, naming how many images were left out and why. The story's own
    cover art (an image the page marks as cover, or one its notes name as the cover,
    see ``mark_named_cover``) becomes ``metadata.cover`` unless the metadata already
    has one."""
    total, uses = standalone_uses(story)
    if not total:
        return story, []
    story = mark_named_cover(story)
    resolver = _Resolver(folder, options)
    resolver.uses = uses
    resolved = walk(story, block=resolver.block)
    if resolver.cover is not None and resolved.metadata.cover is None:
        resolved = replace(resolved, metadata=replace(resolved.metadata, cover=resolver.cover))
    return resolved, left_out_warning(resolver.left_out)


def left_out_warning(counts: Counter[str]) -> list[str]:
    """The one warning for a book's left-out images (``3 images left out: 2 remote
    address, 1 outside the page's folder``), or none."""
    total = sum(counts.values())
    if not total:
        return []
    why = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items(), key=_by_count))
    return [f"{total} image{'s' if total != 1 else ''} left out: {why}"]


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    """Most frequent reason first, then by name."""
    return (-item[1], item[0])


# --------------------------------------------------------------------------- for writers


def pictures_of(value: Node | Iterable[Node]) -> list[Picture]:
    """Every picture a model value (a Book, a Story, a block...) shows in its text, each
    once, in reading order (the cover art in metadata counts only where the text has it
    too)."""
    seen: dict[str, Picture] = {}

    def note(node: Image | InlineImage) -> None:
        if node.picture is not None:
            seen.setdefault(node.picture.key, node.picture)

    query(value, _IMAGES, note)
    return list(seen.values())


def without_images(value: N) -> N:
    """A model value (a Book, a Story, a chapter...) with every picture in its text left
    out (the cover art stays)."""
    return walk(value, block=_Resolver(None, ImageOptions(keep=False)).block)


def cover_picture(book: Book, options: Any) -> Picture | None:
    """The cover art a book shows, from its build options: none when ``options.cover``
    is false (``--cover none``), else the reader's own (``--cover FILE``), else the
    story's own (an anthology's when it has one), else None (the writer may generate
    one)."""
    if not options.cover:
        return None
    own: Picture | None = options.cover_image or book.metadata.cover
    return own


def data_uri(picture: Picture) -> str:
    """A picture as a ``data:`` URI (single-file HTML and PDF)."""
    return f"data:{picture.media_type};base64,{base64.b64encode(picture.data).decode('ascii')}"

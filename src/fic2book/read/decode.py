"""Decoding: raw bytes to clean text, whatever encoding and line endings the file used.

Rules: a byte-order mark decides the encoding; otherwise strict UTF-8; otherwise
charset-normalizer picks a legacy code page. Line endings become ``\\n``. Characters XML
forbids (C0 controls other than tab and newline, lone surrogates, U+FFFE/U+FFFF) are
removed, because one of them makes an EPUB unreadable. Non-breaking spaces are kept: the
AO3 reader uses them to find scene breaks.
"""

from __future__ import annotations

import codecs
import re

from fic2book.errors import NotTextError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Signatures of common binary formats, so that an image or archive is named as such.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive (an EPUB or DOCX?)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def bom_encoding(data: bytes) -> str | None:
    """Return the encoding a byte-order mark announces, or None when there is none."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format of ``data``, or return None when it may be text.

    Rule: a known file signature, or any NUL byte in a file with no UTF-16/32 BOM, means
    the file is not text.
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if b"\x00" in data[:65536] and bom_encoding(data) is None:
        return "binary data (it contains NUL bytes)"
    return None


def detect_encoding(data: bytes) -> str:
    """Choose the encoding: the BOM's, else UTF-8 when it decodes, else charset-normalizer's best.

    Windows-1252 is the fallback when the detector has no opinion: it is what most
    legacy story files on English-language archives were saved in.
    """
    announced = bom_encoding(data)
    if announced:
        return announced
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return "cp1252"
    return str(best.encoding)


def normalize_text(text: str) -> str:
    """Normalise line endings to ``\\n`` and drop characters that XML 1.0 forbids."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _FORBIDDEN.sub("", text)


def decode(data: bytes, name: str = "input") -> str:
    """Decode raw bytes to clean text, or raise NotTextError naming the file and why."""
    what = sniff_binary(data)
    if what:
        raise NotTextError(f"{name}: not a text file: it looks like {what}")
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text = data.decode("cp1252", errors="replace")
    return normalize_text(text)

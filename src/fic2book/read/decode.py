"""Decoding: raw bytes to clean text, whatever encoding and line endings the file used.

Rules: a byte-order mark decides the encoding; otherwise strict UTF-8, or UTF-8 with a
few stray Windows-1252 bytes read one by one; otherwise UTF-16 without a BOM when every
other byte is NUL; otherwise, for text in a Latin script with one byte per character,
the Western code page whose reading is the most plausible; otherwise charset-normalizer
picks a legacy code page. Line endings become ``\\n``. Characters XML forbids (C0
controls other than tab and newline, lone surrogates, U+FFFE/U+FFFF) are removed,
because one of them makes an EPUB unreadable. Non-breaking spaces are kept: the AO3
reader uses them to find scene breaks.
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
    if b"\x00" in data[:65536] and bom_encoding(data) is None and not utf16_without_bom(data):
        return "binary data (it contains NUL bytes)"
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for BOM-less UTF-16 text, else None.

    Rule: in the first 64 KiB, at least a third of the bytes on one side of each pair
    are NUL and (almost) none on the other, as in UTF-16 Latin-script text, and the
    whole file decodes with no control characters other than whitespace.
    """
    head = data[:65536]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    for nulls, others, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nulls.count(0) >= len(nulls) / 3 and others.count(0) <= len(others) / 100:
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                return None
            return None if _FORBIDDEN.search(text.replace("\x00", "\x01")) else name
    return None


def detect_encoding(data: bytes) -> str:
    """Choose the encoding: the BOM's, else UTF-8 when it decodes, else charset-normalizer's best.

    Windows-1252 is the fallback when the detector has no opinion: it is what most
    legacy story files on English-language archives were saved in.
    """
    announced = bom_encoding(data) or utf16_without_bom(data)
    if announced:
        return announced
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if mostly_utf8(data):
        return MIXED_UTF8
    western = western_encoding(data)
    if western:
        return western
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return "cp1252"
    return str(best.encoding)


MIXED_UTF8 = "utf-8 (with stray Windows-1252 bytes)"
_LEGACY_BYTES = "fic2book-legacy-bytes"


def _legacy_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejected as Windows-1252, one character each."""
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error(_LEGACY_BYTES, _legacy_bytes)


def mostly_utf8(data: bytes) -> bool:
    """UTF-8 text with a few stray legacy bytes (a chapter pasted from an older file).

    Rule: the file holds more valid multi-byte UTF-8 characters than invalid bytes.
    A legacy single-byte file almost never holds a valid multi-byte sequence, so
    only a UTF-8 file passes; its stray bytes are read as Windows-1252 instead of
    the whole file turning into mojibake.
    """
    loose = data.decode("utf-8", errors="replace")
    invalid = loose.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(loose) - len(loose.encode("ascii", errors="ignore"))
    valid = non_ascii - loose.count("\ufffd")
    return valid > invalid > 0


# Single-byte code pages for Latin-script text, in order of preference on a tie.
_WESTERN = ("cp1252", "mac_roman", "cp1250", "cp1254")
_TYPOGRAPHIC = set("’‘“”„‚—–…«»‹›•·°£€¥©®™§¶¡¿\u00a0")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_HIGH_RUN = re.compile(rb"[\x80-\xff]{2,}")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_RARE_LETTERS = set("ðþýÐÞÝďťľĺŕĎŤĽĹŔ")


def western_encoding(data: bytes) -> str | None:
    """The Western code page that reads ``data`` most plausibly, or None when the text is
    not Latin script with one byte per character.

    Rule: most bytes above ASCII stand alone between ASCII bytes (in Cyrillic, Greek or
    East Asian encodings they come in runs); each candidate that decodes is scored by
    ``_plausibility`` and the best wins, the earlier in ``_WESTERN`` on a tie. This is
    what charset-normalizer gets wrong on short files (``It’s`` read as Big5) and on
    accented English (``naïve`` read as Central European ``naďve``).
    """
    high = len(_HIGH_BYTE.findall(data))
    if not high:
        return None
    paired = sum(len(run) for run in _HIGH_RUN.findall(data))
    if paired > high * 0.6:
        return None
    best: tuple[int, str] | None = None
    for name in _WESTERN:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, name)
    return best[1] if best else None


def _plausibility(text: str) -> int:
    """Score how natural a decoding's non-ASCII characters look where they stand.

    Typographic punctuation counts for; a lowercase accented letter next to another
    lowercase letter counts for; an uppercase one right after a lowercase letter
    (``ItÕs``), a lowercase one right before a capital (``ìNo``), a letter alone between
    non-letters, a symbol inside a word (``b³ąd``), a C1 control character, and the
    rarest letters (Icelandic ð þ ý, Slovak ď ť ľ ĺ ŕ) count against.
    """
    score = 0
    last = len(text) - 1
    for m in _NON_ASCII.finditer(text):
        i, ch = m.start(), m.group(0)
        before = text[i - 1] if i else " "
        after = text[i + 1] if i < last else " "
        if ch in _TYPOGRAPHIC:
            score += 1
        elif 0x80 <= ord(ch) < 0xA0:
            score -= 5
        elif ch.isalpha():
            if ch in _RARE_LETTERS:
                score -= 1
            if (ch.isupper() and before.islower()) or (ch.islower() and after.isupper()):
                score -= 2
            elif not before.isalpha() and not after.isalpha():
                score -= 1
            elif ch.islower() and (before.islower() or after.islower()):
                score += 1
        elif before.isalpha() and after.isalpha():
            score -= 2
    return score


def normalize_text(text: str) -> str:
    """Normalise line endings to ``\\n`` and drop characters that XML 1.0 forbids.

    Byte-order marks inside the text (files joined with ``cat``, each with its own BOM)
    are dropped too: one in front of ``Chapter 2`` would hide the heading.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _FORBIDDEN.sub("", text)


def decode(data: bytes, name: str = "input") -> str:
    """Decode raw bytes to clean text, or raise NotTextError naming the file and why."""
    what = sniff_binary(data)
    if what:
        raise NotTextError(f"{name}: not a text file: it looks like {what}")
    encoding = detect_encoding(data)
    try:
        if encoding == MIXED_UTF8:
            text = data.decode("utf-8", errors=_LEGACY_BYTES)
        else:
            text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text = data.decode("cp1252", errors="replace")
    return normalize_text(text)

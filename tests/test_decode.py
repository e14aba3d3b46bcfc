"""Decoding: encodings, line endings, forbidden characters, and files that are not text."""

import codecs

import pytest

from fic2book.errors import NotTextError
from fic2book.read.decode import decode, detect_encoding, normalize_text

SAMPLE = "Café “quotes” — naïve ‘single’ … done\n"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-16"),
        SAMPLE.encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom"],
)
def test_unicode_encodings_decode_exactly(data: bytes) -> None:
    assert decode(data) == SAMPLE


def test_windows_1252_is_detected_without_mojibake() -> None:
    text = (
        "“I can’t,” she said. The café was closed—again.\n\n"
        "He shrugged. “Then we’ll walk to the harbour instead.”\n"
    ) * 5
    data = text.encode("cp1252")
    assert detect_encoding(data) != "utf-8"
    assert decode(data) == text


def test_line_endings_are_normalised() -> None:
    assert decode(b"one\r\ntwo\rthree\n") == "one\ntwo\nthree\n"


def test_xml_forbidden_controls_are_removed_and_nbsp_kept() -> None:
    assert normalize_text("a\x0cb\x0bc\x00d\x1fe\u00a0f\tg") == "abcde\u00a0f\tg"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"PK\x03\x04rest", "zip"),
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"%PDF-1.7", "PDF"),
        (b"abc\x00\x00def", "NUL"),
    ],
)
def test_binary_input_is_refused_with_a_named_reason(data: bytes, what: str) -> None:
    with pytest.raises(NotTextError, match=rf"story\.txt: not a text file.*{what}"):
        decode(data, "story.txt")

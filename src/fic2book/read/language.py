"""A work's language: from a label in any script, else detected from the story text.

AO3 names each language in the language itself (``Русский``, ``Français``,
``中文-普通话 國語``); ``NATIVE_NAMES`` maps those names, and the English ones, to BCP 47
tags. When no label, markup or front matter gives the language, ``detect_language``
asks py3langid (a naive Bayes model shipped inside the package, loaded once, on first
use) and keeps its answer only above ``THRESHOLD`` confidence and for enough text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from fic2book.model import Block, BlockQuote, Chapter, Paragraph, Verse
from fic2book.read.inlines import plain_text

THRESHOLD = 0.9
"""The lowest confidence (0-1) at which a detected language is believed."""
MIN_LETTERS = 40
"""Fewer letters of story text than this are too few to detect a language from."""
_SAMPLE = 4000

# fmt: off
# AO3's language names as it writes them (in the language itself), and English names.
NATIVE_NAMES: dict[str, str] = {
    "afrikaans": "af", "bahasa indonesia": "id", "bahasa malaysia": "ms", "català": "ca",
    "cymraeg": "cy", "dansk": "da", "deutsch": "de", "eesti keel": "et", "eesti": "et",
    "english": "en", "español": "es", "esperanto": "eo", "euskara": "eu",
    "filipino": "fil", "français": "fr", "frysk": "fy", "furlan": "fur",
    "gaeilge": "ga", "gàidhlig": "gd", "galego": "gl", "hrvatski": "hr",
    "interlingua": "ia", "isizulu": "zu", "íslenska": "is", "italiano": "it",
    "kiswahili": "sw", "kreyòl ayisyen": "ht", "latviešu valoda": "lv", "latviešu": "lv",
    "lëtzebuergesch": "lb", "lietuvių kalba": "lt", "lietuvių": "lt",
    "lingua latina": "la", "latina": "la", "magyar": "hu", "malti": "mt",
    "nederlands": "nl", "norsk": "no", "norsk bokmål": "nb", "nynorsk": "nn",
    "plattdüütsch": "nds", "polski": "pl", "português brasileiro": "pt-BR",
    "português europeu": "pt-PT", "português": "pt", "română": "ro", "shqip": "sq",
    "slovenčina": "sk", "slovenščina": "sl", "suomi": "fi", "svenska": "sv",
    "tiếng việt": "vi", "türkçe": "tr", "føroyskt": "fo", "bosanski": "bs",
    "asturianu": "ast", "sardu": "sc", "scots": "sco", "kurdî": "ku", "čeština": "cs",
    "toki pona": "tok", "lojban": "jbo", "volapük": "vo", "sindarin": "sjn",
    "quenya": "qya", "tlhingan-hol": "tlh", "tlhingan hol": "tlh",
    "uncategorized constructed languages": "art", "ελληνικά": "el",
    "беларуская": "be", "български": "bg", "қазақша": "kk", "македонски": "mk",
    "русский": "ru", "српски": "sr", "srpski": "sr", "українська": "uk",
    "монгол": "mn", "татар теле": "tt", "հայերեն": "hy", "ქართული": "ka",
    "עברית": "he", "ייִדיש": "yi", "العربية": "ar", "فارسی": "fa", "اردو": "ur",
    "پښتو": "ps", "کوردی": "ckb", "ਪੰਜਾਬੀ": "pa", "पंजाबी": "pa", "मराठी": "mr",
    "हिन्दी": "hi", "বাংলা": "bn", "தமிழ்": "ta", "తెలుగు": "te", "ಕನ್ನಡ": "kn",
    "മലയാളം": "ml", "ગુજરાતી": "gu", "नेपाली": "ne", "සිංහල": "si", "ไทย": "th",
    "ພາສາລາວ": "lo", "ភាសាខ្មែរ": "km", "မြန်မာဘာသာ": "my", "བོད་སྐད་": "bo",
    "中文-普通话 國語": "zh", "中文-普通话 国语": "zh", "中文-普通話 國語": "zh",
    "中文-广东话 粵語": "yue", "中文-闽南话 臺語": "nan", "中文-吴语": "wuu",
    "中文-客家话": "hak", "中文": "zh", "普通话": "zh", "國語": "zh", "粵語": "yue",
    "日本語": "ja", "한국어": "ko", "tagalog": "tl", "bahasa melayu": "ms",
    "chinese": "zh", "russian": "ru", "french": "fr", "spanish": "es", "german": "de",
    "italian": "it", "portuguese": "pt", "japanese": "ja", "korean": "ko",
    "polish": "pl", "dutch": "nl", "swedish": "sv", "finnish": "fi", "czech": "cs",
    "ukrainian": "uk", "vietnamese": "vi", "turkish": "tr", "greek": "el",
    "hebrew": "he", "arabic": "ar", "indonesian": "id", "hungarian": "hu",
    "romanian": "ro", "danish": "da", "norwegian": "no", "catalan": "ca",
    "cantonese": "yue", "mandarin": "zh", "thai": "th", "hindi": "hi", "latin": "la",
    "welsh": "cy", "irish": "ga", "scottish gaelic": "gd", "galician": "gl",
    "basque": "eu", "icelandic": "is", "estonian": "et", "latvian": "lv",
    "lithuanian": "lt", "slovak": "sk", "slovenian": "sl", "croatian": "hr",
    "serbian": "sr", "bulgarian": "bg", "belarusian": "be", "macedonian": "mk",
    "persian": "fa", "urdu": "ur", "bengali": "bn", "tamil": "ta", "malay": "ms",
}
# fmt: on


def tag_of_name(value: str) -> str | None:
    """The BCP 47 tag for a language name in any script (``Русский`` -> ``ru``), or None.

    Rule: compared without case and with spaces collapsed; a name AO3 writes with a
    suffix (``中文-普通话 國語``) also matches on the part before the first space or
    hyphen when that part alone is a known name.
    """
    key = " ".join(value.strip().lower().split())
    if key in NATIVE_NAMES:
        return NATIVE_NAMES[key]
    head = re.split(r"[\s\-(]", key, maxsplit=1)[0]
    return NATIVE_NAMES.get(head) if head != key else None


@cache
def _identifier() -> Any:
    """py3langid's identifier with normalised probabilities (loaded once, on first use)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float] | None:
    """The language of a text and the model's confidence, or None when unsure.

    Rule: at least ``MIN_LETTERS`` letters, and a confidence of ``THRESHOLD`` or more.
    """
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    tag, confidence = _identifier().classify(text)
    if confidence < THRESHOLD:
        return None
    return str(tag), float(confidence)


def _block_texts(blocks: Iterable[Block]) -> Iterable[str]:
    """The plain text of paragraphs and verse lines, quotes included, in order."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield plain_text(block.inlines)
        elif isinstance(block, Verse):
            yield from (plain_text(line) for line in block.lines)
        elif isinstance(block, BlockQuote):
            yield from _block_texts(block.blocks)


def story_sample(chapters: Iterable[Chapter], size: int = _SAMPLE) -> str:
    """Up to ``size`` characters of story text (never notes), from the first chapters."""
    parts: list[str] = []
    total = 0
    for chapter in chapters:
        for text in _block_texts(chapter.blocks):
            parts.append(text)
            total += len(text)
            if total >= size:
                return "\n".join(parts)[:size]
    return "\n".join(parts)

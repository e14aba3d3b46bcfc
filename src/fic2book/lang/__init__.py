"""Language knowledge shared by readers and renderers: names, tags, scripts, direction.

A language is named in labels in any script (AO3 writes each in the language itself:
``Русский``, ``Français``, ``中文-普通话 國語``); ``NATIVE_NAMES`` maps those names, and the
English ones, to BCP 47 tags. Which languages are written right to left, and which
leave their punctuation as written (CJK), is decided here once for every module.
Identifying a language from text is ``fic2book.lang.identify``; the front-matter
labels readers recognise are ``fic2book.lang.labels``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Direction = Literal["ltr", "rtl"]

# fmt: off
# AO3's language names as it writes them (in the language itself), and English names.
NATIVE_NAMES: dict[str, str] = {
    "afrikaans": "af", "bahasa indonesia": "id", "bahasa malaysia": "ms", "català": "ca",
    "cymraeg": "cy", "dansk": "da", "deutsch": "de", "eesti keel": "et", "eesti": "et",
    "english": "en", "español": "es", "esperanto": "eo", "euskara": "eu",
    "filipino": "tl", "français": "fr", "frysk": "fy", "furlan": "fur",
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
    "persian": "fa", "farsi": "fa", "yiddish": "yi", "urdu": "ur", "bengali": "bn",
    "tamil": "ta", "malay": "ms",
}
# fmt: on


CJK_LANGUAGES = frozenset({"zh", "ja", "ko", "yue", "wuu", "lzh", "cmn"})
"""Languages written in Chinese characters, kana or hangul (primary subtags): their
punctuation is left as written and their pages use CJK margin rules."""

RTL_LANGUAGES = frozenset(
    {"ar", "arc", "azb", "bal", "ckb", "dv", "fa", "glk", "he", "iw", "ji", "khw"}
    | {"ks", "lrc", "mzn", "nqo", "pnb", "prs", "ps", "sd", "syr", "ug", "ur", "yi"}
)
"""Languages written right to left (ISO 639 codes)."""
RTL_SCRIPTS = frozenset(
    {"adlm", "arab", "hebr", "mand", "mend", "nkoo", "rohg", "samr", "syrc", "thaa", "yezi"}
)
"""Scripts written right to left (ISO 15924 codes, lower case)."""

_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*")
_RTL_CHAR = re.compile(
    "[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
"""Every character whose bidirectional class is R or AL lies in these blocks."""


def endonym(tag: str) -> str | None:
    """A language's own name for itself, as a label shows it (``fr`` -> ``Français``), or
    None for a tag no name maps to: the first name ``NATIVE_NAMES`` lists for the tag,
    passing over AO3's compound names (``中文-普通话 國語``)."""
    for name, value in NATIVE_NAMES.items():
        if value == tag and "-" not in name:
            return name.title()
    return None


def primary(tag: str | None) -> str:
    """A tag's primary language subtag, lower case (``pt-BR`` -> ``pt``); ``en`` for none."""
    return (tag or "en").strip().replace("_", "-").lower().split("-")[0]


def is_cjk(tag: str | None) -> bool:
    """Whether a language is Chinese, Japanese or Korean (``CJK_LANGUAGES``)."""
    return primary(tag) in CJK_LANGUAGES


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


def language_tag(value: str) -> str | None:
    """A BCP 47 tag for a language name in any script or a tag (``English`` -> ``en``,
    ``Русский`` -> ``ru``, ``pt-BR`` as it is), or None."""
    v = value.strip()
    if _TAG.fullmatch(v):
        return v
    return tag_of_name(v)


def language_direction(tag: str) -> Direction:
    """The writing direction of a language tag: a script subtag decides when there is
    one (``ku-Arab`` rtl, ``az-Latn`` ltr), else the language (``he``, ``ar``, ``fa``,
    ``ur``, ``yi``... rtl; everything else ltr)."""
    parts = tag.lower().split("-")
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return "rtl" if part in RTL_SCRIPTS else "ltr"
    return "rtl" if parts[0] in RTL_LANGUAGES else "ltr"


def text_direction(text: str) -> Direction:
    """``rtl`` when a text has more right-to-left letters (Hebrew, Arabic, Syriac,
    Thaana...) than left-to-right ones, else ``ltr``; a text with no character from the
    right-to-left blocks is ``ltr`` without counting."""
    if not _RTL_CHAR.search(text):
        return "ltr"
    rtl = ltr = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            ltr += 1
        elif kind in ("R", "AL"):
            rtl += 1
    return "rtl" if rtl > ltr else "ltr"

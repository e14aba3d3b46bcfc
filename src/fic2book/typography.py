"""Typography: curly quotes, dashes and ellipses by the story's language, as a transform.

Rules (FORMATS.md): straight quotes curl by context; a quote mark at the very start of
a paragraph opens and one at the very end closes, whatever way it was curled (repairing
mis-curled quotes at the edges); apostrophes in elisions (``'em``, ``'tis``, ``'80s``)
turn the right way, and an apostrophe the author already curled (``’em``) stays as
written; ``--``/``---`` and a spaced en dash used as a dash become an em dash; ``...``
becomes an ellipsis. Nothing else in the wording changes.

The language (``Metadata.language``) chooses the quote marks (``QUOTES``): English
``“ ” ‘ ’``, French ``« »`` with narrow no-break spaces inside and before ``; ! ?`` (a
no-break space before ``:``), German ``„ “ ‚ ‘``, Russian ``« » „ “`` with a dialogue
dash for a leading ``-``... A language whose convention is not known here keeps its
quote marks as written, and Chinese, Japanese and Korean keep every mark as written
(full-width marks are already right); no language ever gets English quotes forced on it.

Quotes are decided on a paragraph's whole text, across emphasis boundaries, so
``"*Hello*"`` curls correctly; the one-for-one replacement keeps every run's length.
Traversal is the model's walker (``model.walk`` and the maps built on it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from fic2book.lang import CJK_LANGUAGES
from fic2book.model import (
    Block,
    Book,
    Chapter,
    Inline,
    InlineRun,
    Span,
    Story,
    Text,
    iter_inlines,
    map_inlines,
    map_runs,
    map_story_runs,
    walk,
)

NNBSP = "\u202f"
"""A narrow no-break space (French spacing inside guillemets and before ``; ! ?``)."""
NBSP = "\u00a0"
"""A no-break space."""
WORD_JOINER = "\u2060"
"""An invisible character that forbids a line break where it stands."""


@dataclass(frozen=True)
class QuoteStyle:
    """A language's quotation marks: double (first level) and single (nested) pairs."""

    open2: str
    """The opening double (first-level) quote."""
    close2: str
    """The closing double quote."""
    open1: str
    """The opening single (nested) quote."""
    close1: str
    """The closing single quote."""


ENGLISH = QuoteStyle("“", "”", "‘", "’")
_GERMAN = QuoteStyle("„", "“", "‚", "‘")
_POLISH = QuoteStyle("„", "”", "‚", "’")
_GUILLEMETS = QuoteStyle("«", "»", "„", "“")
_FRENCH = QuoteStyle("«", "»", "“", "”")
_NORDIC = QuoteStyle("”", "”", "’", "’")
QUOTES: dict[str, QuoteStyle] = {
    **dict.fromkeys(("en", "nl", "it", "es", "pt", "ca", "gl", "eu", "tr", "id"), ENGLISH),
    **dict.fromkeys(("ms", "tl", "fil", "ga", "cy", "eo", "vi", "af", "sw", "mt"), ENGLISH),
    **dict.fromkeys(("de", "cs", "sk", "sl", "lt", "et", "is", "bg", "ka", "lb"), _GERMAN),
    **dict.fromkeys(("pl", "hu", "ro", "hr", "sr", "bs", "mk"), _POLISH),
    **dict.fromkeys(("ru", "uk", "be", "el", "nb", "nn", "no", "hy", "kk"), _GUILLEMETS),
    **dict.fromkeys(("sv", "fi"), _NORDIC),
    "da": QuoteStyle("»", "«", "›", "‹"),
    "fr": _FRENCH,
}
"""Quote marks by primary language subtag; a language not listed keeps its marks."""
_DIALOGUE_DASH = frozenset({"ru", "uk", "be", "bg"})
"""Languages whose dialogue opens with a dash (``- Hi`` becomes ``— Hi``)."""


@dataclass(frozen=True)
class Rules:
    """What the typography does for one language."""

    quotes: QuoteStyle | None
    """The quote marks, or None to keep quote marks as written."""
    punctuation: bool = True
    """Whether dashes and ellipses are set (False for CJK: keep everything)."""
    french: bool = False
    """French spacing: narrow no-break spaces inside guillemets and before ``; ! ?``."""
    dialogue_dash: bool = False
    """A paragraph opening with ``- `` (or a spaced ``-`` dash) gets an em dash."""


def rules_for(language: str | None) -> Rules:
    """The typography rules for a BCP 47 tag; no language means English."""
    tag = (language or "en").strip().replace("_", "-").lower()
    primary = tag.split("-")[0]
    if primary in CJK_LANGUAGES:  # punctuation left exactly as written (full-width marks)
        return Rules(None, punctuation=False)
    quotes = QUOTES.get(primary)
    if tag == "de-ch" or tag.startswith("de-ch-"):
        quotes = QuoteStyle("«", "»", "‹", "›")  # Swiss German uses guillemets
    return Rules(quotes, french=primary == "fr", dialogue_dash=primary in _DIALOGUE_DASH)


_ELISIONS = (
    "em|tis|twas|twere|twill|til|till|cause|cos|coz|bout|round|nother|n|s|ere|ave|ow|e|im|"
    "ello|allo|ey|uns|kay|nough|nuff|fore|gainst|mongst|neath|ya|yer|course|sup|fraid|"
    "scuse|spose|sides"
)
_ELISION = re.compile(rf"['‘](?=(?:{_ELISIONS})\b|\d\ds\b|\d\d\b)", re.IGNORECASE)
_OPENERS = set(" \t\n([{<—–-/\u00a0“‘\"'")
_DOUBLE = set('"“”')
_QUOTE = re.compile("[\"“”'‘’]")
_SINGLE = set("'‘’")
_DASH = re.compile(
    r"(?<=\S) ?(?<!-)-{2,3}(?!-) ?(?=\S)|(?<=\S) -{2,3}(?=\s|$)|(?<=\s)-{2,3} (?=\S)"
    r"|(?<=[^\s-])-{2,3}$|^-{2,3}(?=[^\s-])"
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SPACED_EN = re.compile(r"(?<=\S) – (?=\S)")
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")

_FR_OPEN = re.compile("«[ \u00a0\u202f]*")
# Entered at the first space of a run: tried from each, the run made it quadratic.
_FR_CLOSE = re.compile("(?<![ \u00a0\u202f])[ \u00a0\u202f]*»")
_FR_HIGH = re.compile("(?<=[^\\s«(\\[;:!?\u202f\u00a0])[ \u00a0]?([;!?]+)|^[ \u00a0]([;!?]+)")
_FR_COLON = re.compile("(?<=[\\w»)\\]])[ \u202f]?:(?=\\s|$)")
_LEADING_HYPHEN = re.compile("^\\s*[-–—]\\s+")
_SPACED_HYPHEN = re.compile("(?<=\\S) [-–—] (?=\\S)")
_GLUED_DASH = re.compile("(?<=[^\\s\u2060])(?=—)")
_SPACED_DASH = re.compile(" (?=—)")


def smart_quotes(text: str, style: QuoteStyle = ENGLISH) -> str:
    """Curl every quote mark in one paragraph's text (length is preserved).

    The marks come from ``style``; apostrophes are always ``’``. A ``’`` the author
    already wrote before a letter or digit (``’em``, ``’tis``, ``’90s``) is an
    apostrophe and stays as written.
    """
    chars = list(text)
    elided = {m.start() for m in _ELISION.finditer(text)}
    last = len(chars) - 1
    first_text = len(text) - len(text.lstrip())
    last_text = len(text.rstrip()) - 1
    doubles = singles = 0
    for m in _QUOTE.finditer(text):
        i, ch = m.start(), m.group(0)
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i < last else " "
        if ch == "’" and after.isalnum():
            continue  # the author's own apostrophe: trust it
        opening = before in _OPENERS and not after.isspace()
        if ch in _DOUBLE:
            if _ambiguous_double(before, after):
                opening = doubles % 2 == 0  # balanced so far: this one opens
            doubles += 1
        if i <= first_text:
            opening = True
        elif i >= last_text:
            opening = False
        elif ch in "“”‘’" and not (before in _OPENERS or after.isspace()):
            continue  # already curled, mid-word: trust the author
        if ch in _DOUBLE:
            chars[i] = style.open2 if opening else style.close2
        elif i in elided or (before.isalnum() and after.isalnum()):
            chars[i] = "’"
        elif opening and not before.isalnum():
            chars[i] = style.open1
            singles += 1
        elif singles:  # closes the open single quotation
            chars[i] = style.close1
            singles -= 1
        else:  # an apostrophe after a word (the girls' books)
            chars[i] = "’"
    return "".join(chars)


def _ambiguous_double(before: str, after: str) -> bool:
    """A double quote with no space on either side, text before and a word after.

    ``stopped..."Really`` opens and ``"Wait..."she said`` closes: only the quotes
    before it can tell which, so it opens when the double quotes before it are balanced.
    """
    return before not in _OPENERS and not before.isspace() and after.isalnum()


def smart_dashes(text: str) -> str:
    """``--`` (or ``---``) and a spaced en dash used as a dash become an em dash."""
    text = _DASH.sub(lambda m: m.group(0).replace("---", "—").replace("--", "—"), text)
    return _SPACED_EN.sub(" — ", text)


def smart_text(text: str, rules: Rules | None = None) -> str:
    """Dashes and ellipses for one run of text (quotes are done per paragraph), plus
    the language's spacing (``french_spacing``, ``dialogue_dashes``).

    Web addresses are left exactly as written (``a--b`` in a URL is not a dash).
    """
    rules = rules or Rules(ENGLISH)
    if not rules.punctuation:
        return text
    out: list[str] = []
    pos = 0
    for url in _URL.finditer(text):
        out.append(_smart_words(text[pos : url.start()], rules))
        out.append(url.group(0))
        pos = url.end()
    out.append(_smart_words(text[pos:], rules))
    return "".join(out)


def _smart_words(text: str, rules: Rules) -> str:
    """Every rule of ``smart_text`` for a piece of text holding no web address."""
    text = _ELLIPSIS.sub("…", smart_dashes(text))
    if rules.dialogue_dash:
        text = dialogue_dashes(text)
    if rules.french:
        text = french_spacing(text)
    return text


def french_spacing(text: str) -> str:
    """French spacing: a narrow no-break space inside guillemets and before ``; ! ?``
    (replacing a plain space or added where none was), a no-break space before a ``:``
    that ends a word (not in ``10:30``)."""
    text = _FR_OPEN.sub("«" + NNBSP, text)
    text = _FR_CLOSE.sub(NNBSP + "»", text)
    text = _FR_HIGH.sub(lambda m: NNBSP + (m.group(1) or m.group(2)), text)
    return _FR_COLON.sub(NBSP + ":", text)


def dialogue_dashes(text: str) -> str:
    """A spaced hyphen or en dash between words (``сказал - он``) becomes an em dash
    tied to the word before it by a no-break space."""
    return _SPACED_HYPHEN.sub(NBSP + "— ", text)


def leading_dash(text: str) -> str:
    """A paragraph opening with ``- ``, ``– `` or ``— `` opens with an em dash and a
    no-break space (Russian dialogue)."""
    return _LEADING_HYPHEN.sub("—" + NBSP, text, count=1)


def smarten_inlines(inlines: InlineRun, rules: Rules | None = None) -> InlineRun:
    """Apply every typography rule to one paragraph's (or one line's) inlines."""
    rules = rules or Rules(ENGLISH)
    texts = [n.text for n in iter_inlines(inlines) if isinstance(n, Text)]
    joined = "".join(texts)
    curled = smart_quotes(joined, rules.quotes) if rules.quotes else joined
    new: list[str] = []
    pos = 0
    for text in texts:
        piece = smart_text(curled[pos : pos + len(text)], rules)
        if rules.dialogue_dash and pos == 0:
            piece = leading_dash(piece)
        new.append(piece)
        pos += len(text)
    replacements = iter(new)

    def swap(node: Inline) -> Inline:
        return Text(next(replacements)) if isinstance(node, Text) else node

    return map_inlines(inlines, swap)


def smarten_block(block: Block, rules: Rules | None = None) -> Block:
    """Apply typography to one block and everything inside it."""
    return map_runs(block, lambda run: smarten_inlines(run, rules))


def smarten_title(title: str | None, rules: Rules) -> str | None:
    """A title or chapter name with the typography applied (None stays None)."""
    if not title:
        return title
    text = smart_quotes(title, rules.quotes) if rules.quotes else title
    return smart_text(text, rules)


def smarten(story: Story) -> Story:
    """The whole story with typography applied in its language (see the module
    docstring): every inline run, the title and the chapter names."""
    rules = rules_for(story.metadata.language)
    story = map_story_runs(story, lambda run: smarten_inlines(run, rules))
    meta = story.metadata
    return replace(
        story,
        metadata=replace(meta, title=smarten_title(meta.title, rules)),
        chapters=tuple(_titled(c, rules) for c in story.chapters),
    )


def _titled(chapter: Chapter, rules: Rules) -> Chapter:
    """A chapter with its name smartened."""
    return replace(chapter, title=smarten_title(chapter.title, rules))


# --------------------------------------------------------------------------- line breaks


def bind_dashes(text: str) -> str:
    """Keep an em dash with the word before it: a word joiner between a word and a
    dash glued to it (``if—``), a no-break space for a spaced dash (``wait — what``),
    so no line starts with a dash that belongs to the previous line, and a closing
    quote after a dash (``—”``) never stands alone on a line."""
    return _SPACED_DASH.sub(NBSP, _GLUED_DASH.sub(WORD_JOINER, text))


_KEEP_WHOLE = re.compile(r"(?:https?://|www\.)\S+|\b[^\W\d_][^\W_]{5,}", re.IGNORECASE)


_CAPITALISED_NOUNS = frozenset({"de", "lb", "gsw"})
"""Languages that capitalise every noun: there a capital does not mark a name."""


def keep_whole(text: str, names: bool = True) -> Inline:
    """A text run whose web addresses, and with ``names`` its capitalised words of six
    letters or more, are wrapped in ``span.keep-whole`` (the print layer does not
    hyphenate them)."""
    parts: list[Inline] = []
    pos = 0
    for m in _KEEP_WHOLE.finditer(text):
        word = m.group(0)
        url = word.lower().startswith(("http", "www."))
        if not url and (word[0].islower() or not names):
            continue
        if m.start() > pos:
            parts.append(Text(text[pos : m.start()]))
        parts.append(Span((Text(word),), ("keep-whole",)))
        pos = m.end()
    if not parts:
        return Text(text)
    if pos < len(text):
        parts.append(Text(text[pos:]))
    return Span(tuple(parts))


def for_print(book: Book) -> Book:
    """A book ready for paged output (the PDF): ``bind_dashes`` on every text run, and
    web addresses and names kept whole (``keep_whole``; in German, which capitalises
    every noun, capitals are not names and hyphenate as usual). The EPUB and HTML keep
    the plain text."""

    def prepared(story: Story) -> Story:
        primary = (story.metadata.language or "en").replace("_", "-").split("-")[0].lower()
        names = primary not in _CAPITALISED_NOUNS

        def leaf(node: Inline) -> Inline:
            return keep_whole(bind_dashes(node.text), names) if isinstance(node, Text) else node

        return walk(story, inline=leaf)

    return replace(book, stories=tuple(prepared(s) for s in book.stories))

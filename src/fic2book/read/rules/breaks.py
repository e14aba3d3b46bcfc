"""Scene-break markers: which lines are an author's explicit break between scenes.

Rule: a short line made only of break symbols (``***``, ``* * *``, ``~~~``, ``---``,
``~*~``, ``⁂``), or a repeated x/o token with symbols or mixed case (``xXx``, ``oOo``,
``-x-x-``), or a single x/o framed by symbols (``-o-``, ``~x~``), or a spelled-out
marker (``[scene break]``, ``Line break``), or a run of one x, o or digit
(``oooooooooooo``, ``8888``), or a centred decoration of symbols, dots and colons
around x/o tokens (``.:O:.:O:.``). Rules made of symbols have no length cap (a
72-dash rule, ``*       *       *``); other markers are short. Dialogue punctuation
never counts: a line of ``...`` or ``?!`` is somebody not speaking.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

_SYMBOLS = set("*~-=_+#•·°º×⁂§※❖◆◇♦♥♡❤✿❀☆★✦✧/\\|<>^—–°¤¸¸,`")
_TOKEN = re.compile(r"^[\W_]*(?:[xXoO0][\W_]*){2,}$")
_FRAMED = re.compile(r"^([^\w\s]+)\s*[xXoO0]\s*([^\w\s]+)$")
_WORDED = re.compile(
    r"^[\W_]*(?:scene|line|page|time|pov)[\s_-]*(?:break|skip|change|switch)[\W_]*$",
    re.IGNORECASE,
)
_RUN = re.compile(r"^([xXoO0-9])\1{3,}$")
_DECORATION = re.compile(r"^[.:·•*~-]*(?:[oOxX0]+[.:·•*~-]+){2,}[oOxX0]*$")
_MAX_LEN = 40
_SENTENCE = set(".!?,…'\"’”")
_MAX_TOKEN_LEN = 120


def is_scene_break_line(line: str) -> bool:
    """True when the whole line is an explicit scene-break marker."""
    s = line.replace(NBSP, " ").strip()
    if not s:
        return False
    compact = s.replace(" ", "")
    if all(ch in _SYMBOLS for ch in compact):
        return not _is_punctuation_only(compact)
    if len(compact) <= _MAX_TOKEN_LEN and (_RUN.match(compact) or _DECORATION.match(compact)):
        return True
    if len(s) > _MAX_LEN:
        return False
    if _WORDED.match(s):
        return True
    if len(compact) >= 3 and _TOKEN.match(compact):
        letters = [ch for ch in compact if ch.isalpha()]
        has_symbol = any(not ch.isalnum() for ch in compact)
        word_shaped = "".join(letters) == "".join(letters).capitalize()
        mixed = "0" in compact or (
            any(ch.isupper() for ch in letters)
            and any(ch.islower() for ch in letters)
            and not word_shaped
        )
        if word_shaped and all(ch.isalnum() or ch in _SENTENCE for ch in compact):
            return False  # "Ooooh!", "Oo." are somebody speaking
        return has_symbol or mixed or (len(letters) >= 3 and set(compact.lower()) == {"x"})
    return _is_framed_token(s)


def _is_framed_token(s: str) -> bool:
    """A single x or o framed by break symbols on both sides (``-o-``, ``~x~``, ``- o -``)."""
    m = _FRAMED.match(s)
    return m is not None and all(ch in _SYMBOLS for ch in m.group(1) + m.group(2))


def _is_punctuation_only(compact: str) -> bool:
    """True for a lone comma or dashes that read as a cut-off line of dialogue, or a
    lone ``>`` (an empty line of a markdown quote)."""
    return compact in {",", "`", "—", "–", "-", ">", "<"}


def is_nbsp_line(line: str) -> bool:
    """True for a line that holds only whitespace with at least one non-breaking space."""
    return NBSP in line and not line.replace(NBSP, " ").strip()

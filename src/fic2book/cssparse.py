"""A user's stylesheet kept to what parses: the rules and declarations a CSS reader
takes, every other part left out and named.

A ``--css`` file that does not parse would reach the EPUB as it is, and EPUBCheck then
fails the book (CSS-008); e-readers drop such parts anyway, each in its own way. So the
file is parsed once with tinycss2 (CSS Syntax Level 3, WeasyPrint's own parser) and
written anew from what parsed: every block closed, no stray ``;`` or ``}`` left, and
each part left out described (``line 3: "margin 0"``) for one warning.

The rule, part by part (``keep_parsed``):

- A style rule is kept when its selector list is well formed (``_selectors``: type,
  universal, namespace, ``#id``, ``.class``, ``[attribute]``, ``:pseudo`` and
  ``::pseudo`` parts joined by white space, ``>``, ``+`` or ``~``, lists split by
  commas); a rule whose selector does not parse is left out whole, as browsers leave
  it. Its declarations are split at ``;`` as a CSS 2.1 reader splits them, and each is
  kept when it parses as ``name: value`` with a value that holds no bad string, bad
  URL, unmatched bracket, ``{}`` block or ``;`` (only a custom property, ``--name``,
  may be empty). A rule nested inside a style rule is left out: e-readers and the PDF
  renderer do not read CSS nesting, and EPUBCheck refuses it.
- ``@media``, ``@supports``, ``@layer``, ``@container``... hold rules, kept by the same
  rule; ``@keyframes`` hold keyframes (``from``, ``to``, percentages); ``@page``,
  ``@font-face`` and other at-rules hold declarations (``@page`` its margin boxes,
  ``@top-center {...}``, too). An at-rule whose prelude does not parse is left out; so
  is one that needs a block and has none (``@font-face;``), and a ``@font-face`` left
  with no declarations. ``@import``, ``@namespace`` and ``@charset`` statements stay
  (what loads nothing is for ``cssguard`` to decide).
- Anything else at the top level (text where a rule should start, a selector with no
  block at the end of the file) is left out. An unclosed block is closed at the end of
  the file, as every CSS parser closes it, and what it holds is judged as above.
- A stylesheet nested deeper than the parser can follow is left out whole.

Comments are not kept.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import tinycss2  # type: ignore[import-untyped]
from tinycss2.serializer import serialize_identifier  # type: ignore[import-untyped]

_SNIPPET_CHARS = 40
_RULE_LISTS = frozenset(
    {"media", "supports", "document", "-moz-document", "layer", "container", "scope"}
    | {"starting-style"}
)
"""At-rules whose block holds rules."""
_NEEDS_BLOCK = _RULE_LISTS | {"font-face", "page", "counter-style", "property", "viewport"}
"""At-rules that mean nothing without a block (``@layer a, b;`` aside, checked apart)."""
_MATCHERS = frozenset({"=", "~=", "|=", "^=", "$=", "*="})
_COMBINATORS = frozenset({">", "+", "~"})
_BLANK = frozenset({"whitespace", "comment"})


def keep_parsed(css: str) -> tuple[str, list[str]]:
    """The stylesheet written anew from the parts that parse (the module's rule), and a
    description of each part left out, in order (``line 3: "margin 0"``)."""
    source = _Source(css)
    dropped: list[str] = []
    try:
        rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
        kept = _rule_list(rules, source, dropped, keyframes=False)
    except RecursionError:
        return "", ["the whole file (its blocks are nested too deep to read)"]
    return "".join(f"{rule}\n" for rule in kept), dropped


class _Source:
    """The stylesheet's text, to quote a part at a parsed node's line and column."""

    def __init__(self, css: str) -> None:
        # tinycss2 counts lines and columns in the text after CSS's preprocessing
        text = css.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
        self.text = text.replace("\0", "\ufffd")
        self.starts = [0]
        self.starts += [i + 1 for i, c in enumerate(self.text) if c == "\n"]

    def quote(self, node: Any, stops: str, more: str = "") -> str:
        """``line N: "text"``: the source from the node's start up to the first of
        ``stops`` (over line ends), its white space collapsed, cut to a readable
        length; ``more`` (`` {…}``) is added inside the quotes."""
        line = min(max(1, getattr(node, "source_line", 1)), len(self.starts))
        at = self.starts[line - 1] + max(0, getattr(node, "source_column", 1) - 1)
        text = self.text[at : at + 4 * _SNIPPET_CHARS]
        cut = min((i for i in (text.find(c) for c in stops) if i > 0), default=len(text))
        snippet = " ".join(text[:cut].split())
        if len(snippet) > _SNIPPET_CHARS:
            snippet = snippet[: _SNIPPET_CHARS - 1] + "…"
        return f'line {line}: "{snippet}{more}"'


def _rule_list(
    nodes: Sequence[Any], source: _Source, dropped: list[str], *, keyframes: bool
) -> list[str]:
    """The rules of a list (the stylesheet, or an at-rule's block) that parse, written
    out; the others described in ``dropped``."""
    out: list[str] = []
    for node in nodes:
        if node.type == "qualified-rule":
            good = _keyframe_selectors(node.prelude) if keyframes else _selectors(node.prelude)
            if not good:
                dropped.append(source.quote(node, "{", " {…}"))
                continue
            body = _declarations(node.content, source, dropped, margin_boxes=False)
            out.append(f"{tinycss2.serialize(node.prelude).strip()} {_block(body)}")
        elif node.type == "at-rule":
            text = _at_rule(node, source, dropped)
            if text is not None:
                out.append(text)
        elif node.type == "error" and not _stray(source.quote(node, "{")):
            dropped.append(source.quote(node, "{"))
    return out


def _block(body: str) -> str:
    """Declarations in braces (``{}`` when there are none)."""
    return f"{{ {body} }}" if body else "{}"


def _stray(quoted: str) -> bool:
    """Whether a quoted part is only stray ``;`` and ``}`` (after a rule): nothing the
    author wrote is lost by leaving it out, so it is not reported."""
    return not quoted.split(": ", 1)[1].strip('"').strip("}; ")


def _at_rule(node: Any, source: _Source, dropped: list[str]) -> str | None:
    """An at-rule written out with what parses in its block, or None when it is left
    out (its prelude does not parse, or it needs a block and has none)."""
    name = node.lower_at_keyword
    if not _clean(node.prelude) or (node.content is None and name in _NEEDS_BLOCK - {"layer"}):
        dropped.append(source.quote(node, "{;"))
        return None
    prelude = tinycss2.serialize(node.prelude).strip()
    head = f"@{serialize_identifier(node.at_keyword)}" + (f" {prelude}" if prelude else "")
    if node.content is None:
        return f"{head};"
    if name in _RULE_LISTS or name.endswith("keyframes"):
        inner = tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
        rules = _rule_list(inner, source, dropped, keyframes=name.endswith("keyframes"))
        return head + " {\n" + "".join(f"  {rule}\n" for rule in rules) + "}"
    body = _declarations(node.content, source, dropped, margin_boxes=name == "page")
    if name == "font-face" and not body:
        return None
    return f"{head} {_block(body)}"


def _segments(tokens: Sequence[Any]) -> Iterator[list[Any]]:
    """A block's contents split as a CSS 2.1 reader splits declarations: at each ``;``
    outside brackets; a part that starts with an at-keyword ends after its block."""
    part: list[Any] = []
    for token in tokens:
        if token.type == "literal" and token.value == ";":
            yield part
            part = []
            continue
        part.append(token)
        if token.type == "{} block" and _significant(part)[0].type == "at-keyword":
            yield part
            part = []
    yield part


def _declarations(
    tokens: Sequence[Any], source: _Source, dropped: list[str], *, margin_boxes: bool
) -> str:
    """A block's declarations that parse, written out (``a: b; c: d``); with
    ``margin_boxes`` (``@page``) its ``@top-center {...}`` rules too."""
    kept: list[str] = []
    for part in _segments(tokens):
        significant = _significant(part)
        if not significant:
            continue  # a stray ";": nothing to keep or to report
        first, last = significant[0], significant[-1]
        if first.type == "at-keyword":
            box = margin_boxes and len(significant) == 2 and last.type == "{} block"
            if box:
                inner = _declarations(last.content, source, dropped, margin_boxes=False)
                kept.append(f"@{serialize_identifier(first.value)} {_block(inner)}")
            else:
                more = " {…}" if last.type == "{} block" else ""
                dropped.append(source.quote(first, "{;}", more))
            continue
        declaration = tinycss2.parse_one_declaration(part, skip_comments=True)
        if declaration.type != "declaration" or not _good_value(declaration):
            more = " {…}" if any(t.type == "{} block" for t in part) else ""
            dropped.append(source.quote(first, "{;}", more))
            continue
        value = " " + tinycss2.serialize(declaration.value).strip()
        important = " !important" if declaration.important else ""
        kept.append(f"{serialize_identifier(declaration.name)}:{value.rstrip()}{important}")
    return "; ".join(kept)


def _good_value(declaration: Any) -> bool:
    """Whether a declaration's value parses: no bad string, bad URL, unmatched bracket,
    ``{}`` block or ``;`` anywhere in it, and not empty (but for ``--custom`` ones)."""
    if not _significant(declaration.value) and not declaration.name.startswith("--"):
        return False
    return _clean(declaration.value)


def _clean(tokens: Sequence[Any]) -> bool:
    """Whether tokens, and those inside their brackets and functions, hold no parse
    error (bad string, bad URL, unmatched bracket), no ``{}`` block and no ``;``."""
    stack = [iter(tokens)]
    while stack:
        token = next(stack[-1], None)
        if token is None:
            stack.pop()
            continue
        if token.type in ("error", "{} block") or (token.type == "literal" and token.value == ";"):
            return False
        inner = getattr(token, "content", None) if token.type != "function" else token.arguments
        if inner:
            stack.append(iter(inner))
    return True


def _significant(tokens: Sequence[Any]) -> list[Any]:
    """The tokens other than white space and comments."""
    return [t for t in tokens if t.type not in _BLANK]


def _split(tokens: Sequence[Any], comma: bool = True) -> list[list[Any]]:
    """Tokens split at top-level commas, each part without white space at its edges."""
    parts: list[list[Any]] = [[]]
    for token in tokens:
        if token.type == "comment":
            continue
        if comma and token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [_trim(part) for part in parts]


def _trim(tokens: list[Any]) -> list[Any]:
    """Tokens without white space at either end."""
    start, end = 0, len(tokens)
    while start < end and tokens[start].type == "whitespace":
        start += 1
    while end > start and tokens[end - 1].type == "whitespace":
        end -= 1
    return tokens[start:end]


def _keyframe_selectors(prelude: Sequence[Any]) -> bool:
    """Whether a keyframe's prelude is ``from``, ``to`` or percentages, comma-separated."""
    parts = _split(prelude)
    return all(
        len(part) == 1
        and (
            part[0].type == "percentage"
            or (part[0].type == "ident" and part[0].lower_value in ("from", "to"))
        )
        for part in parts
    )


def _selectors(prelude: Sequence[Any]) -> bool:
    """Whether a style rule's prelude is a well-formed selector list: complex
    selectors, none empty, separated by commas."""
    return all(part and _complex(part) for part in _split(prelude))


def _literal(token: Any, *values: str) -> bool:
    """Whether a token is one of the literal characters ``values``."""
    return token is not None and token.type == "literal" and token.value in values


def _complex(tokens: list[Any]) -> bool:
    """Whether tokens are compound selectors joined by combinators: white space, ``>``,
    ``+`` or ``~`` (each between two compounds)."""
    i = _compound(tokens, 0)
    while 0 < i < len(tokens):
        while i < len(tokens) and tokens[i].type == "whitespace":
            i += 1
        if i < len(tokens) and _literal(tokens[i], *_COMBINATORS):
            i += 1
            while i < len(tokens) and tokens[i].type == "whitespace":
                i += 1
        i = _compound(tokens, i) if i < len(tokens) else -1
    return i == len(tokens)


def _at(tokens: list[Any], i: int) -> Any:
    """The token at ``i``, or None past the end."""
    return tokens[i] if i < len(tokens) else None


def _name_or_star(token: Any) -> bool:
    """Whether a token is a name or ``*`` (a type selector, or an attribute's name)."""
    return token is not None and (token.type == "ident" or _literal(token, "*"))


def _compound(tokens: list[Any], i: int) -> int:
    """Where a compound selector starting at ``i`` ends (a type or ``*``, maybe with a
    namespace, then ids, classes, attributes, pseudo-classes and pseudo-elements), or
    -1 when none starts there."""
    start = i
    if _name_or_star(_at(tokens, i)):
        i += 1
    if _literal(_at(tokens, i), "|") and _name_or_star(_at(tokens, i + 1)):
        i += 2
    while i < len(tokens):
        token = tokens[i]
        nxt = _at(tokens, i + 1)
        if token.type == "hash" and token.is_identifier:
            i += 1
        elif _literal(token, ".") and nxt is not None and nxt.type == "ident":
            i += 2
        elif token.type == "[] block" and _attribute(token.content):
            i += 1
        elif _literal(token, ":"):
            i += 2 if _literal(nxt, ":") else 1
            pseudo = _at(tokens, i)
            if pseudo is None or not (
                pseudo.type == "ident" or (pseudo.type == "function" and _clean(pseudo.arguments))
            ):
                return -1
            i += 1
        else:
            break
    return i if i > start else -1


def _attribute(content: Sequence[Any]) -> bool:
    """Whether an attribute selector's inside parses: a name (maybe with a namespace),
    then maybe a matcher, a name or string, and an ``i`` or ``s`` flag."""
    tokens = [t for t in content if t.type not in _BLANK]
    i = 0
    if _literal(_at(tokens, 1), "|") or _literal(_at(tokens, 0), "|"):
        i = 2 if _literal(_at(tokens, 1), "|") else 1
        if i == 2 and not _name_or_star(tokens[0]):
            return False
    name = _at(tokens, i)
    if name is None or name.type != "ident":
        return False
    rest = tokens[i + 1 :]
    if not rest:
        return True
    if not _literal(rest[0], *_MATCHERS) or len(rest) not in (2, 3):
        return False
    if rest[1].type not in ("ident", "string"):
        return False
    return len(rest) == 2 or (rest[2].type == "ident" and rest[2].lower_value in ("i", "s"))

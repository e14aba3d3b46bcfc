"""The regular-expression audit: every pattern in ``src/fic2book``, tried on long runs of
the characters that start markdown, bylines, breaks and quotes after the usual prefixes,
must grow linearly with its input.

Patterns are found two ways: compiled patterns held by a module (at its top level or
in its top-level tuples, lists, sets and dicts), and patterns written inline, found by
walking the syntax tree of every module for ``re.search``, ``match``, ``fullmatch``,
``sub``, ``subn``, ``findall``, ``finditer``, ``split`` and ``compile`` calls whose
pattern is a literal, or a loop variable running over literals. A call the walk cannot
read (an f-string) is checked with the module's patterns when it runs at module level;
inside a function it is listed in ``unread_inline_patterns``, for the test to hold
against the calls a person has read.

The audit has two passes. The screen times each pattern on every text of ``SCREEN``
characters (a prefix, then a run of one trigger) and keeps, per pattern, the slowest
texts of its slowest triggers and any text far slower than its usual time. Each text kept is
then timed at ``SCREEN`` and eight times that (``growth.py``): linear work grows about
eight times, quadratic sixty-four; the audit allows about 23. Only growth fails a
pattern. A screen timing that does not end within ``HANG_GUARD`` seconds (a linear
pattern takes microseconds here; an exponential one would never end) is stopped, and
that text's growth is measured from a few characters instead.
"""

from __future__ import annotations

import ast
import importlib
import math
import pkgutil
import re
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fic2book
from growth import _stop_after, _Stopped, bound, growth

SRC = Path(fic2book.__file__).resolve().parent

TRIGGERS = ["#", "*", "_", "~", "-", "=", "x", "o", " ", "\t", "\u00a0", '"', "'", "by ", "\n"]
TRIGGERS += ["<!--", "{{", "{%", "[^", "{#", ":::", "+++", "Chapter 1 of ", "Rated: ", "<p "]
TRIGGERS += [", a ", "Summary: x", " - ", "a"]
PREFIXES = ["", "# ", "## a", "> ", "by", "by :", "Chapter 1", "Part 1 of X", "Title:", "*", "_"]

SCREEN = 1000
"""Characters of each run in the screen (and the small input of the growth check)."""
TINY = 12
"""Characters of the small input when the screen had to stop a timing."""
FAR_SLOWER = 30
"""A text this many times slower than the pattern's median in the screen is kept."""
KEEP = 3
"""How many triggers' slowest texts each pattern's growth is checked on at least."""
PASSES = 3
"""Passes of the screen over all texts; each text's best time counts."""
RESOLUTION = 0.001
"""Seconds a timed loop of the growth check lasts at least (see ``growth.py``): the
audit makes hundreds of checks, each of a pattern on a short text."""
HANG_GUARD = 10.0
"""Seconds after which one screen timing is stopped (a hang guard, not a limit)."""

_CALLS = {"search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}
_FLAGS_AT = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "findall": 2}
_FLAGS_AT |= {"finditer": 2, "split": 3, "sub": 4, "subn": 4}


UNKNOWN_USE = ("search", "match", "fullmatch")
"""How a compiled pattern is tried when its calls are not known."""


@dataclass(frozen=True)
class Found:
    """One pattern, where it was found and the ways it is used."""

    where: str
    pattern: re.Pattern[str] | re.Pattern[bytes]
    methods: tuple[str, ...] = UNKNOWN_USE


def module_names() -> list[str]:
    """Every module of the fic2book package."""
    names = ["fic2book"]
    names += [i.name for i in pkgutil.walk_packages(fic2book.__path__, "fic2book.")]
    return sorted(names)


def _held(value: object, depth: int = 0) -> Iterator[re.Pattern[str] | re.Pattern[bytes]]:
    """Compiled patterns in a value: itself, or inside its tuples, lists, sets and
    dicts (a few levels down)."""
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 4 and isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from _held(item, depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for item in (*value.keys(), *value.values()):
            yield from _held(item, depth + 1)


def module_patterns() -> list[Found]:
    """Every compiled pattern a module of fic2book holds at its top level."""
    found = []
    for name in module_names():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if not attr.startswith("__"):
                found += [Found(f"{name}.{attr}", p) for p in _held(value)]
    return found


def _flags(node: ast.expr | None) -> int | None:
    """The value of a flags argument made of ``re.X`` names joined by ``|``."""
    if node is None:
        return 0
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        value = getattr(re, node.attr, None) if node.value.id == "re" else None
        return int(value) if isinstance(value, int) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _flags(node.left), _flags(node.right)
        return None if left is None or right is None else left | right
    return None


def _flags_node(call: ast.Call, method: str) -> ast.expr | None:
    """The flags argument of a ``re`` call, positional or by keyword."""
    for keyword in call.keywords:
        if keyword.arg == "flags":
            return keyword.value
    at = _FLAGS_AT[method]
    return call.args[at] if len(call.args) > at else None


def _loops_around(parents: dict[ast.AST, ast.AST], node: ast.AST) -> Iterator[ast.AST]:
    """The ``for`` statements and comprehension clauses around a node, innermost first."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.For):
            yield node
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            yield from reversed(node.generators)


def _loop_values(loops: Iterator[ast.AST], name: str) -> list[str | bytes] | None:
    """The literals a loop variable ``name`` runs over, from the innermost loop around
    the call that binds it (``for name in ("a", "b")`` or ``for name, weight in (("a",
    1), ...)``); None when that loop does not run over literals."""
    for loop in loops:
        assert isinstance(loop, (ast.For, ast.comprehension))
        target, source = loop.target, loop.iter
        names = target.elts if isinstance(target, ast.Tuple) else [target]
        index = next(
            (i for i, t in enumerate(names) if isinstance(t, ast.Name) and t.id == name), None
        )
        if index is None:
            continue
        if not isinstance(source, (ast.Tuple, ast.List)):
            return None
        values: list[str | bytes] = []
        for item in source.elts:
            if isinstance(target, ast.Tuple):
                if not isinstance(item, ast.Tuple) or len(item.elts) <= index:
                    return None
                item = item.elts[index]
            if not isinstance(item, ast.Constant) or not isinstance(item.value, (str, bytes)):
                return None
            values.append(item.value)
        return values
    return None


def _in_function(parents: dict[ast.AST, ast.AST], node: ast.AST) -> bool:
    """Whether a node is inside a function (else the module runs it when imported)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return True
    return False


def _re_calls(tree: ast.AST) -> Iterator[tuple[ast.Call, str]]:
    """Every ``re.<method>(...)`` call of the audited methods and ``re.compile``."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and (node.func.attr in _CALLS or node.func.attr == "compile")
            and node.args
        ):
            yield node, node.func.attr


def inline_patterns_in(source: str, where: str) -> tuple[list[Found], list[str]]:
    """The patterns of the ``re`` calls in one module's source, and the calls whose
    pattern the walk cannot read (as ``where:line: source``)."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: list[Found] = []
    unread: list[str] = []
    for call, method in _re_calls(tree):
        arg = call.args[0]
        flags = _flags(_flags_node(call, method))
        if isinstance(arg, ast.Constant) and isinstance(arg.value, (str, bytes)):
            literals: list[str | bytes] | None = [arg.value]
        elif isinstance(arg, ast.Name):
            literals = _loop_values(_loops_around(parents, call), arg.id)
        else:
            literals = None
        if literals is None or flags is None:
            if _in_function(parents, call):  # at module level, the module holds it
                unread.append(f"{where}:{call.lineno}: {ast.unparse(call)}")
            continue
        methods = UNKNOWN_USE if method == "compile" else (method,)
        for literal in literals:
            found.append(Found(f"{where}:{call.lineno}", re.compile(literal, flags), methods))
    return found, unread


def _inline() -> tuple[list[Found], list[str]]:
    """``inline_patterns_in`` over every module file of fic2book."""
    found: list[Found] = []
    unread: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        where = str(path.relative_to(SRC.parent))
        more, lost = inline_patterns_in(path.read_text(encoding="utf-8"), where)
        found += more
        unread += lost
    return found, unread


def inline_patterns() -> list[Found]:
    """Every pattern written inline in fic2book's modules that the walk can read."""
    return _inline()[0]


def unread_inline_patterns() -> list[str]:
    """The inline ``re`` calls whose pattern the walk cannot read, without line numbers
    (``module: call``), for a person to read."""
    return sorted({re.sub(r":\d+:", ":", u) for u in _inline()[1]})


def all_patterns() -> list[Found]:
    """Module and inline patterns, each pattern (with its flags) once, tried every way
    it is used."""
    merged: dict[tuple[object, int], Found] = {}
    for item in [*module_patterns(), *inline_patterns()]:
        key = (item.pattern.pattern, item.pattern.flags)
        if key in merged:
            known = merged[key]
            methods = tuple(dict.fromkeys(known.methods + item.methods))
            merged[key] = Found(known.where, known.pattern, methods)
        else:
            merged[key] = item
    return list(merged.values())


def texts(n: int) -> list[tuple[str, str]]:
    """Each prefix then a run of one trigger of about ``n`` characters, then an
    ending no rule expects: (label, text)."""
    out = []
    for trigger in TRIGGERS:
        run = trigger * max(1, n // len(trigger))
        for prefix in PREFIXES:
            out.append((f"{prefix!r} + {trigger!r}*", f"{prefix}{run}x\u2603"))
    return out


def _exercise(found: Found, text: str) -> None:
    """Use the pattern on ``text`` (as UTF-8 for a bytes pattern) every way the source
    uses it."""
    pattern: re.Pattern[Any] = found.pattern
    subject: str | bytes = text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text
    empty = subject[:0]
    for method in found.methods:
        if method in ("sub", "subn"):
            getattr(pattern, method)(empty, subject)
        elif method == "finditer":
            for _ in pattern.finditer(subject):
                pass
        else:
            getattr(pattern, method)(subject)


def screen(found: Found, hang_guard: float = HANG_GUARD) -> list[tuple[int, bool]]:
    """The indexes (into ``texts``) of the texts to check for growth, with whether the
    hang guard stopped the timing: the slowest texts of ``KEEP`` triggers, any text far
    slower than the pattern's median, and the first text of a trigger that had to be
    stopped. Each time is the best of ``PASSES`` passes over all the texts (a busy
    moment spoils one pass, not all)."""
    subjects = texts(SCREEN)
    times = [math.inf] * len(subjects)
    stopped: set[int] = set()
    for _ in range(PASSES):
        i = 0
        while i < len(subjects):  # one guard for the pass, set again when it fires
            try:
                with _stop_after(hang_guard):
                    while i < len(subjects):
                        if i not in stopped:
                            start = time.perf_counter()
                            _exercise(found, subjects[i][1])
                            times[i] = min(times[i], time.perf_counter() - start)
                        i += 1
            except _Stopped:
                stopped.add(i)
                i += 1
    per = len(PREFIXES)
    usual = statistics.median(t for t in times if t < math.inf)
    worst = [max(range(k, k + per), key=times.__getitem__) for k in range(0, len(times), per)]
    worst.sort(key=times.__getitem__, reverse=True)
    keep = set(worst[:KEEP]) | {i for i in worst if times[i] > FAR_SLOWER * usual}
    return sorted((i, i in stopped) for i in keep)


def super_linear(found: Found, hang_guard: float = HANG_GUARD) -> list[str]:
    """Each text on which the pattern grows faster than linearly, described."""
    problems = []
    for index, stopped in screen(found, hang_guard):
        n = TINY if stopped else SCREEN
        label, small = texts(n)[index]
        large = texts(8 * n)[index][1]
        ratios = []
        for _ in range(3):
            ratios.append(
                growth(
                    lambda s=small: _exercise(found, s),
                    lambda s=large: _exercise(found, s),
                    8,
                    resolution=RESOLUTION,
                )
            )
            if ratios[-1] < bound(8) or 2 * bound(8) <= ratios[-1]:
                break
        if ratios[-1] >= bound(8):
            shown = ", ".join("stopped" if r == math.inf else f"x{r:.0f}" for r in ratios)
            problems.append(
                f"{found.where} {found.pattern.pattern!r} ({', '.join(found.methods)}) on"
                f" {label}{n}: 8x the input took {shown} as long (allowed x{bound(8):.1f})"
            )
    return problems

"""Ordered lists of named reader steps, as markdown-it-py orders its parser's rules.

A reader is a list of rules run in order over one shared state (the lines left to
read, and what has been read so far). Each rule has a name, so the list can be read
(``names``), and a new rule put in its place (``before``/``after``) or one left out
(``without``) without touching the others: adding a reading rule is one function and
one entry in its reader's list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

S = TypeVar("S")


@dataclass(frozen=True)
class Rule(Generic[S]):
    """One named step of a reader."""

    name: str
    """The step's name, unique in its list."""
    run: Callable[[S], None]
    """The step: reads and updates the shared state."""


class Ruler(Generic[S]):
    """An ordered, immutable list of named rules over a state of type ``S``."""

    def __init__(self, rules: Iterable[tuple[str, Callable[[S], None]]]) -> None:
        self.rules: tuple[Rule[S], ...] = tuple(Rule(name, run) for name, run in rules)
        names = self.names()
        if len(set(names)) != len(names):
            raise ValueError(f"rule names repeat: {names}")

    def names(self) -> list[str]:
        """The rules' names, in the order they run."""
        return [rule.name for rule in self.rules]

    def _at(self, name: str) -> int:
        """Where the named rule stands (a KeyError naming the rules for an unknown one)."""
        for k, rule in enumerate(self.rules):
            if rule.name == name:
                return k
        raise KeyError(f"no rule {name!r} (rules: {', '.join(self.names())})")

    def _pairs(self) -> list[tuple[str, Callable[[S], None]]]:
        """The rules as (name, step) pairs."""
        return [(rule.name, rule.run) for rule in self.rules]

    def before(self, name: str, new: str, run: Callable[[S], None]) -> Ruler[S]:
        """A new list with ``new`` run just before the rule ``name``."""
        pairs = self._pairs()
        pairs.insert(self._at(name), (new, run))
        return Ruler(pairs)

    def after(self, name: str, new: str, run: Callable[[S], None]) -> Ruler[S]:
        """A new list with ``new`` run just after the rule ``name``."""
        pairs = self._pairs()
        pairs.insert(self._at(name) + 1, (new, run))
        return Ruler(pairs)

    def without(self, *names: str) -> Ruler[S]:
        """A new list without the named rules."""
        for name in names:
            self._at(name)
        return Ruler(p for p in self._pairs() if p[0] not in names)

    def run(self, state: S) -> S:
        """Run every rule in order on the state; the state, for chaining."""
        for rule in self.rules:
            rule.run(state)
        return state

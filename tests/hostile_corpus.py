"""A hostile corpus, generated on the fly: inputs an attacker or a broken disk would give.

Nothing binary is checked in: every case is a function that writes its input into a
folder. ``run_case`` converts one case through the real command line (in this process,
under a watchdog alarm) and reports what happened; ``check_case`` says whether that is
what must hold: a valid book that keeps the case's sentinel words and holds none of its
forbidden strings, or one error line naming the file and the reason. The inputs are
never modified, and nothing is left in the output folder on error.

Used by ``tests/test_hostile.py`` and by ``benchmarks/hostile.py``.
"""

from __future__ import annotations

import hashlib
import os
import signal
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from fic2book.cli import main

NBSP = "\u00a0"
KEEP = "Zanzibarquill"
"""A sentinel word every book of the corpus must keep."""
STORY = (
    f"The ferry left at dawn, and {KEEP} counted the gulls twice.\n\n"
    "Nobody on the quay believed her, but the tide did.\n"
)
SECRET = "Secret-Marker-Qx7"
"""Written into a local file that hostile inputs try to pull into the book."""


@dataclass(frozen=True)
class Case:
    """One hostile input and what must come of it."""

    name: str
    """A short name (also the input's file stem)."""
    cls: str
    """The class of attack or breakage it belongs to."""
    make: Callable[[Path], Path]
    """Writes the input into a folder and returns its path."""
    expect: Literal["book", "error"] = "book"
    """A valid book, or one error line."""
    error: str = ""
    """A piece of the error line (case-insensitive), when an error is expected."""
    keep: tuple[str, ...] = (KEEP,)
    """Words every output must hold."""
    forbidden: tuple[str, ...] = ()
    """Strings (case-insensitive) no output may hold."""
    formats: tuple[str, ...] = ("epub", "html")
    """The formats to make."""
    budget: float = 20.0
    """Seconds the whole conversion may take on a slow, shared machine: held by
    ``benchmarks/hostile.py``; the tests only stop a case that runs past three times
    it (a hang guard), and time nothing."""
    slow: bool = False
    """A large case, run under the ``slow`` marker."""
    bench_only: bool = False
    """Too slow for the suite: only ``benchmarks/hostile.py`` runs it."""
    args: tuple[str, ...] = ()
    """Extra command-line arguments."""
    env: dict[str, str] = field(default_factory=dict)
    """Environment variables for the run (limits)."""


@dataclass
class Outcome:
    """What converting one case did."""

    case: Case
    seconds: float
    exit_code: int
    stdout: str
    stderr: str
    outputs: list[Path]
    leftovers: list[Path]
    input_changed: bool
    input_size: int
    problems: list[str] = field(default_factory=list)

    @property
    def handled(self) -> bool:
        """Whether everything that must hold did."""
        return not self.problems


def _write(name: str, text: str | bytes) -> Callable[[Path], Path]:
    """A maker writing fixed text (UTF-8) or bytes to ``name``."""

    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path

    return make


def _lazy(name: str, produce: Callable[[], str | bytes]) -> Callable[[Path], Path]:
    """A maker that builds its (large) content only when the case runs."""

    def make(folder: Path) -> Path:
        return _write(name, produce())(folder)

    return make


def _titled(title: str, body: str = STORY) -> str:
    """A header-block story with the given title."""
    return f"Title: {title}\nAuthor: Wren Halloway\n\n{body}"


def _ao3_text(series: str = "Part 1 of the Tide Books series", heading: str = "Chapter 1") -> str:
    """An AO3 page copy of the usual shape (original text)."""
    return (
        "Rating:\n    General Audiences\nFandom:\n    Harbour Lights\nSeries:\n"
        f"    {series}\nStats:\n    Published: 2022-05-01\n    Words: 40\n\n"
        f"The Gull Count\n\nmarrowlane\n\n{heading}\n\nChapter Text\n\n{STORY}\n"
        f"Series this work belongs to:\n\n{series}\n"
    )


def _html(body: str, head: str = "<title>The Gull Count</title>") -> str:
    """A small HTML page."""
    return (
        f"<!DOCTYPE html><html><head>{head}</head><body><h1>The Gull Count</h1>{body}</body></html>"
    )


def _ffn_page(xutime: str) -> str:
    """A fanfiction.net story page with a timestamp."""
    return _html(
        '<div id="profile_top"><b class="xcontrast_txt">The Gull Count</b> By: '
        '<a href="/u/1/marrowlane">marrowlane</a><div class="xcontrast_txt">Gulls.</div>'
        '<span class="xgray">Rated: K - English - Words: 40 - Published: '
        f'<span data-xutime="{xutime}">Jun 2</span> - id: 1</span></div>'
        f'<div id="storytext"><p>{STORY}</p></div>'
    )


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def _symlink(name: str, target: str | Callable[[Path], str]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        os.symlink(target(folder) if callable(target) else target, path)
        return path

    return make


def _loop(folder: Path) -> Path:
    os.symlink(folder / "b.txt", folder / "a.txt")
    os.symlink(folder / "a.txt", folder / "b.txt")
    return folder / "a.txt"


def _directory(folder: Path) -> Path:
    path = folder / "story.txt"
    path.mkdir()
    return path


def _secret_file(folder: Path) -> Path:
    """A local file a hostile input may try to read (its content must never appear)."""
    path = folder / "secret.txt"
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    return path


def _xxe(suffix: str) -> Callable[[Path], Path]:
    """An (X)HTML file declaring external entities to a local file and to loopback."""

    def make(folder: Path) -> Path:
        secret = _secret_file(folder)
        text = (
            '<?xml version="1.0"?>\n'
            f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
            '<!ENTITY net SYSTEM "http://127.0.0.1:9/x">'
            '<!ENTITY % pe SYSTEM "file:///etc/passwd"> %pe;]>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>The Gull Count</title>'
            f"</head><body><h1>The Gull Count</h1><p>{STORY} &xxe; &net;</p></body></html>"
        )
        return _write(f"xxe{suffix}", text)(folder)

    return make


def _laughs() -> str:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE html [{"".join(entities)}]>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>The Gull Count</title></head>'
        f"<body><h1>The Gull Count</h1><p>{STORY}</p><p>&lol9;</p></body></html>"
    )


_ATTACKS = (
    '<script>alert("x")</script><p onclick="alert(1)" onmouseover="alert(2)">Gulls.</p>'
    '<a href="javascript:alert(1)">js link</a><a href="vbscript:msgbox(1)">vb link</a>'
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data link</a>'
    '<a href="JaVaScRiPt&#58;alert(1)">entity link</a><a href=" java\tscript:alert(1)">tab</a>'
    '<base href="http://127.0.0.1:9/"><meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/">'
    '<iframe src="http://127.0.0.1:9/frame"></iframe><object data="http://127.0.0.1:9/o"></object>'
    '<embed src="http://127.0.0.1:9/e"><img src="http://127.0.0.1:9/i.png" onerror="alert(1)">'
    '<img srcset="http://127.0.0.1:9/s.png 2x"><link rel="stylesheet" href="http://127.0.0.1:9/l.css">'
    '<svg><script>alert(1)</script><image href="http://127.0.0.1:9/svg.png"/>'
    '<image xlink:href="file:///etc/passwd"/></svg>'
    '<style>@import "http://127.0.0.1:9/imp.css";'
    " p { background: url(http://127.0.0.1:9/bg) }</style>"
    '<p style="background:url(http://127.0.0.1:9/inline)">Styled gulls.</p>'
    '<form action="http://127.0.0.1:9/f"><input name="q"></form>'
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">m</maction></math>'
)
_FORBIDDEN_MARKUP = (
    "<script",
    "javascript:",
    "vbscript:",
    "data:text/html",
    "onclick",
    "onerror",
    "onmouseover",
    "<iframe",
    "<object",
    "<embed",
    "<base",
    "http-equiv",
    "127.0.0.1",
    "/etc/passwd",
    "<image",
    "xlink:href",
    "<form",
)


def _digits(n: int = 5000) -> str:
    return "7" * n


def corpus() -> list[Case]:
    """Every case, fast and slow."""
    run = 50_000
    cases = [
        # super-linear regular expressions: long runs of trigger characters
        Case(
            "md-title-hash-run",
            "regex",
            _lazy("ht.md", lambda: f"# {'#' * run}x\n\n{STORY}"),
            expect="error",
            error="too long",
        ),
        Case(
            "md-heading-hash-run",
            "regex",
            _lazy("h.md", lambda: f"# T\n\n{STORY}\n\n## {'#' * run}x\n\nMore.\n"),
        ),
        Case(
            "md-heading-space-run",
            "regex",
            _lazy("s.md", lambda: f"# T\n\n{STORY}\n\n## a{' ' * run}x#\n\nMore.\n"),
        ),
        Case(
            "md-heading-nbsp-run",
            "regex",
            _lazy("n.md", lambda: f"# T\n\n{STORY}\n\n## {NBSP * run}#x\n\nMore.\n"),
        ),
        Case(
            "byline-space-run",
            "regex",
            _lazy("b.txt", lambda: f"The Gull Count\n\nby{' ' * run}\u2603\n\n{STORY}"),
        ),
        Case(
            "byline-nbsp-run",
            "regex",
            _lazy("bn.txt", lambda: f"The Gull Count\n\nby :{NBSP * run}\n\n{STORY}"),
        ),
        Case(
            "series-space-run",
            "regex",
            _lazy("sr.txt", lambda: _ao3_text(f"Part 1 of X{' ' * run}y\u2603")),
            expect="error",
            error="too long",
        ),
        Case(
            "series-tab-run",
            "regex",
            _lazy("st.txt", lambda: _ao3_text(f"Part 2 of Y{chr(9) * run}\u2603")),
            expect="error",
            error="too long",
        ),
        Case(
            "every-trigger-run",
            "regex",
            _lazy(
                "t.md",
                lambda: (
                    STORY
                    + "\n\n".join(
                        t * (20_000 // len(t))
                        for t in (
                            "#",
                            "*",
                            "_",
                            "~",
                            "-",
                            "=",
                            "x",
                            "o",
                            " ",
                            NBSP,
                            '"',
                            "'",
                            "by ",
                        )
                    )
                ),
            ),
            budget=40.0,
        ),
        # numbers with thousands of digits
        Case(
            "ao3-chapter-digits",
            "numbers",
            _lazy("c.txt", lambda: _ao3_text(heading=f"Chapter {_digits()}: Long")),
        ),
        Case(
            "ao3-series-digits",
            "numbers",
            _lazy("p.txt", lambda: _ao3_text(f"Part {_digits()} of Tide Books")),
        ),
        Case(
            "header-series-digits",
            "numbers",
            _lazy(
                "hs.txt", lambda: f"Title: T\nAuthor: A\nSeries: Tides, Part {_digits()}\n\n{STORY}"
            ),
        ),
        Case(
            "md-chapter-digits",
            "numbers",
            _lazy(
                "mc.md",
                lambda: (
                    f"# The Gull Count\n\n## Chapter {_digits()}\n\n{STORY}\n\n"
                    f"## Chapter {_digits()}8\n\nMore.\n"
                ),
            ),
        ),
        Case("ffn-xutime-digits", "numbers", _lazy("f.html", lambda: _ffn_page(_digits()))),
        Case(
            "ffn-xutime-year-99999", "numbers", _lazy("f2.html", lambda: _ffn_page("99999999999"))
        ),
        # nesting
        Case(
            "md-quotes-5000-deep",
            "nesting",
            _lazy("q.md", lambda: f"{STORY}\n\n{'>' * 5000} deep\n"),
            expect="error",
            error="nested",
        ),
        Case(
            "md-quotes-spaced-deep",
            "nesting",
            _lazy("q2.md", lambda: f"{STORY}\n\n{'> ' * 3000}deep\n"),
            expect="error",
            error="nested",
        ),
        Case(
            "html-divs-5000-deep",
            "nesting",
            _lazy("d.html", lambda: _html("<div>" * 5000 + STORY + "</div>" * 5000)),
        ),
        Case(
            "html-em-2000-deep",
            "nesting",
            _lazy("e.html", lambda: _html("<p>" + "<em>" * 2000 + STORY + "</em>" * 2000 + "</p>")),
        ),
        # XML tricks
        Case(
            "billion-laughs-xhtml", "xml", _lazy("laughs.xhtml", _laughs), forbidden=("lollollol",)
        ),
        Case("billion-laughs-html", "xml", _lazy("laughs.html", _laughs), forbidden=("lollollol",)),
        Case("xxe-xhtml", "xml", _xxe(".xhtml"), forbidden=(SECRET, "root:x:0")),
        Case(
            "xxe-html",
            "xml",
            _xxe(".html"),
            forbidden=(SECRET, "root:x:0"),
            formats=("epub", "html", "pdf"),
        ),
        # HTML that must keep only story markup
        Case(
            "html-active-content",
            "sanitise",
            _write("a.html", _html(f"<p>{STORY}</p>{_ATTACKS}")),
            forbidden=_FORBIDDEN_MARKUP,
            formats=("epub", "html", "pdf"),
        ),
        Case(
            "ao3-page-active-content",
            "sanitise",
            _write(
                "w.html",
                _html(
                    f'<div id="workskin"><div class="userstuff"><p>{STORY}</p>'
                    f"{_ATTACKS}</div></div>"
                ),
            ),
            forbidden=_FORBIDDEN_MARKUP,
        ),
        Case(
            "markup-in-text-title",
            "sanitise",
            _write(
                "m.txt",
                _titled(
                    '<script>alert("t")</script><img src=x onerror=alert(1)>',
                    STORY + "\n<iframe src=//127.0.0.1:9/></iframe>\n",
                ),
            ),
            keep=(KEEP, "&lt;script&gt;"),
            forbidden=(),
        ),
        # file system: special and broken inputs
        Case("fifo", "files", _fifo, expect="error", error="FIFO", budget=10.0),
        Case(
            "dev-zero-link",
            "files",
            _symlink("zero.txt", "/dev/zero"),
            expect="error",
            error="device",
            budget=10.0,
        ),
        Case("symlink-loop", "files", _loop, expect="error", error="loop"),
        Case(
            "broken-symlink",
            "files",
            _symlink("gone.txt", lambda f: str(f / "missing.txt")),
            expect="error",
            error="broken symlink",
        ),
        Case(
            "directory-named-like-a-file",
            "files",
            _directory,
            expect="error",
            error="no story files",
        ),
        Case("empty", "files", _write("empty.txt", b""), expect="error", error="empty"),
        Case(
            "binary",
            "files",
            _write("bin.txt", bytes(range(256)) * 64),
            expect="error",
            error="not",
        ),
        # file names from hostile titles
        Case("title-path-tricks", "names", _write("n1.txt", _titled("../../etc/passwd\\..\\x/y"))),
        Case("title-bidi-spoof", "names", _write("n2.txt", _titled("invoice\u202egpj.exe\u202c"))),
        Case("title-reserved-name", "names", _write("n3.txt", "Title: CON\n\n" + STORY)),
        Case("title-long-utf8", "names", _write("n4.txt", _titled("ß" * 300 + " Ω" * 100))),
        Case(
            "title-controls",
            "names",
            _write("n5.txt", _titled("a\u0007b\u001bc .. \u2028 d\u0085e")),
            formats=("epub", "html", "pdf"),
        ),
        # limits
        Case(
            "many-authors",
            "limits",
            _lazy(
                "ma.txt",
                lambda: (
                    "Title: T\nAuthor: "
                    + ", ".join(f"Pen{i}" for i in range(5000))
                    + f"\n\n{STORY}"
                ),
            ),
            expect="error",
            error="too many authors",
        ),
        Case(
            "many-tags",
            "limits",
            _lazy(
                "mt.txt",
                lambda: (
                    "Title: T\nAuthor: A\nTags: "
                    + ", ".join(f"tag{i}" for i in range(5000))
                    + f"\n\n{STORY}"
                ),
            ),
            expect="error",
            error="too many tags",
        ),
        Case(
            "long-title",
            "limits",
            _lazy("lt.txt", lambda: _titled("gull " * 5000)),
            expect="error",
            error="too long",
        ),
        Case(
            "long-link",
            "limits",
            _lazy(
                "ll.html",
                lambda: _html(f'<p>{STORY}<a href="https://example.com/{"a" * 10000}">x</a></p>'),
            ),
            expect="error",
            error="attribute",
        ),
        Case(
            "too-many-lines",
            "limits",
            _lazy("tl.txt", lambda: STORY + "w\n" * 1_000_001),
            expect="error",
            error="lines",
        ),
        Case(
            "size-limit-from-env",
            "limits",
            _write("env.txt", STORY * 200),
            expect="error",
            error="FIC2BOOK_MAX_INPUT_BYTES",
            env={"FIC2BOOK_MAX_INPUT_BYTES": "4K"},
        ),
        Case(
            "page-size-carrying-css",
            "options",
            _write("ps.txt", _titled("Pages")),
            expect="error",
            error="page size",
            args=("--page-size", "A5; } body { background: url(http://127.0.0.1:9/) }"),
            formats=("pdf",),
        ),
        # large inputs (slow)
        Case(
            "file-50mb",
            "limits",
            _lazy("big.txt", lambda: (STORY + "\n") * (50_000_000 // len(STORY))),
            expect="error",
            error="too large",
            slow=True,
        ),
        Case(
            "chapters-100000",
            "limits",
            _lazy(
                "ch.md",
                lambda: (
                    "# Many\n\n"
                    + "".join(f"## Chapter {i}\n\nWord.\n\n" for i in range(1, 100_001))
                ),
            ),
            expect="error",
            error="too many chapters",
            slow=True,
            budget=120.0,
        ),
        Case(
            "breaks-10000",
            "scale",
            _lazy(
                "br.txt",
                lambda: (
                    f"The Gull Count\n\nby Wren\n\n{STORY}\n\n"
                    + "".join(f"Line {i}.\n\n* * *\n\n" for i in range(10_000))
                ),
            ),
            slow=True,
            budget=120.0,
        ),
        Case(
            "breaks-10000-pdf",
            "scale",
            _lazy(
                "brp.txt",
                lambda: (
                    f"The Gull Count\n\nby Wren\n\n{STORY}\n\n"
                    + "".join(f"Line {i}.\n\n* * *\n\n" for i in range(10_000))
                ),
            ),
            slow=True,
            bench_only=True,
            formats=("pdf",),
            budget=600.0,
        ),
        Case(
            "class-soup",
            "scale",
            _lazy(
                "cs.html",
                lambda: _html(
                    f"<p>{STORY}</p>"
                    + "".join(
                        f'<p class="{" ".join(f"c{j}" for j in range(300))}">'
                        f'<span class="{"x " * 300}">w{i}</span></p>'
                        for i in range(2000)
                    )
                ),
            ),
            slow=True,
            formats=("epub", "html"),
            budget=120.0,
        ),
        Case(
            "authors-tags-900",
            "scale",
            _lazy(
                "at.txt",
                lambda: (
                    "Title: T\nAuthor: "
                    + ", ".join(f"Pen{i}" for i in range(900))
                    + "\nTags: "
                    + ", ".join(f"tag{i}" for i in range(900))
                    + f"\n\n{STORY}"
                ),
            ),
            slow=True,
            formats=("epub", "html", "pdf"),
            budget=120.0,
            keep=(KEEP, "Pen899", "tag899"),
        ),
    ]
    return cases


@contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class Watchdog(Exception):
    """A case ran past three times its budget."""


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    def ring(signum: int, frame: Any) -> None:
        raise Watchdog(f"still running after {seconds:.0f} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _digest(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > 200_000_000:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


_OWN_FILES = frozenset({".fic2book-cache.json"})
"""Files a run keeps in the output folder on purpose (the incremental cache)."""
_ERROR_STATUSES = frozenset({1, 2, 3})
"""Documented exit statuses for errors: a failed input, a usage error, nothing to do."""


def run_case(case: Case, folder: Path, *, timed: bool = False) -> Outcome:
    """Make the case's input in ``folder`` and convert it with the command line;
    ``timed`` holds the conversion to the case's budget (the benchmark does)."""
    inputs = folder / "in"
    out = folder / "out"
    inputs.mkdir(parents=True)
    path = case.make(inputs)
    before = _digest(path)
    size = path.stat().st_size if path.is_file() else 0
    args = ["convert", str(path), "-o", str(out), "-q", *case.args]
    if case.cls not in ("names", "scale"):  # the cover only shows the title and authors
        args.append("--no-cover")
    for fmt in case.formats:
        args += ["-f", fmt]
    start = time.perf_counter()
    with _environment(case.env):
        try:
            with _watchdog(case.budget * 3):
                result = CliRunner().invoke(main, args)
            code, stdout, stderr = result.exit_code, result.stdout, result.stderr
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                stderr += f"\nTraceback: {type(result.exception).__name__}: {result.exception}"
        except Watchdog as exc:
            code, stdout, stderr = -1, "", f"hang: {exc}"
    seconds = time.perf_counter() - start
    files = sorted(p for p in out.rglob("*")) if out.is_dir() else []
    outputs = [
        p for p in files if p.suffix in (".epub", ".html", ".pdf") and not p.name.startswith(".")
    ]
    leftovers = [p for p in files if p not in outputs and p.name not in _OWN_FILES]
    outcome = Outcome(
        case=case,
        seconds=seconds,
        exit_code=code,
        stdout=stdout,
        stderr=stderr,
        outputs=outputs,
        leftovers=leftovers,
        input_changed=before is not None and _digest(path) != before,
        input_size=size,
    )
    outcome.problems = check_case(outcome, path, timed=timed)
    return outcome


def check_case(outcome: Outcome, path: Path, *, timed: bool = False) -> list[str]:
    """Everything about an outcome that breaks the rules (empty when it is handled);
    ``timed`` adds a conversion that took longer than the case's budget."""
    case = outcome.case
    problems: list[str] = []
    if "Traceback" in outcome.stderr or "hang:" in outcome.stderr:
        problems.append(outcome.stderr.strip()[-300:])
    if outcome.input_changed:
        problems.append("the input was modified")
    if outcome.leftovers:
        problems.append(f"left in the output folder: {[p.name for p in outcome.leftovers]}")
    if timed and outcome.seconds > case.budget:
        problems.append(f"took {outcome.seconds:.1f} s (budget {case.budget:.0f} s)")
    if case.expect == "error":
        lines = [ln for ln in outcome.stderr.splitlines() if ln.strip()]
        if outcome.exit_code not in _ERROR_STATUSES:
            problems.append(f"exit status {outcome.exit_code}, not an error status")
        if len(lines) != 1 or not lines[0].startswith("fic2book: "):
            problems.append(f"not one error line: {outcome.stderr[:300]!r}")
        elif case.error.lower() not in lines[0].lower():
            problems.append(f"the error does not say {case.error!r}: {lines[0][:300]}")
        elif (
            case.cls != "options" and "no story files" not in lines[0] and path.name not in lines[0]
        ):
            problems.append(f"the error does not name the file: {lines[0][:300]}")
        if outcome.outputs:
            problems.append(f"wrote {[p.name for p in outcome.outputs]} on error")
        return problems
    if outcome.exit_code != 0:
        problems.append(f"exit status {outcome.exit_code}: {outcome.stderr.strip()[:300]}")
    if len(outcome.outputs) != len(case.formats):
        problems.append(f"made {[p.name for p in outcome.outputs]} for {case.formats}")
    for book in outcome.outputs:
        problems += [f"{book.name}: {p}" for p in check_book(book, case, path)]
    return problems


def book_texts(book: Path) -> list[tuple[str, str]]:
    """(part name, text) for each part of a book a reader would load: the XHTML, CSS and
    package files of an EPUB, the whole HTML file, or the PDF's text and metadata."""
    if book.suffix == ".epub":
        with zipfile.ZipFile(book) as z:
            bad = z.testzip()
            if bad is not None:
                raise ValueError(f"corrupt member {bad}")
            return [
                (n, z.read(n).decode("utf-8"))
                for n in z.namelist()
                if n.endswith((".xhtml", ".css", ".opf", ".ncx", ".html", ".xml"))
            ]
    if book.suffix == ".pdf":
        import io

        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(book.read_bytes()))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        meta = " ".join(str(v) for v in (reader.metadata or {}).values())
        return [("pdf", f"{text}\n{meta}")]
    return [(book.name, book.read_text(encoding="utf-8"))]


_ACTIVE_TAGS = frozenset(
    {"script", "iframe", "object", "embed", "base", "form", "frame", "frameset", "applet"}
)
_URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "data", "action", "poster", "background"})


def active_content(root: Any) -> list[str]:
    """What in a parsed page could run script or load something: script-like elements,
    ``<meta http-equiv>``, event-handler attributes, and addresses that are neither
    inside the book (relative, ``#id``) nor ``data:`` images nor plain web links."""
    found: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = etree.QName(el).localname.lower()
        if tag in _ACTIVE_TAGS or (tag == "meta" and el.get("http-equiv") is not None):
            found.append(f"<{tag}>")
        for name, value in el.attrib.items():
            local = etree.QName(name).localname.lower()
            if local.startswith("on"):
                found.append(f"{tag} {local}=")
            if local not in _URL_ATTRIBUTES:
                continue
            target = "".join(value.split()).lower()
            loads = tag not in ("a", "area") or local != "href"
            if target.startswith(("javascript:", "vbscript:", "data:text/html", "file:")):
                found.append(f"{tag} {local}={value[:60]}")
            elif loads and target.startswith(("http:", "https:", "//", "ftp:")):
                found.append(f"{tag} {local}={value[:60]} (a fetch)")
    return found


def check_book(book: Path, case: Case, source: Path) -> list[str]:
    """A book's problems: unreadable, not well-formed, a missing sentinel word, a
    forbidden string, or a name that is unsafe."""
    problems: list[str] = []
    name = book.name
    unsafe = [c for c in name if unicodedata.category(c)[0] in "CZ" or c in '/\\:*?"<>|']
    if len(name.encode("utf-8")) > 255 or unsafe or name.startswith((".", "-")):
        problems.append(f"unsafe file name {name!r}")
    if name.split(".")[0].upper() in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}:
        problems.append(f"reserved file name {name!r}")
    try:
        parts = book_texts(book)
    except Exception as exc:
        return [f"unreadable ({type(exc).__name__}: {exc})"]
    for part, text in parts:
        if part.endswith((".xhtml", ".opf", ".ncx", ".xml")):
            try:
                root = etree.fromstring(
                    text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True)
                )
            except etree.XMLSyntaxError as exc:
                problems.append(f"{part} is not well-formed: {exc}")
                continue
            problems += [f"{part}: {p}" for p in active_content(root)]
        elif part.endswith(".html"):
            problems += [
                f"{part}: {p}" for p in active_content(lxml_html.document_fromstring(text))
            ]
    everything = "\n".join(text for _, text in parts)
    folded = " ".join(everything.split())
    for word in case.keep:
        if word not in folded:
            problems.append(f"lost {word!r}")
    lowered = everything.lower()
    for bad in case.forbidden:
        if bad.lower() in lowered:
            problems.append(f"holds {bad!r}")
    return problems

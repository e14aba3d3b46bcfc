"""Every ``convert`` option the anthology also offers changes the volume.

The shared options are read from click (``convert.params`` and ``anthology.params``);
``CHECKS`` holds one check per shared option, and a test asserts it covers exactly that
set, so an option added to a shared group without a check here fails the suite. Each
check builds a small volume of two stories written here (an HTML page with a source
address, straight quotes and a picture; a text story with a work note, a chapter note,
straight quotes and a double hyphen) with and without the option, and reads the
difference back from the books.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import click
import pypdf
import pytest
from click.testing import CliRunner, Result
from lxml import etree
from PIL import Image

import fic2book
from conftest import ROOT
from fic2book.cli import anthology, convert
from fic2book.writers import pdf_volume

FIRST = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The First Lamp</title>
<meta name="author" content="Wren Halloway">
<link rel="canonical" href="https://stories.example.org/first-lamp"></head>
<body><article>
<h1>The First Lamp</h1>
<p>"Light it," she said, and he did.</p>
<p><img src="lamp.png" alt="A small brass lamp"></p>
<p>The wick caught, and the street was gold for a while.</p>
</article></body></html>
"""
SECOND = """Title: The Second Lamp
Author: Kit Marlowe

A/N: Written for the winter exchange, with thanks to my beta.

Chapter 1: Flint

A/N: Sorry this chapter took a month, the flint kept breaking.

The second lamp would not light.

It was "stubborn," Kit said -- and that was that.

Chapter 2: Oil

Oil, then. Oil would do it.
"""
WORK_NOTE = "winter exchange"
CHAPTER_NOTE = "flint kept breaking"
CREDIT = "Posted originally at"
USER_CSS = "p.fic2book-option-reach { letter-spacing: 0.07em; }\n"
COVER_SIZE = (300, 450)
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def shared_options() -> set[str]:
    """The options ``convert`` and ``anthology`` both declare, by parameter name."""

    def names(command: click.Command) -> set[str]:
        return {str(p.name) for p in command.params if isinstance(p, click.Option)}

    return names(convert) & names(anthology)


@dataclass
class Run:
    """One ``fic2book anthology`` run: its result and the files it left in its folder."""

    result: Result
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    """Every file written, by its path relative to the run's folder."""

    def epub(self) -> Epub:
        """The run's only EPUB."""
        (path,) = [p for p in self.files.values() if p.suffix == ".epub"]
        return Epub(path)


class Epub:
    """An EPUB read back: its file names, documents' text, package document and CSS."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as book:
            self.data = {name: book.read(name) for name in book.namelist()}

    def text(self) -> str:
        """Every XHTML document's text, in file order."""
        return "\n".join(
            "".join(etree.fromstring(data).itertext())
            for name, data in self.data.items()
            if name.endswith(".xhtml")
        )

    def doc(self, name: str) -> str:
        """One document's text."""
        return "".join(etree.fromstring(self.data[f"EPUB/text/{name}.xhtml"]).itertext())

    def nav(self) -> list[str]:
        """The contents page's entries."""
        root = etree.fromstring(self.data["EPUB/nav.xhtml"])
        return ["".join(a.itertext()) for a in root.iter("{http://www.w3.org/1999/xhtml}a")]

    def names(self) -> set[str]:
        """The files inside."""
        return set(self.data)

    def css(self) -> str:
        """The book's stylesheet."""
        return self.data["EPUB/styles/book.css"].decode("utf-8")

    def opf(self, path: str) -> list[str]:
        """Values from the package document (an XPath with the ``opf``/``dc`` prefixes)."""
        root = etree.fromstring(self.data["EPUB/content.opf"])
        return [str(v) for v in root.xpath(path, namespaces=OPF)]

    def cover_size(self) -> tuple[int, int] | None:
        """The cover image's pixel size, or None when the book has no cover image."""
        found = self.opf("//opf:item[contains(@properties, 'cover-image')]/@href")
        if not found:
            return None
        with Image.open(BytesIO(self.data[f"EPUB/{found[0]}"])) as image:
            return image.size


class Volumes:
    """Makes volumes of the two stories, each run in a folder of its own (a run with
    the same arguments is made once per module)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.monkeypatch = pytest.MonkeyPatch()
        self.stories = root / "stories"
        self.stories.mkdir()
        (self.stories / "first.html").write_text(FIRST, encoding="utf-8")
        (self.stories / "second.txt").write_text(SECOND, encoding="utf-8")
        Image.new("RGB", (40, 30), (200, 120, 40)).save(self.stories / "lamp.png")
        Image.new("RGB", COVER_SIZE, (20, 60, 140)).save(self.stories / "cover.png")
        (self.stories / "mine.css").write_text(USER_CSS, encoding="utf-8")
        self.cache: dict[tuple[object, ...], Run] = {}

    def make(self, *args: str, output: str | None = "vol.epub", parts: bool = False) -> Run:
        """``fic2book anthology`` on the stories with these options, in a new folder
        (the run's working folder), ``-o output`` unless ``output`` is None; ``parts``:
        a PDF laid out in parts (one story each), as a long anthology's is."""
        stories = [str(self.stories / n) for n in ("first.html", "second.txt")]
        argv = [*stories, *args, *(["-o", output] if output else [])]
        key = (*argv, parts)
        if key in self.cache:
            return self.cache[key]
        folder = self.root / f"run{len(self.cache) + 1}"
        folder.mkdir()
        made_in_parts: list[bool] = []
        with self.monkeypatch.context() as patch:
            patch.chdir(folder)
            patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
            if parts:
                whole = pdf_volume.render_volume
                patch.setattr(pdf_volume, "PART_CHARS", 1)
                patch.setattr(
                    pdf_volume,
                    "render_volume",
                    lambda *a, **k: made_in_parts.append(True) or whole(*a, **k),
                )
            result = CliRunner().invoke(anthology, argv)
        assert result.exit_code == 0, result.output
        assert made_in_parts == ([True] if parts else [])
        files = {
            p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()
        }
        self.cache[key] = run = Run(result, folder, files)
        return run

    def path(self, name: str) -> str:
        """A file beside the stories (the cover picture, the user CSS)."""
        return str(self.stories / name)


def pdf_text(run: Run) -> str:
    """The text of the run's PDF."""
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(run.files["vol.pdf"]).pages)


Check = Callable[[Volumes], None]


# --------------------------------------------------------------------------- the checks


def check_output(v: Volumes) -> None:
    """``-o``: the volume goes where it says; without it, ``out/`` named from the title."""
    assert list(v.make(output=None).files) == ["out/Collected-Stories.epub"]
    assert list(v.make(output="shelf/lamps.epub").files) == ["shelf/lamps.epub"]


def check_title(v: Volumes) -> None:
    """``--title``: the volume's title in its metadata and on its title page."""
    assert v.make().epub().opf("//dc:title/text()") == ["Collected Stories"]
    book = v.make("--title", "Two Lamps").epub()
    assert book.opf("//dc:title/text()") == ["Two Lamps"]
    assert "Two Lamps" in book.doc("volume-title")


def check_lang(v: Volumes) -> None:
    """``--lang``: the volume's language (first; its stories' languages follow)."""
    assert v.make().epub().opf("//dc:language/text()") == ["en"]
    assert v.make("--lang", "de").epub().opf("//dc:language/text()") == ["de", "en"]


def check_formats(v: Volumes) -> None:
    """``--format``: the formats made, each beside ``-o`` with its own suffix."""
    assert list(v.make().files) == ["vol.epub"]
    assert sorted(v.make("-f", "epub", "-f", "html").files) == ["vol.epub", "vol.html"]
    assert list(v.make("-f", "kepub").files) == ["vol.kepub.epub"]


def check_no_smart(v: Volumes) -> None:
    """``--no-smart``: straight quotes and double hyphens kept as written."""
    assert "“stubborn,” Kit said — and" in v.make().epub().text()
    text = v.make("--no-smart").epub().text()
    assert '"stubborn," Kit said -- and' in text and "“" not in text


def check_no_images(v: Volumes) -> None:
    """``--no-images``: the picture in the text left out, the cover kept."""
    book = v.make().epub()
    assert b"<img" in book.data["EPUB/text/story-1-chapter-1.xhtml"]
    assert len([n for n in book.names() if n.startswith("EPUB/images/")]) == 2
    without = v.make("--no-images").epub()
    assert b"<img" not in without.data["EPUB/text/story-1-chapter-1.xhtml"]
    assert [n for n in without.names() if n.startswith("EPUB/images/")] == ["EPUB/images/cover.png"]


def check_dialect(v: Volumes) -> None:
    """``--dialect``: every story read with that reader (``plain`` reads no header)."""
    nav = v.make().epub().nav()
    assert "The Second Lamp" in nav and "Title: The Second Lamp" not in nav
    assert "Title: The Second Lamp" in v.make("--dialect", "plain").epub().nav()


def check_style(v: Volumes) -> None:
    """``--style``: the theme's stylesheet."""
    classic = (ROOT / "styles/classic/theme.css").read_text(encoding="utf-8").strip()
    sans = (ROOT / "styles/sans/theme.css").read_text(encoding="utf-8").strip()
    css = v.make().epub().css()
    assert classic in css and sans not in css
    css = v.make("--style", "sans").epub().css()
    assert sans in css and classic not in css


def check_css_files(v: Volumes) -> None:
    """``--css``: the user's CSS, after the theme's."""
    rule = "p.fic2book-option-reach { letter-spacing: 0.07em"  # as the parsed CSS writes it
    assert rule not in v.make().epub().css()
    css = v.make("--css", v.path("mine.css")).epub().css()
    assert rule in css and css.rindex(rule) > css.rindex("/* user css */")


def check_notes(v: Volumes) -> None:
    """``--notes``: chapter notes in place, gathered after the last story, or left out."""
    kept = v.make().epub()
    assert CHAPTER_NOTE in kept.doc("story-2-chapter-1")
    gathered = v.make("--notes", "end").epub()
    assert CHAPTER_NOTE not in gathered.doc("story-2-chapter-1")
    assert CHAPTER_NOTE in gathered.doc("volume-notes")
    dropped = v.make("--notes", "drop").epub().text()
    assert WORK_NOTE in kept.text() and WORK_NOTE not in dropped and CHAPTER_NOTE not in dropped


def check_page_size(v: Volumes) -> None:
    """``--page-size``: the PDF's pages (A5 by default)."""

    def page_mm(run: Run) -> tuple[int, int]:
        box = pypdf.PdfReader(run.files["vol.pdf"]).pages[0].mediabox
        return round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)

    assert page_mm(v.make(output="vol.pdf")) == (148, 210)
    assert page_mm(v.make("--page-size", "A4", output="vol.pdf")) == (210, 297)


def check_cover(v: Volumes) -> None:
    """``--cover FILE``: that picture is the cover; ``--cover none``: no cover."""
    generated = v.make().epub().cover_size()
    assert generated not in (None, COVER_SIZE)
    assert v.make("--cover", v.path("cover.png")).epub().cover_size() == COVER_SIZE
    assert_no_cover(v.make("--cover", "none").epub())


def check_no_cover(v: Volumes) -> None:
    """``--no-cover``: no cover image and no cover page."""
    assert v.make().epub().cover_size() is not None
    assert_no_cover(v.make("--no-cover").epub())


def assert_no_cover(book: Epub) -> None:
    """No cover image, no cover page."""
    assert book.cover_size() is None
    assert "EPUB/text/cover.xhtml" not in book.names()


def check_no_credit(v: Volumes) -> None:
    """``--no-credit``: no "Posted originally at" line on the story's title page (the
    colophon still names the source), in a PDF made in parts too."""
    url = "https://stories.example.org/first-lamp"
    assert f"{CREDIT} {url}" in v.make().epub().doc("story-1-title")
    without = v.make("--no-credit").epub()
    assert CREDIT not in without.doc("story-1-title") and url not in without.doc("story-1-title")
    pdf = "--no-colophon", "-f", "pdf"
    assert CREDIT in pdf_text(v.make(*pdf, output="vol.pdf", parts=True))
    assert CREDIT not in pdf_text(v.make(*pdf, "--no-credit", output="vol.pdf", parts=True))


def check_no_colophon(v: Volumes) -> None:
    """``--no-colophon``: no colophon page, in a PDF made in parts too."""
    assert "EPUB/text/colophon.xhtml" in v.make().epub().names()
    book = v.make("--no-colophon").epub()
    assert "EPUB/text/colophon.xhtml" not in book.names()
    assert not any(b"colophon" in data for name, data in book.data.items() if "text/" in name)
    made_with = f"Made with fic2book {fic2book.__version__}"
    assert made_with in pdf_text(v.make("-f", "pdf", output="vol.pdf", parts=True))
    assert made_with not in pdf_text(
        v.make("--no-colophon", "-f", "pdf", output="vol.pdf", parts=True)
    )


def check_check(v: Volumes) -> None:
    """``--check``: each book's verdict from EPUBCheck and the Send to Kindle rules is
    printed (Ace is kept off the path: its browser would take a minute)."""
    path = Path(v.root / "bin")
    path.mkdir(exist_ok=True)
    java = shutil.which("java")
    if java and not (path / "java").exists():
        (path / "java").symlink_to(java)
    with v.monkeypatch.context() as patch:
        patch.setenv("PATH", str(path))
        plain = v.make().result.output
        checked = v.make("--check").result.output
    assert "EPUBCheck" not in plain and "Send to Kindle" not in plain
    assert "vol.epub: Send to Kindle rules: all pass" in checked
    if java:
        assert re.search(r"vol\.epub: EPUBCheck: \S+ no errors or warnings", checked), checked


def check_quiet(v: Volumes) -> None:
    """``--quiet``: nothing printed, not even a warning, and the volume still made."""
    loud = v.make("--page-size", "A4").result
    assert loud.stdout.strip() == "vol.epub" and "--page-size A4" in loud.stderr
    quiet = v.make("--page-size", "A4", "--quiet")
    assert quiet.result.output == "" and list(quiet.files) == ["vol.epub"]


CHECKS: dict[str, Check] = {
    "output": check_output,
    "title": check_title,
    "lang": check_lang,
    "formats": check_formats,
    "no_smart": check_no_smart,
    "no_images": check_no_images,
    "dialect": check_dialect,
    "style": check_style,
    "css_files": check_css_files,
    "notes": check_notes,
    "page_size": check_page_size,
    "cover": check_cover,
    "no_cover": check_no_cover,
    "no_credit": check_no_credit,
    "no_colophon": check_no_colophon,
    "check": check_check,
    "quiet": check_quiet,
}
"""One check per option ``convert`` and ``anthology`` share, by parameter name."""


def test_every_shared_option_has_a_check() -> None:
    assert set(CHECKS) == shared_options()


@pytest.fixture(scope="module")
def volumes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Volumes]:
    made = Volumes(tmp_path_factory.mktemp("volumes"))
    yield made
    made.monkeypatch.undo()


@pytest.mark.parametrize("option", sorted(CHECKS))
def test_shared_option_changes_the_volume(option: str, volumes: Volumes) -> None:
    CHECKS[option](volumes)

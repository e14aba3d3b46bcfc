"""The package as a user installs it: the wheel and sdist, built and installed for real.

``make test`` builds the sdist and, from it, the wheel (``python -m build``, without
network: the project venv's setuptools), installs the wheel (not editable) into a fresh
virtual environment and converts a seed to every format from another folder. A module,
theme file, font or data file missing from ``pyproject.toml``'s packages or package-data
fails here. The fresh environment takes the wheel's dependencies from the project venv
through a ``.pth`` line (no download); the wheel's declared requirements are checked
separately, and the tests prove ``fic2book`` itself is imported from the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from collections.abc import Iterator
from email.parser import Parser
from pathlib import Path

import pypdf
import pytest
from lxml import html as lxml_html

from conftest import ROOT, SEEDS

pytestmark = pytest.mark.package

SRC = ROOT / "src" / "fic2book"
STYLES = ROOT / "styles"
LANG_DATA = SRC / "lang" / "data"
SEED = SEEDS / "plain_with_notes.txt"
ENGINES = ("ebooklib", "weasyprint", "pillow", "pypdf")
"""What every format needs: required dependencies, never an extra."""


def shipped_files(folder: Path) -> Iterator[Path]:
    """Every file under a folder that a package ships (not bytecode caches)."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            yield path


def expected_wheel_files() -> set[str]:
    """The wheel's ``fic2book/`` files: everything under ``src/fic2book`` and, as
    ``fic2book/styles``, everything under ``styles/``."""
    files = {f"fic2book/{p.relative_to(SRC).as_posix()}" for p in shipped_files(SRC)}
    files |= {f"fic2book/styles/{p.relative_to(STYLES).as_posix()}" for p in shipped_files(STYLES)}
    return files


def clean_env() -> dict[str, str]:
    """The environment for the installed tools: nothing from this checkout on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel built from it (``python -m build`` does both)."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    wheels, sdists = list(out.glob("*.whl")), list(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    return {"wheel": wheels[0], "sdist": sdists[0]}


@pytest.fixture(scope="module")
def venv(dists: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed (not editable, no
    dependencies); the project venv's site-packages lends it the dependencies."""
    home = tmp_path_factory.mktemp("venv") / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(home)], check=True)
    python = home / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    done = subprocess.run(
        [*install, "--no-deps", "--no-index", str(dists["wheel"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    lent = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(purelib) / "fic2book_test_dependencies.pth").write_text("\n".join(lent) + "\n")
    return home


def test_pyproject_lists_every_package_under_src() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(("fic2book", *d.relative_to(SRC).parts)).rstrip(".")
        for d in [SRC, *(p for p in SRC.rglob("*") if p.is_dir())]
        if "__pycache__" not in d.parts and any(d.glob("*.py"))
    }
    assert listed == on_disk | {"fic2book.styles"}
    for package in on_disk:
        folder = SRC.joinpath(*package.split(".")[1:])
        assert (folder / "__init__.py").is_file(), f"{package} has no __init__.py"


def test_wheel_holds_every_module_theme_file_and_data_file(dists: dict[str, Path]) -> None:
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = {n for n in wheel.namelist() if n.startswith("fic2book/")}
    assert names == expected_wheel_files()


def test_wheel_requires_every_engine_and_names_the_console_script(
    dists: dict[str, Path],
) -> None:
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        info = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        meta = Parser().parsestr(wheel.read(info).decode("utf-8"))
        points = wheel.read(info.replace("METADATA", "entry_points.txt")).decode("utf-8")
    required = {
        r.split(";")[0].split(">")[0].split("=")[0].strip().lower()
        for r in meta.get_all("Requires-Dist") or []
        if "extra ==" not in r
    }
    assert set(ENGINES) <= required
    assert "books" in (meta.get_all("Provides-Extra") or [])
    assert "fic2book = fic2book.cli:main" in points
    for fmt in ("epub", "pdf", "html", "kepub", "azw3"):
        assert f"{fmt} = fic2book.writers." in points


def test_sdist_holds_the_themes_and_language_data(dists: dict[str, Path]) -> None:
    with tarfile.open(dists["sdist"]) as sdist:
        names = {m.name.partition("/")[2] for m in sdist.getmembers() if m.isfile()}
    for path in shipped_files(STYLES):
        assert path.relative_to(ROOT).as_posix() in names
    if LANG_DATA.is_dir():
        for path in shipped_files(LANG_DATA):
            assert path.relative_to(ROOT).as_posix() in names
    assert {"pyproject.toml", "README.md", "src/fic2book/py.typed"} <= names


def test_installed_wheel_is_what_runs(venv: Path) -> None:
    probe = (
        "import importlib.resources, fic2book, fic2book.cli;"
        "print(fic2book.__file__);"
        "print(importlib.resources.files('fic2book.styles'))"
    )
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe],
        capture_output=True,
        text=True,
        check=False,
        cwd=venv.parent,
        env=clean_env(),
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2
    for line in done.stdout.splitlines():
        assert Path(line).resolve().is_relative_to(venv.resolve()), line


def test_installed_wheel_makes_every_format_from_another_folder(venv: Path) -> None:
    work = venv.parent / "work"
    work.mkdir()
    formats = ["-f", "epub", "-f", "pdf", "-f", "html", "-f", "kepub", "-o", "books"]
    done = subprocess.run(
        [str(venv / "bin" / "fic2book"), "convert", str(SEED), "--style", "sans", *formats],
        capture_output=True,
        text=True,
        check=False,
        cwd=work,
        env=clean_env(),
    )
    assert done.returncode == 0, done.stderr
    written = [work / line for line in done.stdout.splitlines()]
    by_suffix = {"".join(p.suffixes[-2:]) if p.suffix == ".epub" else p.suffix: p for p in written}
    assert set(by_suffix) == {".epub", ".kepub.epub", ".pdf", ".html"}, done.stdout
    theme_css = (STYLES / "sans" / "theme.css").read_text(encoding="utf-8").strip()

    for key in (".epub", ".kepub.epub"):
        with zipfile.ZipFile(by_suffix[key]) as book:
            assert book.testzip() is None
            assert book.read("mimetype") == b"application/epub+zip"
            assert theme_css in book.read("EPUB/styles/book.css").decode("utf-8")
            chapter = book.read("EPUB/text/story-1-chapter-1.xhtml").decode("utf-8")
        assert ("koboSpan" in chapter) == (key == ".kepub.epub")

    page = lxml_html.parse(str(by_suffix[".html"])).getroot()
    assert theme_css in "".join(page.xpath("//style/text()"))
    assert page.findtext(".//title") == "Plain with notes"

    pdf = pypdf.PdfReader(by_suffix[".pdf"])
    assert len(pdf.pages) > 2
    assert "Priya" in "".join(p.extract_text() for p in pdf.pages)
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for p in pdf.pages
        for font in (p["/Resources"].get("/Font") or {}).values()
    }
    assert any("Source-Sans-3" in f for f in fonts), fonts  # the theme's own font files

"""What Send to Kindle checks in an EPUB, as a list of problems (empty: it passes).

Amazon converts a sent EPUB itself and rejects or mangles one that breaks these rules,
so fic2book's EPUBs are tested against them and ``convert --check`` reports them:

- every XHTML, OPF and NCX file opens with an XML declaration that names
  its encoding;
- ``dc:language`` is a language Kindle books may be in (``KINDLE_LANGUAGES``);
- no link (in a document, the nav or the NCX) points at an id on a ``<body>``;
- no ``<img>`` without a ``src``;
- the NCX numbers its entries (``playOrder``) and lists its files in spine order;
- the guide (``text``) or the landmarks (``bodymatter``) say where the text starts;
- sizes: the book under ``MAX_BOOK_BYTES`` (the e-mail route's limit, the strictest),
  each XHTML file under ``MAX_FILE_BYTES``.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

KINDLE_LANGUAGES = frozenset(
    {"af", "ar", "ba", "br", "ca", "co", "cy", "da", "de", "en", "es", "eu", "fi", "fr"}
    | {"frr", "frs", "fy", "ga", "gd", "gl", "gsw", "gu", "gv", "hi", "is", "it", "ja"}
    | {"kw", "lb", "ml", "mr", "nb", "nl", "nn", "no", "oc", "pl", "pt", "rm", "ru", "sco"}
    | {"sv", "ta", "uk", "yi", "zh"}
)
"""Primary language subtags of the languages Amazon lists for Kindle books (KDP's
"supported languages": the Western European languages, Arabic, Chinese, Japanese,
Russian, Ukrainian, Polish, Hindi, Gujarati, Marathi, Malayalam, Tamil, Yiddish...)."""
MAX_BOOK_BYTES = 50 * 1024 * 1024
"""Send to Kindle by e-mail takes files up to 50 MB (the app and the web page, 200 MB)."""
MAX_FILE_BYTES = 300 * 1024
"""Kindle's converters warn about XHTML files over 300 KB (slow or failing on devices)."""

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "epub": "http://www.idpf.org/2007/ops",
}
_DECLARATION = re.compile(rb"^<\?xml[^>]*\bencoding\s*=\s*[\"'][A-Za-z0-9._-]+[\"'][^>]*\?>")
_XML_SUFFIXES = (".xhtml", ".html", ".opf", ".ncx")


def _xp(el: etree._Element, expr: str) -> list[Any]:
    """An XPath query's results as a list (the namespaces of ``NS``)."""
    found = el.xpath(expr, namespaces=NS)
    return list(found) if isinstance(found, list) else [found]


class _Epub:
    """The parts of an EPUB the rules look at."""

    def __init__(self, data: bytes) -> None:
        self.size = len(data)
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = str(_xp(container, "//c:rootfile/@full-path")[0])
        self.opf = etree.fromstring(self.zip.read(self.opf_path))
        self.manifest = {
            str(i.get("id")): self.resolve(str(i.get("href")), self.opf_path)
            for i in self.opf.iterfind("opf:manifest/opf:item", NS)
        }
        self.types = {
            self.resolve(str(i.get("href")), self.opf_path): str(i.get("media-type"))
            for i in self.opf.iterfind("opf:manifest/opf:item", NS)
        }

    @staticmethod
    def resolve(href: str, base: str) -> str:
        """A relative href (fragment dropped) as a path in the archive."""
        path = unquote(urlsplit(href).path)
        return posixpath.normpath(posixpath.join(posixpath.dirname(base), path))

    def xhtml_files(self) -> list[str]:
        """The archive paths of every XHTML document of the manifest."""
        return [p for p, t in self.types.items() if t == "application/xhtml+xml"]

    def ncx_path(self) -> str | None:
        """The NCX's archive path, if there is one."""
        return next((p for p, t in self.types.items() if t == "application/x-dtbncx+xml"), None)


def declaration_problems(book: _Epub) -> list[str]:
    """Files without an XML declaration that names the encoding."""
    out = []
    for name in book.zip.namelist():
        if name.endswith(_XML_SUFFIXES) and not _DECLARATION.match(book.zip.read(name)):
            out.append(f"{name}: no XML declaration with an encoding")
    return out


def language_problems(book: _Epub) -> list[str]:
    """A missing ``dc:language``, or one Kindle books may not be in."""
    langs = [str(t) for t in _xp(book.opf, "//dc:language/text()")]
    if not langs:
        return ["no dc:language"]
    primary = langs[0].strip().split("-")[0].lower()
    if primary not in KINDLE_LANGUAGES:
        return [f"dc:language {langs[0]!r} is not a language Kindle books may be in"]
    return []


def link_targets(book: _Epub) -> list[tuple[str, str, str]]:
    """Every internal link as (where, target file, fragment): ``a`` and ``area`` hrefs in
    the XHTML files and the NCX's ``content src``."""
    found: list[tuple[str, str, str]] = []
    for path in book.xhtml_files():
        root = etree.fromstring(book.zip.read(path))
        for el in _xp(root, "//x:a[@href] | //x:area[@href]"):
            href = str(el.get("href"))
            if urlsplit(href).scheme:
                continue
            target = book.resolve(href, path) if urlsplit(href).path else path
            found.append((path, target, urlsplit(href).fragment))
    ncx = book.ncx_path()
    if ncx is not None:
        root = etree.fromstring(book.zip.read(ncx))
        for src in _xp(root, "//ncx:content/@src"):
            found.append((ncx, book.resolve(str(src), ncx), urlsplit(str(src)).fragment))
    return found


def body_link_problems(book: _Epub) -> list[str]:
    """Links whose fragment names the id of a ``<body>``."""
    body_ids: dict[str, str] = {}
    for path in book.xhtml_files():
        root = etree.fromstring(book.zip.read(path))
        body = root.find("x:body", NS)
        if body is not None and body.get("id"):
            body_ids[path] = str(body.get("id"))
    return [
        f"{where}: links to the <body> id {target}#{fragment}"
        for where, target, fragment in link_targets(book)
        if fragment and body_ids.get(target) == fragment
    ]


def image_problems(book: _Epub) -> list[str]:
    """``<img>`` elements without a ``src``."""
    out = []
    for path in book.xhtml_files():
        root = etree.fromstring(book.zip.read(path))
        for img in root.iterfind(".//x:img", NS):
            if not (img.get("src") or "").strip():
                out.append(f"{path}: an <img> without src")
    return out


def spine_paths(book: _Epub) -> list[str]:
    """The spine's files in order."""
    return [
        book.manifest[str(ref.get("idref"))]
        for ref in book.opf.iterfind("opf:spine/opf:itemref", NS)
    ]


def ncx_order_problems(book: _Epub) -> list[str]:
    """NCX entries (in play order) whose files come earlier in the spine than the entry
    before them, or that are not in the spine at all."""
    ncx = book.ncx_path()
    if ncx is None:
        return ["no NCX"]
    root = etree.fromstring(book.zip.read(ncx))
    points = list(root.iterfind(".//ncx:navPoint", NS))
    out = [f"{ncx}: a navPoint without playOrder" for p in points if not p.get("playOrder")]
    points.sort(key=lambda p: int(p.get("playOrder") or 0))
    spine = spine_paths(book)
    last = -1
    for point in points:
        src = point.find("ncx:content", NS)
        if src is None:
            continue
        path = book.resolve(str(src.get("src")), ncx)
        if path not in spine:
            out.append(f"{ncx}: {path} is not in the spine")
            continue
        if spine.index(path) < last:
            out.append(f"{ncx}: {path} is out of spine order")
        last = spine.index(path)
    return out


def start_problems(book: _Epub) -> list[str]:
    """No guide ``text`` reference and no ``bodymatter`` landmark."""
    if _xp(book.opf, "//opf:guide/opf:reference[@type='text']"):
        return []
    for path in book.xhtml_files():
        root = etree.fromstring(book.zip.read(path))
        if _xp(root, "//x:nav//x:a[@epub:type='bodymatter']"):
            return []
    return ["no start reference (guide type=text or landmarks bodymatter)"]


def size_problems(book: _Epub) -> list[str]:
    """A book or an XHTML file past Kindle's limits."""
    out = []
    if book.size > MAX_BOOK_BYTES:
        out.append(f"the book is {book.size} bytes, over Send to Kindle's {MAX_BOOK_BYTES}")
    for path in book.xhtml_files():
        size = book.zip.getinfo(path).file_size
        if size > MAX_FILE_BYTES:
            out.append(f"{path}: {size} bytes, over Kindle's {MAX_FILE_BYTES} per file")
    return out


def kindle_problems(data: bytes) -> list[str]:
    """Every Send to Kindle rule this EPUB breaks, one line each (empty: none)."""
    book = _Epub(data)
    return [
        *declaration_problems(book),
        *language_problems(book),
        *body_link_problems(book),
        *image_problems(book),
        *ncx_order_problems(book),
        *start_problems(book),
        *size_problems(book),
    ]

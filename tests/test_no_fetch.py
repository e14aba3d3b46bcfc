"""Nothing is fetched: a logging HTTP server on loopback proves that no writer calls it,
and the books hold no address an e-reader or browser would load, for an input and a
user stylesheet that try every way to reference something outside the book."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
import tinycss2
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from fic2book.cli import main
from hostile_corpus import KEEP, SECRET, STORY, active_content, book_texts


class _Log(http.server.BaseHTTPRequestHandler):
    """Records every request and answers with a tiny body."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A logging HTTP server on 127.0.0.1 (its base address and its request log)."""
    hits: ClassVar[list[str]] = []
    handler = type("Handler", (_Log,), {"hits": hits})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def _probe_server(base: str) -> None:
    """The server answers (so an empty log means nobody asked)."""
    import urllib.request

    with urllib.request.urlopen(f"{base}/probe", timeout=5) as response:
        assert response.status == 200


def _hostile_input(folder: Path, base: str, secret: Path) -> Path:
    refs = [
        f'<link rel="stylesheet" href="{base}/link.css">',
        f'<img src="{base}/img.png"><img src="{secret.as_uri()}"><img src="../secret.txt">',
        f'<img src="/{secret}"><img srcset="{base}/srcset.png 2x, {secret.as_uri()} 3x">',
        f'<object data="{base}/object"></object><iframe src="{base}/iframe"></iframe>',
        f'<embed src="{base}/embed"><video poster="{base}/poster" src="{base}/video"></video>',
        f'<svg xmlns:xlink="http://www.w3.org/1999/xlink"><image href="{base}/svg-image"/>'
        f'<image xlink:href="{base}/xlink"/><use href="{base}/use#x"/></svg>',
        f'<p style="background: url({base}/inline-style)">{STORY}</p>',
        f'<style>@import "{base}/style-import.css";'
        f" body {{ background: url({base}/style) }}</style>",
        f'<audio src="{base}/audio"></audio><source src="{base}/source">',
        f'<table background="{base}/table"><tr><td>cell words</td></tr></table>',
    ]
    page = (
        f'<!DOCTYPE html><html><head><title>Fetch Trap</title><base href="{base}/base/">'
        f'<script src="{base}/script.js"></script></head><body><h1>Fetch Trap</h1>'
        f"{''.join(refs)}</body></html>"
    )
    path = folder / "trap.html"
    path.write_text(page, encoding="utf-8")
    return path


def _hostile_css(folder: Path, base: str, secret: Path) -> Path:
    css = f"""
@import "{base}/import-string.css";
@import url({base}/import-url.css);
@\\69mport "{base}/import-escaped.css";
@font-face {{ font-family: Trap; src: url({base}/font.woff2) format("woff2"),
  url("{secret.as_uri()}"); }}
@font-face {{ font-family: Trap2; src: local(Nothing), url(../secret.txt); }}
body {{ background-image: url("{base}/url-string"); }}
p {{ background: \\75 rl({base}/escape-1); }}
h1 {{ background: u\\72l({base}/escape-2); }}
h2 {{ background: URL({base}/upper); }}
h3 {{ background: url("h\\74tp://127.0.0.1:{base.rsplit(":", 1)[1]}/string-escape"); }}
div {{ background: image-set("{base}/image-set.png" 1x, url({base}/image-set-url.png) 2x); }}
span {{ background: -webkit-image-set(url({base}/webkit.png) 1x); }}
em {{ list-style-image: url({secret.as_uri()}); cursor: url({base}/cursor), auto; }}
strong {{ background: url(/{secret}); border-image: url({base}/border) 30; }}
a::after {{ content: url({base}/content); }}
nav {{ background: url(data:x( ) ; background: url({base}/bad-url-trick); }}
"""
    path = folder / "trap.css"
    path.write_text(css, encoding="utf-8")
    return path


def _css_urls(css: str) -> list[str]:
    """Every address a CSS parser finds in a stylesheet (tinycss2, escapes decoded)."""
    found: list[str] = []

    def walk(tokens: list[object]) -> None:
        for token in tokens:
            kind = getattr(token, "type", "")
            if kind == "url":
                found.append(token.value)  # type: ignore[attr-defined]
            elif kind == "function" and token.lower_name in (  # type: ignore[attr-defined]
                "url",
                "src",
                "image-set",
                "-webkit-image-set",
            ):
                found.extend(
                    a.value
                    for a in token.arguments  # type: ignore[attr-defined]
                    if getattr(a, "type", "") in ("string", "url")
                )
                walk(token.arguments)  # type: ignore[attr-defined]
            elif kind == "at-rule" and token.lower_at_keyword == "import":  # type: ignore[attr-defined]
                found.append("@import")
            for attr in ("content", "prelude", "arguments"):
                inner = getattr(token, attr, None)
                if isinstance(inner, list) and kind != "function":
                    walk(inner)

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return [u for u in found if not u.strip().lower().startswith("data:")]


def _stylesheets(book: Path) -> list[str]:
    """The CSS of a book: the EPUB's CSS files and style elements, or the HTML's."""
    css: list[str] = []
    for part, text in book_texts(book):
        if part.endswith(".css"):
            css.append(text)
        elif part.endswith((".xhtml", ".html")):
            root = (
                etree.fromstring(text.encode())
                if part.endswith(".xhtml")
                else lxml_html.document_fromstring(text)
            )
            css += [el.text or "" for el in root.iter("{*}style", "style")]
            css += [el.get("style", "") for el in root.iter() if isinstance(el.tag, str)]
    return css


def test_no_writer_fetches_anything(server: tuple[str, list[str]], tmp_path: Path) -> None:
    base, hits = server
    folder = tmp_path / "in"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    story = _hostile_input(folder, base, secret)
    css = _hostile_css(folder, base, secret)
    out = tmp_path / "out"
    args = ["convert", str(story), "--css", str(css), "-o", str(out), "-q"]
    result = CliRunner().invoke(main, [*args, "-f", "epub", "-f", "html", "-f", "pdf"])
    assert result.exit_code == 0, result.output
    assert hits == [], f"the writers called the server: {hits}"
    books = sorted(p for p in out.iterdir() if p.suffix in (".epub", ".html", ".pdf"))
    assert [b.suffix for b in books] == [".epub", ".html", ".pdf"]
    for book in books:
        text = "\n".join(t for _, t in book_texts(book))
        assert KEEP in text and SECRET not in text
        if book.suffix == ".pdf":
            continue
        for part, page in book_texts(book):
            if part.endswith(".html"):
                assert active_content(lxml_html.document_fromstring(page)) == [], part
            elif part.endswith(".xhtml"):
                assert active_content(etree.fromstring(page.encode())) == [], part
        assert "127.0.0.1" not in text.replace(f"{base}/", "SERVER/").replace(base, "SERVER")
        for sheet in _stylesheets(book):
            assert _css_urls(sheet) == [], book.name
    _probe_server(base)
    assert hits == ["/probe"]


def test_a_pdf_theme_cannot_fetch_either(server: tuple[str, list[str]], tmp_path: Path) -> None:
    base, hits = server
    theme = tmp_path / "theme"
    theme.mkdir()
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (theme / "theme.toml").write_text('name = "trap"\ninherit = "classic"\n', encoding="utf-8")
    (theme / "print.css").write_text(
        f'@import "{base}/theme-import.css";\n'
        f"body {{ background: url({base}/theme-bg) }}\n"
        'h1 { background: url(../secret.txt) } h2::after { content: url("/etc/passwd") }\n',
        encoding="utf-8",
    )
    story = tmp_path / "story.txt"
    story.write_text(f"Title: Theme Trap\nAuthor: Wren\n\n{STORY}", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["convert", str(story), "--style", str(theme), "-f", "pdf", "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert hits == []
    (pdf,) = (p for p in out.iterdir() if p.suffix == ".pdf")
    text = book_texts(pdf)[0][1]
    assert KEEP in text and SECRET not in text and "root:" not in text

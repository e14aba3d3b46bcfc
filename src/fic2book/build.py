"""The build API: a Book, a format and a theme in, the output file's bytes out."""

from __future__ import annotations

from fic2book.book import NotesMode, apply_notes_mode, book_of
from fic2book.model import Book, Story
from fic2book.themes import DEFAULT_THEME, Theme, load_theme
from fic2book.writers import BuildOptions, get_writer


def build(
    book: Book | Story,
    format: str = "epub",
    *,
    theme: Theme | str = DEFAULT_THEME,
    notes: NotesMode = "keep",
    page_size: str | None = None,
    user_css: tuple[str, ...] = (),
    cover: bool = True,
    credit: bool = True,
    colophon: bool = True,
) -> bytes:
    """Render a book (or a single story) in one format and return the file's bytes
    (``credit``: the "Posted originally at" line; ``colophon``: the last page)."""
    if isinstance(book, Story):
        book = book_of(book)
    if isinstance(theme, str):
        theme = load_theme(theme)
    options = BuildOptions(
        notes=notes,
        page_size=page_size,
        user_css=user_css,
        cover=cover,
        credit=credit,
        colophon=colophon,
    )
    return get_writer(format).render(apply_notes_mode(book, notes), theme, options)

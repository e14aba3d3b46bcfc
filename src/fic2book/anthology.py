"""Anthologies: many stories in one volume, and one story joined from many files.

Everything here works on Stories and paths and returns Stories and Books; no writer is
touched. The pieces, each a plain function:

- ``natural_key`` / ``gather_inputs``: inputs (files, folders, quoted globs) in the
  order a person means (``ch2`` before ``ch10``);
- ``join_stories``: the chapters of several files as one story;
- ``load_manifest``: an ``anthology.toml`` read and checked (every entry exists, none
  repeats) before anything is built;
- ``order_stories``: ``given``, ``title``, ``author``, ``date`` or ``series`` order;
- ``name_untitled``: distinct, readable titles for stories that have none;
- ``volume_metadata`` and ``make_volume``: the Book with the volume's own metadata.
"""

from __future__ import annotations

import glob
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal, cast, get_args

from fic2book.book import NotesMode, apply_notes_mode
from fic2book.errors import Fic2BookError
from fic2book.model import Block, Book, Chapter, Heading, Metadata, Note, Paragraph, Story, Text
from fic2book.read.assemble import title_from_filename
from fic2book.read.inlines import plain_text
from fic2book.render.labels import authors_of, title_of

Order = Literal["given", "title", "author", "date", "series"]
ORDERS: tuple[str, ...] = get_args(Order)
NOTES_MODES: tuple[str, ...] = get_args(NotesMode)
DEFAULT_TITLE = "Collected Stories"
"""A volume's title when nobody gave one and its stories are not one series."""

_GLOB_CHARS = re.compile(r"[*?\[]")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_ARTICLE = re.compile(r"^(?:the|an?)\s+", re.IGNORECASE)
_OPENING_WORDS = 7
_TOP_KEYS = {"title", "editor", "description", "language", "theme", "cover", "order", "story"}
_ENTRY_KEYS = {"path", "title", "author", "notes"}


# --------------------------------------------------------------------------- inputs


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that orders runs of digits by their value and letters without case,
    so ``ch2`` sorts before ``ch10`` and ``Part 9`` before ``part 10``."""
    parts = re.split(r"(\d+)", text)
    return tuple((1, int(p)) if p.isdigit() else (0, p.casefold()) for p in parts if p)


def path_key(path: Path) -> tuple[tuple[int, int | str], ...]:
    """``natural_key`` over a whole path, folder by folder."""
    return tuple(k for part in path.parts for k in (*natural_key(part), (0, "/")))


def looks_globbed(paths: Sequence[Path]) -> bool:
    """Whether files came from a shell glob: more than one, in plain character order,
    and that order differs from natural order (``ch1 ch10 ch2``, which nobody types)."""
    if len(paths) < 2:
        return False
    as_text = [str(p) for p in paths]
    return as_text == sorted(as_text) and list(paths) != sorted(paths, key=path_key)


def gather_inputs(inputs: Sequence[Path], output: Path | None = None) -> list[Path]:
    """Story files from the inputs, in order: a file as given; a folder's story files
    (as ``convert`` picks them) in natural order; a pattern no file has as its name
    (``"ch*.txt"``, quoted so the shell left it alone) expanded in natural order. Files
    a shell glob gave in plain character order are put in natural order. Each file
    counts once; a missing file (or a pattern nothing matches) is kept, so reading it
    names it."""
    from fic2book.cli import expand_inputs

    found: dict[Path, Path] = {}
    loose: list[Path] = []
    for item in inputs:
        if item.is_dir():
            group = sorted(expand_inputs((item,), output), key=path_key)
        elif not item.exists() and _GLOB_CHARS.search(str(item)):
            matches = [Path(m) for m in glob.glob(str(item), recursive=True)]
            group = sorted((m for m in matches if m.is_file()), key=path_key) or [item]
        else:
            loose.append(item)
            group = [item]
        for path in group:
            found.setdefault(path.resolve(), path)
    files = list(found.values())
    if looks_globbed(loose) and len(loose) == len(files):
        files.sort(key=path_key)
    return files


# --------------------------------------------------------------------------- joining


def stated_title(story: Story) -> str | None:
    """The title a story's file states, or None when the reader only fell back to the
    file name or ``Untitled``."""
    title = story.metadata.title
    if not title or title == "Untitled" or title == title_from_filename(story.source_name):
        return None
    return title


def _first_stated(metas: Sequence[Metadata], name: str) -> Any:
    """The first non-empty value of one metadata field among several files."""
    for meta in metas:
        value = getattr(meta, name)
        if value:
            return value
    return getattr(metas[0], name)


def _numbered(chapters: Sequence[Chapter], start: int) -> list[Chapter]:
    """A file's chapters with position numbers given to ones that have neither number
    nor title (a file holding one bare chapter is chapter ``start``)."""
    out = []
    for k, chapter in enumerate(chapters):
        if chapter.number is None and not (chapter.title or "").strip():
            chapter = replace(chapter, number=start + k)
        out.append(chapter)
    return out


def _file_preface(story: Story, kept: Metadata) -> tuple[Note, ...]:
    """What a later file says on its own title page that the joined story's does not
    already say (a chapter-specific note or disclaimer), as notes for its first chapter;
    repeats of the work's summary, notes and disclaimer are dropped."""
    meta = story.metadata
    notes: list[Note] = []
    if meta.disclaimer and meta.disclaimer != kept.disclaimer:
        notes.append(Note("disclaimer", meta.disclaimer))
    if meta.notes and meta.notes != kept.notes:
        notes.append(Note("author-note", meta.notes))
    return tuple(notes)


def join_stories(stories: Sequence[Story], folder_name: str | None = None) -> Story:
    """Several files' stories as one story, files in the order given.

    Rules: each metadata field comes from the first file that states it (a title only
    counts when the file states it, else the folder's name when it reads like words,
    else the first file's fallback); every file's chapters follow in order, a bare
    chapter numbered by its position; a later file's title-page notes that differ from
    the work's go before its first chapter, and any file's work end notes but the last
    file's go after its last chapter, so nothing is repeated and nothing is lost.
    """
    if not stories:
        raise Fic2BookError("nothing to join")
    if len(stories) == 1:
        return stories[0]
    metas = [s.metadata for s in stories]
    values = {f.name: _first_stated(metas, f.name) for f in fields(Metadata)}
    title = next((t for s in stories if (t := stated_title(s))), None)
    values["title"] = title or title_from_filename(folder_name) or metas[0].title
    values["end_notes"] = metas[-1].end_notes
    meta = Metadata(**values)
    chapters: list[Chapter] = []
    for i, story in enumerate(stories):
        own = _numbered(story.chapters, len(chapters) + 1)
        if i and (preface := _file_preface(story, meta)):
            own[0] = replace(own[0], notes_before=preface + own[0].notes_before)
        if i < len(stories) - 1 and story.metadata.end_notes:
            end = Note("end-note", story.metadata.end_notes)
            own[-1] = replace(own[-1], notes_after=(*own[-1].notes_after, end))
        chapters.extend(own)
    return Story(metadata=meta, chapters=tuple(chapters), source_name=stories[0].source_name)


# --------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class Entry:
    """One story of a volume: a file, or several files joined, with overrides."""

    paths: tuple[Path, ...]
    """The file, or the files joined in this order."""
    title: str | None = None
    """A title that replaces the file's."""
    authors: tuple[str, ...] = ()
    """Authors that replace the file's."""
    notes: NotesMode | None = None
    """Where this story's notes go (``keep``, ``end``, ``drop``); None: the volume's."""


@dataclass(frozen=True)
class Manifest:
    """An ``anthology.toml``: the volume's metadata and its ordered entries."""

    path: Path
    """The manifest file."""
    title: str | None = None
    """The volume's title."""
    editors: tuple[str, ...] = ()
    """The volume's editors."""
    description: str | None = None
    """The volume's description (else one listing the stories)."""
    language: str | None = None
    """The volume's language tag."""
    theme: str | None = None
    """A theme name, or a theme folder (relative to the manifest)."""
    cover: Path | None = None
    """A cover image (a local file), checked and kept for the cover option."""
    order: Order | None = None
    """The order of the stories (else the order of the entries)."""
    entries: tuple[Entry, ...] = ()
    """The stories, in order."""


def _names(value: Any, where: str) -> tuple[str, ...]:
    """A string or a list of strings as a tuple of names."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Fic2BookError(f"{where}: must be a name or a list of names")
    return tuple(v.strip() for v in value if v.strip())


def _text(table: dict[str, Any], key: str, where: str) -> str | None:
    """An optional string value of a TOML table."""
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise Fic2BookError(f"{where}: {key} must be a string")
    return value


def _choice(value: str | None, choices: Sequence[str], where: str) -> str | None:
    """An optional value that must be one of some choices."""
    if value is not None and value not in choices:
        raise Fic2BookError(f"{where}: must be one of {', '.join(choices)}, not {value!r}")
    return value


def _check_file(path: Path, where: str) -> None:
    """A manifest's file must exist and be readable: an error naming it otherwise."""
    try:
        with path.open("rb"):
            pass
    except FileNotFoundError:
        raise Fic2BookError(f"{where}: {path}: no such file") from None
    except IsADirectoryError:
        raise Fic2BookError(f"{where}: {path}: is a directory, not a story file") from None
    except OSError as exc:
        raise Fic2BookError(f"{where}: {path}: cannot be read ({exc.strerror})") from None


def _entry(table: Any, n: int, base: Path, label: str) -> Entry:
    """One ``[[story]]`` table as an Entry, its paths resolved against the manifest."""
    where = f"{label}: story {n}"
    if isinstance(table, str):
        table = {"path": table}
    if not isinstance(table, dict):
        raise Fic2BookError(f"{where}: must be a table with a path")
    unknown = sorted(set(table) - _ENTRY_KEYS)
    if unknown:
        raise Fic2BookError(f"{where}: unknown key {unknown[0]!r}")
    raw = table.get("path")
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not items or not all(isinstance(p, str) for p in items):
        raise Fic2BookError(f"{where}: path must be a file name or a list of file names")
    paths = tuple(base / p for p in items)
    for path in paths:
        _check_file(path, where)
    notes = _choice(_text(table, "notes", where), NOTES_MODES, f"{where}: notes")
    authors = _names(table["author"], f"{where}: author") if "author" in table else ()
    return Entry(paths, _text(table, "title", where), authors, cast("NotesMode | None", notes))


def _no_repeats(entries: Sequence[Entry], label: str) -> None:
    """No file may be in a volume twice: an error naming the file and both entries."""
    seen: dict[Path, int] = {}
    for n, entry in enumerate(entries, 1):
        for path in entry.paths:
            key = path.resolve()
            if key in seen:
                raise Fic2BookError(
                    f"{label}: story {n}: {path} is already in the volume (story {seen[key]})"
                )
            seen[key] = n


def load_manifest(path: Path) -> Manifest:
    """Read and check an ``anthology.toml``.

    Every problem is one error naming the manifest and the entry: not TOML, an unknown
    key, a wrong type, an entry whose file is missing or unreadable, a file named twice.
    All of it is checked before any story is read or any book is written.
    """
    label = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Fic2BookError(f"{label}: no such manifest") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise Fic2BookError(f"{label}: cannot read the manifest ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise Fic2BookError(f"{label}: not a valid TOML manifest ({exc})") from None
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise Fic2BookError(f"{label}: unknown key {unknown[0]!r}")
    base = path.parent
    stories = data.get("story", [])
    if not isinstance(stories, list):
        raise Fic2BookError(f"{label}: story must be a list of [[story]] tables")
    entries = tuple(_entry(t, n, base, label) for n, t in enumerate(stories, 1))
    _no_repeats(entries, label)
    cover_name = _text(data, "cover", label)
    cover = base / cover_name if cover_name else None
    if cover is not None:
        _check_file(cover, f"{label}: cover")
    theme = _text(data, "theme", label)
    if theme and (base / theme).is_dir():
        theme = str(base / theme)
    order = _choice(_text(data, "order", label), ORDERS, f"{label}: order")
    return Manifest(
        path=path,
        title=_text(data, "title", label),
        editors=_names(data["editor"], f"{label}: editor") if "editor" in data else (),
        description=_text(data, "description", label),
        language=_text(data, "language", label),
        theme=theme,
        cover=cover,
        order=cast("Order | None", order),
        entries=entries,
    )


def read_entry(entry: Entry, parse: Callable[[Path], Story], notes: NotesMode) -> Story:
    """An entry's story: its file read (or its files read and joined), the overrides
    applied, and its notes placed by its own mode or else the volume's."""
    story = join_stories([parse(p) for p in entry.paths])
    meta = story.metadata
    if entry.title:
        meta = replace(meta, title=entry.title)
    if entry.authors:
        meta = replace(meta, authors=entry.authors)
    story = replace(story, metadata=meta)
    mode = entry.notes or notes
    return apply_notes_mode(Book(meta, (story,)), mode).stories[0]


# --------------------------------------------------------------------------- ordering


def _title_key(story: Story) -> tuple[tuple[int, int | str], ...]:
    """A title's sort key: natural order, without case or a leading article."""
    return natural_key(_ARTICLE.sub("", title_of(story.metadata)))


def _author_key(story: Story) -> tuple[Any, ...]:
    """By first author (stories without one last), then by title."""
    authors = authors_of(story.metadata)
    return (not authors, natural_key(authors[0]) if authors else (), _title_key(story))


def _date_key(story: Story) -> tuple[Any, ...]:
    """By published date (ISO dates only; stories without one last, as given)."""
    date = story.metadata.published or ""
    return (0, date[:10]) if _ISO_DAY.match(date) else (1, "")


def _series_key(story: Story) -> tuple[Any, ...]:
    """By series name, then part number (unnumbered parts after numbered ones);
    stories in no series last, as given."""
    meta = story.metadata
    if not meta.series:
        return (1,)
    index = meta.series_index if meta.series_index is not None else float("inf")
    return (0, natural_key(meta.series), index)


_ORDER_KEYS: dict[str, Callable[[Story], Any]] = {
    "title": _title_key,
    "author": _author_key,
    "date": _date_key,
    "series": _series_key,
}


def order_stories(stories: Sequence[Story], order: Order = "given") -> list[Story]:
    """Stories in the asked order; the sort is stable, so ties keep the given order."""
    if order == "given":
        return list(stories)
    return sorted(stories, key=_ORDER_KEYS[order])


# --------------------------------------------------------------------------- titles


def opening_words(story: Story, count: int = _OPENING_WORDS) -> str | None:
    """A story's first words as a title, the way untitled poems are named by their
    first line: the first prose paragraph's first sentence, cut after ``count`` words
    with an ellipsis, quotation marks at its edges removed; None for a story with no
    prose."""
    for chapter in story.chapters:
        for block in chapter.blocks:
            if isinstance(block, Paragraph):
                words = plain_text(block.inlines).split()
                if words:
                    return _cut(words, count)
    return None


def _cut(words: list[str], count: int) -> str:
    """Words up to the end of the first sentence (its full stop dropped, as in a title)
    or ``count`` words, then ``…``."""
    out: list[str] = []
    for word in words[:count]:
        out.append(word)
        if word.rstrip("\"'”’»)").endswith((".", "!", "?")):
            return " ".join(out).strip("\"'“”‘’«» ").rstrip(".")
    text = " ".join(out).strip("\"'“”‘’«» ").rstrip(",;:—–-")
    return text + ("…" if len(words) > len(out) else "")


def name_untitled(stories: Sequence[Story]) -> list[Story]:
    """Stories with distinct, readable titles where they had none (``Untitled``).

    Rule: an untitled story is named by its opening words (longer and longer while
    another story has that title); a story with no prose at all, or whose opening
    words are all taken, gets ``Untitled`` and its author, then the file it came from.
    Stories that have titles keep them.
    """
    taken = {title_of(s.metadata).casefold() for s in stories}
    out: list[Story] = []
    for story in stories:
        if title_of(story.metadata) != "Untitled":
            out.append(story)
            continue
        title = _fresh_title(story, taken)
        taken.add(title.casefold())
        out.append(replace(story, metadata=replace(story.metadata, title=title)))
    return out


def _fresh_title(story: Story, taken: set[str]) -> str:
    """The first of a story's candidate titles no other story has."""
    candidates = [opening_words(story, n) for n in (_OPENING_WORDS, 12, 20)]
    authors = authors_of(story.metadata)
    if authors:
        candidates.append(f"Untitled, by {authors[0]}")
    if story.source_name:
        candidates.append(f"Untitled ({story.source_name})")
    for title in candidates:
        if title and title.casefold() not in taken:
            return title
    n = 2
    while f"untitled {n}" in taken:
        n += 1
    return f"Untitled {n}"


# --------------------------------------------------------------------------- the volume


def one_series(stories: Sequence[Story]) -> str | None:
    """The series every story belongs to, when they all belong to the same one."""
    names = {(s.metadata.series or "").strip().casefold() for s in stories}
    if len(names) == 1 and "" not in names:
        return (stories[0].metadata.series or "").strip()
    return None


def volume_metadata(
    stories: Sequence[Story],
    *,
    title: str | None = None,
    description: str | None = None,
    language: str | None = None,
) -> Metadata:
    """The volume's own metadata: the title given, else the series when every story is
    a part of one, else ``Collected Stories``; the description given (without one, the
    EPUB's description lists the stories: ``labels.contents_description``); the
    language given (else the writers take the stories'). Authors, subjects and
    languages of the stories are gathered by the writers from the stories themselves,
    so they are left empty here."""
    series = one_series(stories)
    text = (description or "").strip()
    return Metadata(
        title=(title or "").strip() or series or DEFAULT_TITLE,
        language=language,
        summary=(Paragraph((Text(text),)),) if text else (),
        series=series,
    )


def make_volume(
    stories: Sequence[Story],
    *,
    title: str | None = None,
    editors: Sequence[str] = (),
    description: str | None = None,
    language: str | None = None,
    order: Order = "given",
    gathered: Sequence[bool] = (),
) -> Book:
    """The anthology: stories in order, untitled ones named, the volume's metadata, and
    the end notes of the stories ``gathered`` marks (``--notes end``, one flag per
    story as given) moved to the volume's end matter."""
    if not stories:
        raise Fic2BookError("an anthology needs at least one story")
    flags = {id(s): flag for s, flag in zip(stories, gathered, strict=False)}
    ordered = order_stories(stories, order)
    marks = [flags.get(id(s), False) for s in ordered]
    named, end_matter = gather_end_notes(name_untitled(ordered), marks)
    meta = volume_metadata(named, title=title, description=description, language=language)
    meta = replace(meta, end_notes=end_matter)
    return Book(metadata=meta, stories=tuple(named), editors=tuple(editors))


def gather_end_notes(
    stories: Sequence[Story], marks: Sequence[bool]
) -> tuple[list[Story], tuple[Block, ...]]:
    """The marked stories' end notes taken from them and filed, in order, under each
    story's title (its own headings one level down), as the volume's end matter."""
    out: list[Story] = []
    gathered: list[Block] = []
    for story, mark in zip(stories, marks, strict=True):
        notes = story.metadata.end_notes
        if mark and notes:
            gathered.append(Heading(1, (Text(title_of(story.metadata)),)))
            gathered.extend(
                replace(b, level=b.level + 1) if isinstance(b, Heading) else b for b in notes
            )
            story = replace(story, metadata=replace(story.metadata, end_notes=()))
        out.append(story)
    return out, tuple(gathered)


def _demoted(block: Block) -> Block:
    """A heading one level down (under the story's title); any other block as it is."""
    return replace(block, level=min(block.level + 1, 6)) if isinstance(block, Heading) else block


# --------------------------------------------------------------------------- outputs


def output_plan(
    output: Path | None, formats: Sequence[str], meta: Metadata, folder: Path = Path("out")
) -> list[tuple[str, Path]]:
    """Which format goes to which file: ``--format`` names the formats (each written
    beside ``-o`` with its own suffix); without it the suffix of ``-o`` is the format;
    without ``-o`` the volume is an EPUB in ``out/`` named from its title. A suffix that
    names no format is an error."""
    from fic2book.names import DEFAULT_TEMPLATE, render_name
    from fic2book.writers import get_writer, writer_names

    suffixes = {get_writer(name).suffix: name for name in writer_names()}
    if not formats:
        if output is None:
            formats = ("epub",)
        elif output.suffix.lower() in suffixes:
            formats = (suffixes[output.suffix.lower()],)
        else:
            known = ", ".join(sorted(suffixes))
            raise Fic2BookError(
                f"{output}: cannot tell the format from the suffix (use {known}, or --format)"
            )
    base = output if output is not None else folder / render_name(DEFAULT_TEMPLATE, meta, "")[-1]
    plan: list[tuple[str, Path]] = []
    for name in dict.fromkeys(formats):
        suffix = get_writer(name).suffix
        target = base if base.suffix.lower() == suffix else base.with_suffix(suffix)
        if output is not None and output.suffix.lower() not in suffixes:
            target = Path(f"{base}{suffix}")
        plan.append((name, target))
    return plan


def compile_volume(
    inputs: Sequence[Path],
    manifest_path: Path | None,
    output: Path | None,
    formats: Sequence[str],
    notes: NotesMode,
    opts: dict[str, Any],
) -> tuple[Book, list[tuple[str, Path]], str | None]:
    """What ``fic2book anthology`` makes, before anything is written: the volume (the
    manifest's stories, then the inputs'), where each format goes, and the manifest's
    theme. Options on the command line win over the manifest's. Every story is read
    here, so a file that cannot be read stops the run before any output exists; so does
    a file named twice, or an output that would replace an input."""
    from fic2book.api import parse

    manifest = load_manifest(manifest_path) if manifest_path is not None else None
    entries = list(manifest.entries) if manifest else []
    entries += [Entry((f,)) for f in gather_inputs(inputs, output.parent if output else None)]
    if not entries:
        raise Fic2BookError("no stories: give story files, folders or a --manifest")
    _no_repeats(entries, str(manifest_path) if manifest_path else "inputs")

    def read(path: Path) -> Story:
        """One file read with the command's reading options."""
        return parse(path, smart=not opts.get("no_smart"), dialect=opts.get("dialect"))

    stories = [read_entry(entry, read, notes) for entry in entries]
    book = make_volume(
        stories,
        gathered=[(entry.notes or notes) == "end" for entry in entries],
        title=opts.get("title") or (manifest.title if manifest else None),
        editors=opts.get("editors") or (manifest.editors if manifest else ()),
        description=opts.get("description") or (manifest.description if manifest else None),
        language=opts.get("lang") or (manifest.language if manifest else None),
        order=opts.get("order") or (manifest.order if manifest else None) or "given",
    )
    plan = output_plan(output, formats, book.metadata)
    sources = {p.resolve() for e in entries for p in e.paths}
    for _, target in plan:
        if target.resolve() in sources:
            raise Fic2BookError(f"{target}: the volume would replace one of its stories")
    return book, plan, manifest.theme if manifest else None

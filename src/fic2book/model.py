"""The chapter tree: an immutable model of a story and of a book of stories.

Everything here is a frozen dataclass holding tuples, so a tree, once built, cannot
change under a writer's feet. The module does no I/O and imports nothing else from the
package; readers build these values, transforms return new ones, writers only read them.

The walker at the end (pandoc's ``Text.Pandoc.Walk``: ``walk`` maps, ``query`` and the
``iter_*`` functions read) is driven by one table, ``CHILDREN``, of each class's fields
holding nodes or text; the transforms and queries over the tree go through it rather
than traversing by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Literal, TypeVar, get_args

# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    """A run of plain text."""

    text: str
    """The characters, exactly as they will be shown (never markup)."""


@dataclass(frozen=True)
class Emph:
    """Emphasis, usually shown in italics."""

    children: tuple[Inline, ...]
    """The emphasised inlines."""


@dataclass(frozen=True)
class Strong:
    """Strong importance, usually shown in bold."""

    children: tuple[Inline, ...]
    """The strong inlines."""


@dataclass(frozen=True)
class Strike:
    """Struck-through text."""

    children: tuple[Inline, ...]
    """The struck inlines."""


@dataclass(frozen=True)
class Underline:
    """Underlined text."""

    children: tuple[Inline, ...]
    """The underlined inlines."""


@dataclass(frozen=True)
class LineBreak:
    """A forced line break inside a paragraph or verse line."""


@dataclass(frozen=True)
class Link:
    """A hyperlink kept from a saved page (only http, https and mailto targets)."""

    children: tuple[Inline, ...]
    """The link text."""
    href: str
    """The target address."""


@dataclass(frozen=True)
class Span:
    """The escape hatch: inlines carrying classes the writers may style."""

    children: tuple[Inline, ...]
    """The inlines inside the span."""
    classes: tuple[str, ...] = ()
    """Class names, such as ``smallcaps`` or ``sc``."""


ImageRole = Literal["illustration", "cover", "divider"]


@dataclass(frozen=True)
class Picture:
    """An image ready for a book: decoded and re-encoded (``images.py``), never a file
    copied as it came. Equal bytes give an equal key, so a book names it the same way
    every time."""

    key: str
    """The file name in a book (``<hash>.png``), derived from the bytes."""
    media_type: str
    """``image/png`` or ``image/jpeg``."""
    data: bytes = field(repr=False)
    """The encoded image."""
    width: int
    """Its width in pixels."""
    height: int
    """Its height in pixels."""


@dataclass(frozen=True)
class InlineImage:
    """A picture inside a line of text, as the page placed it."""

    src: str
    """The source as the page wrote it (a relative path, for reference)."""
    alt: str = ""
    """The text alternative (``Illustration`` once resolved, when the page gave none)."""
    role: ImageRole = "illustration"
    """What the page marks it as: an illustration, the work's cover, a scene divider."""
    picture: Picture | None = None
    """The image itself once resolved; writers show only images that have one."""


Inline = Text | Emph | Strong | Strike | Underline | LineBreak | Link | Span | InlineImage

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose."""

    inlines: tuple[Inline, ...]
    """The paragraph's content."""
    align: Literal["left", "center", "right"] | None = None
    """An alignment the source asked for explicitly, or None for the default."""


@dataclass(frozen=True)
class SceneBreak:
    """An explicit scene break: the author put a marker between two scenes."""

    marker: str = ""
    """The marker as written in the source (``* * *``, ``xXx``, ``<hr>``...), for reference."""


@dataclass(frozen=True)
class Gap:
    """Ambiguous extra space between paragraphs: shown as space, never as an ornament."""


VerseRole = Literal["verse", "epigraph", "record"]


@dataclass(frozen=True)
class Verse:
    """A group of lines whose line breaks matter: lyrics, a poem, a letter, a record card."""

    lines: tuple[tuple[Inline, ...], ...]
    """One tuple of inlines per line."""
    role: VerseRole = "verse"
    """``epigraph`` before the story's first prose, ``record`` for ``Label: value`` cards."""


@dataclass(frozen=True)
class BlockQuote:
    """A quoted passage set off from the surrounding text."""

    blocks: tuple[Block, ...]
    """The quoted blocks."""


@dataclass(frozen=True)
class Heading:
    """A heading inside a chapter's text (not the chapter's own title)."""

    level: int
    """1 to 6, relative to the chapter heading."""
    inlines: tuple[Inline, ...]
    """The heading's content."""


NoteRole = Literal["author-note", "summary", "disclaimer", "end-note"]


@dataclass(frozen=True)
class Note:
    """Words from the author to the reader, kept apart from the story text."""

    role: NoteRole
    """What kind of note this is."""
    blocks: tuple[Block, ...]
    """The note's content."""


@dataclass(frozen=True)
class Image:
    """A picture standing on its own between blocks, with an optional caption."""

    src: str
    """The source as the page wrote it (a relative path, for reference)."""
    alt: str = ""
    """The text alternative (``Illustration`` once resolved, when the page gave none)."""
    caption: tuple[Inline, ...] = ()
    """A caption shown under the picture, if the page gave one."""
    role: ImageRole = "illustration"
    """What the page marks it as: an illustration, the work's cover, a scene divider."""
    picture: Picture | None = None
    """The image itself once resolved; writers show only images that have one."""


Block = Paragraph | SceneBreak | Gap | Verse | BlockQuote | Heading | Note | Image

# --------------------------------------------------------------------------- structure


@dataclass(frozen=True)
class Chapter:
    """One chapter of a story."""

    number: int | None
    """The chapter's number as the source gave it (None for a prologue, epilogue, or none)."""
    title: str | None = None
    """The chapter's own title without any ``Chapter N`` prefix, or None."""
    summary: tuple[Block, ...] = ()
    """The chapter summary, if the source labelled one."""
    notes_before: tuple[Note, ...] = ()
    """Author's notes shown before the chapter text."""
    blocks: tuple[Block, ...] = ()
    """The chapter text."""
    notes_after: tuple[Note, ...] = ()
    """Author's notes shown after the chapter text (the chapter's end notes)."""


@dataclass(frozen=True)
class Metadata:
    """What the source says about a work. Word and chapter counts are derived, not stored."""

    title: str | None = None
    """The work's title, or None when the source has none."""
    authors: tuple[str, ...] = ()
    """Author names in the order given."""
    fandoms: tuple[str, ...] = ()
    """Fandoms (the canon the work is based on)."""
    rating: str | None = None
    """The rating as the source wrote it (``T``, ``Teen And Up Audiences``...)."""
    warnings: tuple[str, ...] = ()
    """Archive warnings or content warnings."""
    categories: tuple[str, ...] = ()
    """AO3 categories (``F/M``, ``Gen``...)."""
    relationships: tuple[str, ...] = ()
    """Relationships or pairings."""
    characters: tuple[str, ...] = ()
    """Characters."""
    tags: tuple[str, ...] = ()
    """Additional freeform tags and genres."""
    language: str | None = None
    """The work's language as a BCP 47 tag (``en``), or None when unknown."""
    language_source: str | None = None
    """Where the language came from: ``label``, ``markup`` (HTML ``lang``), ``front matter``,
    ``detected`` (from the story text) or ``option`` (the user's ``--lang``)."""
    language_confidence: float | None = None
    """The detector's confidence (0-1) when the language was detected, else None."""
    summary: tuple[Block, ...] = ()
    """The work's summary."""
    notes: tuple[Block, ...] = ()
    """Work notes shown on the title page."""
    end_notes: tuple[Block, ...] = ()
    """Work end notes shown after the last chapter."""
    disclaimer: tuple[Block, ...] = ()
    """The disclaimer (``I don't own...``)."""
    series: str | None = None
    """The series the work belongs to."""
    series_index: int | None = None
    """The work's position in its series."""
    status: str | None = None
    """``Complete``, ``In Progress``... as the source said it."""
    published: str | None = None
    """Publication date, ISO 8601 when it could be read as a date, else as written."""
    updated: str | None = None
    """Last update date, ISO 8601 when it could be read as a date, else as written."""
    completed: str | None = None
    """Completion date, ISO 8601 when it could be read as a date, else as written."""
    source_url: str | None = None
    """Where the work was published."""
    extra: tuple[tuple[str, str], ...] = ()
    """Any other labelled field, in source order, as (label, value) pairs."""
    cover: Picture | None = None
    """The work's own cover art (the page's, or the reader's ``--cover``), or None."""


@dataclass(frozen=True)
class Story:
    """One work: its metadata and its chapters."""

    metadata: Metadata
    """What the source says about the work."""
    chapters: tuple[Chapter, ...]
    """The chapters in reading order (at least one)."""
    source_name: str | None = None
    """The file name the story was read from, for messages only."""


@dataclass(frozen=True)
class Book:
    """What writers render: one story, or many compiled into an anthology."""

    metadata: Metadata
    """The book's own metadata (for a single story, the story's)."""
    stories: tuple[Story, ...] = field(default_factory=tuple)
    """The stories in the book, in order."""
    editors: tuple[str, ...] = ()
    """Who compiled the book (an anthology's editors); the stories' authors are its
    contributors."""


# --------------------------------------------------------------------------- the children table

Node = Inline | Block | Picture | Chapter | Metadata | Story | Book
"""Any value of the tree a walk can visit."""

InlineRun = tuple[Inline, ...]
"""One paragraph's, heading's or verse line's inlines, or a picture's caption: the unit
typography works on."""

FieldKind = Literal[
    "inlines",
    "run",
    "runs",
    "blocks",
    "notes",
    "metadata",
    "chapters",
    "stories",
    "picture",
    "text",
    "texts",
    "pairs",
]
"""What one field of a node holds:

- ``inlines``: an inline's children (a tuple of inlines inside a run);
- ``run``: an inline run (a paragraph's or heading's inlines, a picture's caption);
- ``runs``: a tuple of inline runs (a verse's lines);
- ``blocks``: a tuple of blocks; ``notes``: a tuple of ``Note`` blocks (they stay notes);
- ``metadata``: one ``Metadata``; ``chapters``, ``stories``: a tuple of those;
- ``picture``: a ``Picture`` or None (a value holding only text fields);
- ``text``: a string (a ``Literal`` one too) or None; ``texts``: a tuple of strings;
  ``pairs``: a tuple of (string, string) pairs (``Metadata.extra``).
"""

_EMPTY: tuple[tuple[str, FieldKind], ...] = ()

CHILDREN: dict[type, tuple[tuple[str, FieldKind], ...]] = {
    Text: (("text", "text"),),
    Emph: (("children", "inlines"),),
    Strong: (("children", "inlines"),),
    Strike: (("children", "inlines"),),
    Underline: (("children", "inlines"),),
    LineBreak: _EMPTY,
    Link: (("children", "inlines"), ("href", "text")),
    Span: (("children", "inlines"), ("classes", "texts")),
    InlineImage: (("src", "text"), ("alt", "text"), ("role", "text"), ("picture", "picture")),
    Picture: (("key", "text"), ("media_type", "text")),
    Paragraph: (("inlines", "run"), ("align", "text")),
    SceneBreak: (("marker", "text"),),
    Gap: _EMPTY,
    Verse: (("lines", "runs"), ("role", "text")),
    BlockQuote: (("blocks", "blocks"),),
    Heading: (("inlines", "run"),),
    Note: (("role", "text"), ("blocks", "blocks")),
    Image: (
        ("src", "text"),
        ("alt", "text"),
        ("caption", "run"),
        ("role", "text"),
        ("picture", "picture"),
    ),
    Chapter: (
        ("title", "text"),
        ("summary", "blocks"),
        ("notes_before", "notes"),
        ("blocks", "blocks"),
        ("notes_after", "notes"),
    ),
    Metadata: (
        ("title", "text"),
        ("authors", "texts"),
        ("fandoms", "texts"),
        ("rating", "text"),
        ("warnings", "texts"),
        ("categories", "texts"),
        ("relationships", "texts"),
        ("characters", "texts"),
        ("tags", "texts"),
        ("language", "text"),
        ("language_source", "text"),
        ("summary", "blocks"),
        ("notes", "blocks"),
        ("end_notes", "blocks"),
        ("disclaimer", "blocks"),
        ("series", "text"),
        ("status", "text"),
        ("published", "text"),
        ("updated", "text"),
        ("completed", "text"),
        ("source_url", "text"),
        ("extra", "pairs"),
        ("cover", "picture"),
    ),
    Story: (("metadata", "metadata"), ("chapters", "chapters"), ("source_name", "text")),
    Book: (("metadata", "metadata"), ("stories", "stories"), ("editors", "texts")),
}
"""The one table every walk, map and query is driven by: for each class of the tree, in
the class's field order (so in reading order), each field holding nodes or text and
what it holds (``FieldKind``). Fields holding numbers or bytes are not listed. A new
node type is its class, its place in a union and its row here; ``tests/test_walker.py``
fails when a class or a field is missing."""

INLINE_TYPES: tuple[type, ...] = get_args(Inline)
"""Every inline class."""
BLOCK_TYPES: tuple[type, ...] = get_args(Block)
"""Every block class."""
INLINE_CONTAINERS: frozenset[type] = frozenset(
    cls for cls in INLINE_TYPES if any(kind == "inlines" for _, kind in CHILDREN[cls])
)
"""The inline classes that hold other inlines (emphasis, links, spans...)."""

_NODE_KINDS: frozenset[str] = frozenset(
    {"inlines", "run", "runs", "blocks", "notes", "metadata", "chapters", "stories"}
)
"""Fields holding nodes (as opposed to text and pictures)."""
_BLOCK_KINDS: frozenset[str] = frozenset({"blocks", "notes", "metadata", "chapters", "stories"})
"""Fields through which blocks are reached."""
_RUN_KINDS: frozenset[str] = frozenset({"run", "runs"})
"""Fields holding a block's own inline runs."""
_RUN_BLOCK_KINDS: frozenset[str] = _RUN_KINDS | _BLOCK_KINDS
"""Fields through which runs are reached."""
_ALL_KINDS: frozenset[str] = frozenset(get_args(FieldKind))

Plan = dict[type, tuple[tuple[str, FieldKind], ...]]


def _plan(kinds: frozenset[str]) -> Plan:
    """The table cut down to the fields of some kinds (what one walk must visit)."""
    return {cls: tuple((n, k) for n, k in spec if k in kinds) for cls, spec in CHILDREN.items()}


Steps = dict[type, "str | tuple[tuple[str, FieldKind], ...] | None"]


def _steps(plan: Plan) -> Steps:
    """How a query goes down from each class: None for a leaf, a field's name when the
    child nodes are one tuple field, else the fields and their kinds (``_children``)."""
    steps: Steps = {}
    for cls, spec in plan.items():
        if not spec:
            steps[cls] = None
        elif len(spec) == 1 and spec[0][1] not in ("runs", "metadata"):
            steps[cls] = spec[0][0]
        else:
            steps[cls] = spec
    return steps


_OWN_RUNS = _plan(_RUN_KINDS)
_NODE_STEPS = _steps(_plan(_NODE_KINDS))
_BLOCK_STEPS = _steps(_plan(_BLOCK_KINDS))
_INLINE_SET = frozenset(INLINE_TYPES)
_BLOCK_SET = frozenset(BLOCK_TYPES)
_NODE_SET = frozenset(CHILDREN) - {Picture}

# --------------------------------------------------------------------------- maps

InlineMap = Callable[[Inline], Inline | tuple[Inline, ...]]
"""A function on one inline: its replacement, or a tuple of inlines spliced in its place
(an empty tuple leaves it out)."""
BlockMap = Callable[[Block], Block | tuple[Block, ...]]
"""A function on one block: its replacement, or a tuple of blocks spliced in its place
(an empty tuple leaves it out)."""
RunMap = Callable[[InlineRun], InlineRun]
"""A function on one inline run."""
TextMap = Callable[[str], str]
"""A function on one string."""

N = TypeVar("N", bound=Node)


class _Map:
    """One map: its functions, and for each class the fields that can lead to one of
    them, each with the function that maps that field's value."""

    __slots__ = ("block", "deep", "inline", "plan", "run", "text")

    def __init__(
        self,
        inline: InlineMap | None = None,
        run: RunMap | None = None,
        block: BlockMap | None = None,
        text: TextMap | None = None,
        kinds: frozenset[str] | None = None,
    ) -> None:
        self.inline = inline
        self.run = run
        self.block = block
        self.text = text
        if kinds is None:  # the fields that can lead to one of the functions
            if text is not None:
                kinds = _ALL_KINDS
            elif inline is not None:
                kinds = _NODE_KINDS
            else:
                kinds = _BLOCK_KINDS if run is None else _RUN_BLOCK_KINDS
        self.deep = "inlines" in kinds
        """Whether runs are walked inside (an inline or text function)."""
        self.plan = _PLANS.get(kinds) or _plans(kinds)


_PLANS: dict[frozenset[str], dict[type, tuple[tuple[str, Any], ...]]] = {}


def _plans(kinds: frozenset[str]) -> dict[type, tuple[tuple[str, Any], ...]]:
    """For each class, its fields of some kinds with the function mapping each, made
    once per set of kinds."""
    found = _PLANS.get(kinds)
    if found is None:
        found = _PLANS[kinds] = {
            cls: tuple((name, _HANDLERS[kind]) for name, kind in spec)
            for cls, spec in _plan(kinds).items()
        }
    return found


def _map_node(node: Any, m: _Map) -> Any:
    """A node with each field of its plan mapped; the node itself when none changed."""
    changes: dict[str, Any] | None = None
    for name, handler in m.plan[type(node)]:
        old = getattr(node, name)
        new = handler(old, m)
        if new is not old:
            if changes is None:
                changes = {name: new}
            else:
                changes[name] = new
    return node if changes is None else _rebuilt(node, changes)


def _rebuilt(node: Any, changes: dict[str, Any]) -> Any:
    """A copy of a node with some fields changed, made by filling a new object's
    ``__dict__``: what the dataclass ``__init__`` does, at half the cost of
    ``dataclasses.replace``, which a walk over a novel feels. Sound because the
    model's classes are frozen dataclasses without slots, ``__post_init__`` or
    ``InitVar`` (``tests/test_walker.py`` checks)."""
    new = object.__new__(type(node))
    new.__dict__.update(node.__dict__, **changes)
    return new


def _map_seq(items: tuple[Any, ...], m: _Map, f: Callable[[Any], Any] | None) -> Any:
    """A tuple of nodes, each rebuilt bottom-up then given to ``f`` (a tuple result is
    spliced in); the same tuple when nothing changed."""
    plan = m.plan
    out: list[Any] = []
    changed = False
    for item in items:
        new = _map_node(item, m) if plan[type(item)] else item
        if f is not None:
            new = f(new)
        if type(new) is tuple:
            out.extend(new)
            changed = True
        else:
            out.append(new)
            changed = changed or new is not item
    return tuple(out) if changed else items


def _map_inlines(items: tuple[Any, ...], m: _Map) -> Any:
    """An inline's children mapped."""
    return _map_seq(items, m, m.inline)


def _map_run(items: tuple[Any, ...], m: _Map) -> Any:
    """An inline run: its inlines mapped (when the map goes that deep), then the run."""
    new = _map_seq(items, m, m.inline) if m.deep else items
    return new if m.run is None else m.run(new)


def _map_runs(lines: tuple[Any, ...], m: _Map) -> Any:
    """A tuple of runs, each mapped as a run."""
    new = tuple(_map_run(line, m) for line in lines)
    return lines if all(a is b for a, b in zip(new, lines, strict=True)) else new


def _map_blocks(items: tuple[Any, ...], m: _Map) -> Any:
    """A tuple of blocks mapped."""
    return _map_seq(items, m, m.block)


def _map_notes(items: tuple[Any, ...], m: _Map) -> Any:
    """A tuple of notes mapped; what takes their place must be notes too."""
    new = _map_seq(items, m, m.block)
    if new is not items and any(type(n) is not Note for n in new):
        raise TypeError("a block map put something other than a Note among a chapter's notes")
    return new


def _map_each(items: tuple[Any, ...], m: _Map) -> Any:
    """A tuple of chapters or stories, each mapped inside."""
    new = tuple(_map_node(item, m) for item in items)
    return items if all(a is b for a, b in zip(new, items, strict=True)) else new


def _map_optional(node: Any, m: _Map) -> Any:
    """One node (metadata, a picture) mapped inside, None staying None."""
    return node if node is None else _map_node(node, m)


def _map_text(value: str | None, m: _Map) -> Any:
    """One string mapped, None staying None."""
    return value if value is None or m.text is None else m.text(value)


def _map_texts(items: tuple[str, ...], m: _Map) -> Any:
    """A tuple of strings mapped."""
    f = m.text
    assert f is not None
    new = tuple(f(s) for s in items)
    return items if all(a is b for a, b in zip(new, items, strict=True)) else new


def _map_pairs(items: tuple[tuple[str, str], ...], m: _Map) -> Any:
    """A tuple of string pairs mapped."""
    new = tuple(_map_texts(pair, m) for pair in items)
    return items if all(a is b for a, b in zip(new, items, strict=True)) else new


_HANDLERS: dict[str, Callable[[Any, _Map], Any]] = {
    "inlines": _map_inlines,
    "run": _map_run,
    "runs": _map_runs,
    "blocks": _map_blocks,
    "notes": _map_notes,
    "metadata": _map_optional,
    "chapters": _map_each,
    "stories": _map_each,
    "picture": _map_optional,
    "text": _map_text,
    "texts": _map_texts,
    "pairs": _map_pairs,
}
"""How a field of each kind is mapped."""


def walk(
    value: N,
    *,
    inline: InlineMap | None = None,
    run: RunMap | None = None,
    block: BlockMap | None = None,
    text: TextMap | None = None,
) -> N:
    """Everything inside a node (a Book, a Story, a chapter, a block, an inline) rebuilt
    bottom-up, pandoc's ``walk``: each inline after its children goes through
    ``inline``, each run after its inlines through ``run``, each block after everything
    inside it through ``block`` (quotes and notes included), and every string of every
    field through ``text``. The node itself is not given to the functions. Parts that
    did not change are the same objects, so an unchanged tree is the value itself."""
    result: N = _map_node(value, _Map(inline, run, block, text))
    return result


def map_inlines(inlines: InlineRun, f: InlineMap) -> InlineRun:
    """Every inline rebuilt bottom-up: children first, then ``f`` on the node itself
    (pandoc's ``walk`` over inlines); ``f`` may return a tuple to splice in."""
    result: InlineRun = _map_seq(inlines, _Map(inline=f), f)
    return result


def map_blocks(blocks: tuple[Block, ...], f: BlockMap) -> tuple[Block, ...]:
    """Every block rebuilt bottom-up: the blocks inside quotes and notes first, then
    ``f`` on the block itself; ``f`` may return a tuple to splice in (or leave out)."""
    result: tuple[Block, ...] = _map_seq(blocks, _Map(block=f), f)
    return result


def map_runs(block: Block, f: RunMap) -> Block:
    """A block with ``f`` applied to each of its inline runs (a paragraph's or
    heading's inlines, each verse line, a caption), inside quotes and notes too."""
    return walk(block, run=f)


def map_block_runs(block: Block, f: RunMap) -> Block:
    """A block with ``f`` applied to its own inline runs only, not to those of the
    blocks inside it (for a block map that has already walked those)."""
    result: Block = _map_node(block, _Map(run=f, kinds=_RUN_KINDS))
    return result


def map_story_runs(story: Story, f: RunMap) -> Story:
    """The whole story with ``f`` applied to every inline run: the metadata's summary,
    notes, end notes and disclaimer, and each chapter's summary, notes and text."""
    return walk(story, run=f)


# --------------------------------------------------------------------------- queries


def _roots(value: Node | Iterable[Node]) -> Iterable[Any]:
    """A node as a one-node sequence; a sequence of nodes as it is."""
    return (value,) if type(value) in CHILDREN else value  # type: ignore[return-value]


def _children(node: Any, spec: tuple[tuple[str, FieldKind], ...]) -> Iterator[Any]:
    """The child nodes in some fields of a node, in field order (a verse's lines
    flattened into their inlines)."""
    parts: list[Iterable[Any]] = []
    for name, kind in spec:
        value = getattr(node, name)
        if kind == "runs":
            parts.append(chain.from_iterable(value))
        else:
            parts.append((value,) if kind == "metadata" else value)
    return chain.from_iterable(parts)


Route = dict[type, "tuple[bool, str | tuple[tuple[str, FieldKind], ...] | None] | None"]
"""A query compiled for speed: for each class, None to pass its nodes by (a leaf not
wanted, or a type skipped), else whether to yield its nodes and how to go down
(``Steps``)."""

_ROUTES: dict[tuple[str, frozenset[type], frozenset[type]], Route] = {}


def _route(plan: str, want: frozenset[type], skip: frozenset[type]) -> Route:
    """A query's route over the ``node`` or ``block`` plan (made once per query)."""
    key = (plan, want, skip)
    found = _ROUTES.get(key)
    if found is None:
        steps = _NODE_STEPS if plan == "node" else _BLOCK_STEPS
        found = {}
        for cls, step in steps.items():
            wanted = cls in want
            skipped = cls in skip or (step is None and not wanted)
            found[cls] = None if skipped else (wanted, step)
        if len(_ROUTES) < 256:
            _ROUTES[key] = found
    return found


def iter_nodes(
    value: Node | Iterable[Node], types: Iterable[type] | None = None
) -> Iterator[tuple[Node, int]]:
    """Every node (inlines, blocks, chapters, metadata, stories) of a node or a sequence
    of nodes, or only those of some ``types``, each with its depth (the given ones at
    0), parents before their children, in reading order. No recursion: a tree of any
    depth is walked, and a caller may stop at the first node too deep."""
    want = _NODE_SET if types is None else frozenset(types)
    route = _route("node", want, _NO_TYPES)
    stack: list[Iterator[Any]] = [iter(_roots(value))]
    while stack:
        for node in stack[-1]:
            way = route[type(node)]
            if way is None:
                continue
            wanted, step = way
            if wanted:
                yield node, len(stack) - 1
            if step is not None:
                if isinstance(step, str):
                    stack.append(iter(getattr(node, step)))
                else:
                    stack.append(_children(node, step))
                break
        else:
            stack.pop()


def _select(value: Node | Iterable[Node], route: Route) -> Iterator[Any]:
    """The nodes a route wants, parents before their children, in reading order."""
    stack: list[Iterator[Any]] = [iter(_roots(value))]
    while stack:
        for node in stack[-1]:
            way = route[type(node)]
            if way is None:
                continue
            wanted, step = way
            if wanted:
                yield node
            if step is not None:
                if isinstance(step, str):
                    stack.append(iter(getattr(node, step)))
                else:
                    stack.append(_children(node, step))
                break
        else:
            stack.pop()


_NO_TYPES: frozenset[type] = frozenset()


def iter_inlines(value: Node | Iterable[Node]) -> Iterator[Inline]:
    """Every inline of a node or some nodes (inlines, or blocks and anything holding
    them), parents before their children, in reading order."""
    return _select(value, _INLINE_ROUTE)


def iter_blocks(value: Node | Iterable[Node], skip: Iterable[type] = ()) -> Iterator[Block]:
    """Every block of a node or some nodes, quotes and notes before the blocks inside
    them, in reading order (a story's metadata, then each chapter's summary, notes
    before, text and notes after). Blocks of a type in ``skip`` are left out with
    everything inside them."""
    if not skip:
        return _select(value, _BLOCK_ROUTE)
    return _select(value, _route("block", _BLOCK_SET, frozenset(skip)))


def query(value: Node | Iterable[Node], types: Iterable[type], f: Callable[[Any], object]) -> None:
    """``f`` on each node of some types in a node or some nodes, in reading order,
    parents before their children (pandoc's ``query``): a plain fold, cheaper than a
    generator when the nodes sought are few, or for a check made on every paragraph."""
    want = types if type(types) is frozenset else frozenset(types)
    route = _ROUTES.get(("node", want, _NO_TYPES)) or _route("node", want, _NO_TYPES)
    _query(value if type(value) is tuple else _roots(value), route, f)


def _query(nodes: Iterable[Any], route: Route, f: Callable[[Any], object]) -> None:
    """``f`` on each of some nodes, and of the nodes inside them, that a route wants."""
    for node in nodes:
        way = route[type(node)]
        if way is None:
            continue
        wanted, step = way
        if wanted:
            f(node)
        if step is not None:
            inside = getattr(node, step) if isinstance(step, str) else _children(node, step)
            _query(inside, route, f)


def count_nodes(value: Node | Iterable[Node], types: Iterable[type]) -> int:
    """How many nodes of some types a node or some nodes hold, at any depth."""
    found: list[object] = []
    query(value, types, found.append)
    return len(found)


def block_runs(block: Block) -> Iterator[InlineRun]:
    """A block's own inline runs (not those of the blocks inside it)."""
    for name, kind in _OWN_RUNS[type(block)]:
        value = getattr(block, name)
        if kind == "runs":
            yield from value
        else:
            yield value


def iter_runs(value: Node | Iterable[Node]) -> Iterator[InlineRun]:
    """Every inline run of a node or some nodes, in reading order, inside quotes and
    notes (a picture's caption is one)."""
    own = _OWN_RUNS
    for block in iter_blocks(value):
        for name, kind in own[type(block)]:
            runs = getattr(block, name)
            if kind == "runs":
                yield from runs
            else:
                yield runs


_INLINE_ROUTE = _route("node", _INLINE_SET, _NO_TYPES)
_BLOCK_ROUTE = _route("block", _BLOCK_SET, _NO_TYPES)


def inline_text(inlines: Iterable[Inline]) -> str:
    """The plain text of some inlines: Text as written, a line break as a newline."""
    parts: list[str] = []
    for node in iter_inlines(inlines):
        if type(node) is Text:
            parts.append(node.text)
        elif type(node) is LineBreak:
            parts.append("\n")
    return "".join(parts)

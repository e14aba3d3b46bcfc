"""The model's walker: its children table covers every class and field, and the maps and
queries built on it reach every place in reading order (``model.py``)."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, get_args, get_origin, get_type_hints

import pytest

from fic2book import model
from fic2book.book import xml_safe
from fic2book.limits import LimitError, check_story
from fic2book.model import (
    BLOCK_TYPES,
    CHILDREN,
    INLINE_TYPES,
    Block,
    BlockQuote,
    Book,
    Chapter,
    Emph,
    Heading,
    Image,
    Inline,
    InlineImage,
    LineBreak,
    Link,
    Metadata,
    Note,
    Paragraph,
    Picture,
    SceneBreak,
    Span,
    Story,
    Strong,
    Text,
    Verse,
    block_runs,
    count_nodes,
    inline_text,
    iter_blocks,
    iter_inlines,
    iter_nodes,
    iter_runs,
    map_block_runs,
    map_blocks,
    map_inlines,
    map_runs,
    map_story_runs,
    query,
    walk,
)

# --------------------------------------------------------------------------- the table

_NODE_CLASSES = {cls.__name__: cls for cls in CHILDREN}


def _kinds_for(hint: Any) -> set[str]:
    """The table kinds a field of this type may be listed as; empty for a field no walk
    has anything to do with (numbers, flags, bytes)."""
    args = [a for a in get_args(hint) if a is not type(None)]
    if isinstance(hint, types.UnionType) or get_origin(hint) is typing.Union:
        if len(args) == 1:
            return _kinds_for(args[0])
        if all(a in INLINE_TYPES for a in args):
            return {"inline"}
        if all(a in BLOCK_TYPES for a in args):
            return {"block"}
        return {"text"} if all(_kinds_for(a) == {"text"} for a in args) else {"?"}
    if hint is str or get_origin(hint) is Literal:
        return {"text"}
    if hint is Picture:
        return {"picture"}
    if hint is Metadata:
        return {"metadata"}
    if get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = args[0]
        if hint == tuple[Inline, ...]:
            return {"inlines", "run"}
        if hint == tuple[tuple[Inline, ...], ...]:
            return {"runs"}
        if hint == tuple[tuple[str, str], ...]:
            return {"pairs"}
        inner = {"block": "blocks", "text": "texts"}
        kind = next(iter(_kinds_for(item)), "")
        named = {Note: "notes", Chapter: "chapters", Story: "stories"}
        return {named[item]} if item in named else ({inner[kind]} if kind in inner else {"?"})
    if hint in (int, float, bool, bytes):
        return set()
    return {"?"}


def table_problems(classes: list[type], table: dict[type, Any]) -> list[str]:
    """What the children table gets wrong about some classes: a class missing, a field
    holding nodes or text missing or listed with the wrong kind, fields out of order."""
    problems = []
    for cls in classes:
        if cls not in table:
            problems.append(f"{cls.__name__} is not in the table")
            continue
        hints = get_type_hints(cls, globalns={**vars(model), **_NODE_CLASSES})
        listed = dict(table[cls])
        for f in dataclasses.fields(cls):
            kinds = _kinds_for(hints[f.name])
            assert "?" not in kinds, f"{cls.__name__}.{f.name}: a type this test does not know"
            if kinds and listed.get(f.name) not in kinds:
                problems.append(f"{cls.__name__}.{f.name} should be one of {sorted(kinds)}")
            if not kinds and f.name in listed:
                problems.append(f"{cls.__name__}.{f.name} holds no nodes and no text")
        order = [f.name for f in dataclasses.fields(cls) if f.name in listed]
        if order != [name for name, _ in table[cls]]:
            problems.append(f"{cls.__name__}: fields not in the class's order")
    return problems


def _model_classes() -> list[type]:
    """Every dataclass defined in model.py."""
    return [
        value
        for value in vars(model).values()
        if isinstance(value, type)
        and dataclasses.is_dataclass(value)
        and value.__module__ == model.__name__
    ]


def test_every_inline_and_block_is_in_the_table() -> None:
    assert get_args(Inline) == INLINE_TYPES and len(INLINE_TYPES) >= 9
    assert get_args(Block) == BLOCK_TYPES and len(BLOCK_TYPES) >= 8
    for cls in (*INLINE_TYPES, *BLOCK_TYPES, Chapter, Metadata, Story, Book, Picture):
        assert cls in CHILDREN, cls.__name__


def test_every_model_class_and_field_is_listed_with_its_kind() -> None:
    classes = _model_classes()
    assert set(classes) == set(CHILDREN)
    assert table_problems(classes, CHILDREN) == []


def test_a_block_type_missing_from_the_table_is_caught() -> None:
    @dataclasses.dataclass(frozen=True)
    class Aside:
        """A made-up block holding blocks, a caption and a label."""

        blocks: tuple[Block, ...]
        caption: tuple[Inline, ...] = ()
        label: str = ""
        level: int = 1

    assert table_problems([Aside], CHILDREN) == ["Aside is not in the table"]
    half = {**CHILDREN, Aside: (("blocks", "blocks"), ("level", "text"))}
    assert table_problems([Aside], half) == [
        "Aside.caption should be one of ['inlines', 'run']",
        "Aside.label should be one of ['text']",
        "Aside.level holds no nodes and no text",
    ]
    wrong = {**CHILDREN, Paragraph: (("inlines", "blocks"), ("align", "text"))}
    assert table_problems([Paragraph], wrong) == [
        "Paragraph.inlines should be one of ['inlines', 'run']"
    ]


def test_model_classes_can_be_rebuilt_without_init() -> None:
    """The walker rebuilds a node by filling a new object's ``__dict__``: no class may
    use slots, ``__post_init__`` or ``InitVar`` (each would be skipped), and a rebuilt
    node equals (and hashes like) one built by its class."""
    for cls in _model_classes():
        assert not hasattr(cls, "__post_init__") and "__slots__" not in vars(cls), cls
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen, cls
        assert all(f.init for f in dataclasses.fields(cls)), cls
        assert len(dataclasses.fields(cls)) == len(cls.__dataclass_fields__), cls  # type: ignore[attr-defined]
    upper = walk(tree(), inline=lambda n: Text(n.text.upper()) if isinstance(n, Text) else n)
    emph = upper.chapters[0].blocks[1].inlines[1]  # type: ignore[union-attr]
    built = Emph((Text("FROM "), Link((Text("THE "), Strong((Text("MAP"),))), LINK.href)))
    assert emph == built and hash(emph) == hash(built) and type(emph) is Emph
    with pytest.raises(dataclasses.FrozenInstanceError):
        emph.children = ()  # type: ignore[misc]


# --------------------------------------------------------------------------- a tree


PIC = Picture("abc.png", "image/png", b"\x89PNG", 4, 3)
LINK = Link((Text("the "), Strong((Text("map"),))), "https://example.org/map")


def tree() -> Story:
    """A story with a quote inside a note, a verse, an image with a caption, a link
    inside emphasis, and blocks in every place of the metadata and a chapter."""
    quote_in_note = Note("author-note", (BlockQuote((Paragraph((Text("quoted note"),)),)),))
    chapter = Chapter(
        1,
        "One",
        summary=(Paragraph((Text("chapter summary"),)),),
        notes_before=(quote_in_note,),
        blocks=(
            Heading(1, (Text("Arrival"),)),
            Paragraph((Text("She read "), Emph((Text("from "), LINK)), Text(" aloud."))),
            Verse(((Text("line one"),), (Text("line "), LineBreak(), Text("two")))),
            SceneBreak("* * *"),
            Image(
                "p.png", "A harbour", caption=(Text("the "), Emph((Text("harbour"),))), picture=PIC
            ),
            BlockQuote((Paragraph((InlineImage("i.png", "gull", picture=PIC), Text(" gull"))),)),
        ),
        notes_after=(Note("end-note", (Paragraph((Text("end of chapter"),)),)),),
    )
    meta = Metadata(
        title="Harbour",
        authors=("quillmoth",),
        summary=(Paragraph((Text("work summary"),)),),
        notes=(Paragraph((Text("work notes"),)),),
        end_notes=(Paragraph((Text("work end"),)),),
        disclaimer=(Paragraph((Text("work disclaimer"),)),),
        extra=(("Beta", "wren"),),
    )
    return Story(meta, (chapter,))


READING_ORDER = [
    "work summary",
    "work notes",
    "work end",
    "work disclaimer",
    "chapter summary",
    "quoted note",
    "Arrival",
    "She read from the map aloud.",
    "line one",
    "line \ntwo",
    "the harbour",
    " gull",
    "end of chapter",
]


# --------------------------------------------------------------------------- queries


def test_iter_runs_visits_every_run_in_reading_order() -> None:
    assert [inline_text(run) for run in iter_runs(tree())] == READING_ORDER


def test_iter_blocks_visits_containers_before_their_blocks() -> None:
    names = [type(b).__name__ for b in iter_blocks(tree().chapters[0])]
    assert names == [
        "Paragraph",  # summary
        "Note",
        "BlockQuote",
        "Paragraph",
        "Heading",
        "Paragraph",
        "Verse",
        "SceneBreak",
        "Image",
        "BlockQuote",
        "Paragraph",
        "Note",
        "Paragraph",
    ]


def test_iter_blocks_leaves_out_skipped_types_with_their_insides() -> None:
    texts = [inline_text(r) for b in iter_blocks(tree(), skip=(Note,)) for r in block_runs(b)]
    assert "quoted note" not in texts and "end of chapter" not in texts
    assert texts[:2] == ["work summary", "work notes"] and " gull" in texts


def test_iter_inlines_reaches_a_link_inside_emphasis() -> None:
    paragraph = tree().chapters[0].blocks[1]
    kinds = [type(n).__name__ for n in iter_inlines(paragraph)]
    assert kinds == ["Text", "Emph", "Text", "Link", "Text", "Strong", "Text", "Text"]
    assert [n.href for n in iter_inlines(tree()) if isinstance(n, Link)] == [LINK.href]
    images = [n for n in iter_inlines(tree()) if isinstance(n, InlineImage)]
    assert [i.alt for i in images] == ["gull"]


def test_iter_nodes_gives_each_node_its_depth() -> None:
    found = [(type(n).__name__, d) for n, d in iter_nodes(tree().chapters[0].notes_before)]
    assert found == [("Note", 0), ("BlockQuote", 1), ("Paragraph", 2), ("Text", 3)]
    verse = tree().chapters[0].blocks[2]
    assert [d for _, d in iter_nodes(verse)] == [0, 1, 1, 1, 1]


def test_query_and_count_see_the_nodes_of_some_types_in_order() -> None:
    seen: list[str] = []
    query(tree(), (Image, InlineImage, Link), lambda n: seen.append(type(n).__name__))
    assert seen == ["Link", "Image", "InlineImage"]
    assert count_nodes(tree(), {Note}) == 2 and count_nodes(tree(), [Text]) == 19
    assert count_nodes(tree().chapters[0].blocks[1].inlines, {Strong}) == 1  # type: ignore[union-attr]
    only = [(type(n).__name__, d) for n, d in iter_nodes(tree(), {Note, Heading})]
    assert only == [("Note", 2), ("Heading", 2), ("Note", 2)]


def test_iter_nodes_needs_no_recursion_for_a_deep_tree() -> None:
    block: Block = Paragraph((Text("deep"),))
    for _ in range(20_000):
        block = BlockQuote((block,))
    deepest = max(d for _, d in iter_nodes(block))
    assert deepest == 20_001
    story = Story(Metadata(), (Chapter(1, blocks=(block,)),))
    with pytest.raises(LimitError, match="nested too deeply"):
        check_story(story, "deep.md")


def test_limits_look_inside_metadata_and_captions() -> None:
    nested: Block = Paragraph((Text("x"),))
    for _ in range(150):
        nested = BlockQuote((nested,))
    in_summary = Story(Metadata(summary=(nested,)), (Chapter(1),))
    with pytest.raises(LimitError, match="nested too deeply"):
        check_story(in_summary, "s.md")
    long_link = Link((Text("here"),), "https://example.org/" + "a" * 5000)
    captioned = Image("p.png", caption=(Emph((long_link,)),))
    in_caption = Story(Metadata(), (Chapter(1, blocks=(captioned,)),))
    with pytest.raises(LimitError, match="attribute is too long"):
        check_story(in_caption, "c.md")
    check_story(tree(), "tree.md")


# --------------------------------------------------------------------------- maps


def _upper(node: Inline) -> Inline:
    return Text(node.text.upper()) if isinstance(node, Text) else node


def test_walk_maps_every_inline_everywhere() -> None:
    upper = walk(tree(), inline=_upper)
    assert [inline_text(run) for run in iter_runs(upper)] == [t.upper() for t in READING_ORDER]
    assert upper.metadata.title == "Harbour" and upper.chapters[0].title == "One"


def test_walk_maps_inlines_bottom_up() -> None:
    seen: list[str] = []

    def record(node: Inline) -> Inline:
        seen.append(type(node).__name__ if not isinstance(node, Text) else node.text)
        return node

    paragraph = tree().chapters[0].blocks[1]
    assert isinstance(paragraph, Paragraph)
    assert map_inlines(paragraph.inlines, record) is paragraph.inlines
    assert seen == ["She read ", "from ", "the ", "map", "Strong", "Link", "Emph", " aloud."]


def test_walk_keeps_unchanged_parts_the_same_objects() -> None:
    story = tree()
    assert walk(story, inline=lambda n: n, block=lambda b: b, run=lambda r: r) is story
    changed = walk(story, inline=lambda n: Text("X") if n == Text("gull") else n)
    assert changed is story  # no Text("gull"): the image's inline text is " gull"
    changed = walk(story, inline=lambda n: Text("GULL") if n == Text(" gull") else n)
    old, new = story.chapters[0], changed.chapters[0]
    assert new is not old and changed.metadata is story.metadata
    assert new.summary is old.summary and new.notes_before is old.notes_before
    assert new.blocks[:5] == old.blocks[:5]
    assert all(a is b for a, b in zip(new.blocks[:5], old.blocks[:5], strict=True))
    assert new.blocks[5] != old.blocks[5]


def test_inline_map_may_splice_and_drop() -> None:
    def explode(node: Inline) -> Inline | tuple[Inline, ...]:
        if isinstance(node, InlineImage):
            return ()
        if isinstance(node, Link):
            return node.children
        return node

    story = walk(tree(), inline=explode)
    texts = [inline_text(run) for run in iter_runs(story)]
    assert texts == READING_ORDER
    assert not [n for n in iter_inlines(story) if isinstance(n, InlineImage | Link)]


def test_map_blocks_is_bottom_up_and_splices() -> None:
    seen: list[str] = []

    def f(block: Block) -> Block | tuple[Block, ...]:
        seen.append(type(block).__name__)
        if isinstance(block, SceneBreak):
            return ()
        if isinstance(block, Heading):
            return (block, Paragraph((Text("after the heading"),)))
        return block

    chapter = tree().chapters[0]
    out = map_blocks(chapter.blocks, f)
    assert seen == [
        "Heading",
        "Paragraph",
        "Verse",
        "SceneBreak",
        "Image",
        "Paragraph",
        "BlockQuote",
    ]
    assert [type(b).__name__ for b in out] == [
        "Heading",
        "Paragraph",
        "Paragraph",
        "Verse",
        "Image",
        "BlockQuote",
    ]


def test_block_walk_reaches_every_block_bearing_place() -> None:
    def mark(block: Block) -> Block:
        if isinstance(block, Paragraph):
            return Paragraph((Text("seen: "), *block.inlines))
        return block

    story = walk(tree(), block=mark)
    paragraphs = [b for b in iter_blocks(story) if isinstance(b, Paragraph)]
    assert len(paragraphs) == 9
    assert all(inline_text(p.inlines).startswith("seen: ") for p in paragraphs)
    book = walk(Book(tree().metadata, (tree(),), editors=("ed",)), block=mark)
    assert inline_text(book.metadata.summary[0].inlines) == "seen: work summary"  # type: ignore[union-attr]
    assert inline_text(book.stories[0].chapters[0].summary[0].inlines).startswith("seen: ")  # type: ignore[union-attr]


def test_chapter_notes_stay_notes() -> None:
    def unwrap(block: Block) -> Block | tuple[Block, ...]:
        return block.blocks if isinstance(block, Note) else block

    with pytest.raises(TypeError, match="Note"):
        walk(tree(), block=unwrap)
    unwrapped = map_blocks((*tree().metadata.summary, Note("summary", (SceneBreak(),))), unwrap)
    assert [type(b) for b in unwrapped] == [Paragraph, SceneBreak]


def test_run_maps_reach_every_run_once() -> None:
    runs: list[str] = []

    def record(run: tuple[Inline, ...]) -> tuple[Inline, ...]:
        runs.append(inline_text(run))
        return run

    assert map_story_runs(tree(), record) is not None
    assert runs == READING_ORDER
    runs.clear()
    quote = tree().chapters[0].notes_before[0]
    map_runs(quote, record)
    assert runs == ["quoted note"]
    runs.clear()
    map_block_runs(quote, record)
    assert runs == []  # a note's runs belong to the blocks inside it
    verse = tree().chapters[0].blocks[2]
    map_block_runs(verse, record)
    assert runs == ["line one", "line \ntwo"]


def test_text_walk_cleans_every_string_and_keeps_the_rest() -> None:
    bell = "\x07"
    picture = Picture(f"k{bell}.png", "image/png", b"data", 1, 1)
    meta = Metadata(
        title=f"T{bell}",
        authors=("a", f"b{bell}"),
        extra=(("Beta", f"w{bell}"), ("Art", "ok")),
        cover=picture,
    )
    chapter = Chapter(
        1,
        blocks=(
            Paragraph((Span((Text(f"x{bell}"),), (f"c{bell}",)),)),
            SceneBreak("* * *"),
            Image(f"p{bell}.png", caption=(Text(f"cap{bell}"),)),
        ),
    )
    book = Book(meta, (Story(meta, (chapter,), source_name=f"s{bell}.txt"),), editors=(f"e{bell}",))
    safe = xml_safe(book)
    strings = [s for s in _strings(safe)]
    assert strings and not [s for s in strings if bell in s]
    assert safe.metadata.extra == (("Beta", "w"), ("Art", "ok"))
    assert safe.metadata.extra[1] is meta.extra[1]
    assert safe.metadata.authors == ("a", "b") and safe.editors == ("e",)
    assert safe.metadata.cover is not None and safe.metadata.cover.key == "k.png"
    assert safe.stories[0].chapters[0].blocks[1] is chapter.blocks[1]
    assert xml_safe(safe) is safe


def _strings(value: Any) -> list[str]:
    """Every string anywhere in a model value, found by reflection (independently of
    the walker's table)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [s for item in value for s in _strings(item)]
    if dataclasses.is_dataclass(value):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    return []

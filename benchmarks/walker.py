"""The model walker's cost on a 1 MB novel: ``python benchmarks/walker.py [ROUNDS]``.

Generates a markdown novel from our own ``seeds/`` (emphasis, quotes, verse; then
pictures and unresolved images added to the tree), and times ``pipeline.read``,
``render_all`` (EPUB and HTML) and each transform the walker drives: typography, the
print preparation, ``xml_safe``, the picture passes, the limits, the glyph text, the
counts and the language sample. Times are CPU seconds with the garbage collector paused
(a full collection of the other trees alive would otherwise land on whichever case
triggers it), the best of ``ROUNDS``. To compare two checkouts, run it under each with
``PYTHONPATH=<checkout>/src``; the figures mean most as ratios within one machine.
"""

from __future__ import annotations

import gc
import io
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from fic2book import pipeline
from fic2book.book import book_of, xml_safe
from fic2book.images import picture_of, pictures_of, resolve, without_images
from fic2book.lang.identify import story_sample
from fic2book.limits import check_story
from fic2book.model import Emph, Image, InlineImage, Paragraph, Picture, Story, Text
from fic2book.render.glyphs import story_text
from fic2book.stats import story_stats
from fic2book.typography import for_print, smarten

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_paragraphs() -> list[str]:
    """Every prose paragraph of the seeds (our own text), in a fixed order."""
    out: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")) + sorted(SEEDS.glob("*.md")):
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        for block in re.split(r"\n\s*\n", text):
            block = " ".join(block.split())
            if len(block) > 120 and ":" not in block[:20] and not block.startswith("#"):
                out.append(block)
    return out


def novel(size: int = 1_000_000) -> str:
    """A markdown novel of about ``size`` bytes: chapters of seed paragraphs with
    emphasis and straight quotes, a quotation every few paragraphs, some verse."""
    rng = random.Random(7)
    paragraphs = seed_paragraphs()
    lines = ["---", "title: The Long Harbour", "author: quillmoth", "language: en", "---", ""]
    size_so_far = 0
    chapter = 0
    while size_so_far < size:
        chapter += 1
        part = [f"# Chapter {chapter}", ""]
        for i in range(40):
            words = rng.choice(paragraphs).split()
            k = rng.randrange(len(words))
            words[k] = f"*{words[k]} **{words[k]}** _x_*"
            prose = '"' + " ".join(words) + '" -- she said...'
            if i % 9 == 4:
                part += ["> " + prose, ">", "> > " + prose, ""]
            elif i % 13 == 6:
                part += ["Roses are red,  ", "violets are *blue*,  ", "the tide is ' out'.", ""]
            else:
                part += [prose, ""]
        size_so_far += sum(len(line) + 1 for line in part)
        lines += part
    return "\n".join(lines)


def with_pictures(story: Story, picture: Picture | None) -> Story:
    """The story with an image block every twenty blocks and an inline image (inside
    emphasis) closing each chapter; unresolved when ``picture`` is None."""
    chapters = []
    for chapter in story.chapters:
        blocks = list(chapter.blocks)
        for i in range(5, len(blocks), 20):
            blocks.insert(i, Image("a.png", "alt", caption=(Text("cap"),), picture=picture))
        inline = InlineImage("b.png", picture=picture)
        blocks.append(Paragraph((Text("see "), Emph((inline,)))))
        chapters.append(replace(chapter, blocks=tuple(blocks)))
    return replace(story, chapters=tuple(chapters))


def cpu(fn: Callable[[], object], rounds: int) -> float:
    """The best CPU time of ``rounds`` calls, the garbage collector paused."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            fn()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def main() -> None:
    """Print one line per measure: its name and its best time in milliseconds."""
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    from PIL import Image as PILImage

    png = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 10, 10)).save(png, "PNG")
    data = novel().encode()
    story = pipeline.read(data, name="novel.md")
    raw = pipeline.read(data, pipeline.ReadOptions(smart=False), name="novel.md")
    book = book_of(story)
    pictured = book_of(with_pictures(story, picture_of(png.getvalue())))
    unresolved = with_pictures(raw, None)
    cases: dict[str, tuple[Callable[[], object], int]] = {
        "pipeline.read": (lambda: pipeline.read(data, name="novel.md"), max(3, rounds // 3)),
        "render_all epub+html": (
            lambda: pipeline.render_all(pictured, ["epub", "html"]),
            max(3, rounds // 3),
        ),
        "smarten": (lambda: smarten(raw), rounds),
        "for_print": (lambda: for_print(book), rounds),
        "xml_safe": (lambda: xml_safe(pictured), rounds),
        "pictures_of": (lambda: pictures_of(pictured.stories), rounds),
        "without_images": (lambda: without_images(pictured), rounds),
        "resolve, no images": (lambda: resolve(story, None), rounds),
        "resolve, images refused": (lambda: resolve(unresolved, None), rounds),
        "check_story": (lambda: check_story(story, "novel.md"), rounds),
        "glyphs story_text": (lambda: story_text(story), rounds),
        "story_stats": (lambda: story_stats(story), rounds),
        "story_sample, whole": (lambda: story_sample(story.chapters, 10**9), rounds),
    }
    print(f"# {len(data):,} bytes, {len(story.chapters)} chapters; best of {rounds} (CPU)")
    for name, (fn, n) in cases.items():
        print(f"{name:26s} {cpu(fn, n) * 1000:9.1f} ms")


if __name__ == "__main__":
    main()

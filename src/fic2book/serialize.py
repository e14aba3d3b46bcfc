"""The chapter tree as JSON: every node an object whose ``type`` names its model class.

The schema is documented in ``docs/json-schema.md``. Derived counts (words, chapters,
scene breaks) are added under ``stats`` so scripts need not recompute them.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from typing import Any

from fic2book.model import Story
from fic2book.stats import story_stats


def to_data(node: Any) -> Any:
    """Turn a model value into JSON-ready data: dataclasses become typed objects."""
    if is_dataclass(node) and not isinstance(node, type):
        out: dict[str, Any] = {"type": type(node).__name__}
        for f in fields(node):
            value = getattr(node, f.name)
            if f.name == "extra":
                out[f.name] = [{"label": k, "value": v} for k, v in value]
            elif isinstance(value, bytes):
                out["size"] = len(value)  # a picture's bytes: only their count is shown
            else:
                out[f.name] = to_data(value)
        return out
    if isinstance(node, tuple | list):
        return [to_data(v) for v in node]
    return node


def story_to_data(story: Story) -> dict[str, Any]:
    """A story as JSON-ready data, with its derived statistics."""
    data: dict[str, Any] = to_data(story)
    data["stats"] = story_stats(story)
    return data


def story_to_json(story: Story, *, indent: int | None = 2) -> str:
    """A story as a JSON document."""
    return json.dumps(story_to_data(story), ensure_ascii=False, indent=indent)

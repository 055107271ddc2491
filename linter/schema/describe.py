"""What a key of a manifest is, in the words of Argo's (and Kubernetes') models: the
description of the field at a path, for the language server's hover.

The descriptions are generated with the schema (`generate.py` writes
`field-descriptions.json` beside `argo-schema.json`) and read on first use.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Optional

DESCRIPTIONS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "field-descriptions.json")


@lru_cache(maxsize=1)
def _descriptions() -> dict:
    try:
        with open(DESCRIPTIONS_FILE, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def _alternative(node: dict, key) -> dict:
    """The branch of an `anyOf` that can hold `key` (a field name, or a list index)."""
    for option in node.get("anyOf", ()):
        if isinstance(option, dict) and (("items" in option) if isinstance(key, int) else
                                         ("properties" in option or "additionalProperties" in option)):
            return option
    return node


def field_description(kind: Optional[str], path: tuple) -> Optional[tuple[str, str]]:
    """(`Definition.field`, its description) for the key at `path` of a document of `kind`,
    or None where the schema has no description (or no such field)."""
    from argolint.schema.validator import definition_name, load_schema

    schema = load_schema()
    name = schema["x-kinds"].get(kind) if kind else None
    if name is None or not path or not isinstance(path[-1], str):
        return None
    node = schema["$defs"][name]
    for i, key in enumerate(path):
        node = _alternative(node, key)
        if isinstance(key, int):
            node = node.get("items")
        else:
            properties = node.get("properties") or {}
            if key in properties:
                if i == len(path) - 1:
                    owner = definition_name(node)
                    text = _descriptions().get(owner or "", {}).get(key)
                    return (f"{owner}.{key}", text) if text else None
                node = properties[key]
            else:
                node = node.get("additionalProperties")
        if not isinstance(node, dict):
            return None
    return None

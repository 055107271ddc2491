"""Edits of the source text in the YAML's own style: scalars quoted as they need, entries
added to or removed from a mapping written in block or flow style, nothing else touched."""

from __future__ import annotations

import json
import re
from typing import Optional

from argolint.diagnostics import Edit, Span

_PLAIN_SAFE = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")
# Words YAML 1.1 reads as booleans or null: a plain scalar spelling one needs quotes.
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"})


def quote(text: str, style: str) -> str:
    """`text` as a YAML scalar quoted with `style` ("'" or '"')."""
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)


def plain_or_quoted(text: str) -> str:
    """`text` plain when YAML reads it back as this same string, else double-quoted."""
    if _PLAIN_SAFE.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return quote(text, '"')


def _text_uses(document) -> dict:
    """How many paths of `document` read each key and each value text: more than one when
    an anchor's text is read again through an alias or a `<<:` merge. Counted once per
    document, on first use (few documents ever need it)."""
    uses = getattr(document, "_text_uses", None)
    if uses is None:
        uses = {}
        for info in document.nodes.values():
            for place in (("key", info.key_start), ("value", info.start, info.end)):
                uses[place] = uses.get(place, 0) + 1
        document._text_uses = uses
    return uses


def through_anchor(document, path: tuple, at: str = "value") -> bool:
    """Whether the text of `path`'s key or value is also what another place reads (an
    anchor's text, read again through an alias or a `<<:` merge): changing it changes
    them all."""
    info = document.nodes.get(tuple(path))
    if info is None:
        return False
    place = ("key", info.key_start) if at == "key" else ("value", info.start, info.end)
    return _text_uses(document).get(place, 0) > 1


def insert_entry(document, path: tuple, entry: str, title: str, after: Optional[str] = None,
                 safe: bool = False) -> Optional[Edit]:
    """Insert the line `entry` ("key: value") into the mapping at `path`: after its key
    `after` when it has one, else first, at the indentation of its keys. None when the
    mapping is not there or is empty in block style (no indentation to copy)."""
    mapping = document.get(path)
    info = document.nodes.get(tuple(path))
    if not isinstance(mapping, dict) or info is None:
        return None
    src = info.source
    if src.text[info.start:info.start + 1] == "{":  # spec: {entrypoint: main, ...}
        return Edit(src.span(info.start + 1, info.start + 1), entry + (", " if mapping else ""), title, safe)
    keys = [document.nodes[path + (k,)].key for k in mapping if path + (k,) in document.nodes]
    keys = [k for k in keys if k is not None]
    if not keys:
        return None
    indent = " " * (min(k.column for k in keys) - 1)
    anchor = document.nodes.get(path + (after,)) if after is not None else None
    target = anchor.value.end_line + 1 if anchor is not None else min(k.line for k in keys)
    if target > len(src.lines):  # after the last line, which has no line break
        end = len(src.text)
        return Edit(src.span(end, end), "\n" + indent + entry, title, safe)
    return Edit(Span(target, 1, target, 1), indent + entry + "\n", title, safe)

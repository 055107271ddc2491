"""From a YAML event stream to plain data and the span of every node, without recursion.

libyaml's composer recurses in C and kills the process with a segmentation fault on input
nested some ten thousand levels deep, and its parser slows down quadratically with the depth
of flow collections. Building the tree here, from the parser's events, lets the depth
limit stop the parser at the 201st level and count alias expansion as it happens, and is
faster than composing (no node objects, no second walk).

Plain scalars are resolved as Kubernetes reads them (go-yaml v2 behind sigs.k8s.io/yaml,
YAML 1.1 style): `yes`/`on`/`y` are booleans, `012` is octal, `1e3` a float. Keys stay the
strings written. Keys and short plain strings are interned (see `_INTERNED_LENGTH`).
"""

from __future__ import annotations

import re
from sys import intern
from typing import Any, Callable, Optional

from argolint.diagnostics import Diagnostic, Path, Severity, json_pointer
from argolint.load.positions import NodeInfo, SourceText


class Unloadable(Exception):
    """The document being built cannot be loaded; `rule` says why, at file offset `offset`."""

    def __init__(self, rule: str, message: str, offset: int, hint: Optional[str] = None):
        super().__init__(message)
        self.rule, self.message, self.offset, self.hint = rule, message, offset, hint


def event_source(chunk: str, pure: bool = False) -> Callable[[], Any]:
    """A function returning the next parser event of `chunk` on each call: libyaml's, or
    ruamel's pure-Python parser's (slower, and also iterative) when asked or when libyaml
    is not compiled in."""
    if not pure:
        try:
            from _ruamel_yaml import CParser
        except ImportError:
            pass
        else:
            return CParser(chunk).get_event
    from ruamel.yaml import YAML

    return iter(YAML(typ="safe", pure=True).parse(chunk)).__next__


# -- scalars ---------------------------------------------------------------------------------

_NO_KEY = object()
_BOOLEANS = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
}
_WORDS = {
    **_BOOLEANS,
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), float("nan")),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), float("inf")),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), float("-inf")),
}
_NUMBER_START = frozenset("0123456789+-.")
# Plain strings up to this length are interned, as keys are: a manifest repeats the same
# template names, images and parameter names many times, and one shared string per value
# saves memory and lets the rules compare them by identity.
_INTERNED_LENGTH = 64
_GO_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_GO_INT = re.compile(r"([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")
_INT_BASES = {"x": 16, "X": 16, "o": 8, "O": 8, "b": 2, "B": 2}


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar as go-yaml v2 (Kubernetes) reads it."""
    word = _WORDS.get(text, _NO_KEY)
    if word is not _NO_KEY:
        return word
    if text[0] not in _NUMBER_START:
        return intern(text) if len(text) <= _INTERNED_LENGTH else text
    plain = text.replace("_", "") if "_" in text and text[0] != "." else text
    m = _GO_INT.match(plain)
    if m:
        digits = m.group(2)
        if len(digits) > 1 and digits[0] == "0":
            base = _INT_BASES.get(digits[1], 8)
            number = int(digits[2:] if base != 8 or digits[1] in "oO" else digits[1:], base)
        else:
            number = int(digits)
        if m.group(1) == "-":
            number = -number
        if -(1 << 63) <= number < (1 << 64):
            return number
    if _GO_FLOAT.match(plain):
        return float(plain)
    return text


_YAML_1_1_WORDS = frozenset(w for w in _BOOLEANS if w.lower() not in ("true", "false"))


def resolve_plain_1_2(text: str) -> Any:
    """The value of an untagged plain scalar under YAML 1.2's core schema, as configuration
    files are read: `on`, `off`, `yes`, `no`, `y`, `n` stay strings."""
    return text if text in _YAML_1_1_WORDS else resolve_plain(text)


def _tagged(tag, text: str) -> Any:
    tag = str(tag)
    if tag.startswith("tag:yaml.org,2002:") and tag[18:] in ("int", "float", "bool", "null"):
        return resolve_plain(text) if text else None
    return text


def _key_text(value: Any) -> str:
    """A key that is not a scalar (`? [a, b]`), as the string it would become."""
    import json

    try:
        return json.dumps(value, sort_keys=True, default=str)
    except ValueError:
        return str(value)


# -- the tree ------------------------------------------------------------------------------


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = ("data", "path", "is_map", "record", "info", "flow", "anchor", "start", "last_end",
                 "key", "key_start", "key_end", "merging", "merges", "height", "size")

    def __init__(self, data, path, is_map, record, info, flow, anchor, start):
        self.data = data
        self.path = path
        self.is_map = is_map
        self.record = record  # False inside a complex key: those nodes have no path
        self.info = info
        self.flow = flow
        self.anchor = anchor
        self.start = self.last_end = start
        self.key = _NO_KEY
        self.key_start = self.key_end = None
        self.merging = False
        self.merges = None
        self.height = 0
        self.size = 1


class DocumentBuilder:
    """Builds one document from the event stream: plain data plus a NodeInfo per path."""

    def __init__(self, source: SourceText, file: str, index: int, base: int, start: int, max_depth: int,
                 max_alias_expansion: int, resolve: Callable[[str], Any] = resolve_plain):
        self.src = source
        self.text = source.text
        self.file = file
        self.index = index  # of the document in its file
        self.base = base  # offset of the parsed text in the file
        self.start = start  # offset where the document starts
        self.max_depth = max_depth
        self.max_alias_expansion = max_alias_expansion
        self.resolve = resolve  # of plain scalars: Kubernetes' YAML 1.1, or 1.2 for configuration
        self.nodes: dict = {}
        self.anchors: dict = {}  # name -> (value, NodeInfo or None, path or None, height, size)
        self.expanded = 0
        self.pending: list = []  # diagnostics, added only once the document loads

    # The hot loop: one pass over the events of a document.
    def build(self, next_event: Callable[[], Any]) -> tuple[Any, dict, int]:
        """Consume the events of one document, up to its end: (data, nodes, first line)."""
        from ruamel.yaml.events import (AliasEvent, DocumentEndEvent, MappingEndEvent, MappingStartEvent,
                                        ScalarEvent, SequenceEndEvent, SequenceStartEvent)

        src, base, nodes, text = self.src, self.base, self.nodes, self.text
        max_depth = self.max_depth
        resolve = self.resolve
        stack: list = []
        root: list = []
        attach = self._attach
        while True:
            event = next_event()
            kind = type(event)
            if kind is ScalarEvent:
                start = base + event.start_mark.index
                end = base + event.end_mark.index
                style = event.style or ""  # the pure-Python parser gives None for plain
                tag = event.ctag  # not `tag`, a property; a str, or the pure parser's Tag (see _tagged)
                anchor = event.anchor
                if tag is not None or anchor is not None:
                    start = content_start(text, start, end)
                if style == "|" or style == ">":
                    end = start + len(text[start:end].rstrip())
                raw = event.value
                if stack:
                    parent = stack[-1]
                    if parent.is_map:
                        key = parent.key
                        if key is _NO_KEY:  # this scalar is a key: `_set_key`, inlined for speed
                            if anchor is not None:  # `&k key:` may be repeated as `*k`
                                self.anchors[anchor] = (raw, None, None, 0, 1)
                            key = intern(raw)
                            parent.key, parent.key_start, parent.key_end = key, start, end
                            if raw == "<<" and not style and tag is None:
                                parent.merging = True
                                if parent.merges is None:
                                    parent.merges = []
                            elif key in parent.data:
                                self._duplicate(parent, key, start, end)
                            continue
                    if tag is None:
                        value = resolve(raw) if not style else raw
                    else:
                        value = _tagged(tag, raw)
                    info = path = None
                    if parent.is_map:
                        if parent.record:
                            path = parent.path + (key,)
                            info = nodes[path] = NodeInfo(src, parent.key_start, parent.key_end, start, end, style)
                        if parent.merging:
                            attach(parent, value, end, 0, 1)
                        else:  # `_attach` of a scalar, inlined
                            parent.data[key] = value
                            parent.key = _NO_KEY
                            parent.last_end = end
                            parent.size += 1
                    else:
                        data = parent.data
                        if parent.record:
                            path = parent.path + (len(data),)
                            info = nodes[path] = NodeInfo(src, parent.key_start, parent.key_end, start, end, style)
                        data.append(value)
                        parent.last_end = end
                        parent.size += 1
                else:
                    if tag is None:
                        value = resolve(raw) if not style else raw
                    else:
                        value = _tagged(tag, raw)
                    path = ()
                    info = nodes[path] = NodeInfo(src, None, None, start, end, style)
                    root.append(value)
                if anchor is not None:
                    self.anchors[anchor] = (value, info, path, 0, 1)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                start = base + event.start_mark.index
                if event.ctag is not None or event.anchor is not None:
                    start = content_start(text, start, base + event.end_mark.index)
                flow = bool(event.flow_style)
                is_map = kind is MappingStartEvent
                if len(stack) >= max_depth:
                    raise Unloadable("input-too-large", f"nesting deeper than {max_depth} levels; not linted",
                                     start, hint="no Argo manifest nests this deep; was it generated by mistake?")
                if stack:
                    parent = stack[-1]
                    if parent.is_map and parent.key is _NO_KEY:  # a complex key: `? [a, b]`
                        stack.append(_Frame({} if is_map else [], (), is_map, False, None, flow, event.anchor, start))
                        continue
                    record = parent.record
                    path = parent.path + ((parent.key,) if parent.is_map else (len(parent.data),)) if record else ()
                    info = NodeInfo(src, parent.key_start, parent.key_end, start, start, None) if record else None
                else:
                    record, path = True, ()
                    info = NodeInfo(src, None, None, start, start, None)
                if info is not None:
                    nodes[path] = info
                stack.append(_Frame({} if is_map else [], path, is_map, record, info, flow, event.anchor, start))
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                end = base + event.end_mark.index if frame.flow else frame.last_end
                if frame.merges:
                    self._merge(frame)
                if frame.info is not None:
                    frame.info.end = end
                value = frame.data
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (value, frame.info, frame.path if frame.record else None,
                                                  frame.height + 1, frame.size)
                if not stack:
                    root.append(value)
                    continue
                parent = stack[-1]
                if parent.is_map and parent.key is _NO_KEY:
                    self._set_key(parent, _key_text(value), frame.start, end, merge=False)
                    continue
                attach(parent, value, end, frame.height + 1, frame.size)
            elif kind is AliasEvent:
                self._alias(event, stack, root)
            elif kind is DocumentEndEvent or event is None:
                break
        data = root[0] if root else None
        root_info = nodes.get(())
        return data, nodes, src.position(root_info.start if root_info is not None else self.start)[0]

    def _attach(self, parent: _Frame, value: Any, end: int, height: int, size: int) -> None:
        if parent.is_map:
            if parent.merging:
                parent.merging = False
                parent.merges.append((value, parent.path + ("<<",)))
            else:
                parent.data[parent.key] = value
            parent.key = _NO_KEY
        else:
            parent.data.append(value)
        parent.last_end = end
        if height >= parent.height:
            parent.height = height
        parent.size += size

    def _set_key(self, frame: _Frame, key: Any, start: int, end: int, merge: bool) -> None:
        if not isinstance(key, str):
            key = str(key)
        frame.key, frame.key_start, frame.key_end = key, start, end
        if merge:
            frame.merging = True
            if frame.merges is None:
                frame.merges = []
            return
        if key in frame.data:
            self._duplicate(frame, key, start, end)

    def _duplicate(self, frame: _Frame, key: str, start: int, end: int) -> None:
        path = frame.path + (key,)
        first = self.nodes.get(path) if frame.record else None
        where = f"; the first is on line {first.key.line}" if first is not None and first.key is not None else ""
        span = self.src.span(start, end)
        self.pending.append(Diagnostic(
            rule="duplicate-key", severity=Severity.ERROR,
            message=f"key '{key}' is given twice in this mapping{where}",
            hint="the later value wins (as in Kubernetes); remove one of them, or merge them",
            file=self.file, line=span.line, column=span.column, end_line=span.end_line,
            end_column=span.end_column, document=self.index, path=json_pointer(path) if frame.record else None))
        if frame.record:  # the first value's nodes must not answer for the value kept
            for rel, _ in walk(frame.data[key]):
                self.nodes.pop(path + rel, None)

    def _alias(self, event, stack: list, root: list) -> None:
        start = self.base + event.start_mark.index
        end = self.base + event.end_mark.index
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise Unloadable("yaml-syntax", f"YAML syntax error: found undefined alias '{event.anchor}'", start,
                             hint="define the anchor (`&name`) before the alias that uses it")
        value, anchor_info, anchor_path, height, size = anchor
        parent = stack[-1] if stack else None
        if parent is not None and parent.is_map and parent.key is _NO_KEY:
            self._set_key(parent, value if isinstance(value, str) else _key_text(value), start, end, merge=False)
            return
        if len(stack) + height > self.max_depth:
            raise Unloadable("input-too-large", f"the alias '*{event.anchor}' nests this document deeper than "
                             f"{self.max_depth} levels; not linted", start)
        self.expanded += size
        if self.expanded > self.max_alias_expansion:
            raise Unloadable("input-too-large", f"aliases expand this document beyond "
                             f"{self.max_alias_expansion:,} nodes (an alias bomb?); not linted", start,
                             hint="write the repeated values out, or generate the manifest with a tool that does")
        if parent is None:
            root.append(value)
            return
        if parent.record:
            path = parent.path + ((parent.key,) if parent.is_map else (len(parent.data),))
            if anchor_info is not None and anchor_info.style is not None:
                # an aliased scalar: its text is at the anchor, so point there for offsets inside it
                info = NodeInfo(self.src, parent.key_start, parent.key_end, anchor_info.start, anchor_info.end,
                                anchor_info.style)
            else:
                info = NodeInfo(self.src, parent.key_start, parent.key_end, start, end, None)
            self.nodes[path] = info
            if isinstance(value, (dict, list)):
                self._copy_nodes(value, anchor_path, path)
        self._attach(parent, value, end, height, size)

    def _copy_nodes(self, value: Any, source: Optional[Path], target: Path) -> None:
        """Give the nodes under `target` the spans of the same nodes under `source`."""
        if source is None:
            return
        nodes = self.nodes
        todo = [(source, target, value)]
        while todo:
            source, target, value = todo.pop()
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                from_path = source + (key,)
                info = nodes.get(from_path)
                if info is not None:
                    to_path = target + (key,)
                    nodes[to_path] = info
                    if isinstance(item, (dict, list)):
                        todo.append((from_path, to_path, item))

    def _merge(self, frame: _Frame) -> None:
        """`<<: *base` / `<<: [*a, *b]`: keys of the merged mappings that the mapping does
        not set itself; the first merged mapping wins among them."""
        for value, path in frame.merges:
            if isinstance(value, dict):
                sources = [(value, path)]
            elif isinstance(value, list):
                sources = [(v, path + (i,)) for i, v in enumerate(value) if isinstance(v, dict)]
            else:
                continue  # not a mapping: nothing to merge
            for source, source_path in sources:
                for key, item in source.items():
                    if key in frame.data:
                        continue
                    frame.data[key] = item
                    if frame.record:
                        info = self.nodes.get(source_path + (key,))
                        if info is not None:
                            self.nodes[frame.path + (key,)] = info
                            if isinstance(item, (dict, list)):
                                self._copy_nodes(item, source_path + (key,), frame.path + (key,))


def walk(value: Any):
    """(relative path, value) of a value and everything inside it, iteratively."""
    todo = [((), value)]
    while todo:
        rel, item = todo.pop()
        yield rel, item
        if isinstance(item, dict):
            todo.extend((rel + (k,), v) for k, v in item.items())
        elif isinstance(item, list):
            todo.extend((rel + (i,), v) for i, v in enumerate(item))


def content_start(text: str, start: int, end: int) -> int:
    """Skip a node's properties (`&anchor`, `!tag`) and the space after them."""
    i = start
    while i < end and text[i] in "&!":
        if text.startswith("!<", i):
            close = text.find(">", i, end)
            i = close + 1 if close != -1 else end
        else:
            while i < end and text[i] not in " \t\n":
                i += 1
        while i < end:
            if text[i] in " \t\n":
                i += 1
            elif text[i] == "#":
                newline = text.find("\n", i, end)
                i = newline + 1 if newline != -1 else end
            else:
                break
    return i if i < end else start

"""Read files into Documents: every key and value with its span, bad input as diagnostics.

Parsing uses libyaml (through ruamel.yaml.clib) as an event stream, and the tree is built
here from the events, iteratively. Not using libyaml's composer is deliberate: it recurses
in C and kills the process with a segmentation fault on input nested some ten thousand
levels deep, and its parser slows down quadratically with the depth of flow collections.
Building from events lets the depth limit stop the parser at the 201st level, counts alias
expansion as it happens, and is faster than composing (no node objects, no second walk).
The round-trip loader is far slower still and is kept for editing text only.

Plain scalars are resolved as Kubernetes reads them (go-yaml v2 behind sigs.k8s.io/yaml,
i.e. YAML 1.1 style): `yes`/`on`/`y` are booleans, `012` is octal, `1e3` a float; keys stay
the strings written.

Nothing in here raises on bad input: unreadable, binary, oversized, too deep, alias bombs,
Helm templates, syntax errors and duplicate keys all become diagnostics on the LoadedFile,
and the other documents of the file are still loaded.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from argolint.diagnostics import Diagnostic, Path, Severity, Span, json_pointer
from argolint.positions import NodeInfo, SourceText, raw_end

ARGO_KINDS = frozenset({"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"})
INDEXED_KINDS = frozenset(
    {"ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap"}
)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 200
MAX_ALIAS_EXPANSION = 100_000


@dataclass
class LimitOptions:
    max_file_bytes: int = MAX_FILE_BYTES
    max_depth: int = MAX_DEPTH
    max_alias_expansion: int = MAX_ALIAS_EXPANSION


@dataclass
class Document:
    """One YAML document of a file, with its data and the span of every node in it.

    `index` is the document's 0-based position in its file; a document that could not be
    loaded (syntax error, too deep, alias bomb) keeps its place with `data` None.
    """

    file: "LoadedFile"
    index: int
    data: Any
    nodes: dict = field(default_factory=dict)  # Path -> NodeInfo
    start_line: int = 1

    @property
    def kind(self) -> Optional[str]:
        return self.data.get("kind") if isinstance(self.data, dict) and isinstance(self.data.get("kind"), str) else None

    @property
    def api_version(self) -> Optional[str]:
        v = self.data.get("apiVersion") if isinstance(self.data, dict) else None
        return v if isinstance(v, str) else None

    @property
    def metadata(self) -> dict:
        m = self.data.get("metadata") if isinstance(self.data, dict) else None
        return m if isinstance(m, dict) else {}

    @property
    def name(self) -> Optional[str]:
        m = self.metadata
        n = m.get("name") or m.get("generateName")
        return n if isinstance(n, str) else None

    @property
    def namespace(self) -> Optional[str]:
        n = self.metadata.get("namespace")
        return n if isinstance(n, str) else None

    @property
    def is_argo(self) -> bool:
        api = self.api_version or ""
        return self.kind in ARGO_KINDS and (api.startswith("argoproj.io/") or not api)

    def get(self, path: Path, default: Any = None) -> Any:
        cur = self.data
        for p in path:
            if isinstance(cur, dict) and isinstance(p, str):
                if p not in cur:
                    return default
                cur = cur[p]
            elif isinstance(cur, list) and isinstance(p, int) and -len(cur) <= p < len(cur):
                cur = cur[p]
            else:
                return default
        return cur

    def span_of(self, path: Path, at: str = "value", start: Optional[int] = None, end: Optional[int] = None) -> Span:
        """The span of a path's key or value; characters [start, end) of a scalar value.

        A path that does not exist falls back to its nearest existing ancestor's key (or
        value, at the document root), so a finding about something absent still lands on
        the object that should hold it. An empty value (`key:` with nothing after it) is
        reported at its key.
        """
        path = tuple(path)
        info = self.nodes.get(path)
        while info is None and path:
            path = path[:-1]
            info = self.nodes.get(path)
            at = "key"
        if info is None:
            return Span(self.start_line, 1, self.start_line, 1)
        if info.key_start is not None and (at == "key" or info.start == info.end):
            return info.key
        if start is not None and info.style is not None:
            value = self.get(path)
            if isinstance(value, str):
                return self._inner_span(info, value, start, end if end is not None else len(value))
        return info.value

    def _inner_span(self, info: NodeInfo, value: str, start: int, end: int) -> Span:
        from argolint.positions import scalar_offsets

        src = self.file.source
        offsets = scalar_offsets(src.text, info.start, info.end, info.style, value)
        start = max(0, min(start, len(value)))
        end = max(start, min(end, len(value)))
        a = offsets[start]
        b = offsets[end] if end == len(value) else raw_end(src.text, offsets[end - 1], info.style) if end > start else a
        return src.span(a, max(a, b))


@dataclass
class LoadedFile:
    """A file (or stdin) as read: its text, its documents and the problems met reading it."""

    path: str
    source: SourceText = field(default_factory=lambda: SourceText(""))
    documents: list = field(default_factory=list)
    diagnostics: list = field(default_factory=list)

    def diagnostic(self, rule: str, message: str, span: Span, hint: Optional[str] = None,
                   document: Optional[int] = None, severity: Severity = Severity.ERROR,
                   path: Optional[str] = None) -> None:
        self.diagnostics.append(
            Diagnostic(rule=rule, severity=severity, message=message, hint=hint, file=self.path,
                       line=span.line, column=span.column, end_line=span.end_line,
                       end_column=span.end_column, document=document, path=path)
        )


# -- bytes to text --------------------------------------------------------------------------


def _too_large(loaded: LoadedFile, what: str, size: int, limits: LimitOptions) -> LoadedFile:
    over = "over" if size > limits.max_file_bytes else "at"
    loaded.diagnostic(
        "input-too-large",
        f"{what} is {size / 1048576:.1f} MiB, {over} the {limits.max_file_bytes / 1048576:g} MiB limit; not linted",
        Span(1, 1, 1, 1),
        hint="split it, or raise `max-file-size` in the configuration",
    )
    return loaded


def read_file(path: str, display: Optional[str] = None, limits: LimitOptions = LimitOptions()) -> LoadedFile:
    """Load a file. Its size is checked before it is read, and at most the limit plus one
    byte is ever read (a FIFO or /dev/zero reports no size)."""
    loaded = LoadedFile(display or path)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > limits.max_file_bytes:
                return _too_large(loaded, "file", size, limits)
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        loaded.diagnostic("unreadable-file", f"cannot read file: {exc.strerror or exc}", Span(1, 1, 1, 1),
                          hint="check that it exists and that you may read it")
        return loaded
    return load_bytes(data, loaded.path, limits, loaded)


def load_bytes(data: bytes, display: str, limits: LimitOptions = LimitOptions(),
               loaded: Optional[LoadedFile] = None) -> LoadedFile:
    loaded = loaded or LoadedFile(display)
    if len(data) > limits.max_file_bytes:
        return _too_large(loaded, "input", len(data), limits)
    text = _decode(data, loaded)
    if text is None:
        return loaded
    return load_text(text, display, limits, loaded)


def _decode(data: bytes, loaded: LoadedFile) -> Optional[str]:
    """UTF-8 (an optional BOM is dropped) or UTF-16 with a BOM, as YAML allows; anything
    else, and anything with a NUL byte, is an unreadable-file diagnostic."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and not data.startswith(b"\xff\xfe\x00\x00"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            loaded.diagnostic("unreadable-file", "not UTF-16 text although it starts with a UTF-16 byte order mark; "
                              "not linted", Span(1, 1, 1, 1), hint="save the file as UTF-8")
            return None
        if "\x00" not in text:
            return text
        data = b"\x00"
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        loaded.diagnostic("unreadable-file", f"binary file (NUL byte on line {line}); not linted", Span(1, 1, 1, 1),
                          hint="only YAML and JSON text files can be linted")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[line_start:exc.start].decode("utf-8", "replace")) + 1
        loaded.diagnostic(
            "unreadable-file",
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} on line {line} cannot be decoded; not linted",
            Span(line, col, line, col + 1),
            hint="save the file as UTF-8 (YAML files are UTF-8, or UTF-16 with a byte order mark)",
        )
        return None


# -- text to documents ----------------------------------------------------------------------


def load_text(text: str, display: str, limits: LimitOptions = LimitOptions(),
              loaded: Optional[LoadedFile] = None) -> LoadedFile:
    loaded = loaded or LoadedFile(display)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    loaded.source = SourceText(text)
    _parse(loaded, text, limits)
    if "{{" in text:
        helm = _helm_action(loaded)
        if helm is not None:
            start, end = helm
            loaded.documents = []
            loaded.diagnostics = []
            loaded.diagnostic(
                "helm-template",
                "this is a Helm (Go) template, not a manifest; argolint checks rendered manifests",
                loaded.source.span(start, end),
                hint="lint the rendered output: `helm template . | argolint -`",
            )
    return loaded


_DOCUMENT_MARKER = re.compile(r"^---(?=[ \t\n]|\Z)", re.M)


def _parse(loaded: LoadedFile, text: str, limits: LimitOptions) -> None:
    """Load every document of `text`. When one cannot be loaded, libyaml cannot go on past
    it: parsing resumes at the next `---` line, one `---` chunk at a time."""
    stopped = _parse_chunk(loaded, text, 0, limits)
    if stopped is None:
        return
    markers = [m.start() for m in _DOCUMENT_MARKER.finditer(text) if m.start() > stopped.resume_after]
    chunks = [(start, markers[i + 1] if i + 1 < len(markers) else len(text), False) for i, start in enumerate(markers)]
    if stopped.retry_from is not None:
        chunks.insert(0, (stopped.retry_from, markers[0] if markers else len(text), True))
    for start, end, pure in chunks:
        stopped = _parse_chunk(loaded, text[start:end], start, limits, pure)
        if stopped is not None and stopped.retry_from is not None:
            _parse_chunk(loaded, text[stopped.retry_from:end], stopped.retry_from, limits, pure=True)


@dataclass
class _Stopped:
    resume_after: int  # parsing may resume at the first `---` line after this offset
    retry_from: Optional[int] = None  # the document starting here is to be parsed again, by the pure parser


class _Unloadable(Exception):
    """The document being built cannot be loaded; `rule` says why, at file offset `offset`."""

    def __init__(self, rule: str, message: str, offset: int, hint: Optional[str] = None):
        super().__init__(message)
        self.rule, self.message, self.offset, self.hint = rule, message, offset, hint


# Characters libyaml refuses (C0/C1 controls but tab and line breaks, DEL, BOM inside the
# text, non-characters, lone surrogates).
_NOT_YAML_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")


def _event_source(chunk: str, pure: bool) -> Callable[[], Any]:
    if not pure:
        try:
            from _ruamel_yaml import CParser
        except ImportError:  # no compiled libyaml: ruamel's pure-Python parser, also iterative
            pure = True
        else:
            return CParser(chunk).get_event
    from ruamel.yaml import YAML

    return iter(YAML(typ="safe", pure=True).parse(chunk)).__next__


# The libyaml bundled with ruamel.yaml.clib (0.1.7) refuses a ':' inside a plain scalar in a
# flow collection (`{image: alpine:3.20}`), which Kubernetes' YAML reader accepts: such a
# document is parsed again by ruamel's pure-Python parser, which accepts it too.
_LIBYAML_FLOW_COLON = "found unexpected ':'"


def _parse_chunk(loaded: LoadedFile, chunk: str, base: int, limits: LimitOptions,
                 pure: bool = False) -> Optional[_Stopped]:
    """Load the documents of `chunk` (which starts at offset `base` of the file). Returns
    None, or how to go on after a document that could not be loaded."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import DocumentStartEvent, StreamEndEvent

    builder: Optional[_Builder] = None
    try:
        next_event = _event_source(chunk, pure)
        while True:
            event = next_event()
            kind = type(event)
            if kind is DocumentStartEvent:
                builder = _Builder(loaded, base, limits, base + event.start_mark.index)
                builder.build(next_event)
                builder = None
            elif kind is StreamEndEvent:
                return None
    except _Unloadable as stop:
        problem = stop
    except (YAMLError, UnicodeError) as exc:
        if not pure and builder is not None and getattr(exc, "problem", None) == _LIBYAML_FLOW_COLON:
            return _Stopped(builder.start, retry_from=builder.start)
        problem = _syntax_problem(exc, chunk, base, loaded.source)
    index = len(loaded.documents)
    if builder is not None:  # duplicate keys met before the problem are real too
        loaded.diagnostics.extend(builder.pending)
    span = loaded.source.span(problem.offset, min(problem.offset + 1, len(loaded.source.text)))
    loaded.diagnostic(problem.rule, problem.message, span, hint=problem.hint, document=index)
    start = builder.start if builder is not None else problem.offset
    loaded.documents.append(Document(loaded, index, None, {}, loaded.source.position(start)[0]))
    return _Stopped(start)


def _syntax_problem(exc: Exception, chunk: str, base: int, source: SourceText) -> _Unloadable:
    bad = _NOT_YAML_CHARACTER.search(chunk)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if bad is not None and (mark is None or not getattr(exc, "problem", None)):
        # a reader error (or a str libyaml cannot encode): it names a byte offset, find the char
        return _Unloadable("yaml-syntax", f"YAML syntax error: character U+{ord(bad.group()):04X} is not allowed "
                           "in YAML", base + bad.start(), hint="remove it, or write it as an escape in a "
                           "double-quoted string")
    offset = base + (mark.index if mark is not None else 0)
    problem = getattr(exc, "problem", None) or str(exc).split("\n")[0] or type(exc).__name__
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}"
    context_mark = getattr(exc, "context_mark", None)
    if context:
        where = ""
        if context_mark is not None and context_mark is not mark:
            where = f" on line {source.position(base + context_mark.index)[0]}"
        message += f" ({context}{where})"
    return _Unloadable("yaml-syntax", message, offset)


# -- building data and node spans from events -------------------------------------------------

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
_GO_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_GO_INT = re.compile(r"([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")
_INT_BASES = {"x": 16, "X": 16, "o": 8, "O": 8, "b": 2, "B": 2}


def resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar as go-yaml v2 (Kubernetes) reads it."""
    word = _WORDS.get(text, _NO_KEY)
    if word is not _NO_KEY:
        return word
    if text[0] not in _NUMBER_START:
        return text
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


def _tagged(tag: str, text: str) -> Any:
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


class _Builder:
    """Builds one document from the event stream: plain data plus a NodeInfo per path."""

    def __init__(self, loaded: LoadedFile, base: int, limits: LimitOptions, start: int):
        self.loaded = loaded
        self.src = loaded.source
        self.text = loaded.source.text
        self.base = base
        self.limits = limits
        self.start = start
        self.index = len(loaded.documents)
        self.nodes: dict = {}
        self.anchors: dict = {}  # name -> (value, NodeInfo or None, path or None, height, size)
        self.expanded = 0
        self.pending: list = []  # diagnostics, added only once the document loads

    # The hot loop: one pass over the events of a document.
    def build(self, next_event) -> None:
        from ruamel.yaml.events import (AliasEvent, DocumentEndEvent, MappingEndEvent, MappingStartEvent,
                                        ScalarEvent, SequenceEndEvent, SequenceStartEvent)

        src, base, nodes, text = self.src, self.base, self.nodes, self.text
        max_depth = self.limits.max_depth
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
                tag = event.tag
                if tag is not None or event.anchor is not None:
                    start = _content_start(text, start, end)
                if style == "|" or style == ">":
                    end = start + len(text[start:end].rstrip())
                raw = event.value
                if tag is None:
                    value = resolve_plain(raw) if not style else raw
                else:
                    value = _tagged(tag, raw)
                if stack:
                    parent = stack[-1]
                    if parent.is_map and parent.key is _NO_KEY:
                        self._set_key(parent, raw, start, end, merge=raw == "<<" and not style and tag is None)
                        continue
                    info = path = None
                    if parent.record:
                        path = parent.path + ((parent.key,) if parent.is_map else (len(parent.data),))
                        info = nodes[path] = NodeInfo(src, parent.key_start, parent.key_end, start, end, style)
                    attach(parent, value, end, 0, 1)
                else:
                    path = ()
                    info = nodes[path] = NodeInfo(src, None, None, start, end, style)
                    root.append(value)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, info, path, 0, 1)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                start = base + event.start_mark.index
                if event.tag is not None or event.anchor is not None:
                    start = _content_start(text, start, base + event.end_mark.index)
                flow = bool(event.flow_style)
                is_map = kind is MappingStartEvent
                if len(stack) >= max_depth:
                    raise _Unloadable("input-too-large", f"nesting deeper than {max_depth} levels; not linted",
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
        start_line = src.position(root_info.start if root_info is not None else self.start)[0]
        document = Document(self.loaded, self.index, data, nodes, start_line)
        for diagnostic in self.pending:
            diagnostic.kind, diagnostic.name = document.kind, document.name
        self.loaded.diagnostics.extend(self.pending)
        self.loaded.documents.append(document)

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
            file=self.loaded.path, line=span.line, column=span.column, end_line=span.end_line,
            end_column=span.end_column, document=self.index, path=json_pointer(path) if frame.record else None))
        if frame.record:  # the first value's nodes must not answer for the value kept
            for rel, _ in _walk(frame.data[key]):
                self.nodes.pop(path + rel, None)

    def _alias(self, event, stack: list, root: list) -> None:
        start = self.base + event.start_mark.index
        end = self.base + event.end_mark.index
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            raise _Unloadable("yaml-syntax", f"YAML syntax error: found undefined alias '{event.anchor}'", start,
                              hint="define the anchor (`&name`) before the alias that uses it")
        value, anchor_info, anchor_path, height, size = anchor
        parent = stack[-1] if stack else None
        if parent is not None and parent.is_map and parent.key is _NO_KEY:
            self._set_key(parent, value if isinstance(value, str) else _key_text(value), start, end, merge=False)
            return
        if len(stack) + height > self.limits.max_depth:
            raise _Unloadable("input-too-large", f"the alias '*{event.anchor}' nests this document deeper than "
                              f"{self.limits.max_depth} levels; not linted", start)
        self.expanded += size
        if self.expanded > self.limits.max_alias_expansion:
            raise _Unloadable("input-too-large", f"aliases expand this document beyond "
                              f"{self.limits.max_alias_expansion:,} nodes (an alias bomb?); not linted", start,
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
            sources = [(value, path)] if isinstance(value, dict) else \
                [(v, path + (i,)) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []
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


def _walk(value: Any):
    """(relative path, value) of a value and everything inside it, iteratively."""
    todo = [((), value)]
    while todo:
        rel, item = todo.pop()
        yield rel, item
        if isinstance(item, dict):
            todo.extend((rel + (k,), v) for k, v in item.items())
        elif isinstance(item, list):
            todo.extend((rel + (i,), v) for i, v in enumerate(item))


def _content_start(text: str, start: int, end: int) -> int:
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


# -- Helm templates -------------------------------------------------------------------------

# A Go template action: `{{ .Values.x }}`, `{{- if ... }}`, `{{ $v := ... }}`, `{{/* */}}`.
_GO_ACTION = re.compile(
    r"\{\{-?\s*(?:(?P<helm>\.(?:Values|Release|Chart|Files|Capabilities|Template)\b"
    r"|(?:include|toYaml|toJson|tpl|required|nindent|indent|lookup|define|template|block)\b)"
    r"|\.[A-Za-z_]|\$|/\*|(?:if|else|end|range|with|default|quote|printf)\b)"
)


def _helm_action(loaded: LoadedFile) -> Optional[tuple[int, int]]:
    """The offsets of the first action that makes this file a Helm template, or None.

    Argo's own tags (`{{inputs.parameters.x}}`, `{{=expr}}`) never look like Go actions,
    but a valid workflow may carry Go templates in its text (a `kubectl -o go-template`
    in a script). So an action counts when it stands outside any string (Helm's `{{- if }}`
    lines, `name: {{ .Values.x }}`, or where the file did not parse), or, inside a
    one-line string, when it reads Helm's own objects and functions (`.Values`, `include`).
    Block scalars (`|`, `>`) are script text and never count.
    """
    text = loaded.source.text
    actions = [m for m in _GO_ACTION.finditer(text)]
    if not actions:
        return None
    scalars = sorted((info.start, info.end, info.style) for doc in loaded.documents
                     for info in doc.nodes.values() if info.style is not None and info.end > info.start)
    from bisect import bisect_right

    starts = [s for s, _, _ in scalars]
    for m in actions:
        i = bisect_right(starts, m.start()) - 1
        inside = scalars[i] if i >= 0 and scalars[i][0] <= m.start() < scalars[i][1] else None
        if inside is None:
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = text[line_start:m.start()]
            if before.lstrip().startswith("#") or " #" in before:
                continue  # in a comment
        elif inside[2] in ("|", ">") or m.group("helm") is None:
            continue
        close = text.find("}}", m.start())
        newline = text.find("\n", m.start())
        end = close + 2 if close != -1 and (newline == -1 or close < newline) else m.end()
        return m.start(), end
    return None

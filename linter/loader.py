"""Read files into Documents: every key and value with its span, bad input as diagnostics.

Parsing uses ruamel.yaml's libyaml-backed composer (fast, and its node marks give the
spans); the round-trip loader is far slower and is kept for editing text only. Nothing in
here raises on bad input: unreadable, binary, oversized, too deep, alias bombs, Helm
templates, syntax errors and duplicate keys all become diagnostics on the LoadedFile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from argolint.diagnostics import Diagnostic, Path, Severity, Span, json_pointer
from argolint.positions import NodeInfo, SourceText

ARGO_KINDS = frozenset({"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"})
INDEXED_KINDS = frozenset(
    {"ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap"}
)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 200
MAX_ALIAS_EXPANSION = 100_000

_HELM = re.compile(
    r"\{\{-?\s*(?:-\s*)?(?:\.[A-Za-z$]|\$|/\*|(?:if|else|end|range|with|define|template|include|block"
    r"|toYaml|tpl|required|default|quote|printf|lookup)\b)"
)


@dataclass
class LimitOptions:
    max_file_bytes: int = MAX_FILE_BYTES
    max_depth: int = MAX_DEPTH
    max_alias_expansion: int = MAX_ALIAS_EXPANSION


@dataclass
class Document:
    """One YAML document of a file, with its data and the span of every node in it."""

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
        the object that should hold it.
        """
        path = tuple(path)
        info = self.nodes.get(path)
        while info is None and path:
            path = path[:-1]
            info = self.nodes.get(path)
            at = "key"
        if info is None:
            return Span(self.start_line, 1, self.start_line, 1)
        if at == "key" and info.key is not None:
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
        b = offsets[end - 1] + 1 if end > start else a
        line, col = src.position(a)
        end_line, end_col = src.position(b)
        return Span(line, col, end_line, end_col)


@dataclass
class LoadedFile:
    """A file (or stdin) as read: its text, its documents and the problems met reading it."""

    path: str
    source: SourceText = field(default_factory=lambda: SourceText(""))
    documents: list = field(default_factory=list)
    diagnostics: list = field(default_factory=list)

    def diagnostic(self, rule: str, message: str, span: Span, hint: Optional[str] = None,
                   document: Optional[int] = None, severity: Severity = Severity.ERROR) -> None:
        self.diagnostics.append(
            Diagnostic(rule=rule, severity=severity, message=message, hint=hint, file=self.path,
                       line=span.line, column=span.column, end_line=span.end_line,
                       end_column=span.end_column, document=document)
        )


def read_file(path: str, display: Optional[str] = None, limits: LimitOptions = LimitOptions()) -> LoadedFile:
    display = display or path
    loaded = LoadedFile(display)
    try:
        import os

        size = os.path.getsize(path)
        if size > limits.max_file_bytes:
            loaded.diagnostic(
                "input-too-large",
                f"file is {size / 1048576:.1f} MiB, over the {limits.max_file_bytes / 1048576:.0f} MiB limit; not linted",
                Span(1, 1, 1, 1),
                hint="split it, or raise `max-file-size` in the configuration",
            )
            return loaded
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        loaded.diagnostic("unreadable-file", f"cannot read file: {exc.strerror or exc}", Span(1, 1, 1, 1))
        return loaded
    return load_bytes(data, display, limits, loaded)


def load_bytes(data: bytes, display: str, limits: LimitOptions = LimitOptions(),
               loaded: Optional[LoadedFile] = None) -> LoadedFile:
    loaded = loaded or LoadedFile(display)
    if len(data) > limits.max_file_bytes:
        loaded.diagnostic(
            "input-too-large",
            f"input is {len(data) / 1048576:.1f} MiB, over the {limits.max_file_bytes / 1048576:.0f} MiB limit; not linted",
            Span(1, 1, 1, 1),
            hint="split it, or raise `max-file-size` in the configuration",
        )
        return loaded
    text = _decode(data, loaded)
    if text is None:
        return loaded
    return load_text(text, display, limits, loaded)


def _decode(data: bytes, loaded: LoadedFile) -> Optional[str]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        loaded.diagnostic("unreadable-file", f"binary file (NUL byte on line {line}); not linted", Span(1, 1, 1, 1))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        loaded.diagnostic(
            "unreadable-file",
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded; not linted",
            Span(line, col, line, col + 1),
            hint="YAML files must be UTF-8 (or UTF-16 with a byte order mark)",
        )
        return None


def load_text(text: str, display: str, limits: LimitOptions = LimitOptions(),
              loaded: Optional[LoadedFile] = None) -> LoadedFile:
    loaded = loaded or LoadedFile(display)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    loaded.source = src = SourceText(text)
    helm = _helm_action(text)
    if helm:
        line, col = src.position(helm.start())
        end = text.find("}}", helm.start())
        end_line, end_col = src.position(end + 2 if end != -1 else helm.end())
        if end_line != line:
            end_line, end_col = line, col + 2
        loaded.diagnostic(
            "helm-template",
            "this is a Helm (Go) template, not a manifest; argolint checks rendered manifests",
            Span(line, col, end_line, end_col),
            hint="lint the rendered output: `helm template . | argolint -`",
        )
        return loaded
    depth_line = _too_deep(text, limits.max_depth)
    if depth_line:
        loaded.diagnostic(
            "input-too-large",
            f"nesting deeper than {limits.max_depth} levels; not linted",
            Span(depth_line, 1, depth_line, len(src.line_text(depth_line)) + 1 or 2),
        )
        return loaded
    _compose(loaded, text, limits)
    return loaded


def _helm_action(text: str):
    """The first Go template action outside comments, as a match, or None."""
    if "{{" not in text:
        return None
    for m in _HELM.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start : m.start()]
        if before.lstrip().startswith("#") or " #" in before:
            continue
        return m
    return None


def _too_deep(text: str, limit: int) -> int:
    """The line where nesting first exceeds `limit` levels, or 0.

    libyaml's composer recurses in C and crashes the process on very deep input, so this
    must run first. A cheap upper bound (indentation, flow brackets, compact `- ` items) is
    computed per line; only when it exceeds the limit is the real depth measured from the
    parser's event stream, which libyaml produces without recursion.
    """
    flow = 0
    suspicious = False
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        opens = stripped.count("[") + stripped.count("{")
        bound = (len(line) - len(stripped)) + stripped.count("- ") + flow + opens
        flow = max(0, flow + opens - stripped.count("]") - stripped.count("}"))
        if bound > limit:
            suspicious = True
            break
    if not suspicious:
        return 0
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    depth = 0
    try:
        for event in YAML(typ="safe", pure=False).parse(text):
            name = type(event).__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > limit:
                    return event.start_mark.line + 1
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except YAMLError:
        return 0
    return 0


def _document_chunks(text: str) -> list[tuple[int, str]]:
    """Split text at `---` lines: (0-based first line, chunk text) for each document."""
    lines = text.split("\n")
    chunks: list[tuple[int, list[str]]] = [(0, [])]
    for i, line in enumerate(lines):
        if line.startswith("---") and (len(line) == 3 or line[3] in " \t#"):
            if chunks[-1][1] or i > 0:
                chunks.append((i, []))
        chunks[-1][1].append(line)
    return [(start, "\n".join(body)) for start, body in chunks]


def _compose(loaded: LoadedFile, text: str, limits: LimitOptions) -> None:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="safe", pure=False)
    try:
        nodes = [n for n in yaml.compose_all(text) if n is not None]
    except YAMLError:
        nodes = None
    except RecursionError:
        nodes = None
    if nodes is not None:
        for node in nodes:
            _add_document(loaded, node, 0, limits)
        return
    # A syntax error somewhere: parse each `---` chunk on its own so the others still lint.
    for first_line, chunk in _document_chunks(text):
        try:
            chunk_nodes = [n for n in yaml.compose_all(chunk) if n is not None]
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = first_line + (mark.line if mark else 0) + 1
            col = (mark.column if mark else 0) + 1
            problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
            context = getattr(exc, "context", None)
            message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
            loaded.diagnostic("yaml-syntax", message, Span(line, col, line, col + 1),
                              document=len(loaded.documents))
            continue
        except RecursionError:
            line = first_line + 1
            loaded.diagnostic("input-too-large", "document nests too deeply to parse", Span(line, 1, line, 2))
            continue
        for node in chunk_nodes:
            _add_document(loaded, node, first_line, limits)


class _AliasBomb(Exception):
    def __init__(self, node):
        self.node = node


def _add_document(loaded: LoadedFile, node, line_offset: int, limits: LimitOptions) -> None:
    builder = _Builder(loaded, line_offset, limits, len(loaded.documents))
    try:
        data = builder.build(node, (), None)
    except _AliasBomb as bomb:
        span = builder.span(bomb.node)
        loaded.diagnostic(
            "input-too-large",
            f"aliases expand this document beyond {limits.max_alias_expansion:,} nodes (an alias bomb?); not linted",
            span, document=len(loaded.documents),
        )
        data = None
    doc = Document(loaded, len(loaded.documents), data, builder.nodes, node.start_mark.line + line_offset + 1)
    for d in loaded.diagnostics:
        if d.document == doc.index:
            d.kind, d.name = doc.kind, doc.name
    loaded.documents.append(doc)


_INT_BASES = (("0x", 16), ("0o", 8))


def _scalar(node) -> Any:
    tag = node.tag
    raw = node.value
    if tag == "tag:yaml.org,2002:str" or not tag.startswith("tag:yaml.org,2002:"):
        return raw
    try:
        if tag == "tag:yaml.org,2002:int":
            s = raw.replace("_", "")
            sign = -1 if s.startswith("-") else 1
            body = s.lstrip("+-")
            for prefix, base in _INT_BASES:
                if body.lower().startswith(prefix):
                    return sign * int(body[2:], base)
            return int(s)
        if tag == "tag:yaml.org,2002:float":
            low = raw.lower().replace("_", "")
            if low in (".inf", "+.inf"):
                return float("inf")
            if low == "-.inf":
                return float("-inf")
            if low == ".nan":
                return float("nan")
            return float(low)
        if tag == "tag:yaml.org,2002:bool":
            return raw.lower() in ("true", "yes", "on", "y")
        if tag == "tag:yaml.org,2002:null":
            return None
    except ValueError:
        return raw
    return raw


class _Builder:
    """Turns a composed node tree into plain Python data plus a NodeInfo per path."""

    def __init__(self, loaded: LoadedFile, line_offset: int, limits: LimitOptions, doc_index: int):
        self.loaded = loaded
        self.src = loaded.source
        self.line_offset = line_offset
        self.limits = limits
        self.doc_index = doc_index
        self.nodes: dict = {}
        self.seen: set = set()
        self.expanded = 0

    def span(self, node) -> Span:
        s, e = node.start_mark, node.end_mark
        line, col = s.line + self.line_offset + 1, s.column + 1
        end_line, end_col = e.line + self.line_offset + 1, e.column + 1
        if end_col == 1 and end_line > line:
            end_line -= 1
            end_col = len(self.src.line_text(end_line)) + 1
        return Span(line, col, end_line, end_col)

    def build(self, node, path: Path, key_span: Optional[Span], aliased: bool = False) -> Any:
        nid = id(node)
        if nid in self.seen:
            aliased = True
        else:
            self.seen.add(nid)
        if aliased:
            self.expanded += 1
            if self.expanded > self.limits.max_alias_expansion:
                raise _AliasBomb(node)
        span = self.span(node)
        kind = node.id
        if kind == "scalar":
            start = self.src.offset(span.line, span.column)
            end = self.src.offset(span.end_line, span.end_column)
            self.nodes[path] = NodeInfo(key_span, span, node.style or "", start, end)
            return _scalar(node)
        self.nodes[path] = NodeInfo(key_span, span, None, 0, 0)
        if kind == "sequence":
            return [self.build(item, path + (i,), None, aliased) for i, item in enumerate(node.value)]
        result: dict = {}
        first_key_span: dict = {}
        merges = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merges.append(value_node)
                continue
            key = key_node.value if key_node.id == "scalar" else str(key_node.value)
            kspan = self.span(key_node)
            if key in first_key_span:
                self.loaded.diagnostic(
                    "duplicate-key",
                    f"key '{key}' is given twice in this mapping; the first is on line {first_key_span[key].line}",
                    kspan, hint="the later value wins (as in Kubernetes); remove one of them",
                    document=self.doc_index,
                )
                self.loaded.diagnostics[-1].path = json_pointer(path + (key,))
            first_key_span[key] = kspan
            result[key] = self.build(value_node, path + (key,), kspan, aliased)
        for merge in merges:
            sources = merge.value if merge.id == "sequence" else [merge]
            for source in sources:
                if source.id != "mapping":
                    continue
                for key_node, value_node in source.value:
                    key = key_node.value if key_node.id == "scalar" else str(key_node.value)
                    if key not in result:
                        result[key] = self.build(value_node, path + (key,), self.span(key_node), True)
        return result

"""Read files into Documents: every key and value with its span, bad input as diagnostics.

Parsing uses libyaml (through ruamel.yaml.clib) as an event stream from which
`yaml_events` builds the data and spans without recursion; the round-trip loader is far
slower and is kept for editing text only.

Nothing in here raises on bad input: unreadable, binary, oversized, too deep, alias bombs,
Helm templates, syntax errors and duplicate keys all become diagnostics on the LoadedFile,
and the other documents of the file are still loaded.
"""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache
from typing import Any, Optional

from argolint.diagnostics import Diagnostic, Path, Record, Severity, Span
from argolint.load.positions import NodeInfo, SourceText, raw_end
from argolint.load.events import DocumentBuilder, Unloadable, event_source, resolve_plain, resolve_plain_1_2

ARGO_KINDS = frozenset({"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"})
INDEXED_KINDS = frozenset(
    {"ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap"}
)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 200
MAX_ALIAS_EXPANSION = 100_000


class LimitOptions(Record):
    _fields = ("max_file_bytes", "max_depth", "max_alias_expansion", "yaml_1_2")

    def __init__(self, max_file_bytes: int = MAX_FILE_BYTES, max_depth: int = MAX_DEPTH,
                 max_alias_expansion: int = MAX_ALIAS_EXPANSION, yaml_1_2: bool = False):
        self.max_file_bytes = max_file_bytes
        self.max_depth = max_depth
        self.max_alias_expansion = max_alias_expansion
        self.yaml_1_2 = yaml_1_2  # plain `on`/`off`/`yes`/`no` stay strings (configuration files)


class Document(Record):
    """One YAML document of a file, with its data and the span of every node in it.

    `index` is the document's 0-based position in its file; a document that could not be
    loaded (syntax error, too deep, alias bomb) keeps its place with `data` None.
    """

    _fields = ("file", "index", "data", "nodes", "start_line")

    def __init__(self, file: "LoadedFile", index: int, data: Any, nodes: Optional[dict] = None, start_line: int = 1):
        self.file = file
        self.index = index
        self.data = data
        self.nodes = {} if nodes is None else nodes  # Path -> NodeInfo
        self.start_line = start_line
        # (start, end) of a scalar in the file -> its offset map, computed once: a scalar with
        # a thousand findings in it must not be walked a thousand times
        self.offset_maps = {}

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
        from argolint.load.positions import scalar_offsets

        src = info.source
        offsets = self.offset_maps.get((info.start, info.end))
        if offsets is None:
            offsets = self.offset_maps[info.start, info.end] = scalar_offsets(src.text, info.start, info.end,
                                                                            info.style, value)
        start = max(0, min(start, len(value)))
        end = max(start, min(end, len(value)))
        a = offsets[start]
        b = offsets[end] if end == len(value) else raw_end(src.text, offsets[end - 1], info.style) if end > start else a
        return src.span(a, max(a, b))


class LoadedFile(Record):
    """A file (or stdin) as read: its text, its documents and the problems met reading it."""

    _fields = ("path", "source", "documents", "diagnostics", "skipped")

    def __init__(self, path: str, source: Optional[SourceText] = None, documents: Optional[list] = None,
                 diagnostics: Optional[list] = None, skipped: Optional[str] = None):
        self.path = path
        self.source = SourceText("") if source is None else source
        self.documents = [] if documents is None else documents
        self.diagnostics = [] if diagnostics is None else diagnostics
        # Why the file was passed over without a diagnostic (a Helm template of other kinds, a
        # file that does not parse and is no Argo manifest); `-v` lists them.
        self.skipped = skipped

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
    byte is ever read. A FIFO, device or socket is not read at all (opening one for reading
    can block forever): it is an unreadable-file diagnostic."""
    loaded = LoadedFile(display or path)
    data = _read_bytes(path, loaded, limits)
    return loaded if data is None else load_bytes(data, loaded.path, limits, loaded)


def read_data_file(path: str, limits: LimitOptions = LimitOptions()) -> tuple[list, list]:
    """The data of every document of a YAML/JSON file that is no manifest (a mock file, a
    parameter file) and the problems met: read as `read_file` reads, parsed by `load_values`,
    so a broken file is reported whatever it looks like (`load_text` sets aside a broken
    file that shows no sign of Argo)."""
    loaded = LoadedFile(path)
    data = _read_bytes(path, loaded, limits)
    text = None if data is None else _decode(data, loaded)
    if text is None:
        return [], loaded.diagnostics
    return load_values(text, path, limits)


def _read_bytes(path: str, loaded: LoadedFile, limits: LimitOptions) -> Optional[bytes]:
    """The bytes of the file at `path`, or None with the reason among `loaded`'s diagnostics."""
    try:
        data, status = read_regular_file(path, limits.max_file_bytes)
    except OSError as exc:
        loaded.diagnostic("unreadable-file", f"cannot read file: {exc.strerror or exc}", Span(1, 1, 1, 1),
                          hint="check that it exists and that you may read it")
        return None
    if not stat.S_ISREG(status.st_mode):
        loaded.diagnostics.extend(special_file(loaded.path, status.st_mode).diagnostics)
        return None
    if data is None:
        _too_large(loaded, "file", status.st_size, limits)
    return data


def read_regular_file(path: str, max_bytes: int) -> tuple[Optional[bytes], os.stat_result]:
    """The bytes of a regular file of at most `max_bytes` (None when it is larger, or not a
    regular file), and its status. Opened without blocking, so a FIFO named like a manifest
    cannot hang the run; raises OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as fh:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or status.st_size > max_bytes:
            return None, status
        data = fh.read(min(status.st_size, max_bytes) + 1)  # a file may grow while it is read
    return (data if len(data) <= max_bytes else None), status


def special_file(display: str, mode: int) -> LoadedFile:
    """The unreadable-file diagnostic of a FIFO, device or socket, which is never read."""
    if stat.S_ISFIFO(mode):
        what = "a named pipe"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    else:
        what = "a special file"
    loaded = LoadedFile(display)
    loaded.diagnostic("unreadable-file", f"not a regular file ({what}); not linted", Span(1, 1, 1, 1),
                      hint="pipe its content to `argolint -` to lint what it produces")
    return loaded


def read_stdin(display: str, limits: LimitOptions = LimitOptions()) -> LoadedFile:
    """Load standard input, at most the limit plus one byte; a closed or missing stdin (a
    hook run with `<&-`) is an unreadable-file diagnostic."""
    import sys

    stream = getattr(sys.stdin, "buffer", None)
    try:
        if stream is None:
            raise OSError("standard input is closed")
        data = stream.read(limits.max_file_bytes + 1)
    except (OSError, ValueError) as exc:  # ValueError: I/O operation on closed file
        loaded = LoadedFile(display)
        loaded.diagnostic("unreadable-file", f"cannot read standard input: {getattr(exc, 'strerror', None) or exc}",
                          Span(1, 1, 1, 1), hint="pipe the manifest in, or name the file")
        return loaded
    return load_bytes(data, display, limits)


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
              loaded: Optional[LoadedFile] = None, chunks=None) -> LoadedFile:
    """`chunks` (a `load.chunks.KeptChunks`, the language server's for one buffer) lends
    the documents of the `---` chunks unchanged since the text it last loaded."""
    loaded = _load_documents(text, loaded or LoadedFile(display), limits, chunks)
    text = loaded.source.text
    if "manifest" in text:
        from argolint.load.embedded import embedded_manifest_problems

        for document in loaded.documents:
            if document.is_argo:
                loaded.diagnostics.extend(embedded_manifest_problems(document, limits))
    if "{{" in text:
        from argolint.load.helm import helm_action

        helm = helm_action(text, loaded.documents)
        if helm is not None:
            _helm_template(loaded, text, *helm)
            return loaded
    if loaded.diagnostics and not looks_like_argo(text) and any(d.rule == "yaml-syntax" for d in loaded.diagnostics):
        # a JSONC tsconfig.json, a broken values.yaml: not ours to judge
        loaded.diagnostics = []
        loaded.skipped = "does not parse and is no Argo manifest"
    return loaded


def load_values(text: str, display: str = "<text>", limits: LimitOptions = LimitOptions()) -> tuple[list, list]:
    """The data of every document of `text` and the problems met, through the same bounded
    parse as manifests (depth, aliases, size): every YAML argolint reads, whatever it is
    (configuration, a resource template's manifest, the schema overlay), is read here.
    A document that cannot be loaded is left out of the values and has its diagnostic."""
    loaded = LoadedFile(display)
    if len(text) > limits.max_file_bytes:
        _too_large(loaded, "text", len(text.encode("utf-8", "replace")), limits)
        return [], loaded.diagnostics
    loaded = _load_documents(text, loaded, limits)
    return [d.data for d in loaded.documents if d.data is not None], loaded.diagnostics


def _load_documents(text: str, loaded: LoadedFile, limits: LimitOptions, chunks=None) -> LoadedFile:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    loaded.source = SourceText(text)
    if chunks is not None:
        from argolint.load.chunks import parse_reusing

        if parse_reusing(loaded, text, limits, chunks):
            return loaded
    _parse(loaded, text, limits)
    return loaded


# Signs that a text is meant as an Argo Workflows manifest even when it does not parse: a
# `kind:` line (YAML or JSON) naming one of its kinds, or an argoproj.io apiVersion when no
# kind is visible (an Argo CD `kind: Application` is argoproj.io too, and not ours).
ARGO_KIND_LINE = re.compile(
    r"(?:^[ \t-]*kind|\"kind\")[ \t]*:[ \t]*[\"']?(?:" + "|".join(sorted(ARGO_KINDS)) + r")[\"']?[ \t]*(?:[,}#]|$)",
    re.M)
_ANY_KIND_LINE = re.compile(r"(?:^[ \t-]*kind|\"kind\")[ \t]*:", re.M)
_ARGO_API_VERSION = re.compile(r"""(?:^[ \t-]*apiVersion|"apiVersion")[ \t]*:[ \t]*["']?argoproj\.io/""", re.M)


def looks_like_argo(text: str) -> bool:
    if ARGO_KIND_LINE.search(text):
        return True
    return bool(_ARGO_API_VERSION.search(text)) and not _ANY_KIND_LINE.search(text)


def _helm_template(loaded: LoadedFile, text: str, start: int, end: int) -> None:
    """A chart template: one warning when it renders an Argo manifest (its kind, or its
    apiVersion, is visible), else nothing at all; a ConfigMap template is not argolint's
    business."""
    loaded.documents = []
    loaded.diagnostics = []
    if not looks_like_argo(text):
        loaded.skipped = "Helm template of no Argo manifest"
        return
    loaded.diagnostic(
        "helm-template",
        "this is a Helm (Go) template, not a manifest; argolint checks rendered manifests",
        loaded.source.span(start, end),
        hint="lint the rendered output: `helm template . | argolint -`",
        severity=Severity.WARNING,
    )


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


class _Stopped(Record):
    _fields = ("resume_after", "retry_from")

    def __init__(self, resume_after: int, retry_from: Optional[int] = None):
        self.resume_after = resume_after  # parsing may resume at the first `---` line after this offset
        self.retry_from = retry_from  # the document starting here is to be parsed again, by the pure parser


@lru_cache(maxsize=1)
def _not_yaml_character():
    """Characters libyaml refuses (C0/C1 controls but tab and line breaks, DEL, BOM inside
    the text, non-characters, lone surrogates). Compiled on first use (~0.6 ms): only a
    syntax error needs it."""
    return re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")


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

    builder: Optional[DocumentBuilder] = None
    try:
        next_event = event_source(chunk, pure)
        while True:
            event = next_event()
            kind = type(event)
            if kind is DocumentStartEvent:
                builder = DocumentBuilder(loaded.source, loaded.path, len(loaded.documents), base,
                                          base + event.start_mark.index, limits.max_depth,
                                          limits.max_alias_expansion,
                                          resolve_plain_1_2 if limits.yaml_1_2 else resolve_plain)
                data, nodes, start_line = builder.build(next_event)
                document = Document(loaded, builder.index, data, nodes, start_line)
                for diagnostic in builder.pending:
                    diagnostic.kind, diagnostic.name = document.kind, document.name
                loaded.diagnostics.extend(builder.pending)
                loaded.documents.append(document)
                builder = None
            elif kind is StreamEndEvent:
                return None
    except Unloadable as stop:
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


def _syntax_problem(exc: Exception, chunk: str, base: int, source: SourceText) -> Unloadable:
    bad = _not_yaml_character().search(chunk)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if bad is not None and (mark is None or not getattr(exc, "problem", None)):
        # a reader error (or a str libyaml cannot encode): it names a byte offset, find the char
        return Unloadable("yaml-syntax", f"YAML syntax error: character U+{ord(bad.group()):04X} is not allowed "
                          "in YAML", base + bad.start(),
                          hint="remove it, or write it as an escape in a double-quoted string")
    offset = base + (mark.index if mark is not None else 0)
    problem = getattr(exc, "problem", None) or str(exc).split("\n")[0] or type(exc).__name__
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}"
    context_mark = getattr(exc, "context_mark", None)
    if context:
        where = ""
        if context_mark is not None:
            line = source.position(base + context_mark.index)[0]
            if line != source.position(offset)[0]:
                where = f" on line {line}"
        message += f" ({context}{where})"
    return Unloadable("yaml-syntax", message, offset)



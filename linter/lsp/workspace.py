"""What the language server knows between keystrokes, and linting one buffer with it.

The workspace's manifests on disk are read once and kept (only files holding Argo or
RBAC/ConfigMap documents: the ones `templateRef` and the RBAC rules can use); a file is
read again when the editor reports it changed. Open buffers are parsed when they change,
and their last parse is reused while linting the others. Linting a buffer then costs one
parse of that buffer, an index of the kept files and one engine run: the CLI's path
(`argolint.lint.runner.lint_project`) with the buffer as the only reported file. In a
buffer of several documents, only what an edit changed is parsed and linted again: the
parse of each unchanged `---` chunk is kept from the last version (`load.chunks`), and the
findings of each unchanged document while nothing they depend on changed (`lint.reuse`).

Nothing here imports pygls or lsprotocol, and nothing here is thread-safe: the server calls
it from one worker thread only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Iterator, Optional

from argolint.config import CONFIG_FILES, Config, ConfigError, load_config
from argolint.diagnostics import Severity, Span
from argolint.lint.reuse import DocumentMemo
from argolint.load.chunks import KeptChunks
from argolint.load.loader import (ARGO_KIND_LINE, ARGO_KINDS, INDEXED_KINDS, LimitOptions, LoadedFile, load_bytes,
                                  load_text, read_regular_file)
from argolint.analysis.project import Project
from argolint.load.files import EXTENSIONS, walk

MAX_WALKED_FILES = 20_000

_KINDS = "|".join(sorted(ARGO_KINDS | INDEXED_KINDS, key=len, reverse=True))
# A cheap look at a file's bytes before parsing it: does it declare a kind worth indexing?
_INDEXABLE = re.compile(rb"(?:^[ \t-]*kind|\"kind\")[ \t]*:[ \t]*[\"']?(?:" + _KINDS.encode() + rb")\b", re.M)


_WARM_UP = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: warm-up-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: echo, arguments: {parameters: [{name: m, value: "{{workflow.name}}"}]}}
      - {name: b, depends: a.Succeeded, when: "{{tasks.a.outputs.result}} == x", template: echo,
         arguments: {parameters: [{name: m, value: "{{=sprig.upper(tasks.a.outputs.result)}}"}]}}
  - name: echo
    inputs: {parameters: [{name: m}]}
    container: {image: "alpine:3.20", args: ["{{inputs.parameters.m}}"]}
"""


@dataclass
class Buffer:
    """An open document: the editor's text of one version, and its parse once made."""

    path: str  # the file path when the document is a file, else its URI
    version: int
    text: str
    loaded: Optional[LoadedFile] = None
    # what the last version's parse and lint found in each document, for the next version's
    # unchanged ones
    chunks: KeptChunks = field(default_factory=KeptChunks)
    memo: DocumentMemo = field(default_factory=DocumentMemo)


@dataclass
class BufferLint:
    """One lint of one version of a buffer, kept for hover, code actions and completion."""

    key: str
    version: int
    text: str
    loaded: LoadedFile
    project: Project
    config: Config
    diagnostics: list = field(default_factory=list)
    generation: int = 0  # of the workspace index it was linted against
    config_error: Optional[str] = None  # why the configuration fell back to the defaults


def is_reportable(loaded: LoadedFile) -> bool:
    """Whether a buffer gets diagnostics: it holds an Argo document, or it does not parse
    but one of its `kind:` lines names an Argo kind (so a Workflow with a syntax error still
    shows the error, while other YAML files stay silent). A buffer too large to load gets
    its input-too-large diagnostic, as the CLI gives it, rather than silence."""
    if any(doc.is_argo for doc in loaded.documents):
        return True
    if any(d.rule == "input-too-large" and not loaded.documents for d in loaded.diagnostics):
        return True
    return bool(loaded.diagnostics) and ARGO_KIND_LINE.search(loaded.source.text) is not None


def _is_config_file(path: str) -> bool:
    return os.path.basename(path) in CONFIG_FILES


def _limits(config: Config) -> LimitOptions:
    return LimitOptions(max_file_bytes=config.max_file_size * 1024 * 1024)


class Workspace:
    def __init__(self, roots=()):
        self.roots: list[str] = [os.path.realpath(r) for r in roots]
        self.disk: dict[str, LoadedFile] = {}  # real path -> parse, indexable files only
        self.buffers: dict[str, Buffer] = {}  # key -> open document
        self.generation = 0  # bumped whenever something other buffers may depend on changes
        self.truncated = False  # the walk stopped at MAX_WALKED_FILES
        self._configs: dict[str, tuple[Config, Optional[str]]] = {}
        self._indexed_dirs: set[str] = set()

    def warm_up(self) -> None:
        """Import the rules and the analyses they load lazily, so the first document opened
        does not wait for them."""
        from argolint.lint.runner import lint_project

        project = Project()
        project.add(load_text(_WARM_UP, "warm-up.yaml"))
        lint_project(project, Config())

    # -- the files on disk -------------------------------------------------------------

    def index(self, roots=None) -> int:
        """Read the indexable manifests under `roots` (default: the workspace folders);
        returns how many were kept."""
        before = len(self.disk)
        for root in self.roots if roots is None else roots:
            root = os.path.realpath(root)
            if root in self._indexed_dirs:
                continue
            self._indexed_dirs.add(root)
            for path in self._walk(root):
                self._read(path)
        self.generation += 1
        return len(self.disk) - before

    def add_root(self, root: str) -> None:
        root = os.path.realpath(root)
        if root not in self.roots:
            self.roots.append(root)
            self.index([root])

    def remove_root(self, root: str) -> None:
        root = os.path.realpath(root)
        if root in self.roots:
            self.roots.remove(root)
        self._indexed_dirs.discard(root)
        prefix = root.rstrip(os.sep) + os.sep
        for path in [p for p in self.disk if p.startswith(prefix)]:
            del self.disk[path]
        self.generation += 1

    def _walk(self, root: str) -> Iterator[str]:
        if os.path.isfile(root):
            yield root
            return
        seen = 0
        # as the CLI walks a project context: .gitignore, excludes, vendor and hidden folders
        options = self.config_for(os.path.join(root, "x.yaml"))[0].walk_options()
        for path in walk(root, options):
            seen += 1
            if seen > MAX_WALKED_FILES:
                self.truncated = True
                return
            yield path

    def _read(self, path: str) -> bool:
        """(Re)read one file into the index; whether the index changed."""
        path = os.path.realpath(path)
        had = self.disk.pop(path, None) is not None
        config, _ = self.config_for(path)
        limits = _limits(config)
        try:
            data, _ = read_regular_file(path, limits.max_file_bytes)
        except OSError:
            return had
        if data is None:  # too large, or a FIFO or device, which is never read
            return had
        if not _INDEXABLE.search(data):
            return had
        try:
            loaded = load_bytes(data, path, limits)
        except Exception:  # a loader bug: the file is just not indexed
            return had
        if any(doc.is_argo or doc.kind in INDEXED_KINDS for doc in loaded.documents):
            self.disk[path] = loaded
            return True
        return had

    def covers(self, path: str) -> bool:
        """Whether `path` lies under a workspace folder or template path that was indexed."""
        real = os.path.realpath(path)
        return any(real == d or real.startswith(d.rstrip(os.sep) + os.sep) for d in self._indexed_dirs)

    def file_changed(self, path: str) -> bool:
        """The editor says `path` was created or changed on disk. Whether lints may change."""
        if _is_config_file(path):
            self._configs.clear()
            self.generation += 1
            return True
        if not path.endswith(EXTENSIONS):
            return False
        if not self.covers(path) and os.path.realpath(path) not in self.disk:
            return False  # not part of the project: only open buffers stand for such files
        changed = self._read(path)
        if changed:
            self.generation += 1
        return changed

    def file_deleted(self, path: str) -> bool:
        if _is_config_file(path):
            return self.file_changed(path)
        removed = self.disk.pop(os.path.realpath(path), None) is not None
        if not removed:  # a deleted folder: drop what was under it
            prefix = os.path.realpath(path).rstrip(os.sep) + os.sep
            gone = [p for p in self.disk if p.startswith(prefix)]
            for p in gone:
                del self.disk[p]
            removed = bool(gone)
        if removed:
            self.generation += 1
        return removed

    # -- configuration -----------------------------------------------------------------

    def config_for(self, path: str) -> tuple[Config, Optional[str]]:
        """The configuration that applies to `path` (searched upwards from its folder, as
        the CLI does from the current directory), and the error that made it fall back to
        the defaults, if any."""
        folder = os.path.dirname(path) if os.path.isabs(path) else (self.roots[0] if self.roots else os.getcwd())
        cached = self._configs.get(folder)
        if cached is None:
            try:
                cached = (load_config(start=folder), None)
            except ConfigError as exc:
                cached = (Config(), str(exc))
            self._configs[folder] = cached
        return cached

    def _index_template_paths(self, config: Config) -> None:
        fresh = [config.resolve(p) for p in config.template_paths]
        fresh = [p for p in fresh if os.path.realpath(p) not in self._indexed_dirs and os.path.exists(p)]
        if fresh:
            self.index(fresh)

    # -- open documents ----------------------------------------------------------------

    def open(self, key: str, path: str, version: int, text: str) -> None:
        self.buffers[key] = Buffer(path, version, text)
        self.generation += 1

    def change(self, key: str, version: int, text: str) -> None:
        buffer = self.buffers.get(key)
        if buffer is not None and buffer.version != version:
            self.buffers[key] = Buffer(buffer.path, version, text, chunks=buffer.chunks, memo=buffer.memo)
            self.generation += 1

    def close(self, key: str) -> None:
        if self.buffers.pop(key, None) is not None:
            self.generation += 1

    def _parse(self, buffer: Buffer, config: Config) -> LoadedFile:
        if buffer.loaded is None:
            buffer.loaded = parse(buffer.text, buffer.path, config, buffer.chunks)
        return buffer.loaded

    def lint(self, key: str, cancelled=None) -> BufferLint:
        """Lint the current version of an open buffer with everything else indexed;
        `cancelled()` may stop it (argolint.lint.engine.Cancelled)."""
        from argolint.lint.runner import lint_project

        buffer = self.buffers[key]
        config, config_error = self.config_for(buffer.path)
        self._index_template_paths(config)
        loaded = self._parse(buffer, config)
        project = Project()
        project.add(loaded)
        own = os.path.realpath(buffer.path) if os.path.isabs(buffer.path) else None
        for other_key, other in self.buffers.items():
            if other_key != key:
                project.add(self._parse(other, self.config_for(other.path)[0]), reported=False)
        open_paths = {os.path.realpath(b.path) for b in self.buffers.values() if os.path.isabs(b.path)}
        for path, disk in self.disk.items():
            if path != own and path not in open_paths:
                project.add(disk, reported=False)
        diagnostics = []
        if is_reportable(loaded):
            buffer.memo.begin(project, loaded, config)
            diagnostics = lint_project(project, config, cancelled=cancelled, memo=buffer.memo).diagnostics
            buffer.memo.finish()
        return BufferLint(key, buffer.version, buffer.text, loaded, project, config, diagnostics, self.generation,
                          config_error)


def parse(text: str, path: str, config: Config, chunks: Optional[KeptChunks] = None) -> LoadedFile:
    """A buffer's text as the CLI would load the file, never raising; `chunks` lends the
    parse of the documents unchanged since its last text."""
    limits = _limits(config)
    try:
        if len(text) * 4 > limits.max_file_bytes and len(text.encode("utf-8", "replace")) > limits.max_file_bytes:
            return load_bytes(text.encode("utf-8", "replace"), path, limits)
        return load_text(text, path, limits, chunks=chunks)
    except Exception as exc:  # a loader bug must not take the server down
        loaded = LoadedFile(path)
        loaded.diagnostic("internal-error", f"loading this file crashed: {type(exc).__name__}: {exc}",
                          Span(1, 1, 1, 1), hint="this is a bug in argolint; please report it with this file",
                          severity=Severity.ERROR)
        return loaded


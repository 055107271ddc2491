"""The project context: WorkflowTemplates and RBAC manifests of the whole project, indexed
so that a run's answer does not depend on which files it was given (pre-commit passes only
the staged ones). Diagnostics are still reported only for the files named.

The root is `context` of the configuration (or `--context`), else the configuration file's
folder, else the git root, else the common folder of the paths given. Only files that look
like Argo or RBAC manifests are loaded; what was extracted from each is cached in
`ROOT/.argolint_cache/` as JSON, keyed by path, size and mtime, so a repository of
thousands of files costs a `stat` each after the first run.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Iterable, Optional

from argolint.load.files import WalkOptions, find_git_root, real_path, walk
from argolint.load.loader import (INDEXED_KINDS, Document, LimitOptions, LoadedFile, load_bytes,
                                  read_regular_file)

CACHE_DIR = ".argolint_cache"
CACHE_FILE = "context-index.json"
CACHE_VERSION = 2  # raise it whenever what is extracted, or how files are picked, changes

TEMPLATE_KINDS = ("WorkflowTemplate", "ClusterWorkflowTemplate")


@lru_cache(maxsize=1)
def _indexed_kind():
    """Cheap test on the bytes before a file is parsed: a `kind:` of a document the context
    keeps (YAML or JSON, anywhere on a line; a false match only costs a parse). Compiled on
    first use: a hook run whose files are all named never needs it."""
    kinds = "|".join(sorted({*TEMPLATE_KINDS, *INDEXED_KINDS}, key=len, reverse=True))
    return re.compile(rb"""\bkind["']?[ \t]*:[ \t]*["']?(?:""" + kinds.encode() + rb")\b")


def context_root(config, paths: Iterable[str]) -> Optional[str]:
    """The folder indexed as the project, or None when there is none worth walking (the
    paths share no folder but `/` or the home directory). The configuration's folder counts
    only when the paths lie in it: a configuration found from the current directory says
    nothing about a folder elsewhere."""
    if config.context:
        return os.path.abspath(config.resolve(config.context))
    folders = {p if os.path.isdir(p) else os.path.dirname(p) or "." for p in paths if p != "-"}
    common = os.path.commonpath([os.path.abspath(f) for f in folders] or [os.getcwd()])
    if config.source and _inside(common, os.path.abspath(config.root)):
        return os.path.abspath(config.root)
    root = find_git_root(common) or common
    if root in (os.path.abspath(os.sep), os.path.expanduser("~")):
        return None
    return root


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _indexed(doc: Document) -> bool:
    kind = doc.kind
    return (kind in TEMPLATE_KINDS and doc.is_argo) or kind in INDEXED_KINDS


def _json_safe(data) -> bool:
    """Whether `data` survives a JSON round trip unchanged (string keys, no dates)."""
    import json

    try:
        return json.loads(json.dumps(data)) == data
    except (TypeError, ValueError):
        return False


class ContextIndex:
    """The cache of facts per file: [size, mtime_ns, documents] where documents is the
    data of each indexed document (empty for a file of no interest), or None when they do
    not survive JSON and the file is loaded every time."""

    def __init__(self, root: str, use_cache: bool = True):
        self.root = root
        self.use_cache = use_cache
        self.entries: dict = self._read() if use_cache else {}
        self.changed = False
        self.seen: set = set()  # files met this run: the others left the project

    @property
    def _path(self) -> str:
        return os.path.join(self.root, CACHE_DIR, CACHE_FILE)

    def _read(self) -> dict:
        from argolint import __version__

        try:
            with open(self._path, encoding="utf-8") as fh:
                # json is imported only now: a run without a cache file (a hook whose files
                # are all named, in a project of nothing else) does without it
                import json

                stored = json.load(fh)
        except (OSError, ValueError):
            return {}
        if not isinstance(stored, dict) or stored.get("version") != [CACHE_VERSION, __version__]:
            return {}
        entries = stored.get("files")
        return entries if isinstance(entries, dict) else {}

    def write(self) -> None:
        """Save the cache when it changed; a read-only checkout just goes without."""
        import json

        from argolint import __version__

        gone = set(self.entries) - self.seen
        for key in gone:
            del self.entries[key]
        if not (self.use_cache and (self.changed or gone)):
            return
        folder = os.path.join(self.root, CACHE_DIR)
        try:
            os.makedirs(folder, exist_ok=True)
            ignore = os.path.join(folder, ".gitignore")
            if not os.path.exists(ignore):
                with open(ignore, "w", encoding="utf-8") as fh:
                    fh.write("# Automatically created by argolint.\n*\n")
            temporary = f"{self._path}.{os.getpid()}.tmp"
            with open(temporary, "w", encoding="utf-8") as fh:
                json.dump({"version": [CACHE_VERSION, __version__], "files": self.entries}, fh)
            os.replace(temporary, self._path)
        except OSError:
            pass

    def key(self, path: str) -> str:
        """`path` (under the root, as the walk gives it) relative to the root."""
        prefix = self.root.rstrip(os.sep) + os.sep
        return path[len(prefix):] if path.startswith(prefix) else os.path.relpath(path, self.root)

    def keep(self, path: str) -> None:
        self.seen.add(self.key(path))

    def documents(self, path: str, limits: LimitOptions) -> list:
        """The indexed documents of `path`: from the cache when its size and mtime match."""
        try:
            stat = os.stat(path)
        except OSError:
            return []
        key = self.key(path)
        self.seen.add(key)
        entry = self.entries.get(key)
        if isinstance(entry, list) and len(entry) == 3 and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
            if entry[2] is not None:
                return [Document(LoadedFile(path), i, data) for i, data in entry[2]]
        else:
            entry = None
        docs = self._load(path, limits, stat.st_size)
        if entry is None:
            facts = [[d.index, d.data] for d in docs]
            self.entries[key] = [stat.st_size, stat.st_mtime_ns, facts if _json_safe(facts) else None]
            self.changed = True
        return docs

    @staticmethod
    def _load(path: str, limits: LimitOptions, size: int) -> list:
        if size > limits.max_file_bytes:
            return []
        try:
            data, _ = read_regular_file(path, limits.max_file_bytes)
        except OSError:
            return []
        if data is None or not _indexed_kind().search(data):
            return []
        loaded = load_bytes(data, path, limits)
        return [d for d in loaded.documents if d.data is not None and _indexed(d)]


def context_files(root: str, named: set, options: WalkOptions, limits: LimitOptions,
                  use_cache: bool = True) -> list[LoadedFile]:
    """A LoadedFile (documents only) for each file under `root` holding WorkflowTemplates or
    RBAC manifests, except the files named (`named`: their absolute and real paths), which
    are linted."""
    index = ContextIndex(root, use_cache)
    found = []
    for path in walk(root, options):  # absolute paths, as root is
        if path in named or real_path(path) in named:
            index.keep(path)  # linted this time, still part of the project
            continue
        docs = index.documents(path, limits)
        if docs:
            loaded = LoadedFile(path)
            for doc in docs:
                doc.file = loaded
            loaded.documents = docs
            found.append(loaded)
    index.write()
    return found

"""Which files a run reads: the paths given, directories walked for YAML and JSON.

A walk skips what a repository does not consider its own: hidden folders and files,
vendor folders (`node_modules`, virtualenvs), what `.gitignore` files ignore, and the
`exclude` / `extend-exclude` globs of the configuration. A path named explicitly is
always read, as ruff does.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from functools import lru_cache
from typing import Iterable, Optional

from argolint.diagnostics import Span
from argolint.load.gitignore import read_gitignore
from argolint.load.loader import LoadedFile, special_file

EXTENSIONS = (".yaml", ".yml", ".json")
# Folders of other tools' dependencies, never walked unless named (hidden ones, `.venv`
# and `.git` included, are skipped anyway).
DEFAULT_EXCLUDE = ("node_modules", "venv", "__pycache__", "site-packages")


def _special_file(path: str) -> Optional[LoadedFile]:
    """The diagnostic of a FIFO, device or socket met in a walk, which is never opened
    (opening one can block forever); None for anything else. A path that cannot be
    inspected (a symlink loop, a dangling link) is read, which reports why it cannot be."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else special_file(path, mode)


class UsageError(Exception):
    """A path that does not exist, and the like; the CLI exits 2."""


@lru_cache(maxsize=65536)
def real_path(path: str) -> str:
    """`os.path.realpath`, remembered: a run asks for the same files' several times (to
    drop duplicates, to tell linted files from indexed ones). The folder is resolved once
    per folder (`os.path.realpath` costs an `lstat` per component of every path), so a file
    costs one `lstat` more. Clear both caches with `clear_real_paths`."""
    folder, name = os.path.split(os.path.abspath(path))
    if not name:  # the root folder
        return os.path.realpath(path)
    joined = os.path.join(_real_folder(folder), name)
    return os.path.realpath(joined) if os.path.islink(joined) else joined


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    """The real path of an absolute, normalized folder: its parent's (remembered) and one
    `lstat` of its own, not one per component as `os.path.realpath` does for each folder."""
    parent, name = os.path.split(folder)
    if not name or parent == folder or folder.count(os.sep) > 64:  # the root; or too deep to recurse
        return os.path.realpath(folder)
    joined = os.path.join(_real_folder(parent), name)
    return os.path.realpath(joined) if os.path.islink(joined) else joined


def clear_real_paths() -> None:
    """Forget the resolved paths: a long-lived caller sees links changed since its last run."""
    real_path.cache_clear()
    _real_folder.cache_clear()


def find_git_root(start: str) -> Optional[str]:
    """The nearest folder at or above `start` holding `.git` (a folder, or a file in a
    worktree or submodule); None outside a repository. No git subprocess: this is on the
    path of every run."""
    here = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


class GitIgnore:
    """The `.gitignore` files from the repository root down to each walked folder; a
    deeper file overrides a shallower one, as git does (`load.gitignore`: git's pattern
    semantics, negation, anchoring, `**`, trailing `/`, which fnmatch does not have)."""

    def __init__(self, top: Optional[str]):
        self.top = top  # the git root, or None: only the walked folders' own files count
        self._specs: dict = {}  # folder -> its .gitignore matcher (load.gitignore), or None

    def absent(self, folder: str) -> None:
        """Note that a walk's listing of `folder` showed no `.gitignore` file in it."""
        self._specs.setdefault(folder, None)

    def _spec(self, folder: str):
        if folder not in self._specs:
            spec = None
            path = os.path.join(folder, ".gitignore")
            if os.path.isfile(path):
                try:
                    spec = read_gitignore(path)
                except (OSError, ValueError):
                    spec = None
            self._specs[folder] = spec
        return self._specs[folder]

    def specs_for(self, folder: str, start: str) -> list:
        """(base folder, spec) of the `.gitignore` files that apply to entries of `folder`:
        from the git root (or `start`, the walk's top) down to `folder`."""
        top = self.top if self.top and (folder + os.sep).startswith(self.top.rstrip(os.sep) + os.sep) else start
        chain = [folder]
        while chain[-1] != top and os.path.dirname(chain[-1]) != chain[-1]:
            chain.append(os.path.dirname(chain[-1]))
        return [(base, self._spec(base)) for base in reversed(chain) if self._spec(base) is not None]

    @staticmethod
    def ignored(specs: list, name: str, is_dir: bool) -> bool:
        """Whether the last `.gitignore` with a say on the entry `name` ignores it; `specs`
        pairs each `.gitignore` with the entry's folder relative to its own (see `walk`)."""
        verdict = None
        for folder, spec in specs:
            include = spec.includes(folder + name + ("/" if is_dir else ""))
            if include is not None:
                verdict = include
        return bool(verdict)


class WalkOptions:
    """How directories are walked. `root` is the folder the exclude globs are relative to
    (the configuration's); a glob also matches an entry's base name. (A plain class: this
    module is imported on every run, and a dataclass costs its import time.)"""

    def __init__(self, root: str = ".", exclude: tuple = DEFAULT_EXCLUDE, extend_exclude: tuple = (),
                 respect_gitignore: bool = True):
        self.root = os.path.abspath(root)
        self.exclude = tuple(exclude)
        self.extend_exclude = tuple(extend_exclude)
        self.respect_gitignore = respect_gitignore
        patterns = [p.rstrip("/") for p in (*self.exclude, *self.extend_exclude) if p.rstrip("/")]
        # one regular expression for the globs on names, one for those on paths (with a `/`)
        self._names = _any_glob([p for p in patterns])
        self._paths = _any_glob([p for p in patterns if "/" in p])

    def excluded(self, folder: str, name: str) -> bool:
        """Whether the entry `name` of `folder` (absolute) matches an exclude glob."""
        if self._names is not None and self._names.match(name):
            return True
        if self._paths is None:
            return False
        return self._paths.match(os.path.relpath(os.path.join(folder, name), self.root).replace(os.sep, "/")) is not None


def _any_glob(patterns: list):
    if not patterns:
        return None
    import re

    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns))


def walk(directory: str, options: WalkOptions, on_error=None, on_special=None) -> Iterable[str]:
    """The YAML and JSON files under `directory`, sorted, skipping what a walk skips. A FIFO,
    device or socket is never opened: `on_special` gets its diagnostic (else it is passed over)."""
    start = os.path.abspath(directory)
    gitignore = GitIgnore(find_git_root(start)) if options.respect_gitignore else None
    for root, dirs, names, regular in _scan(directory, on_error):
        here = os.path.abspath(root)
        if gitignore is not None and ".gitignore" not in names:
            gitignore.absent(here)
        # Paths are joined once per folder, not per entry (a walk of a repository meets
        # thousands): each .gitignore sees an entry as this folder's path from its own
        # folder plus the entry's name.
        specs = [(_folder_prefix(os.path.relpath(here, base)).replace(os.sep, "/"), spec)
                 for base, spec in gitignore.specs_for(here, start)] if gitignore is not None else []

        def keep(name: str, is_dir: bool) -> bool:
            if name.startswith(".") or options.excluded(here, name):
                return False
            return not specs or not GitIgnore.ignored(specs, name, is_dir)

        dirs[:] = sorted(d for d in dirs if keep(d, True))
        prefix = _folder_prefix(os.path.normpath(root))  # no "./" prefix
        for name in sorted(names):
            if name.endswith(EXTENSIONS) and keep(name, False):
                found = prefix + name
                special = None if name in regular else _special_file(found)
                if special is None:
                    yield found
                elif on_special is not None:
                    on_special(special)


def _scan(top: str, on_error=None) -> Iterable[tuple]:
    """`os.walk(top, onerror=on_error)` (top-down, links to folders listed but not entered),
    each folder's tuple also carrying the names of its entries that the listing itself shows
    to be regular files, not links: those need no `stat` to be told from a FIFO or device,
    and a listed folder none to be told from a link (a walk of a repository lists thousands)."""
    try:
        listing = os.scandir(top)
    except OSError as error:
        if on_error is not None:
            on_error(error)
        return
    dirs, names, regular, links = [], [], set(), set()
    with listing:
        while True:
            try:
                entry = next(listing, None)
            except OSError as error:
                if on_error is not None:
                    on_error(error)
                return
            if entry is None:
                break
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                dirs.append(entry.name)
                if entry.is_symlink():
                    links.add(entry.name)
            else:
                names.append(entry.name)
                if entry.is_file(follow_symlinks=False):
                    regular.add(entry.name)
    yield top, dirs, names, regular
    for name in dirs:  # as the caller left them: pruned and sorted
        if name not in links:
            yield from _scan(os.path.join(top, name), on_error)


def _folder_prefix(folder: str) -> str:
    """What goes before a name to make the path of an entry of `folder` (a normalized path,
    "." for the current folder)."""
    if folder == ".":
        return ""
    return folder if folder.endswith(os.sep) else folder + os.sep


def collect(paths: Iterable[str], options: Optional[WalkOptions] = None) -> tuple[list[str], list[LoadedFile]]:
    """Files to lint under `paths` (directories recursively, see `walk`), and LoadedFiles
    carrying a diagnostic for each directory that could not be listed."""
    options = options or WalkOptions()
    files: list[str] = []
    problems: list[LoadedFile] = []
    for path in paths:
        if path == "-":
            files.append(path)
        elif os.path.isdir(path):
            def onerror(err, _problems=problems, _path=path):
                bad = LoadedFile(err.filename or _path)
                bad.diagnostic("unreadable-file", f"cannot read directory: {err.strerror or err}", Span(1, 1, 1, 1))
                _problems.append(bad)

            files.extend(walk(path, options, onerror, problems.append))
        elif os.path.lexists(path):  # a named FIFO or symlink loop is read, to report it
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or directory")
    seen = set()
    unique = []
    for f in files:
        key = f if f == "-" else real_path(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems

"""Which files a run reads: the paths given, directories walked for YAML and JSON."""

from __future__ import annotations

import os
import stat
from typing import Iterable, Optional

from argolint.diagnostics import Span
from argolint.load.loader import LoadedFile, special_file

EXTENSIONS = (".yaml", ".yml", ".json")


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


def collect(paths: Iterable[str]) -> tuple[list[str], list[LoadedFile]]:
    """Files to lint under `paths` (directories recursively, hidden folders skipped), and
    LoadedFiles carrying a diagnostic for each directory that could not be listed."""
    files: list[str] = []
    problems: list[LoadedFile] = []
    for path in paths:
        if path == "-":
            files.append(path)
        elif os.path.isdir(path):
            def onerror(err, _problems=problems):
                bad = LoadedFile(err.filename or path)
                bad.diagnostic("unreadable-file", f"cannot read directory: {err.strerror or err}", Span(1, 1, 1, 1))
                _problems.append(bad)

            for root, dirs, names in os.walk(path, onerror=onerror):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.endswith(EXTENSIONS) and not name.startswith("."):
                        found = os.path.normpath(os.path.join(root, name))  # no "./" prefix
                        special = _special_file(found)
                        if special is None:
                            files.append(found)
                        else:
                            problems.append(special)
        elif os.path.lexists(path):  # a named FIFO or symlink loop is read, to report it
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or directory")
    seen = set()
    unique = []
    for f in files:
        key = f if f == "-" else os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems

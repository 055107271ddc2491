"""Where reported paths are relative to, for the formats that want repository-relative paths
(SARIF's `%SRCROOT%`, GitLab Code Quality): the git root, else the project context's root,
else the current directory."""

from __future__ import annotations

import os
import pathlib
from typing import Optional
from urllib.parse import quote

from argolint.load.files import find_git_root


def source_root(result) -> str:
    return find_git_root(os.getcwd()) or getattr(result, "context_root", None) or os.getcwd()


def relative_path(path: str, root: str) -> Optional[str]:
    """`path` relative to `root` with `/` separators, or None when it lies outside."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        return None
    if rel == ".." or rel.startswith(".." + os.sep):
        return None
    return rel.replace(os.sep, "/")


def uri_of(path: str, root: str) -> tuple[str, bool]:
    """A URI for `path`: (relative reference, True) under `root`, else (file:// URI, False)."""
    rel = relative_path(path, root)
    if rel is None:
        return pathlib.Path(os.path.abspath(path)).as_uri(), False
    return quote(rel), True


def root_uri(root: str) -> str:
    return pathlib.Path(root).as_uri().rstrip("/") + "/"


def stable_key(d, path: str) -> str:
    """What identifies a diagnostic across line shifts: the rule, the file, the document
    (kind and name) and the JSON path in it; the message stands in for a path when there is
    none (a syntax error)."""
    name = d.name if d.name is not None else f"#{d.document}"
    return "\0".join([d.rule, path, d.kind or "", name, d.path or d.message])

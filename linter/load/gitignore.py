"""One `.gitignore` file, read into a matcher of paths relative to its folder.

pathspec implements git's patterns; importing it costs about 15 ms of CPU (1.x loads its
re2 and hyperscan backends at import), more than walking a few hundred files. Most
repositories' `.gitignore` list only names (`build/`, `*.egg-info/`, `.venv`): a file made
of such lines is matched here with the regular expressions pathspec builds for them (its
re2 backend's, hence `\\Z`), and any other line (a negation, a `/` before the end, `**`, `?`,
`[...]`, an escape, a space) hands the whole file to pathspec.
"""

from __future__ import annotations

import re
from typing import Optional

# A name pattern: no `/` but a trailing one, `*` the only wildcard.
_NAME_PATTERN = re.compile(r"[A-Za-z0-9_.~*-]+/?")


def _name_regex(pattern: str) -> Optional[str]:
    """pathspec's regular expression for a name pattern, less its `(?:.+/)?` prefix; None
    for a line that is no name pattern."""
    if not _NAME_PATTERN.fullmatch(pattern):
        return None
    directory_only = pattern.endswith("/")
    name = pattern[:-1] if directory_only else pattern
    if "**" in name or not name.strip("*."):  # `*`, `.`, `*.*`... have pathspec's special cases
        return None
    glob = "".join("[^/]*" if char == "*" else re.escape(char) for char in name)
    return glob + ("/" if directory_only else "(?:/|\\Z)")


class NamePatterns:
    """A `.gitignore` of name patterns only: none negates, so a path is ignored when one
    matches its name or a folder's on its way."""

    __slots__ = ("_regex",)

    def __init__(self, regexes: list):
        self._regex = re.compile("(?:.+/)?(?:" + "|".join(regexes) + ")") if regexes else None

    def includes(self, rel: str) -> Optional[bool]:
        """True when the file ignores `rel` (`/`-separated, a folder's ending in `/`);
        None when it has nothing to say."""
        if rel.startswith("/"):  # made relative, as pathspec does
            rel = rel[1:]
        elif rel.startswith("./"):
            rel = rel[2:]
        return True if self._regex is not None and self._regex.match(rel) else None


class GitPatterns:
    """Any other `.gitignore`, matched by pathspec (negations, anchored and `**` patterns)."""

    __slots__ = ("_spec",)

    def __init__(self, lines: list):
        import pathspec

        self._spec = pathspec.GitIgnoreSpec.from_lines(lines)

    def includes(self, rel: str) -> Optional[bool]:
        return self._spec.check_file(rel).include


def read_gitignore(path: str):
    """The matcher of the `.gitignore` at `path`. Raises OSError when it cannot be read,
    ValueError for a pattern git would reject."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        lines = list(fh)
    regexes = []
    for line in lines:
        pattern = line.rstrip()
        if not pattern or pattern.startswith("#"):
            continue
        regex = _name_regex(pattern)
        if regex is None:
            return GitPatterns(lines)
        regexes.append(regex)
    return NamePatterns(regexes)

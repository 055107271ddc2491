"""The records every part of argolint speaks: severities, spans, findings, diagnostics."""

from __future__ import annotations

import enum
import reprlib
from typing import Iterable, Optional


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class Record:
    """The base of argolint's record classes: `==` and `repr` from the fields named in
    `_fields`, as a dataclass's (`FrozenRecord` adds the hash). Each writes its `__init__`:
    a dataclass generates and compiles its methods at import, 0.3-0.7 ms a class, and the
    `dataclasses` module (with `inspect`, `ast`, `dis`) costs a one-file lint ~8 ms more."""

    __slots__ = ()
    _fields: tuple = ()

    @reprlib.recursive_repr()  # a document's repr shows its file, whose repr shows the document
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return tuple(getattr(self, n) for n in self._fields) == tuple(getattr(other, n) for n in self._fields)
        return NotImplemented

    __hash__ = None  # equal by value and changeable: not hashable (a dataclass's default)

    def replace(self, **changes):
        """A copy with `changes` (`dataclasses.replace`)."""
        return type(self)(**{**{name: getattr(self, name) for name in self._fields}, **changes})


class FrozenRecord(Record):
    """A record that is not changed once made: hashed by its fields (a frozen dataclass's
    hash, without its cost on every `__init__`)."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in self._fields))


def as_dict(value):
    """`value` with every record in it, at any depth, turned into a dict of its fields
    (`dataclasses.asdict`)."""
    if isinstance(value, Record):
        return {name: as_dict(getattr(value, name)) for name in value._fields}
    if isinstance(value, (list, tuple)):
        return type(value)(as_dict(v) for v in value)
    if isinstance(value, dict):
        return {as_dict(k): as_dict(v) for k, v in value.items()}
    return value


class Span(FrozenRecord):
    """A region of a file: 1-based line and column, end exclusive (SARIF's convention)."""

    __slots__ = _fields = ("line", "column", "end_line", "end_column")

    def __init__(self, line: int, column: int, end_line: int, end_column: int):
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column


Path = tuple  # a JSON-pointer-like tuple of mapping keys (str) and sequence indexes (int)


class Edit(FrozenRecord):
    """One fix of a diagnostic: replace the text of `span` with `text`; an empty span (start
    equal to end) inserts at that position. Positions are the loader's (1-based line and
    code-point column of the text with line breaks read as "\n"), and "\n" in `text` stands
    for the file's own line break. `safe`: the result is certainly what the author meant
    (`--fix` applies it); otherwise it is a guess to review (`--unsafe-fixes`)."""

    __slots__ = _fields = ("span", "text", "title", "safe")

    def __init__(self, span: Span, text: str, title: str, safe: bool = False):
        self.span = span
        self.text = text
        self.title = title
        self.safe = safe


class Finding(Record):
    """What a rule reports: a place in the document and words; the engine makes it a Diagnostic.

    `at` chooses which span of `path` is meant: the value ("value"), the mapping key that
    holds it ("key"). `start`/`end` narrow a scalar value to the characters [start, end) of
    its parsed string, e.g. one `{{tag}}` inside an argument.
    """

    _fields = ("path", "message", "hint", "at", "start", "end", "rule", "severity", "suggestion", "suggestion_safe",
               "edits")

    def __init__(self, path: Path, message: str, hint: Optional[str] = None, at: str = "value",
                 start: Optional[int] = None, end: Optional[int] = None, rule: Optional[str] = None,
                 severity: Optional[Severity] = None, suggestion: Optional[str] = None,
                 suggestion_safe: bool = False, edits: tuple = ()):
        self.path = path
        self.message = message
        self.hint = hint
        self.at = at
        self.start = start
        self.end = end
        self.rule = rule  # set when one rule module reports under several ids
        self.severity = severity  # a per-finding override of the rule's default
        self.suggestion = suggestion  # replacement name for the span ("did you mean"); the engine quotes it
        self.suggestion_safe = suggestion_safe  # whether replacing by `suggestion` is a safe fix (see `suggest`)
        self.edits = edits  # Edit records of fixes the rule computed itself (spans via ctx.document)


class Diagnostic(Record):
    """One problem, as every reporter and the language server see it (DESIGN §3).

    Not a pydantic model: every lint makes thousands, and importing pydantic alone costs a
    one-file lint about 80 ms (pydantic stays the configuration's model, imported only when
    there is a configuration to validate)."""

    __slots__ = _fields = ("rule", "severity", "message", "hint", "file", "line", "column", "end_line", "end_column",
                           "document", "kind", "name", "path", "suggestion", "edits")

    def __init__(self, *, rule: str, severity: Severity, message: str, hint: Optional[str] = None, file: str,
                 line: int, column: int, end_line: int, end_column: int, document: Optional[int] = None,
                 kind: Optional[str] = None, name: Optional[str] = None, path: Optional[str] = None,
                 suggestion: Optional[str] = None, edits: tuple = ()):
        self.rule = rule
        self.severity = severity if isinstance(severity, Severity) else Severity(severity)
        self.message = message
        self.hint = hint
        self.file = file
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.document = document
        self.kind = kind
        self.name = name
        self.path = path
        # Not part of the JSON contract: text that would replace the span to fix it, and the
        # fixes (Edit records, best first) that `--fix` and the editor's quick fixes apply.
        self.suggestion = suggestion
        self.edits = edits

    def model_dump(self, mode: str = "python") -> dict:
        """The fields as a dict (the name and `mode="json"` of the pydantic model this was,
        for callers of the Python API)."""
        fields = as_dict(self)
        if mode == "json":
            fields["severity"] = self.severity.value
        return fields

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.rule)

    @property
    def span(self) -> Span:
        return Span(self.line, self.column, self.end_line, self.end_column)


def json_pointer(path: Path) -> str:
    """RFC 6901 pointer for a path tuple."""
    if not path:
        return ""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


# Phrasing shared by every stage that reports: near names and lists of names.

def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate most like `word` (case-insensitive match first), or None."""
    import difflib

    candidates = [c for c in candidates if isinstance(c, str)]
    lower = word.lower()
    for c in candidates:
        if c.lower() == lower:
            return c
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match else None


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance where swapping two neighbours costs one (optimal string alignment)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1]


# One typing slip (a character added, dropped, changed, or two swapped) makes a rename
# certain enough to apply; two already turn 'acquire-lock' into another template's
# 'acquire-lock-1'.
SAFE_DISTANCE = 1


def is_safe_rename(word: str, match: str, candidates: Iterable[str]) -> bool:
    """Whether renaming `word` to `match` is a safe fix: `match` is within a small edit
    distance of it (case aside), and no other candidate is as close as that."""
    if word.lower() != match.lower() and edit_distance(word.lower(), match.lower()) > SAFE_DISTANCE:
        return False
    return not any(c != match and isinstance(c, str) and edit_distance(word.lower(), c.lower()) <= SAFE_DISTANCE
                   for c in candidates)


def suggest(word: str, candidates: Iterable[str]) -> dict:
    """The Finding fields of a "did you mean" for `word`: its hint, the replacement and
    whether replacing is safe. Spread it into a Finding: `Finding(path, msg, **suggest(w, names))`."""
    candidates = [c for c in candidates if isinstance(c, str)]
    match = closest(word, candidates)
    if match is None:
        return {"hint": None}
    return {"hint": f"did you mean '{match}'?", "suggestion": match,
            "suggestion_safe": is_safe_rename(word, match, candidates)}


def quoted_list(names: Iterable[str], limit: int = 12) -> str:
    names = sorted({n for n in names if isinstance(n, str)})
    shown = ", ".join(f"'{n}'" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")

"""Where things are: source text, spans of keys and values, offsets inside scalars.

Every key and value of a loaded document has a `NodeInfo` keyed by its path (a tuple of
mapping keys and sequence indexes). Rules speak in paths; `Document.span_of` turns a path,
optionally narrowed to characters of a scalar's parsed value, into a file span.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Optional

from argolint.diagnostics import Span


class SourceText:
    """A file's decoded text with a line table for offset <-> line/column conversion.

    Lines end at "\n" only (the loader turns "\r\n" and lone "\r" into "\n"); columns
    count characters (code points), 1-based.
    """

    __slots__ = ("text", "line_starts", "_lines")

    def __init__(self, text: str):
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.line_starts = starts
        self._lines: Optional[list[str]] = None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def offset(self, line: int, column: int) -> int:
        """0-based offset of a 1-based line/column."""
        line = max(1, min(line, len(self.line_starts)))
        return self.line_starts[line - 1] + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a 0-based offset."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """The span of the characters text[start:end]."""
        line, column = self.position(start)
        end_line, end_column = self.position(end) if end != start else (line, column)
        return Span(line, column, end_line, end_column)

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""


class NodeInfo:
    """Where one YAML node sits: its key's span (for mapping values) and its own span.

    `style` is the scalar style as ruamel reports it ('' plain, "'", '"', '|', '>'), or
    None for collections; `start`/`end` are the node's offsets in the file text (for a
    scalar, from its first character after any anchor or tag to its last, quotes
    included; a block scalar ends after its last non-blank line). Spans are computed on
    first use: most nodes are never reported on.
    """

    __slots__ = ("source", "key_start", "key_end", "start", "end", "style", "_key", "_value")

    def __init__(self, source: SourceText, key_start: Optional[int], key_end: Optional[int],
                 start: int, end: int, style: Optional[str]):
        self.source = source
        self.key_start = key_start
        self.key_end = key_end
        self.start = start
        self.end = end
        self.style = style
        self._key: Optional[Span] = None
        self._value: Optional[Span] = None

    @property
    def key(self) -> Optional[Span]:
        if self._key is None and self.key_start is not None:
            self._key = self.source.span(self.key_start, self.key_end)
        return self._key

    @property
    def value(self) -> Span:
        if self._value is None:
            self._value = self.source.span(self.start, self.end)
        return self._value

    def __repr__(self) -> str:
        return f"NodeInfo(key={self.key}, value={self.value}, style={self.style!r})"


_DOUBLE_QUOTED_ESCAPE_LENGTH = {"x": 4, "u": 6, "U": 10}


def scalar_offsets(text: str, start: int, end: int, style: Optional[str], value: str) -> list[int]:
    """Map each character of a scalar's parsed `value` to its offset in the file `text`.

    The raw scalar lies in text[start:end]. Characters that YAML keeps verbatim are matched
    one to one; what parsing removed (quotes, indentation, line folds, escape backslashes,
    doubled single quotes, block scalar headers) is skipped. An escape maps the character it
    produces to the backslash. The result has len(value) + 1 entries: the last one is the
    offset just past the value, so a [start, end) slice of the value maps to file offsets.
    """
    offsets: list[int] = []
    j = start
    if style in ("|", ">"):
        # skip the header line ("|", "|-", ">2" ...)
        nl = text.find("\n", j, end)
        j = end if nl == -1 else nl + 1
    elif style in ("'", '"'):
        j += 1
    n = len(value)
    i = 0
    while i < n and j < end:
        ch = value[i]
        raw = text[j]
        if style == '"' and raw == "\\":
            nxt = text[j + 1] if j + 1 < end else ""
            if nxt == "\n" or nxt == "\r":  # escaped line break produces nothing
                j += 2
                continue
            offsets.append(j)
            i += 1
            j += _DOUBLE_QUOTED_ESCAPE_LENGTH.get(nxt, 2)
            continue
        if raw == ch:
            offsets.append(j)
            i += 1
            j += 1
            if style == "'" and ch == "'" and j < end and text[j] == "'":
                j += 1
            continue
        if raw in " \t\r\n" or (raw == style and style in ("'", '"')):
            if raw == "\n" and ch == " " and style not in ("|",):
                # a line fold: the newline becomes the space
                offsets.append(j)
                i += 1
            j += 1
            continue
        # Something we cannot align (should not happen); stop mapping precisely.
        break
    while len(offsets) < n:
        offsets.append(offsets[-1] if offsets else start)
    offsets.append(raw_end(text, offsets[-1], style) if offsets and n else j)
    return offsets


def raw_end(text: str, offset: int, style: Optional[str]) -> int:
    """The offset just past the raw text of the value character written at `offset` (an
    escape in a double-quoted scalar is several characters long)."""
    if style == '"' and text[offset : offset + 1] == "\\":
        return offset + _DOUBLE_QUOTED_ESCAPE_LENGTH.get(text[offset + 1 : offset + 2], 2)
    return offset + 1

"""Applying edits to a file's bytes, touching nothing but their spans.

Edits speak the loader's positions: 1-based lines and code-point columns of the text
after decoding, without its byte order mark and with every line break ("\\r\\n", "\\r",
"\\n") read as "\\n". `OriginalText` maps those positions to offsets of the file as it is,
so a CRLF file, a BOM or a UTF-16 file stays what it was outside the edited spans, and the
"\\n" of an edit's text is written as the file's own line break.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional

from argolint.diagnostics import Diagnostic, Edit

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


class OriginalText:
    """A file's text exactly as stored (BOM and line breaks kept), with the offset where each
    of the loader's lines starts in it."""

    def __init__(self, data: bytes):
        self.codec = _UTF16_BOMS.get(data[:2], "utf-8") if not data.startswith(b"\xff\xfe\x00\x00") else "utf-8"
        self.text = data.decode(self.codec)
        start = 1 if self.text.startswith("\ufeff") else 0
        self.line_starts = [start] + [m.end() for m in _LINE_BREAK.finditer(self.text)]
        crlf = self.text.count("\r\n")
        lone_cr = self.text.count("\r") - crlf
        lf = self.text.count("\n") - crlf
        self.newline = "\r\n" if crlf and crlf >= max(lf, lone_cr) else "\r" if lone_cr > lf else "\n"

    def offset(self, line: int, column: int) -> int:
        """The offset of the loader's 1-based line and column."""
        line = max(1, min(line, len(self.line_starts)))
        return min(self.line_starts[line - 1] + column - 1, len(self.text))

    def encode(self, text: str) -> bytes:
        return text.encode(self.codec)


def _offsets(edit: Edit, locate) -> tuple[int, int]:
    span = edit.span
    start = locate(span.line, span.column)
    end = locate(span.end_line, span.end_column)
    return start, max(start, end)


def first_of_each_overlap(edits: Iterable[Edit], locate) -> list[Edit]:
    """The edits to apply together, in file order: of edits that overlap (or insert at the
    same place) the first one in file order; the others wait for the next pass. Equal
    edits count once. `locate(line, column)` gives an offset."""
    located = sorted(((_offsets(e, locate), i, e) for i, e in enumerate(dict.fromkeys(edits))),
                     key=lambda item: (item[0], item[1]))
    chosen: list[Edit] = []
    last_start, last_end = -1, -1
    for (start, end), _, edit in located:
        if start < last_end or start == last_start:
            continue
        chosen.append(edit)
        last_start, last_end = start, end
    return chosen


def apply_edits(data: bytes, edits: Iterable[Edit]) -> tuple[bytes, list[Edit]]:
    """`data` with the edits applied (the first of each overlapping group), and the edits
    applied. Outside their spans every byte is kept."""
    original = OriginalText(data)
    chosen = first_of_each_overlap(edits, original.offset)
    if not chosen:
        return data, []
    text = original.text
    pieces, cursor = [], 0
    for edit in chosen:
        start, end = _offsets(edit, original.offset)
        pieces.append(text[cursor:start])
        pieces.append(edit.text.replace("\n", original.newline))
        cursor = end
    pieces.append(text[cursor:])
    return original.encode("".join(pieces)), chosen


def chosen_edit(diagnostic: Diagnostic, unsafe: bool) -> Optional[Edit]:
    """The fix `--fix` applies for a diagnostic: its first safe edit, or with `unsafe` its
    first edit."""
    return next((e for e in diagnostic.edits if e.safe or unsafe), None)


def edits_by_file(diagnostics: Iterable[Diagnostic], unsafe: bool) -> dict[str, list[Edit]]:
    """The edits to apply, per file, in the order of the diagnostics."""
    found: dict[str, list[Edit]] = {}
    for d in diagnostics:
        edit = chosen_edit(d, unsafe)
        if edit is not None:
            found.setdefault(d.file, []).append(edit)
    return found

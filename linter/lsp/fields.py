"""Hover on a plain key: the field's description from Argo's schema."""

from __future__ import annotations

from typing import Optional

from argolint.diagnostics import Span
from argolint.lsp.templating import TagInfo
from argolint.lsp.workspace import BufferLint


def _inside(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) < (span.end_line, span.end_column)


def describe_key(lint: BufferLint, line: int, column: int) -> Optional[TagInfo]:
    """The description of the field whose key is under the cursor, in an Argo document."""
    from argolint.schema.describe import field_description

    for document in lint.loaded.documents:
        if not document.is_argo:
            continue
        for path, info in document.nodes.items():
            if info.key_start is None or not _inside(info.key, line, column):
                continue
            found = field_description(document.kind, path)
            if found is None:
                return None
            name, text = found
            return TagInfo(info.key, f"`{path[-1]}` ({name}): {text}")
    return None

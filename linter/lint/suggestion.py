"""A "did you mean" as an edit: the suggested name written in place of the span, quoted as
the YAML around it needs."""

from __future__ import annotations

from typing import Optional

from argolint.diagnostics import Edit, Finding, Span
from argolint.load.text_edits import plain_or_quoted, quote, through_anchor


def suggestion_edit(document, finding: Finding, span: Span, suggestion: str) -> Optional[Edit]:
    """Replace the finding's span with `suggestion`: a whole quoted scalar keeps its quotes,
    a plain one gets quotes only if the new text needs them, and text inside a quoted
    scalar is escaped for it. None when the span is not the finding's own node. Text an
    anchor shares with other places is never a safe fix."""
    info = document.nodes.get(tuple(finding.path))
    if info is None:
        return None
    src = info.source
    text = suggestion
    if finding.start is None:  # all of the key or of the value
        start, end = (info.key_start, info.key_end) if finding.at == "key" else (info.start, info.end)
        if start is None or start == end:
            return None
        old = src.text[start:end]
        style = old[0] if len(old) >= 2 and old[0] == old[-1] and old[0] in "'\"" else ""
        text = quote(suggestion, style) if style else plain_or_quoted(suggestion)
    elif info.style in ("'", '"'):
        text = quote(suggestion, info.style)[1:-1]
    safe = finding.suggestion_safe and not through_anchor(document, finding.path, finding.at)
    return Edit(span, text, f"Replace with '{suggestion}'", safe=safe)

"""Telling a Helm chart template from a manifest that merely contains Go templates."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Optional

# A Go template action: `{{ .Values.x }}`, `{{- if ... }}`, `{{ $v := ... }}`, `{{/* */}}`.
_GO_ACTION = re.compile(
    r"\{\{-?\s*(?:(?P<helm>\.(?:Values|Release|Chart|Files|Capabilities|Template)\b"
    r"|(?:include|toYaml|toJson|tpl|required|nindent|indent|lookup|define|template|block)\b)"
    r"|\.[A-Za-z_]|\$|/\*|(?:if|else|end|range|with|default|quote|printf)\b)"
)


def has_go_action(text: str) -> bool:
    """Whether `text` holds anything that looks like a Go action (whether it makes the
    file a Helm template is `helm_action`'s to tell)."""
    return _GO_ACTION.search(text) is not None


def helm_action(text: str, documents: list) -> Optional[tuple[int, int]]:
    """The offsets of the first action that makes this file a Helm template, or None.

    Argo's own tags (`{{inputs.parameters.x}}`, `{{=expr}}`) never look like Go actions,
    but a valid workflow may carry Go templates in its text (a `kubectl -o go-template`
    in a script). So an action counts when it stands outside any string (Helm's `{{- if }}`
    lines, `name: {{ .Values.x }}`, or where the file did not parse), or, inside a
    quoted or plain string, when it reads Helm's own objects and functions (`.Values`, `include`).
    Block scalars (`|`, `>`) are script text and never count.
    """
    actions = list(_GO_ACTION.finditer(text))
    if not actions:
        return None
    scalars = sorted((info.start, info.end, info.style) for doc in documents
                     for info in doc.nodes.values() if info.style is not None and info.end > info.start)
    starts = [s for s, _, _ in scalars]
    for m in actions:
        i = bisect_right(starts, m.start()) - 1
        inside = scalars[i] if i >= 0 and scalars[i][0] <= m.start() < scalars[i][1] else None
        if inside is None:
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = text[line_start:m.start()]
            if before.lstrip().startswith("#") or " #" in before:
                continue  # in a comment
        elif inside[2] in ("|", ">") or m.group("helm") is None:
            continue
        close = text.find("}}", m.start())
        newline = text.find("\n", m.start())
        end = close + 2 if close != -1 and (newline == -1 or close < newline) else m.end()
        return m.start(), end
    return None

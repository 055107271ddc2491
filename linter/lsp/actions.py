"""Quick fixes for diagnostics, as plain edits on the linted text.

Three kinds: replace a span with the diagnostic's suggestion (the engine's "did you mean"),
add `serviceAccountName` to a spec, and silence a rule on one line with
`# argolint: ignore[rule-id]`. Edits use argolint's 1-based code-point spans; the server
converts them to LSP ranges. Nothing here imports pygls or lsprotocol.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Iterator, Optional

from argolint.diagnostics import Diagnostic, Span
from argolint.lsp.workspace import BufferLint

DEFAULT_SERVICE_ACCOUNT = "argo-workflow"
MAX_ACCOUNT_CHOICES = 3

_PLAIN_SAFE = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"})
_IGNORE_DIRECTIVE = re.compile(r"(?:^|\s)#\s*argolint:\s*ignore\b(\[([^\]]*)\])?")
_NO_IGNORE_ACTION = frozenset({"unused-suppression", "internal-error"})


@dataclass(frozen=True)
class Edit:
    span: Span  # the text replaced; an empty span inserts
    text: str


@dataclass(frozen=True)
class Action:
    title: str
    edits: tuple
    diagnostic: Diagnostic
    preferred: bool = False


def actions(lint: BufferLint, diagnostic: Diagnostic) -> list[Action]:
    """Every quick fix for one diagnostic of `lint`, best first."""
    found = []
    replace = suggestion_action(lint, diagnostic)
    if replace is not None:
        found.append(replace)
    if diagnostic.rule == "missing-service-account":
        found.extend(service_account_actions(lint, diagnostic))
    ignore = ignore_action(lint, diagnostic)
    if ignore is not None:
        found.append(ignore)
    return found


# -- did you mean ----------------------------------------------------------------------


def _scalars(lint: BufferLint):
    for doc in lint.loaded.documents:
        for info in doc.nodes.values():
            if info.style is not None:
                yield info


def _quote(text: str, style: str) -> str:
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)


def suggestion_action(lint: BufferLint, d: Diagnostic) -> Optional[Action]:
    """Replace the diagnostic's span with its suggestion, quoted as the YAML around it needs:
    a whole quoted scalar keeps its quotes, a plain one gets quotes only if the new text
    needs them, and text inside a quoted scalar is escaped for it."""
    if not d.suggestion:
        return None
    src = lint.loaded.source
    start, end = src.offset(d.line, d.column), src.offset(d.end_line, d.end_column)
    replacement = d.suggestion
    nodes = [info for doc in lint.loaded.documents for info in doc.nodes.values()]
    if any((start, end) in ((info.key_start, info.key_end), (info.start, info.end)) for info in nodes):  # all of it
        old = src.text[start:end]
        style = old[0] if len(old) >= 2 and old[0] == old[-1] and old[0] in "'\"" else ""
        if style:
            replacement = _quote(replacement, style)
        elif not _PLAIN_SAFE.fullmatch(replacement) or replacement.lower() in _YAML_WORDS:
            replacement = _quote(replacement, '"')
    else:
        around = next((info for info in nodes if info.style in ("'", '"') and info.start < start and end < info.end),
                      None)
        if around is not None:  # part of a quoted scalar: escape for it
            replacement = _quote(replacement, around.style)[1:-1]
    return Action(f"Replace with '{d.suggestion}'", (Edit(d.span, replacement),), d, preferred=True)


# -- serviceAccountName ------------------------------------------------------------------


def _account_names(lint: BufferLint, namespace: Optional[str]) -> list[str]:
    """ServiceAccounts the workspace defines, those of the document's namespace first."""
    here, elsewhere = [], []
    for doc in lint.project.by_kind.get("ServiceAccount", []):
        name = doc.metadata.get("name")
        if isinstance(name, str) and name not in here and name not in elsewhere:
            (here if doc.namespace in (None, namespace) else elsewhere).append(name)
    return (here + elsewhere)[:MAX_ACCOUNT_CHOICES] or [DEFAULT_SERVICE_ACCOUNT]


def _spec_path(d: Diagnostic) -> tuple:
    return tuple(p for p in (d.path or "").split("/") if p)


def service_account_actions(lint: BufferLint, d: Diagnostic) -> Iterator[Action]:
    """Insert `serviceAccountName: NAME` into the spec the diagnostic points at, after
    `entrypoint` when there is one, else as the first key, at the keys' indentation."""
    if d.document is None or d.document >= len(lint.loaded.documents):
        return
    doc = lint.loaded.documents[d.document]
    path = _spec_path(d)
    spec = doc.get(path)
    info = doc.nodes.get(path)
    if not isinstance(spec, dict) or info is None:
        return
    src = lint.loaded.source
    newline = "\r\n" if "\r\n" in lint.text else "\n"
    namespace = doc.namespace or getattr(lint.config, "namespace", None)
    flow = src.text[info.start:info.start + 1] == "{"  # spec: {entrypoint: main, ...}
    keys = [doc.nodes[path + (k,)].key for k in spec if path + (k,) in doc.nodes]
    keys = [k for k in keys if k is not None]
    if not flow and not keys:
        return
    for name in _account_names(lint, namespace):
        line = "serviceAccountName: " + (name if _PLAIN_SAFE.fullmatch(name) else _quote(name, '"'))
        if flow:
            at = src.span(info.start + 1, info.start + 1)
            edit = Edit(at, line + (", " if spec else ""))
        else:
            indent = " " * (min(k.column for k in keys) - 1)
            entrypoint = doc.nodes.get(path + ("entrypoint",))
            target = entrypoint.value.end_line + 1 if entrypoint is not None else min(k.line for k in keys)
            if target > len(src.lines):  # after the last line, which has no line break
                end = len(src.text)
                edit = Edit(src.span(end, end), newline + indent + line)
            else:
                edit = Edit(Span(target, 1, target, 1), indent + line + newline)
        yield Action(f"Add serviceAccountName: {name}", (edit,), d, preferred=name == DEFAULT_SERVICE_ACCOUNT)


# -- # argolint: ignore[rule] ------------------------------------------------------------


def _inside_scalar(lint: BufferLint, offset: int) -> bool:
    """Whether `offset` lies inside a scalar, where a comment would be content: strictly
    inside a flow scalar, anywhere after the header of a block scalar (`|`, `>`)."""
    for info in _scalars(lint):
        if info.start < offset < info.end or (info.style in ("|", ">") and info.start < offset <= info.end):
            return True
    return False


def ignore_action(lint: BufferLint, d: Diagnostic) -> Optional[Action]:
    """Silence the rule on the diagnostic's line: at the line's end, or alone on the line
    above when the line ends inside a multi-line scalar; none when both would change a
    scalar's text (inside a block scalar) or the file is JSON, which has no comments."""
    if d.rule in _NO_IGNORE_ACTION or lint.loaded.path.endswith(".json"):
        return None
    src = lint.loaded.source
    number = d.line
    if not 0 < number <= len(src.lines):
        return None
    text = src.lines[number - 1]
    title = f"Ignore '{d.rule}' on this line"
    existing = _IGNORE_DIRECTIVE.search(text)
    if existing is not None:
        if existing.group(1) is None:
            return None  # a bare ignore already silences every rule here
        ids = [i.strip() for i in existing.group(2).split(",") if i.strip()]
        if d.rule in ids:
            return None
        col = existing.end(1)  # just past "]"
        addition = (", " if ids else "") + d.rule
        return Action(title, (Edit(Span(number, col, number, col), addition),), d)
    end_of_line = src.offset(number, len(text) + 1)
    if not _inside_scalar(lint, end_of_line):
        at = len(text.rstrip()) + 1
        return Action(title, (Edit(Span(number, at, number, len(text) + 1), f"  # argolint: ignore[{d.rule}]"),), d)
    start_of_line = src.offset(number, 1)
    if _inside_scalar(lint, start_of_line):
        return None
    newline = "\r\n" if "\r\n" in lint.text else "\n"
    indent = text[: len(text) - len(text.lstrip(" "))]
    return Action(title, (Edit(Span(number, 1, number, 1), f"{indent}# argolint: ignore[{d.rule}]{newline}"),), d)

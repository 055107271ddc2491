"""`# argolint: ignore[rule]` comments written into a file: the editor's "ignore on this
line" quick fix and `argolint --add-ignore`."""

from __future__ import annotations

import re
from typing import Iterable, Optional

from argolint.diagnostics import Diagnostic, Edit, Span

_IGNORE_DIRECTIVE = re.compile(r"(?:^|\s)#\s*argolint:\s*ignore\b(\[([^\]]*)\])?")
# Not silenced by a comment: the one reporting stale comments, and argolint's own bugs.
NOT_IGNORABLE = frozenset({"unused-suppression", "internal-error"})


def multi_line_scalars(loaded) -> list:
    """The NodeInfo of every scalar that spans a line break: the only ones a comment at the
    start or the end of a line could fall into."""
    return [info for doc in loaded.documents for info in doc.nodes.values() if info.style is not None
            and (info.style in ("|", ">") or info.source.text.find("\n", info.start, info.end) != -1)]


def _inside_scalar(scalars: list, line: int, column: int) -> bool:
    """Whether line:column lies inside a scalar, where a comment would be content: strictly
    inside a flow scalar, anywhere after the header of a block scalar (`|`, `>`). Compared
    in the text each scalar's offsets point into (`NodeInfo.source`)."""
    for info in scalars:
        offset = info.source.offset(line, column)
        if info.start < offset < info.end or (info.style in ("|", ">") and info.start < offset <= info.end):
            return True
    return False


def ignore_edit(loaded, line: int, rule_ids: Iterable[str], scalars: Optional[list] = None) -> Optional[Edit]:
    """Silence `rule_ids` on `line` of `loaded`: in the line's own directive when it has one,
    else at the line's end, else alone on the line above when the line ends inside a
    multi-line scalar. None when nothing is left to add, when both places would change a
    scalar's text (inside a block scalar), or for JSON, which has no comments."""
    rule_ids = [r for r in dict.fromkeys(rule_ids) if r not in NOT_IGNORABLE]
    if not rule_ids or loaded.path.endswith(".json"):
        return None
    src = loaded.source
    if not 0 < line <= len(src.lines):
        return None
    text = src.lines[line - 1]
    title = f"Ignore {', '.join(repr(r) for r in rule_ids)} on this line"
    existing = _IGNORE_DIRECTIVE.search(text)
    if existing is not None:
        if existing.group(1) is None:
            return None  # a bare ignore already silences every rule here
        ids = [i.strip() for i in existing.group(2).split(",") if i.strip()]
        missing = [r for r in rule_ids if r not in ids]
        if not missing:
            return None
        col = existing.end(1)  # just past "]"
        addition = (", " if ids else "") + ", ".join(missing)
        return Edit(Span(line, col, line, col), addition, title, safe=True)
    directive = f"# argolint: ignore[{', '.join(rule_ids)}]"
    scalars = multi_line_scalars(loaded) if scalars is None else scalars
    if not _inside_scalar(scalars, line, len(text) + 1):
        at = len(text.rstrip()) + 1
        return Edit(Span(line, at, line, len(text) + 1), f"  {directive}", title, safe=True)
    if _inside_scalar(scalars, line, 1):
        return None
    indent = text[: len(text) - len(text.lstrip(" "))]
    return Edit(Span(line, 1, line, 1), f"{indent}{directive}\n", title, safe=True)


def ignore_edits(loaded, diagnostics: Iterable[Diagnostic]) -> list[Edit]:
    """One edit per line of `loaded` that has diagnostics, silencing all of their rules."""
    by_line: dict[int, list[str]] = {}
    for d in diagnostics:
        by_line.setdefault(d.line, []).append(d.rule)
    scalars = multi_line_scalars(loaded)
    edits = (ignore_edit(loaded, line, rules, scalars) for line, rules in sorted(by_line.items()))
    return [e for e in edits if e is not None]

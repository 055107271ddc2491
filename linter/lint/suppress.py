"""Suppressions: `# argolint: ignore[...]`, `# argolint: disable-file[...]` comments and the
`argolint.io/ignore` annotation; the ones that suppress nothing become `unused-suppression`.

Comments are read from the source lines (the fast composer drops them): a `#` at the start
of a line or after whitespace begins a comment.
"""

from __future__ import annotations

import re
from typing import Optional

from argolint.diagnostics import Diagnostic, Record, Severity, Span, json_pointer

_DIRECTIVE = re.compile(r"(?:^|\s)#\s*argolint:\s*(ignore|disable-file)(?![\w-])(?:\[([^\]]*)\])?")
_ANY_DIRECTIVE = re.compile(r"(?:^|\s)#\s*argolint:\s*([^\s\[]*)")
ANNOTATION = "argolint.io/ignore"


class Suppression(Record):
    _fields = ("ids", "span", "id_spans", "line", "document", "path_prefix", "used", "document_path",
               "document_index", "kind", "name", "unknown_directive")

    def __init__(self, ids: Optional[list], span: Span, id_spans: Optional[dict] = None, line: Optional[int] = None,
                 document: Optional[int] = None, path_prefix: Optional[str] = None, used: Optional[set] = None,
                 document_path: Optional[str] = None, document_index: Optional[int] = None,
                 kind: Optional[str] = None, name: Optional[str] = None, unknown_directive: Optional[str] = None):
        self.ids = ids  # None: every rule
        self.span = span  # where it is written, for unused-suppression
        self.id_spans = {} if id_spans is None else id_spans  # rule id -> span of the id itself
        self.line = line  # comment ignore: the line it covers
        self.document = document  # annotation: the document it covers
        self.path_prefix = path_prefix  # annotation on a template: its JSON pointer
        self.used = set() if used is None else used
        self.document_path = document_path
        self.document_index = document_index
        self.kind = kind
        self.name = name
        self.unknown_directive = unknown_directive  # `# argolint: <this>` is not a directive argolint knows

    def covers(self, d: Diagnostic) -> Optional[str]:
        """The id (or '*') under which this suppression silences `d`, if it does."""
        if self.line is not None and d.line != self.line:
            return None
        if self.document is not None:
            if d.document != self.document:
                return None
            if self.path_prefix and not (d.path or "").startswith(self.path_prefix) \
                    and d.path != self.path_prefix[:-1]:
                return None
        if self.ids is None:
            return "*"
        from argolint.rules import canonical

        rule = canonical(d.rule)
        for rule_id in self.ids:
            if canonical(rule_id) == rule:
                return rule_id
        return None


def _comment_suppressions(loaded) -> list[Suppression]:
    text = loaded.source.text
    if "argolint:" not in text:
        return []
    found = []
    lines = loaded.source.lines
    for number, line in enumerate(lines, start=1):
        if "argolint:" not in line:
            continue
        m = _DIRECTIVE.search(line)
        if not m:
            other = _ANY_DIRECTIVE.search(line)
            if other:
                start = line.index("#", other.start())
                found.append(Suppression([], Span(number, start + 1, number, other.end() + 1),
                                         unknown_directive=other.group(1)))
            continue
        start = line.index("#", m.start())
        span = Span(number, start + 1, number, m.end() + 1)
        ids = None
        id_spans = {}
        if m.group(2) is not None:
            ids = []
            offset = m.start(2)
            for part in m.group(2).split(","):
                name = part.strip()
                if name:
                    col = offset + part.index(name)
                    ids.append(name)
                    id_spans[name] = Span(number, col + 1, number, col + len(name) + 1)
                offset += len(part) + 1
        if m.group(1) == "disable-file":
            found.append(Suppression(ids, span, id_spans))
            continue
        target = number
        if not line[: start].strip():  # alone on its line: covers the next line with content
            target = number + 1
            while target <= len(lines) and (not lines[target - 1].strip() or lines[target - 1].lstrip().startswith("#")):
                target += 1
        found.append(Suppression(ids, span, id_spans, line=target))
    return found


def _annotation_suppressions(loaded) -> list[Suppression]:
    found = []
    for doc in loaded.documents:
        if not isinstance(doc.data, dict):
            continue
        holders = [((), doc.data)]
        for spec_path in (("spec",), ("spec", "workflowSpec")):
            templates = doc.get(spec_path + ("templates",))
            if isinstance(templates, list):
                holders.extend((spec_path + ("templates", i), t) for i, t in enumerate(templates) if isinstance(t, dict))
        for path, holder in holders:
            annotations = holder.get("metadata", {}).get("annotations") if isinstance(holder.get("metadata"), dict) else None
            if not isinstance(annotations, dict) or not isinstance(annotations.get(ANNOTATION), str):
                continue
            value_path = path + ("metadata", "annotations", ANNOTATION)
            value = annotations[ANNOTATION]
            ids, id_spans, offset = [], {}, 0
            for part in value.split(","):
                name = part.strip()
                if name:
                    col = offset + part.index(name)
                    ids.append(name)
                    id_spans[name] = doc.span_of(value_path, start=col, end=col + len(name))
                offset += len(part) + 1
            found.append(Suppression(ids, doc.span_of(value_path), id_spans, document=doc.index,
                                     path_prefix=json_pointer(path) + "/" if path else None,
                                     document_path=json_pointer(value_path), document_index=doc.index,
                                     kind=doc.kind, name=doc.name))
    return found


def apply_suppressions(loaded, diagnostics: list[Diagnostic], config) -> list[Diagnostic]:
    suppressions = _comment_suppressions(loaded) + _annotation_suppressions(loaded)
    if not suppressions:
        return diagnostics
    kept = []
    for d in diagnostics:
        silenced = False
        for s in suppressions:
            used_as = s.covers(d)
            if used_as is not None:
                s.used.add(used_as)
                silenced = True
        if not silenced:
            kept.append(d)
    kept.extend(_unused(loaded, suppressions, config))
    return kept


def _removal(loaded, s: Suppression, rule_id: Optional[str], useless: set) -> tuple:
    """The safe edit taking `rule_id` (None: the whole directive) out of a comment
    suppression: the id and its comma while other ids stay useful, else the comment, else
    its whole line when it stands alone."""
    if s.document is not None:
        return ()  # an annotation: its value is the author's to rewrite
    from argolint.diagnostics import Edit

    line = s.span.line
    text = loaded.source.line_text(line)
    if rule_id is not None and set(s.ids) - useless:
        spans = [s.id_spans[i] for i in s.ids]
        index = s.ids.index(rule_id)
        if index + 1 < len(spans):  # up to the next id
            span = Span(line, spans[index].column, line, spans[index + 1].column)
        else:  # from the end of the previous id
            span = Span(line, spans[index - 1].end_column, line, spans[index].end_column)
        return (Edit(span, "", f"Remove '{rule_id}' from the suppression", safe=True),)
    before = text[:s.span.column - 1]
    if not before.strip():
        span = Span(line, 1, line + 1, 1) if line < len(loaded.source.lines) else Span(line, 1, line, len(text) + 1)
    else:
        span = Span(line, len(before.rstrip()) + 1, line, len(text) + 1)
    return (Edit(span, "", "Remove the unused suppression", safe=True),)


def _unused(loaded, suppressions, config):
    from argolint.rules import by_id
    from argolint.diagnostics import suggest

    if not config.enabled("unused-suppression", loaded.path):
        return
    known = by_id()

    def report(span, message, hint, s, **fix):
        return Diagnostic(rule="unused-suppression", severity=config.severity_of("unused-suppression", Severity.WARNING),
                          message=message, hint=hint, file=loaded.path, line=span.line, column=span.column,
                          end_line=span.end_line, end_column=span.end_column,
                          document=s.document_index, kind=s.kind, name=s.name, path=s.document_path, **fix)

    for s in suppressions:
        if s.unknown_directive is not None:
            yield report(s.span, f"unknown argolint directive '{s.unknown_directive}'",
                         "write `# argolint: ignore[rule-id]` or `# argolint: disable-file[rule-id]`", s)
            continue
        if s.ids is None:
            if "*" not in s.used:
                yield report(s.span, "this suppression suppresses nothing", "remove it", s,
                             edits=_removal(loaded, s, None, set()))
            continue
        useless = {i for i in s.ids if i not in known or (i not in s.used and config.enabled(i, loaded.path))}
        for rule_id in s.ids:
            if rule_id not in known:
                renamed = suggest(rule_id, known)
                if renamed["hint"] is not None:
                    from argolint.diagnostics import Edit

                    rename = Edit(s.id_spans[rule_id], renamed["suggestion"],
                                  f"Replace with '{renamed['suggestion']}'", renamed["suggestion_safe"])
                    yield report(s.id_spans[rule_id], f"unknown rule id '{rule_id}' in suppression",
                                 renamed["hint"], s, suggestion=renamed["suggestion"], edits=(rename,))
                else:
                    yield report(s.id_spans[rule_id], f"unknown rule id '{rule_id}' in suppression",
                                 "`argolint rules` lists the rule ids", s, edits=_removal(loaded, s, rule_id, useless))
            elif rule_id not in s.used and config.enabled(rule_id, loaded.path):
                yield report(s.id_spans[rule_id], f"suppression of '{rule_id}' suppresses nothing",
                             "remove it", s, edits=_removal(loaded, s, rule_id, useless))

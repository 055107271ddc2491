"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it."""

from __future__ import annotations

import json
import os
import pathlib
from urllib.parse import quote

from argolint import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    """A relative URI reference for files under the current directory (what code scanning
    matches against the repository), an absolute file:// URI for the others."""
    if path == "-":
        return "stdin"
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute)
    except ValueError:  # another drive on Windows
        rel = None
    if rel is None or rel == ".." or rel.startswith(".." + os.sep):
        return pathlib.Path(absolute).as_uri()
    return quote(rel.replace(os.sep, "/"))


def _fix(file: str, edit) -> dict:
    """A SARIF fix: the edit as one replacement (an insertion deletes an empty region)."""
    span = edit.span
    return {
        "description": {"text": edit.title + ("" if edit.safe else " (unsafe: review it)")},
        "artifactChanges": [{
            "artifactLocation": {"uri": _uri(file)},
            "replacements": [{
                "deletedRegion": {"startLine": span.line, "startColumn": span.column,
                                  "endLine": span.end_line, "endColumn": span.end_column},
                "insertedContent": {"text": edit.text},
            }],
        }],
    }


def _rule_properties(rule) -> dict:
    """The rule's category as a tag, and for security rules the `security-severity` by which
    GitHub code scanning ranks their alerts."""
    properties: dict = {"tags": [rule.category]}  # "security" marks a security alert for code scanning
    if rule.security_severity is not None:
        properties["security-severity"] = rule.security_severity
    return properties


def render_sarif(result) -> str:
    from argolint.rules import RULES

    rules = []
    index = {}
    for rule in RULES:
        index[rule.id] = len(rules)
        rules.append({
            "id": rule.id,
            "name": rule.id,
            "shortDescription": {"text": rule.summary()},
            "fullDescription": {"text": rule.summary()},
            "help": {"text": rule.doc(), "markdown": rule.doc()},
            "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
            "properties": _rule_properties(rule),
        })
    results = []
    for d in result.diagnostics:
        entry = {
            "ruleId": d.rule,
            "level": LEVELS[d.severity.value],
            "message": {"text": d.message + (f"; {d.hint}" if d.hint else "")},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(d.file)},
                "region": {"startLine": d.line, "startColumn": d.column,
                           "endLine": d.end_line, "endColumn": max(d.end_column, d.column + (d.end_line == d.line))},
            }}],
        }
        if d.rule in index:
            entry["ruleIndex"] = index[d.rule]
        if d.edits:
            entry["fixes"] = [_fix(d.file, edit) for edit in d.edits]
        results.append(entry)
    log = {
        "version": "2.1.0",
        "$schema": SCHEMA,
        "runs": [{
            "tool": {"driver": {"name": "argolint", "version": __version__, "semanticVersion": __version__,
                                "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"

"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.

Paths are relative to `%SRCROOT%` (the git root, else the project root) whatever the
current directory, and each result carries a fingerprint that survives line shifts.
"""

from __future__ import annotations

import hashlib
import json

from argolint import __version__
from argolint.report.locations import root_uri, source_root, stable_key, uri_of

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/OWNER/argolint"
# Every rule's documentation is in `help` (and `argolint explain RULE`); the URI leads to the
# README's table of rules.
RULES_DOC_URI = INFORMATION_URI + "/blob/main/README.md#rules"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# GitHub's `problem.severity`: error, warning or recommendation.
PROBLEM_SEVERITIES = {"error": "error", "warning": "warning", "info": "recommendation"}
FINGERPRINT = "argolint/v1"
SRCROOT = "%SRCROOT%"


def rule_name(rule_id: str) -> str:
    """SARIF's `name`, distinct from the id: `unknown-template` -> `UnknownTemplate`."""
    return "".join(part[:1].upper() + part[1:] for part in rule_id.split("-"))


def rule_metadata(rule) -> dict:
    """One entry of `tool.driver.rules`: everything SARIF consumers show about a rule."""
    severity = rule.severity.value
    return {
        "id": rule.id,
        "name": rule_name(rule.id),
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": rule.summary()},
        "help": {"text": rule.doc(), "markdown": rule.doc()},
        "helpUri": RULES_DOC_URI,
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"tags": ["argo-workflows", rule.category], "precision": "high",
                       "problem.severity": PROBLEM_SEVERITIES[severity], **_security_severity(rule)},
    }


def fingerprint(d, uri: str) -> str:
    return hashlib.sha256(stable_key(d, uri).encode("utf-8")).hexdigest()[:32]


def _artifact(path: str, root: str) -> dict:
    if path == "-":
        return {"uri": "stdin"}
    uri, relative = uri_of(path, root)
    return {"uri": uri, "uriBaseId": SRCROOT} if relative else {"uri": uri}


def _fix(artifact: dict, edit) -> dict:
    """A SARIF fix: the edit as one replacement (an insertion deletes an empty region)."""
    span = edit.span
    return {
        "description": {"text": edit.title + ("" if edit.safe else " (unsafe: review it)")},
        "artifactChanges": [{
            "artifactLocation": artifact,
            "replacements": [{
                "deletedRegion": {"startLine": span.line, "startColumn": span.column,
                                  "endLine": span.end_line, "endColumn": span.end_column},
                "insertedContent": {"text": edit.text},
            }],
        }],
    }


def _security_severity(rule) -> dict:
    """For security rules, the `security-severity` by which GitHub code scanning ranks their
    alerts (their category tag, "security", marks them as security alerts)."""
    return {} if rule.security_severity is None else {"security-severity": rule.security_severity}


def render_sarif(result) -> str:
    from argolint.rules import RULES

    root = source_root(result)
    rules = [rule_metadata(rule) for rule in RULES]
    index = {rule.id: i for i, rule in enumerate(RULES)}
    results = []
    for d in result.diagnostics:
        artifact = _artifact(d.file, root)
        entry = {
            "ruleId": d.rule,
            "level": LEVELS[d.severity.value],
            "message": {"text": d.message + (f"; {d.hint}" if d.hint else "")},
            "locations": [{"physicalLocation": {
                "artifactLocation": artifact,
                "region": {"startLine": d.line, "startColumn": d.column,
                           "endLine": d.end_line, "endColumn": max(d.end_column, d.column + (d.end_line == d.line))},
            }}],
            "partialFingerprints": {FINGERPRINT: fingerprint(d, artifact["uri"])},
        }
        if d.rule in index:
            entry["ruleIndex"] = index[d.rule]
        if d.edits:
            entry["fixes"] = [_fix(artifact, edit) for edit in d.edits]
        results.append(entry)
    log = {
        "version": "2.1.0",
        "$schema": SCHEMA,
        "runs": [{
            "tool": {"driver": {"name": "argolint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "originalUriBaseIds": {SRCROOT: {"uri": root_uri(root)}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"

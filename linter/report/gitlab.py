"""`--format gitlab`: a GitLab Code Quality report (artifacts:reports:codequality), a JSON
array of issues with `description`, `check_name`, `fingerprint`, `severity` and
`location.path` + `location.lines.begin`, paths relative to the repository root."""

from __future__ import annotations

import hashlib
import json

from argolint.report.locations import relative_path, source_root, stable_key

# Code Quality severities: info, minor, major, critical, blocker.
SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def _fingerprint(d, path: str, seen: dict) -> str:
    """Unique per issue (GitLab drops duplicates) and stable across line shifts: the rule,
    the file, the document and the JSON path, with a counter for repeats at one place."""
    key = stable_key(d, path)
    seen[key] = seen.get(key, 0) + 1
    return hashlib.md5(f"{key}\0{seen[key]}".encode("utf-8")).hexdigest()


def render(result) -> str:
    root = source_root(result)
    seen: dict = {}
    issues = []
    for d in result.diagnostics:
        path = "-" if d.file == "-" else relative_path(d.file, root) or d.file
        issues.append({
            "description": d.message + (f"; {d.hint}" if d.hint else ""),
            "check_name": d.rule,
            "fingerprint": _fingerprint(d, path, seen),
            "severity": SEVERITIES[d.severity.value],
            "location": {"path": path, "lines": {"begin": d.line, "end": d.end_line}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"

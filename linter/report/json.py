"""`--format json`: the object of DESIGN §3."""

from __future__ import annotations

import json

from argolint import __version__

FIELDS = ("rule", "severity", "message", "hint", "file", "line", "column", "end_line", "end_column",
          "document", "kind", "name", "path")


def diagnostic_fields(d) -> dict:
    return {f: (getattr(d, f).value if f == "severity" else getattr(d, f)) for f in FIELDS}


def render_json(result) -> str:
    diagnostics = [diagnostic_fields(d) for d in result.diagnostics]
    summary = {s: sum(1 for d in diagnostics if d["severity"] == s) for s in ("error", "warning", "info")}
    payload = {"version": 1, "tool": "argolint", "tool_version": __version__, "files": result.files,
               "diagnostics": diagnostics, "summary": summary}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

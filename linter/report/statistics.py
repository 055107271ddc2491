"""`--statistics`: how many diagnostics each rule gave, most frequent first (as ruff does)."""

from __future__ import annotations

import json
from collections import Counter


def rule_counts(result) -> list[tuple[str, str, int]]:
    """(rule, severity, count), by count (descending), then rule id."""
    counts = Counter((d.rule, d.severity.value) for d in result.diagnostics)
    return sorted(((rule, sev, n) for (rule, sev), n in counts.items()), key=lambda t: (-t[2], t[0], t[1]))


def render_statistics(result, fmt: str = "text") -> str:
    rows = rule_counts(result)
    if fmt in ("json", "json-lines"):
        entries = [{"rule": rule, "severity": sev, "count": n} for rule, sev, n in rows]
        if fmt == "json-lines":
            return "".join(json.dumps(e) + "\n" for e in entries)
        return json.dumps(entries, indent=2) + "\n"
    if not rows:
        return ""
    width = len(str(rows[0][2]))
    rule_width = max(len(rule) for rule, _, _ in rows)
    return "".join(f"{n:>{width}}  {rule:<{rule_width}}  {sev}\n" for rule, sev, n in rows)

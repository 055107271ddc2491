"""`--format json-lines`: one JSON object per diagnostic per line, the fields of `--format
json`'s diagnostics, so a stream processor (`jq -c`, a log shipper) reads it line by line."""

from __future__ import annotations

import json

from argolint.report.json import diagnostic_fields


def render(result) -> str:
    return "".join(json.dumps(diagnostic_fields(d), ensure_ascii=False) + "\n" for d in result.diagnostics)

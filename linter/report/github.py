"""`--format github`: GitHub Actions workflow commands, one annotation per diagnostic."""

from __future__ import annotations

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result) -> str:
    lines = []
    for d in result.diagnostics:
        props = ",".join([
            f"file={escape_property(d.file)}",
            f"line={d.line}",
            f"col={d.column}",
            f"endLine={d.end_line}",
            f"endColumn={d.end_column}",
            f"title={escape_property(d.rule)}",
        ])
        message = d.message + (f"; {d.hint}" if d.hint else "")
        lines.append(f"::{COMMANDS[d.severity.value]} {props}::{escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")

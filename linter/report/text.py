"""Human output: `file:line:col: severity: message; hint [rule]`, the line, a caret."""

from __future__ import annotations

_COLORS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def render_text(result, color: bool = False) -> str:
    out = []
    for d in result.diagnostics:
        message = d.message + (f"; {d.hint}" if d.hint else "")
        sev = d.severity.value
        if color:
            head = f"{_BOLD}{d.file}:{d.line}:{d.column}:{_RESET} {_COLORS[sev]}{sev}:{_RESET} {message} {_DIM}[{d.rule}]{_RESET}"
        else:
            head = f"{d.file}:{d.line}:{d.column}: {sev}: {message} [{d.rule}]"
        out.append(head)
        source = result.sources.get(d.file)
        line = source.line_text(d.line) if source is not None else ""
        if line.strip():
            gutter = " " * len(str(d.line))
            end = d.end_column if d.end_line == d.line else len(line) + 1
            width = max(1, min(end, len(line) + 1) - d.column)
            # keep the line's tabs in the indent so the caret lines up in any tab width
            caret = "".join(c if c == "\t" else " " for c in line[: d.column - 1]) + "^" * width
            if color:
                caret = _COLORS[sev] + caret + _RESET
            out.append(f"{gutter} |")
            out.append(f"{d.line} | {line}")
            out.append(f"{gutter} | {caret}")
    counts = {s: sum(1 for d in result.diagnostics if d.severity.value == s) for s in ("error", "warning", "info")}
    files = f"{result.files} file" + ("s" if result.files != 1 else "")
    if result.diagnostics:
        parts = [f"{n} {s}" + ("s" if n != 1 else "") for s, n in counts.items() if n]
        out.append(f"Found {', '.join(parts)} in {files}.")
    else:
        out.append(f"No problems in {files}.")
    return "\n".join(out) + "\n"

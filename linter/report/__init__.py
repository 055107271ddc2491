"""Reporters: each turns a LintResult into the text of one output format."""

from __future__ import annotations

from dataclasses import dataclass, field

FORMATS = ("text", "json", "sarif", "github")


@dataclass
class LintResult:
    diagnostics: list
    files: int
    sources: dict = field(default_factory=dict)  # file path -> SourceText, for snippets


def render(result: LintResult, fmt: str, color: bool = False) -> str:
    if fmt == "json":
        from argolint.report.json import render_json

        return render_json(result)
    if fmt == "sarif":
        from argolint.report.sarif import render_sarif

        return render_sarif(result)
    if fmt == "github":
        from argolint.report.github import render_github

        return render_github(result)
    from argolint.report.text import render_text

    return render_text(result, color=color)

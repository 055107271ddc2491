"""Reporters: each turns a LintResult into the text of one output format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "json-lines")


@dataclass
class LintResult:
    diagnostics: list
    files: int
    sources: dict = field(default_factory=dict)  # file path -> SourceText, for snippets
    skipped: list = field(default_factory=list)  # (file path, why), files passed over silently
    context_root: Optional[str] = None  # the project folder indexed, if any
    context_files: int = 0  # files of it holding WorkflowTemplates or RBAC manifests


def render(result: LintResult, fmt: str, color: bool = False) -> str:
    if fmt == "json":
        from argolint.report.json import render_json

        return render_json(result)
    if fmt == "sarif":
        from argolint.report.sarif import render_sarif

        return render_sarif(result)
    if fmt in ("junit", "gitlab", "json-lines"):
        from importlib import import_module

        module = import_module(f"argolint.report.{fmt.replace('-', '_')}")
        return module.render(result)
    if fmt == "github":
        from argolint.report.github import render_github

        return render_github(result)
    from argolint.report.text import render_text

    return render_text(result, color=color)

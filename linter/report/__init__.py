"""Reporters: each turns a LintResult into the text of one output format."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "json-lines")


def __getattr__(name):
    # LintResult lives in report.result: the CLI reads FORMATS to build its parser (also for
    # `--version`), which must not pay for importing dataclasses and typing.
    if name == "LintResult":
        from argolint.report.result import LintResult

        return LintResult
    raise AttributeError(f"module 'argolint.report' has no attribute {name!r}")


def render(result: "LintResult", fmt: str, color: bool = False) -> str:
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

"""The static reference rules against the dry run (issue 7, point 4).

For one manifest: the tags flagged by `unknown-variable`, `unknown-output`,
`reference-order` and `item-outside-loop` must be exactly the tags the dry run finds
unresolved, among the tags whose fate the run decided (`Run.decided`: a branch that never
executes decides nothing, and is left out on both sides). Both sides are compared per tag:
(path of the string, text of the `{{...}}` tag, or the whole field for an expression field).
"""

from __future__ import annotations

from argolint.config import Config
from argolint.evaluator.api import evaluate, select
from argolint.evaluator.mocks import Mocks
from argolint.load.loader import load_text
from argolint.analysis.project import Project
from argolint.lint.runner import lint_project
from argolint.analysis.templating.tags import scan

RULES = ("unknown-variable", "unknown-output", "reference-order", "item-outside-loop")


def pointer_path(pointer: str) -> tuple:
    parts = []
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        parts.append(int(part) if part.isdigit() else part)
    return tuple(parts)


def _tag_at(document, path: tuple, line: int, column: int):
    """The tag of the string at `path` that holds (line, column); an expression field
    without tags is one "tag"."""
    value = document.get(path)
    if not isinstance(value, str):
        return None
    for tag in scan(value).tags:
        span = document.span_of(path, start=tag.start, end=tag.end)
        if (span.line, span.column) <= (line, column) < (span.end_line, span.end_column):
            return tag.text
    return value if "{{" not in value else None


def compare(text: str, mocks: dict | None = None, filename: str = "wf.yaml") -> dict:
    """{"static": set, "dynamic": set, "static_all": set, "evaluation": Evaluation} for one
    manifest text; the sets hold (path, tag)."""
    project = Project()
    loaded = load_text(text, filename)
    project.add(loaded)
    evaluation = evaluate(project, select(project), mocks=Mocks(mocks or {}))
    run = evaluation.run
    document = select(project)
    diagnostics = [d for d in lint_project(project, Config()).diagnostics if d.rule in RULES]
    static_all = set()
    for d in diagnostics:
        path = pointer_path(d.path or "")
        static_all.add((path, _tag_at(document, path, d.line, d.column), d.rule, d.message))
    decided = run.decided if run is not None else set()
    static = {(path, tag) for path, tag, _, _ in static_all if (id(document), path, tag) in decided}
    dynamic = {(u.path, u.tag) for u in evaluation.unresolved
               if u.kind == "reference" and u.document is document}
    return {"static": static, "dynamic": dynamic, "static_all": static_all, "evaluation": evaluation}

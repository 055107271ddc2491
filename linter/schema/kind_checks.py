"""Structural checks the schema cannot express: they depend on the kind or on other documents.

- `metadata.name` length: 63 characters for Workflow, WorkflowTemplate and
  ClusterWorkflowTemplate, 52 for CronWorkflow (the controller appends an 11-character
  timestamp to name the Workflows it creates) — argo-lint-checks.md 3.1;
- `metadata` must give `name` or `generateName`: the API server rejects an object without
  either ("name or generateName is required"), whether `metadata` is empty or absent, so
  both are the same finding (the schema's own "missing field 'metadata'" gives way to it).
  For a Workflow it is a warning: Argo's validator does not ask for one, and `argo submit
  --name`/`--generate-name` supplies it at submission (upstream examples rely on that);
- a Workflow or CronWorkflow needs `entrypoint`, unless its `workflowTemplateRef` names a
  template that has one (or one argolint was not given, which it cannot check).
"""

from __future__ import annotations

from typing import Iterator

from argolint.diagnostics import Finding, Severity
from argolint.model import WorkflowSpec
from argolint.schema.formats import has_tag
from argolint.schema.messages import INVALID_VALUE, MISSING_FIELD, dotted

NAME_LIMITS = {"Workflow": 63, "WorkflowTemplate": 63, "ClusterWorkflowTemplate": 63, "CronWorkflow": 52}
NAME_LIMIT_REASONS = {
    "CronWorkflow": "the controller appends a timestamp to name the Workflows it creates",
}
LABEL_VALUE_REASON = "Argo puts it in a label value, which Kubernetes limits to 63 characters"
NEEDS_ENTRYPOINT = ("Workflow", "CronWorkflow")


def check(ctx) -> Iterator[tuple[str, Finding]]:
    doc = ctx.document
    data = doc.data
    kind = doc.kind
    metadata = data.get("metadata")
    if isinstance(metadata, dict):
        yield from _metadata(kind, metadata)
    elif metadata is None:
        yield _unnamed(kind)
    if kind in NEEDS_ENTRYPOINT:
        yield from _entrypoint(ctx, kind)


def _metadata(kind: str, metadata: dict) -> Iterator[tuple[str, Finding]]:
    name = metadata.get("name")
    if not name and not metadata.get("generateName"):
        yield _unnamed(kind)
        return
    limit = NAME_LIMITS.get(kind)
    if isinstance(name, str) and limit and len(name) > limit and not has_tag(name):
        reason = NAME_LIMIT_REASONS.get(kind, LABEL_VALUE_REASON)
        yield INVALID_VALUE, Finding(
            ("metadata", "name"),
            f"{kind} name '{name}' is {len(name)} characters long; the limit is {limit} ({reason})",
            hint=f"shorten it to {limit} characters or fewer")


UNNAMED = ("the object has neither metadata.name nor metadata.generateName: the API server rejects it "
           "(\"name or generateName is required\")")


def _unnamed(kind: str) -> tuple[str, Finding]:
    """The one finding for an object without a name, at its `metadata` key, or at the start
    of the document when it has no `metadata`: a warning for a Workflow, which `argo submit`
    can name, an error for the kinds nothing names on the way to the API server."""
    if kind == "Workflow":
        return MISSING_FIELD, Finding(("metadata",), UNNAMED, hint="add `metadata:` with `generateName: <prefix>-` "
                                      "(or `name:`), unless it is always submitted with `argo submit --name` or "
                                      "`--generate-name`", at="key", severity=Severity.WARNING)
    return MISSING_FIELD, Finding(("metadata",), UNNAMED, hint="add `metadata:` with `generateName: <prefix>-` "
                                  "(or `name:`)", at="key")


def supersedes(rule: str, finding: Finding) -> bool:
    """Whether a schema finding says what a check here says better: the missing `metadata`."""
    return rule == MISSING_FIELD and finding.path == ("kind",) and "'metadata'" in finding.message


def _entrypoint(ctx, kind: str) -> Iterator[tuple[str, Finding]]:
    spec = ctx.spec
    holder = ctx.document.get(spec.path[:-1]) if len(spec.path) > 1 else ctx.document.data
    if not isinstance(holder, dict) or not isinstance(holder.get(spec.path[-1]), dict):
        return  # no spec at all: the schema reports that
    if "entrypoint" in spec.data:
        return
    if spec.workflow_template_ref is not None:
        referenced = ctx.referenced_workflow_template
        if referenced is None or WorkflowSpec.of(referenced).entrypoint is not None:
            return
    where = dotted(spec.path)
    because = " (nor does its workflowTemplateRef)" if spec.workflow_template_ref is not None else ""
    yield MISSING_FIELD, Finding(spec.path, f"missing required field 'entrypoint' in {where}{because}: "
                                            f"a {kind} must name the template it starts with",
                                 hint=f"add `entrypoint: <template name>` to {where}", at="key")

"""One walk over each Argo document, calling every selected rule's hooks.

The engine owns what rules must not: turning paths into spans, catching a rule's crash as
an `internal-error`, applying the configuration (select, ignore, severities,
per-file-ignores) and suppressions, and sorting.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Callable, Iterable, Optional

from argolint.diagnostics import Diagnostic, Finding, Severity, json_pointer
from argolint.load.loader import Document
from argolint.model import WorkflowSpec
from argolint.analysis.project import Project


class Context:
    """What a rule may read about the document being linted. Analyses are computed once,
    on first use, and shared by all rules."""

    def __init__(self, document: Document, project: Project, config):
        self.document = document
        self.project = project
        self.config = config
        self.spec = WorkflowSpec.of(document)
        self.cache: dict = {}

    @cached_property
    def referenced_workflow_template(self) -> Optional[Document]:
        ref = self.spec.workflow_template_ref
        if ref is None:
            return None
        return self.project.workflow_template(ref.name, ref.cluster_scope, self.document.namespace)

    @cached_property
    def template_names(self) -> Optional[set]:
        """Names a step, task or entrypoint may call; None when some are unknowable
        (a workflowTemplateRef to a template that is not among the inputs)."""
        names = set(self.spec.templates_by_name)
        if self.spec.workflow_template_ref is not None:
            referenced = self.referenced_workflow_template
            if referenced is None:
                return None
            names |= set(WorkflowSpec.of(referenced).templates_by_name)
        return names


# Findings of one rule inside one scalar shown before a summary: a generated value with
# thousands of bad `{{tags}}` gets a readable report, and no more work per tag than that.
MAX_FINDINGS_PER_SCALAR = 100


class Cancelled(Exception):
    """The caller's `cancelled()` said the lint is no longer wanted."""


class Engine:
    def __init__(self, rules: list, config, cancelled: Optional[Callable[[], bool]] = None, memo=None):
        self.cancelled = cancelled
        self.memo = memo  # a lint.reuse.DocumentMemo: findings of unchanged documents from the last lint
        self.config = config
        self.rules = rules
        # (rule, its bound hook) per hook: bound once, not at each of the thousands of calls
        self._hooks = {hook: [(r, getattr(r, hook)) for r in rules if hook in type(r).hooks()] for hook in
                       ("check_document", "check_template", "check_step", "check_task")}

    def lint(self, project: Project, files: Optional[list] = None) -> list[Diagnostic]:
        """The diagnostics of the project's files (of `files` only, when given: a worker's
        share of them, see `lint.parallel`), sorted."""
        from argolint.lint.suppress import apply_suppressions

        diagnostics: list[Diagnostic] = []
        for loaded in project.files if files is None else files:
            found = list(loaded.diagnostics)
            for doc in loaded.documents:
                if doc.data is not None and doc.is_argo:
                    found.extend(self._findings(doc, project))
            found = [d for d in found if self.config.enabled(d.rule, loaded.path)]
            for d in found:
                d.severity = self.config.severity_of(d.rule, d.severity)
            diagnostics.extend(apply_suppressions(loaded, found, self.config))
        diagnostics.sort(key=Diagnostic.sort_key)
        return diagnostics

    def _findings(self, doc: Document, project: Project) -> list[Diagnostic]:
        memo = self.memo
        if memo is None:
            return self.lint_document(doc, project)
        found = memo.findings(doc)
        if found is None:
            found = self.lint_document(doc, project)
            memo.keep(doc, found)
        return found

    def lint_document(self, doc: Document, project: Project) -> list[Diagnostic]:
        ctx = Context(doc, project, self.config)
        out: list[Diagnostic] = []
        self._run(ctx, "check_document", out)
        for template in ctx.spec.templates:
            self._walk_template(ctx, template, out)
        out.extend(self._capped_summaries(ctx))
        return out

    def _walk_template(self, ctx: Context, template, out: list) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled()
        self._run(ctx, "check_template", out, template)
        for hook, calls in (("check_step", template.steps), ("check_task", template.tasks)):
            hooked = bool(self._hooks[hook])
            for call in calls:
                if hooked:
                    self._run(ctx, hook, out, call)
                if "inline" in call.data:
                    inline = call.inline
                    if inline is not None:
                        self._walk_template(ctx, inline, out)

    def _run(self, ctx: Context, hook: str, out: list, *args) -> None:
        doc = ctx.document
        for rule, check in self._hooks[hook]:
            try:
                for finding in check(ctx, *args):
                    if finding.start is not None and self._over_scalar_cap(ctx, rule, finding):
                        continue
                    out.append(self.diagnostic(doc, rule, finding))
            except Exception as exc:  # a bug in one rule must not stop the others
                out.append(internal_error(doc, rule.id, exc, args[0].path if args else ()))

    @staticmethod
    def _over_scalar_cap(ctx: Context, rule, finding: Finding) -> bool:
        """Count a finding inside a scalar; whether its rule has already shown enough there."""
        counts = ctx.cache.setdefault("findings per scalar", {})
        key = (tuple(finding.path), finding.rule or rule.id)
        seen = counts.get(key)
        if seen is None:
            counts[key] = [1, rule, finding]
            return False
        seen[0] += 1
        return seen[0] > MAX_FINDINGS_PER_SCALAR

    def _capped_summaries(self, ctx: Context) -> list[Diagnostic]:
        summaries = []
        for (path, rule_id), (count, rule, first) in ctx.cache.get("findings per scalar", {}).items():
            if count > MAX_FINDINGS_PER_SCALAR:
                more = count - MAX_FINDINGS_PER_SCALAR
                summary = Finding(path, f"{more:,} more {rule_id} finding{'s' if more > 1 else ''} in this value "
                                  f"not shown (argolint shows at most {MAX_FINDINGS_PER_SCALAR} per value)",
                                  rule=first.rule, severity=first.severity)
                summaries.append(self.diagnostic(ctx.document, rule, summary))
        return summaries

    def diagnostic(self, doc: Document, rule, finding: Finding) -> Diagnostic:
        span = doc.span_of(finding.path, finding.at, finding.start, finding.end)
        suggestion = finding.suggestion or _suggestion(finding.hint)
        edits = tuple(finding.edits)
        if suggestion:
            from argolint.lint.suggestion import suggestion_edit

            replace = suggestion_edit(doc, finding, span, suggestion)
            edits = (replace,) + edits if replace is not None else edits
        return Diagnostic(
            rule=finding.rule or rule.id,
            severity=finding.severity or rule.severity,
            message=finding.message,
            hint=finding.hint,
            file=doc.file.path,
            line=span.line, column=span.column, end_line=span.end_line, end_column=span.end_column,
            document=doc.index, kind=doc.kind, name=doc.name,
            path=json_pointer(finding.path),
            suggestion=suggestion, edits=edits,
        )


_DID_YOU_MEAN = re.compile(r"did you mean '([^']+)'\?")


def _suggestion(hint: Optional[str]) -> Optional[str]:
    """The replacement a "did you mean 'x'?" hint proposes."""
    m = _DID_YOU_MEAN.search(hint) if hint else None
    return m.group(1) if m else None


def internal_error(doc: Document, rule_id: str, exc: BaseException, path=()) -> Diagnostic:
    import traceback  # with textwrap, ~2 ms of import that a lint without a crash never needs

    span = doc.span_of(path) if path else doc.span_of(())
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    origin = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
    return Diagnostic(
        rule="internal-error", severity=Severity.ERROR,
        message=f"rule '{rule_id}' crashed on this document: {type(exc).__name__}: {exc}{origin}",
        hint="this is a bug in argolint, not in your manifest; please report it with this file",
        file=doc.file.path, line=span.line, column=span.column, end_line=span.line, end_column=span.column + 1,
        document=doc.index, kind=doc.kind, name=doc.name, path=json_pointer(tuple(path)),
    )

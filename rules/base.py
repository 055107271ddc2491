"""The Rule base class: an id, a default severity, docs, and hooks the engine calls."""

from __future__ import annotations

from typing import ClassVar, Iterable, Optional

from argolint.diagnostics import Finding, Severity
from argolint.diagnostics import closest, did_you_mean, quoted_list, suggest  # noqa: F401  (the rules' helpers)

DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "Use instead")
# What a rule checks. Only `correctness` rules run by default; the others are opted into by
# category or id (`--select security`, `extend-select: [best-practice]`).
CATEGORIES = ("correctness", "security", "best-practice")
DEFAULT_CATEGORIES = ("correctness",)


class Rule:
    """Base of every rule. Subclasses set `id`, `severity` and a docstring in ruff's sections,
    and override the hooks they need; each hook yields Findings (paths, not spans).

    Hooks, called during the engine's single walk over each Argo document:
      check_document(ctx)          once per Workflow-like document
      check_template(ctx, t)       each template of the spec (and inline templates)
      check_step(ctx, step)        each step of a steps template
      check_task(ctx, task)        each task of a DAG template
    Ids reported by another part of argolint (the loader's `yaml-syntax`, the engine's
    `internal-error`) or by another rule's hooks set `reported_by` to that part and have no
    hooks of their own: they are registered for docs, config and suppressions. A Finding
    with `rule` set reports under such an id.
    """

    id: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.ERROR
    category: ClassVar[str] = "correctness"
    # For security rules: how GitHub code scanning ranks the finding ("9.0" critical ...
    # "3.0" low), SARIF's `security-severity`.
    security_severity: ClassVar[Optional[str]] = None
    aliases: ClassVar[tuple[str, ...]] = ()
    reported_by: ClassVar[str | None] = None

    HOOKS: ClassVar[tuple[str, ...]] = ("check_document", "check_template", "check_step", "check_task")

    @classmethod
    def doc(cls) -> str:
        import inspect  # with ast, dis and tokenize, ~5 ms of import a lint does not need

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().split("\n", 1)[0].strip()

    @classmethod
    def fix(cls) -> str:
        """"safe", "unsafe" or "": the best fix its diagnostics carry (see argolint.rules.fixes)."""
        from argolint.rules.fixes import FIXES

        return FIXES.get(cls.id, ("", ""))[0]

    @classmethod
    def fix_doc(cls) -> str:
        """The documentation's "Fix" section: whether `argolint --fix` can fix it, and how."""
        from argolint.rules.fixes import FIXES

        kind, text = FIXES.get(cls.id, ("", ""))
        if not kind:
            return "## Fix\nNone: `argolint --fix` leaves this to you."
        flag = "`argolint --fix`" if kind == "safe" else "`argolint --fix --unsafe-fixes`"
        return f"## Fix ({kind}: {flag})\n{text}"

    @classmethod
    def hooks(cls) -> list[str]:
        return [h for h in cls.HOOKS if getattr(cls, h) is not getattr(Rule, h)]

    def check_document(self, ctx) -> Iterable[Finding]:
        return ()

    def check_template(self, ctx, template) -> Iterable[Finding]:
        return ()

    def check_step(self, ctx, step) -> Iterable[Finding]:
        return ()

    def check_task(self, ctx, task) -> Iterable[Finding]:
        return ()


class LoaderRule(Rule):
    reported_by = "loader"

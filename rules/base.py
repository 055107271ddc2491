"""The Rule base class: an id, a default severity, docs, and hooks the engine calls."""

from __future__ import annotations

import inspect
from typing import ClassVar, Iterable

from argolint.diagnostics import Finding, Severity

DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "Use instead")


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
    aliases: ClassVar[tuple[str, ...]] = ()
    reported_by: ClassVar[str | None] = None

    HOOKS: ClassVar[tuple[str, ...]] = ("check_document", "check_template", "check_step", "check_task")

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().split("\n", 1)[0].strip()

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


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate most like `word` (case-insensitive match first), or None."""
    import difflib

    candidates = [c for c in candidates if isinstance(c, str)]
    lower = word.lower()
    for c in candidates:
        if c.lower() == lower:
            return c
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match else None


def quoted_list(names: Iterable[str], limit: int = 12) -> str:
    names = sorted({n for n in names if isinstance(n, str)})
    shown = ", ".join(f"'{n}'" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")

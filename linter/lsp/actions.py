"""Quick fixes for diagnostics, as plain edits on the linted text.

The fixes are the diagnostic's own edits, the ones `argolint --fix` applies (a "did you
mean" replacement, quotes around a YAML 1.1 boolean, `serviceAccountName` ...), then one
that silences the rule on the diagnostic's line with `# argolint: ignore[rule-id]`; and
"fix all", every safe edit of the buffer at once. Edits use argolint's 1-based code-point
spans; the server converts them to LSP ranges. Nothing here imports pygls or lsprotocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from argolint.diagnostics import Diagnostic
from argolint.lsp.workspace import BufferLint

FIX_ALL_KIND = "source.fixAll.argolint"


@dataclass(frozen=True)
class Action:
    title: str
    edits: tuple
    diagnostic: Optional[Diagnostic]
    preferred: bool = False


def actions(lint: BufferLint, diagnostic: Diagnostic) -> list[Action]:
    """Every quick fix for one diagnostic of `lint`, best first."""
    found = [Action(edit.title, (edit,), diagnostic, preferred=i == 0 and edit.safe)
             for i, edit in enumerate(diagnostic.edits)]
    ignore = ignore_action(lint, diagnostic)
    if ignore is not None:
        found.append(ignore)
    return found


def ignore_action(lint: BufferLint, d: Diagnostic) -> Optional[Action]:
    from argolint.lint.ignore import ignore_edit

    edit = ignore_edit(lint.loaded, d.line, [d.rule])
    return Action(edit.title, (edit,), d) if edit is not None else None


def fix_all_action(lint: BufferLint) -> Optional[Action]:
    """The safe edits of every diagnostic, as `argolint --fix` makes them in one pass."""
    from argolint.lint.fix import chosen_edit, first_of_each_overlap

    safe = [edit for edit in (chosen_edit(d, unsafe=False) for d in lint.diagnostics) if edit is not None]
    if not safe:
        return None
    return Action("Fix all safe argolint problems", tuple(first_of_each_overlap(safe, lint.loaded.source.offset)),
                  None)

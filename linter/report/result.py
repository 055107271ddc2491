"""What a lint run gives the reporters."""

from __future__ import annotations

from typing import Optional

from argolint.diagnostics import Record


class LintResult(Record):
    _fields = ("diagnostics", "files", "sources", "skipped", "context_root", "context_files")

    def __init__(self, diagnostics: list, files: int, sources: Optional[dict] = None, skipped: Optional[list] = None,
                 context_root: Optional[str] = None, context_files: int = 0):
        self.diagnostics = diagnostics
        self.files = files
        self.sources = {} if sources is None else sources  # file path -> SourceText, for snippets
        self.skipped = [] if skipped is None else skipped  # (file path, why), files passed over silently
        self.context_root = context_root  # the project folder indexed, if any
        self.context_files = context_files  # files of it holding WorkflowTemplates or RBAC manifests

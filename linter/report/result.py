"""What a lint run gives the reporters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass
class LintResult:
    diagnostics: list
    files: int
    sources: dict = field(default_factory=dict)  # file path -> SourceText, for snippets
    skipped: list = field(default_factory=list)  # (file path, why), files passed over silently
    context_root: Optional[str] = None  # the project folder indexed, if any
    context_files: int = 0  # files of it holding WorkflowTemplates or RBAC manifests

"""Every document given (and under template paths), indexed for cross-document lookups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from argolint.load.loader import INDEXED_KINDS, Document, LoadedFile


@dataclass
class Project:
    """The files being linted plus the files only indexed (template paths).

    WorkflowTemplates are keyed by name (and namespace when set); ClusterWorkflowTemplates
    by name. RBAC and ConfigMap documents are kept by kind for the rules that need them.
    """

    files: list = field(default_factory=list)  # LoadedFile, reported on
    indexed_files: list = field(default_factory=list)  # LoadedFile, template paths only
    workflow_templates: dict = field(default_factory=lambda: defaultdict(list))
    cluster_workflow_templates: dict = field(default_factory=lambda: defaultdict(list))
    by_kind: dict = field(default_factory=lambda: defaultdict(list))
    # Analyses of the whole project computed once per run (e.g. the RBAC model), keyed by
    # their module; emptied whenever a file is added.
    analyses: dict = field(default_factory=dict)
    # The project folder whose WorkflowTemplates and RBAC manifests were indexed, if any.
    context_root: Optional[str] = None

    def add(self, loaded: LoadedFile, reported: bool = True) -> None:
        (self.files if reported else self.indexed_files).append(loaded)
        self.analyses.clear()
        for doc in loaded.documents:
            kind = doc.kind
            if kind == "WorkflowTemplate" and doc.is_argo:
                name = doc.metadata.get("name")
                if isinstance(name, str):
                    self.workflow_templates[name].append(doc)
            elif kind == "ClusterWorkflowTemplate" and doc.is_argo:
                name = doc.metadata.get("name")
                if isinstance(name, str):
                    self.cluster_workflow_templates[name].append(doc)
            elif kind in INDEXED_KINDS:
                self.by_kind[kind].append(doc)

    def workflow_template(self, name: Optional[str], cluster_scope: bool = False,
                          namespace: Optional[str] = None) -> Optional[Document]:
        if not isinstance(name, str):
            return None
        candidates = (self.cluster_workflow_templates if cluster_scope else self.workflow_templates).get(name, [])
        if not cluster_scope and namespace is not None:
            same = [d for d in candidates if d.namespace in (None, namespace)]
            candidates = same or candidates
        return candidates[0] if candidates else None

    @property
    def documents(self):
        for loaded in self.files:
            yield from loaded.documents

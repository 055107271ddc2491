"""Every document given (and under template paths), indexed for cross-document lookups."""

from __future__ import annotations

from collections import defaultdict
from typing import Optional

from argolint.diagnostics import Record
from argolint.load.loader import INDEXED_KINDS, Document, LoadedFile


class Project(Record):
    """The files being linted plus the files only indexed (template paths).

    WorkflowTemplates are keyed by name (and namespace when set); ClusterWorkflowTemplates
    by name. RBAC and ConfigMap documents are kept by kind for the rules that need them.
    """

    _fields = ("files", "indexed_files", "workflow_templates", "cluster_workflow_templates", "by_kind", "analyses",
               "context_root")

    def __init__(self, files: Optional[list] = None, indexed_files: Optional[list] = None,
                 workflow_templates: Optional[dict] = None, cluster_workflow_templates: Optional[dict] = None,
                 by_kind: Optional[dict] = None, analyses: Optional[dict] = None, context_root: Optional[str] = None):
        self.files = [] if files is None else files  # LoadedFile, reported on
        self.indexed_files = [] if indexed_files is None else indexed_files  # LoadedFile, template paths only
        self.workflow_templates = defaultdict(list) if workflow_templates is None else workflow_templates
        self.cluster_workflow_templates = (defaultdict(list) if cluster_workflow_templates is None
                                           else cluster_workflow_templates)
        self.by_kind = defaultdict(list) if by_kind is None else by_kind
        # Analyses of the whole project computed once per run (e.g. the RBAC model), keyed by
        # their module; emptied whenever a file is added.
        self.analyses = {} if analyses is None else analyses
        # The project folder whose WorkflowTemplates and RBAC manifests were indexed, if any.
        self.context_root = context_root

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

"""Run the evaluator on files: choose the workflow, prepare it, simulate it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from argolint.evaluator.budget import Budget, spending
from argolint.evaluator.core import Stop
from argolint.evaluator.engine import Limits, Run
from argolint.evaluator.mocks import Mocks
from argolint.evaluator.nodes import ERROR, Node
from argolint.evaluator.shapes import unusable_name
from argolint.evaluator.workflow import WorkflowError, prepare, runnable_documents


class DryRunError(Exception):
    """The dry run cannot start: no workflow among the inputs, an unknown one selected ..."""


@dataclass
class Evaluation:
    """The result of a dry run."""

    name: str
    phase: str
    message: Optional[str]
    nodes: list = field(default_factory=list)  # Node, in creation order
    events: list = field(default_factory=list)  # Event
    unresolved: list = field(default_factory=list)  # Unresolved, by file position
    outputs: dict = field(default_factory=dict)  # workflow.outputs.parameters
    run: Optional[Run] = None

    def node(self, name: str) -> Optional[Node]:
        for node in self.nodes:
            if node.name == name:
                return node
        return None


def load(paths: list) -> "Project":  # noqa: F821 - argolint.analysis.project.Project
    """Every document of the files (directories are searched for YAML and JSON)."""
    from argolint.analysis.project import Project
    from argolint.load.files import UsageError, collect

    try:
        files, problems = collect(paths)
    except UsageError as exc:
        raise DryRunError(str(exc)) from None
    from argolint.load.loader import read_file

    project = Project()
    for path in files:
        if path == "-":
            from argolint.load.loader import read_stdin

            project.add(read_stdin("-"))
        else:
            project.add(read_file(path))
    return project


def select(project, which: Optional[str] = None):
    """The document to run: the one named `which` (metadata.name or generateName), else the
    first Workflow or CronWorkflow, else the first WorkflowTemplate."""
    candidates = runnable_documents(project)
    if which is not None:
        for doc in candidates:
            if which in (doc.metadata.get("name"), doc.metadata.get("generateName")):
                return doc
        names = ", ".join(str(d.name) for d in candidates) or "none"
        raise DryRunError(f"no Workflow, CronWorkflow or WorkflowTemplate named '{which}' (found: {names})")
    if not candidates:
        problems = [d for f in project.files for d in f.diagnostics]
        if problems:
            first = problems[0]
            raise DryRunError(f"{first.file}:{first.line}:{first.column}: {first.message}")
        raise DryRunError("no Workflow, CronWorkflow or WorkflowTemplate among the inputs")
    return candidates[0]


def evaluate(project, document=None, parameters=(), entrypoint: Optional[str] = None, mocks: Optional[Mocks] = None,
             name: Optional[str] = None, limits: Optional[Limits] = None) -> Evaluation:
    """Simulate the workflow of `document` (default: `select(project)`)."""
    document = document if document is not None else select(project)
    budget = Budget(timeout=(limits or Limits()).timeout)
    try:
        with spending(budget):  # the workflow's parameters are evaluated here already
            unusable_name(project)
            workflow = prepare(project, document, list(parameters), entrypoint, name)
        if not workflow.entrypoint:
            raise WorkflowError("spec.entrypoint is not set; pass --entrypoint NAME")
    except (WorkflowError, Stop) as exc:
        display = name or document.metadata.get("name") or f"{document.metadata.get('generateName') or ''}xxxxx"
        return Evaluation(display, ERROR, str(exc))
    run = Run(workflow, project, mocks, limits, budget).run()
    unresolved = sorted(run.unresolved.values(),
                        key=lambda u: (u.file or "", u.line or 0, u.column or 0, u.outcome, u.reference))
    return Evaluation(run.name, run.phase, run.message, list(run.nodes.values()), run.events, unresolved,
                      dict(run.global_outputs), run)


def evaluate_text(text: str, filename: str = "workflow.yaml", **options) -> Evaluation:
    """Convenience for tests and tools: simulate the first workflow of a YAML text (other
    documents of the text may be WorkflowTemplates it refers to)."""
    from argolint.load.loader import load_text
    from argolint.analysis.project import Project

    project = Project()
    project.add(load_text(text, filename))
    return evaluate(project, select(project, options.pop("workflow", None)), **options)

"""Run the evaluator on files: choose the workflow, prepare it, simulate it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from argolint.evaluator.budget import Budget, spending
from argolint.evaluator.core import Stop
from argolint.evaluator.engine import Limits, Run
from argolint.evaluator.mocks import Mocks
from argolint.evaluator.nodes import ERROR, FAILED, Node
from argolint.evaluator.shapes import unusable_name
from argolint.evaluator.workflow import WorkflowError, prepare, runnable_documents


INCOMPLETE = "Incomplete"


@dataclass
class Unknown:
    """An output no mock gives that a decision of the run used."""

    value: str  # the placeholder, e.g. <flip-coin.outputs.result>
    key: str  # the mock key that would supply it
    field: str  # result, or parameters.NAME
    used_by: list  # [(node name or None, what: when, withParam, failure, hang ...)]

    @property
    def example(self) -> str:
        if self.field == "result":
            return f"{self.key}: {{result: ...}}"
        return f"{self.key}: {{parameters: {{{self.field.split('.', 1)[1]}: ...}}}}"


def unknowns_of(run: Run) -> list:
    from argolint.evaluator.core import base_name

    out = []
    for placeholder, uses in run.unknown_uses.items():
        owner, what = placeholder[1:-1].split(".outputs.", 1)
        out.append(Unknown(placeholder, base_name(owner), what, list(uses)))
    return out


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
    unknowns: list = field(default_factory=list)  # Unknown: unmocked outputs the outcome depends on
    unsimulated: list = field(default_factory=list)  # features present that the dry run does not simulate
    simulated_phase: Optional[str] = None  # the phase with the placeholders taken as values, when Incomplete

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


def select_all(project) -> list:
    """The documents to run when none is named: every Workflow and CronWorkflow, in file order;
    without any, every WorkflowTemplate that has an entrypoint, else the first one (which
    then needs --entrypoint)."""
    candidates = runnable_documents(project)
    workflows = [d for d in candidates if d.kind in ("Workflow", "CronWorkflow")]
    if workflows:
        return workflows
    runnable = [d for d in candidates if isinstance((d.data or {}).get("spec"), dict) and d.data["spec"].get("entrypoint")]
    return runnable or [select(project)]


def split_parameter(item: str) -> Optional[tuple]:
    """(NAME, VALUE) of a `NAME=VALUE` override, as `argo submit -p` takes it; None when it
    has no `=` or no name."""
    key, sep, value = item.partition("=")
    return (key, value) if sep and key else None


def read_parameter_file(path: str) -> list:
    """(name, value) pairs of a YAML/JSON mapping, like `argo submit --parameter-file`."""
    from argolint.evaluator.values import as_text
    from argolint.load.loader import read_data_file

    documents, problems = read_data_file(path)
    problems = [d for d in problems if d.severity.value == "error"]
    if problems:
        raise DryRunError(f"{path}:{problems[0].line}:{problems[0].column}: {problems[0].message}")
    data = documents[0] if len(documents) == 1 else None
    if not isinstance(data, dict):
        raise DryRunError(f"{path}: a parameter file is one mapping of NAME: VALUE")
    return [(str(key), as_text(value) if value is not None else "") for key, value in data.items()]


def check_mock_keys(mocks: Mocks, project) -> None:
    """Reject a mock key (or --fail name) that names no step, task, template, hook or workflow
    of the files, with a did-you-mean. A key with `*` is a pattern and is not checked."""
    import re

    from argolint.diagnostics import did_you_mean

    keys = [key for key, *_ in mocks.entries] + [name for name, _ in mocks.fail]
    if not keys:  # nothing to check: no walk of every name (a 32k-task DAG's is 0.2 s)
        return
    names = _known_names(project)
    for key in keys:
        if "*" in key or key in names:
            continue
        parts = [part for part in re.split(r"[.\[\]()]", key) if part]
        if any(part in names for part in parts):
            continue
        hint = did_you_mean(parts[-1] if parts else key, names)
        raise DryRunError(f"mock '{key}' names no step, task, template or hook of the workflow"
                          + (f"; {hint}" if hint else ""))


def _known_names(project) -> set:
    names = {"onExit", "hooks"}
    for doc in runnable_documents(project):
        names.update(str(doc.metadata.get(k)) for k in ("name", "generateName") if doc.metadata.get(k))
        stack = [doc.data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if isinstance(item.get("name"), str):
                    names.add(item["name"])
                if isinstance(item.get("hooks"), dict):
                    names.update(str(k) for k in item["hooks"])
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
            elif isinstance(item, list):
                stack.extend(v for v in item if isinstance(v, (dict, list)))
    return names


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
    from argolint.evaluator.checks import invalid_spec

    problem = invalid_spec(workflow.spec, [t for t, _ in workflow.base.templates.values()],
                           workflow.base.document is not workflow.document)
    if problem is not None:  # the controller validates the spec first and fails the workflow
        return Evaluation(workflow.name, FAILED, f"invalid spec: {problem}")
    run = Run(workflow, project, mocks, limits, budget).run()
    unresolved = sorted(run.unresolved.values(),
                        key=lambda u: (u.file or "", u.line or 0, u.column or 0, u.outcome, u.reference))
    from argolint.evaluator.unsimulated import unsimulated_features

    evaluation = Evaluation(run.name, run.phase, run.message, list(run.nodes.values()), run.events, unresolved,
                            dict(run.global_outputs), run, unknowns_of(run), unsimulated_features(workflow))
    if evaluation.unknowns and run.stopped is None:
        evaluation.simulated_phase = evaluation.phase
        evaluation.phase = INCOMPLETE
        values = ", ".join(u.value for u in evaluation.unknowns[:5]) + (" ..." if len(evaluation.unknowns) > 5
                                                                        else "")
        count = len(evaluation.unknowns)
        evaluation.message = (f"the outcome depends on {count} output{'s' if count > 1 else ''} no mock gives: "
                              f"{values}")
    return evaluation


def evaluate_text(text: str, filename: str = "workflow.yaml", **options) -> Evaluation:
    """Convenience for tests and tools: simulate the first workflow of a YAML text (other
    documents of the text may be WorkflowTemplates it refers to)."""
    from argolint.load.loader import load_text
    from argolint.analysis.project import Project

    project = Project()
    project.add(load_text(text, filename))
    return evaluate(project, select(project, options.pop("workflow", None)), **options)

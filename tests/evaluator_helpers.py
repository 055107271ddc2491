"""Running the evaluator in tests, and reading its trace the way argo-semantics §10 writes it."""

from __future__ import annotations

import textwrap

from argolint.evaluator.api import evaluate, evaluate_text
from argolint.evaluator.mocks import Mocks

# argo-semantics §10: the shared leaf templates
LEAVES = """
- name: echo
  inputs: {parameters: [{name: msg}]}
  container: {image: alpine, command: [echo], args: ["{{inputs.parameters.msg}}"]}
- name: echo-d
  inputs: {parameters: [{name: msg, default: none}]}
  container: {image: alpine, command: [echo], args: ["{{inputs.parameters.msg}}"]}
- name: gen
  container: {image: alpine, command: [gen]}
- name: gen-p
  container: {image: alpine, command: [gen]}
  outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
"""


def _indent(text: str, spaces: int) -> str:
    return textwrap.indent(textwrap.dedent(text).strip("\n"), " " * spaces)


def workflow(body: str = "", templates: str = "", spec: str = "", kind: str = "steps") -> str:
    """A Workflow whose entry template `main` has `body` under steps: (or dag:), plus
    `templates` and the shared leaves."""
    main = ""
    if body:
        main = f"  - name: main\n    {kind}:\n{_indent(body, 6)}\n"
    return (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: WF\nspec:\n  entrypoint: main\n"
        + (_indent(spec, 2) + "\n" if spec else "")
        + "  templates:\n" + main
        + (_indent(templates, 2) + "\n" if templates else "")
        + _indent(LEAVES, 2) + "\n"
    )


def run(text: str, mocks: dict | None = None, fail=(), **options):
    return evaluate_text(text, "wf.yaml", mocks=Mocks(mocks, tuple(fail)), **options)


def run_project(project, mocks: dict | None = None, fail=(), **options):
    return evaluate(project, mocks=Mocks(mocks, tuple(fail)), **options)


def trace(evaluation, waits: bool = False) -> list:
    """`t=<tick> <EVENT> <node>` for every event."""
    return [f"t={e.tick} {e.kind} {e.node}" for e in evaluation.events if waits or e.kind != "WAIT"]


def at(evaluation, tick: int) -> list:
    return [line.split(" ", 1)[1] for line in trace(evaluation) if line.startswith(f"t={tick} ")]


def started_leaves(evaluation) -> dict:
    """tick -> names of the leaves (pods, suspends) started then: the parallel groups."""
    nodes = {n.name: n for n in evaluation.nodes}
    out: dict = {}
    for e in evaluation.events:
        if e.kind == "START" and nodes[e.node].type in ("Pod", "Suspend", "HTTP", "Plugin"):
            out.setdefault(e.tick, []).append(e.node)
    return out


def args_of(evaluation, name: str):
    node = evaluation.node(name)
    assert node is not None, f"no node {name}; nodes: {[n.name for n in evaluation.nodes]}"
    return node.args


def phase_of(evaluation, name: str) -> str:
    node = evaluation.node(name)
    assert node is not None, f"no node {name}; nodes: {[n.name for n in evaluation.nodes]}"
    return node.phase


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of `text` holding `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)

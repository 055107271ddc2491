"""No generated workflow ends the dry run in a traceback: exit hooks whose arguments read
the outputs of skipped steps or tasks (absent optionals, argo-semantics §2.8), alone, inside
a longer string, or behind `??`, calling templates with and without input defaults."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator_helpers import run

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
LEAVES = [
    {"name": "gen-p", "container": {"image": "alpine", "command": ["gen"]},
     "outputs": {"parameters": [{"name": "p", "valueFrom": {"path": "/tmp/p"}}]}},
    {"name": "gen-d", "container": {"image": "alpine", "command": ["gen"]},
     "outputs": {"parameters": [{"name": "p", "valueFrom": {"path": "/tmp/p", "default": "d"}}]}},
    {"name": "hook", "inputs": {"parameters": [{"name": "msg"}]},
     "container": {"image": "alpine", "args": ["{{inputs.parameters.msg}}"]}},
    {"name": "hook-d", "inputs": {"parameters": [{"name": "msg", "default": "none"}]},
     "container": {"image": "alpine", "args": ["{{inputs.parameters.msg}}"]}},
]


@st.composite
def hooked_workflows(draw):
    kind = draw(st.sampled_from(["steps", "dag"]))
    count = draw(st.integers(2, 4))
    prefix = "steps" if kind == "steps" else "tasks"
    nodes = []
    for i in range(count):
        node = {"name": f"n{i}", "template": draw(st.sampled_from(["gen-p", "gen-d"]))}
        if draw(st.booleans()):
            node["when"] = "false"
        if i and draw(st.booleans()):
            other = f"n{draw(st.integers(0, i - 1))}"
            field = draw(st.sampled_from(["parameters.p", "result"]))
            ref = f"{prefix}.{other}.outputs.{field}"
            value = draw(st.sampled_from([f"{{{{{ref}}}}}", f"x-{{{{{ref}}}}}", f"{{{{= {ref} ?? 'fb'}}}}"]))
            hook = {"template": draw(st.sampled_from(["hook", "hook-d"])),
                    "arguments": {"parameters": [{"name": "msg", "value": value}]}}
            node["hooks"] = {"exit": hook}
            if kind == "dag":
                node["depends"] = other
        nodes.append(node)
    body = {"steps": [[n] for n in nodes]} if kind == "steps" else {"dag": {"tasks": nodes}}
    doc = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": "wf"},
           "spec": {"entrypoint": "main", "templates": [{"name": "main", **body}] + LEAVES}}
    return json.dumps(doc, indent=1) + "\n"


@SETTINGS
@given(hooked_workflows())
def test_exit_hooks_over_absent_outputs_never_crash(text):
    ev = run(text)
    assert ev.phase in ("Succeeded", "Failed", "Error", "Running", "Incomplete"), text
    assert ev.node("wf") is not None

"""`argolint dry-run`: options, the text tree, the JSON of DESIGN §6, exit codes."""

from __future__ import annotations

import json
import os

from conftest import SEED
from helpers import dry_run, run_cli

STEPS = os.path.join(SEED, "steps-workflow.yaml")
OUTPUT = os.path.join(SEED, "output-parameter-workflow.yaml")
DIAMOND = os.path.join(SEED, "dag-diamond-workflow.yaml")


def test_json_output_has_the_fields_of_design_6(capsys, tmp_path):
    mocks = tmp_path / "mocks.yaml"
    mocks.write_text("generate-parameter:\n  parameters: {hello-param: hello world}\n")
    code, out, _ = dry_run(capsys, OUTPUT, "--mock", mocks, "--format", "json", "--name", "WF")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"name", "phase", "message", "simulated_phase", "outputs", "nodes", "events", "unresolved",
                         "unknown", "not_simulated"}
    assert data["name"] == "WF" and data["phase"] == "Succeeded" and data["unresolved"] == []
    assert data["unknown"] == [] and data["not_simulated"] == []
    assert data["events"][0] == {"tick": 0, "event": "START", "node": "WF", "type": "Steps", "phase": "Running",
                                 "message": None}
    consumer = next(n for n in data["nodes"] if n["display_name"] == "consume-parameter")
    # node ids and pod names are the controller's: WF-<fnv32a(name)>, WF-<template>-<fnv32a(name)>
    from argolint.evaluator.nodes import fnv32a

    assert consumer == {
        "name": "WF[1].consume-parameter", "id": f"WF-{fnv32a('WF[1].consume-parameter')}",
        "pod_name": f"WF-print-message-{fnv32a('WF[1].consume-parameter')}",
        "display_name": "consume-parameter", "template": "print-message", "template_ref": None,
        "type": "Pod", "phase": "Succeeded", "started_at": 1, "finished_at": 2, "children": [],
        "inputs": {"message": "hello world"}, "outputs": {}, "inferred": [], "image": "docker/whalesay:latest",
        "command": ["cowsay"], "args": ["hello world"], "message": None, "decision": None, "attempt": None,
        "hook": False, "memoization": None,
    }
    producer = next(n for n in data["nodes"] if n["display_name"] == "generate-parameter")
    assert producer["outputs"] == {"parameters": {"hello-param": "hello world"}}
    assert producer["children"] == ["WF[1]"]


def test_json_unresolved_entries(capsys, tmp_path):
    wf = tmp_path / "wf.yaml"
    wf.write_text("""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: WF}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: a, template: gen}
      - {name: b, template: gen, arguments: {parameters: [{name: x, value: "{{steps.a.outputs.result}}"}]}}
  - {name: gen, container: {image: alpine}}
""")
    code, out, _ = dry_run(capsys, wf, "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["phase"] == "Running" and data["message"].startswith("hangs")
    assert data["unresolved"] == [{"reference": "{{steps.a.outputs.result}}", "node": "WF[0]", "outcome": "hang",
                                   "file": str(wf), "line": 10, "column": 77,
                                   "message": "never available: the controller requeues the workflow forever"}]


def test_text_output_is_a_tree_with_inputs_commands_and_the_final_phase(capsys):
    code, out, _ = dry_run(capsys, STEPS, "--no-color")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Workflow:  steps-xxxxx"
    assert lines[1] == "Phase:     Succeeded"
    header = next(i for i, line in enumerate(lines) if line.startswith("NODE"))
    assert lines[header].split() == ["NODE", "TEMPLATE", "TYPE", "PHASE", "TICKS"]
    assert lines[header + 1].split() == ["✔", "steps-xxxxx", "hello-hello-hello", "Steps", "Succeeded", "t0-2"]
    assert lines[header + 2].split() == ["├─", "✔", "[0]", "StepGroup", "Succeeded", "t0-1"]
    assert lines[header + 3].split() == ["│", "└─", "✔", "hello1", "whalesay", "Pod", "Succeeded", "t0-1"]
    assert "inputs: message=hello1" in out
    assert 'command: ["cowsay"]  args: ["hello1"]' in out
    assert lines[-1] == "Final phase: Succeeded"


def test_trace_option_prints_the_events(capsys):
    code, out, _ = dry_run(capsys, DIAMOND, "--trace", "--name", "WF")
    trace = out.split("Trace:\n", 1)[1]
    assert "  t=0 START WF DAG tmpl=diamond\n" in trace
    assert '  t=1 START WF.B Pod tmpl=echo cmd=["echo","B"]\n' in trace


def test_fail_option_and_exit_code(capsys):
    code, out, _ = dry_run(capsys, DIAMOND, "--fail", "B", "--name", "WF", "--no-color")
    assert code == 1
    assert "Final phase: Failed" in out
    assert "message: main: Error (exit code 1)" in out


def test_parameters_entrypoint_and_workflow_selection(capsys, tmp_path):
    wf = tmp_path / "two.yaml"
    wf.write_text("""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: first-}
spec:
  entrypoint: main
  templates:
  - {name: main, container: {image: alpine}}
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: second}
spec:
  entrypoint: main
  arguments: {parameters: [{name: msg, value: hi}]}
  templates:
  - {name: main, container: {image: alpine, args: ["{{workflow.parameters.msg}}"]}}
  - {name: other, container: {image: alpine, args: ["other {{workflow.parameters.msg}}"]}}
""")
    code, out, _ = dry_run(capsys, wf, "--format", "json")
    # several workflows: each runs, in file order
    assert [w["nodes"][0]["name"] for w in json.loads(out)["workflows"]] == ["first-xxxxx", "second"]
    code, out, _ = dry_run(capsys, wf)
    assert out.count("Final phase: Succeeded") == 2 and "Workflow:  first-xxxxx" in out
    code, out, _ = dry_run(capsys, wf, "--workflow", "second", "-p", "msg=hello there", "--format", "json")
    assert json.loads(out)["nodes"][0]["args"] == ["hello there"]
    code, out, _ = dry_run(capsys, wf, "--workflow", "second", "--entrypoint", "other", "--format", "json")
    assert json.loads(out)["nodes"][0]["args"] == ["other hi"]


def test_usage_errors_exit_2(capsys, tmp_path):
    code, _, err = dry_run(capsys, tmp_path / "missing.yaml")
    assert code == 2 and "no such file or directory" in err
    empty = tmp_path / "cm.yaml"
    empty.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    code, _, err = dry_run(capsys, empty)
    assert code == 2 and "no Workflow, CronWorkflow or WorkflowTemplate among the inputs" in err
    code, _, err = dry_run(capsys, STEPS, "--workflow", "nope")
    assert code == 2 and "named 'nope'" in err
    bad = tmp_path / "mocks.yaml"
    bad.write_text("hello1: {rezult: x}\n")
    code, _, err = dry_run(capsys, STEPS, "--mock", bad)
    assert code == 2 and "hello1: unknown field 'rezult'" in err
    code, _, err = dry_run(capsys, STEPS, "-p", "novalue")
    assert code == 2 and "expected NAME=VALUE" in err


def test_a_mock_or_parameter_file_that_does_not_parse_is_an_error(capsys, tmp_path):
    """A data file is not a manifest: the linter sets aside a broken YAML file that shows no
    sign of Argo, but a broken mock or parameter file must say so, not be read as empty."""
    bad = tmp_path / "mocks.yaml"
    bad.write_text("hello1: {result: x\n")
    code, _, err = dry_run(capsys, STEPS, "--mock", bad)
    assert code == 2 and f"{bad}:2:1: YAML syntax error" in err
    code, _, err = dry_run(capsys, STEPS, "--parameter-file", bad)
    assert code == 2 and f"{bad}:2:1: YAML syntax error" in err


def test_unused_mock_names_are_warned_about(capsys, tmp_path):
    wf = tmp_path / "wf.yaml"
    wf.write_text("""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: never, template: leaf, when: "false"}
  - {name: leaf, container: {image: alpine}}
""")
    code, _, err = dry_run(capsys, wf, "--fail", "never")
    assert code == 0 and "no node matched the mock or --fail name(s): never" in err


def test_a_mock_key_that_names_nothing_is_rejected_with_a_did_you_mean(capsys, tmp_path):
    code, _, err = dry_run(capsys, STEPS, "--fail", "hello9")
    assert code == 2 and "mock 'hello9' names no step, task, template or hook" in err and "did you mean" in err
    mocks = tmp_path / "mocks.yaml"
    mocks.write_text("'hello1(0)': {exitCode: 1}\n'*.hello2a': {exitCode: 0}\n")
    code, _, err = dry_run(capsys, STEPS, "--mock", mocks)
    assert code != 2 and "names no step" not in err


def test_help_mocks_explains_the_format(capsys):
    code, out, _ = dry_run(capsys, "--help-mocks")
    assert code == 0 and "attempts:" in out and "--fail NAME" in out


def test_dry_run_subcommand_runs_in_a_subprocess():
    code, out, err = run_cli("dry-run", STEPS, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["phase"] == "Succeeded"

"""`argolint dry-run` as a user meets it: Incomplete runs and the mock skeleton that
completes them, inferred values, pictures, parameter files, explained decisions."""

from __future__ import annotations

import json
import os

from conftest import SEED
from helpers import dry_run

from argolint.evaluator.infer import infer

COINFLIP = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: coinflip-}
spec:
  entrypoint: coinflip
  templates:
  - name: coinflip
    steps:
    - - {name: flip-coin, template: flip-coin}
    - - {name: heads, template: heads, when: "{{steps.flip-coin.outputs.result}} == heads"}
      - {name: tails, template: heads, when: "{{steps.flip-coin.outputs.result}} == tails"}
  - name: flip-coin
    script:
      image: python:alpine3.6
      command: [python]
      source: print("heads")
  - name: heads
    container: {image: alpine, command: [echo, it was heads]}
"""


def test_an_unmocked_output_in_a_when_is_incomplete_and_the_skeleton_completes_it(capsys, tmp_path):
    wf = tmp_path / "coinflip.yaml"
    wf.write_text(COINFLIP)
    skeleton = tmp_path / "mocks.yaml"
    code, out, _ = dry_run(capsys, wf, "--mock-skeleton", skeleton)
    assert code == 4
    assert "Phase:     Incomplete" in out
    assert "  <flip-coin.outputs.result>: used by when of coinflip-xxxxx[1]" in out
    assert "mock key: flip-coin: {result: ...}" in out
    written = skeleton.read_text()
    assert '"flip-coin":\n  result: null' in written
    skeleton.write_text(written.replace("result: null", "result: tails"))
    code, out, _ = dry_run(capsys, wf, "--mock", skeleton, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["phase"] == "Succeeded" and data["unknown"] == []
    phases = {n["display_name"]: n["phase"] for n in data["nodes"]}
    assert phases["tails"] == "Succeeded" and phases["heads"] == "Skipped"


def test_json_lists_each_unknown_value_with_its_mock_key(capsys, tmp_path):
    wf = tmp_path / "coinflip.yaml"
    wf.write_text(COINFLIP)
    code, out, _ = dry_run(capsys, wf, "--format", "json")
    data = json.loads(out)
    assert code == 4 and data["phase"] == "Incomplete" and data["simulated_phase"] == "Failed"
    [unknown] = data["unknown"]
    assert unknown["value"] == "<flip-coin.outputs.result>" and unknown["mock_key"] == "flip-coin"
    assert unknown["field"] == "result" and unknown["example"] == "flip-coin: {result: ...}"
    assert {"node": "coinflip-xxxxx[1]", "decision": "when"} in unknown["used_by"]


def test_the_seed_output_parameter_workflow_says_cowsay_hello_world_without_a_mock(capsys):
    code, out, _ = dry_run(capsys, os.path.join(SEED, "output-parameter-workflow.yaml"))
    assert code == 0
    assert 'outputs: hello-param="hello world" (inferred)' in out
    assert 'command: ["cowsay"]  args: ["hello world"]' in out


def test_inference_reads_echo_and_printf_only():
    assert infer("echo -n hello world > /tmp/hello_world.txt").files == {"/tmp/hello_world.txt": "hello world"}
    assert infer("echo hi; printf '%s-%s\\n' a b >> /tmp/o").stdout == "hi\n"
    assert infer("echo hi && printf '%s-%s\\n' a b >> /tmp/o").files == {"/tmp/o": "a-b\n"}
    assert infer("echo '$HOME' 'a b'").stdout == "$HOME a b\n"
    assert infer("echo 1 > /tmp/one").files == {"/tmp/one": "1\n"}
    for unknown in ("echo $HOME", "echo `date`", "ls > /tmp/x", "echo a | tr a b", "echo *", "echo -e 'a\\n'",
                    "echo a 2> /tmp/e", "echo a 1>/tmp/e", "python -c 'print(1)'", "echo 'unclosed"):
        assert infer(unknown) is None, unknown


def test_text_header_columns_are_apart_and_omitted_tasks_explain_their_depends(capsys, tmp_path):
    wf = tmp_path / "dag.yaml"
    wf.write_text("""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: t}
      - {name: b, template: t, depends: "a.Failed || a.Errored"}
  - {name: t, container: {image: alpine}}
""")
    code, out, _ = dry_run(capsys, wf)
    assert code == 0
    assert "NODE  " in out and "TEMPLATE  TYPE" in out and "TEMPLATETYPE" not in out
    assert "decision: depends 'a.Failed || a.Errored' is false: a.Failed false, a.Errored false" in out


def test_pictures_colour_the_run_by_phase_with_the_decisions_on_the_edges(capsys, tmp_path):
    wf = tmp_path / "coinflip.yaml"
    wf.write_text(COINFLIP)
    mocks = tmp_path / "mocks.yaml"
    mocks.write_text("flip-coin: {result: heads}\n")
    code, out, _ = dry_run(capsys, wf, "--mock", mocks, "--format", "mermaid")
    assert code == 0 and out.startswith("flowchart TD\n")
    assert ' -- "when #quot;heads == heads#quot; evaluated true" --> ' not in out  # quotes are single
    assert " -- \"when 'heads == heads' evaluated true\" --> " in out
    assert " -- \"when 'heads == tails' evaluated false\" --> " in out
    assert ":::Skipped" in out and "classDef Succeeded fill:#c8e6c9" in out
    code, out, _ = dry_run(capsys, wf, "--mock", mocks, "--format", "dot")
    assert code == 0 and out.startswith('digraph "coinflip-xxxxx" {')
    assert '"coinflip-xxxxx[1].tails" [label="tails\\nheads · Skipped", fillcolor="#eeeeee"' in out
    assert "-> \"coinflip-xxxxx[1].heads\" [label=\"when 'heads == heads' evaluated true\"];" in out


def test_parameter_file_sets_workflow_parameters_and_p_wins(capsys, tmp_path):
    wf = tmp_path / "wf.yaml"
    wf.write_text("""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  arguments: {parameters: [{name: a, value: "1"}, {name: b, value: "2"}]}
  templates:
  - {name: main, container: {image: alpine, args: ["{{workflow.parameters.a}}", "{{workflow.parameters.b}}"]}}
""")
    params = tmp_path / "params.yaml"
    params.write_text("a: from-file\nb: 'no'\n")
    code, out, _ = dry_run(capsys, wf, "--parameter-file", params, "-p", "b=cli", "--format", "json")
    assert code == 0 and json.loads(out)["nodes"][0]["args"] == ["from-file", "cli"]
    params.write_text("- a\n")
    code, _, err = dry_run(capsys, wf, "--parameter-file", params)
    assert code == 2 and "a parameter file is one mapping of NAME: VALUE" in err


def test_features_the_dry_run_does_not_simulate_are_listed(capsys, tmp_path):
    wf = tmp_path / "wf.yaml"
    wf.write_text("""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  synchronization: {mutex: {name: m}}
  templates:
  - {name: main, container: {image: alpine, resources: {limits: {cpu: "1"}}}}
""")
    code, out, _ = dry_run(capsys, wf)
    assert code == 0
    assert ("Not simulated: synchronization (mutexes, semaphores); pod-spec effects (volumes, resources, "
            "scheduling, security, sidecars)") in out


def test_mock_keys_for_attempts_iterations_single_templates_and_hooks(capsys, tmp_path):
    wf = tmp_path / "wf.yaml"
    wf.write_text("""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  onExit: bye
  templates:
  - name: main
    steps:
    - - {name: flaky, template: t}
      - {name: loop, template: t, withItems: [a, b]}
      - {name: hooked, template: plain, hooks: {exit: {template: plain}}}
  - {name: t, retryStrategy: {limit: 3}, container: {image: alpine}}
  - {name: plain, container: {image: alpine}}
  - {name: bye, container: {image: alpine}}
""")
    mocks = tmp_path / "mocks.yaml"
    mocks.write_text('"flaky(0)": {exitCode: 1}\n"flaky(1)": {exitCode: 2}\n"loop(1:b)": {exitCode: 1}\n'
                     '"hooked.onExit": {phase: Failed}\nonExit: {exitCode: 3}\n')
    code, out, err = dry_run(capsys, wf, "--mock", mocks, "--format", "json")
    assert code == 1 and "warning" not in err
    nodes = {n["display_name"]: n for n in json.loads(out)["nodes"]}
    assert [nodes[f"flaky({i})"]["phase"] for i in range(3)] == ["Failed", "Failed", "Succeeded"]
    assert [nodes[f"flaky({i})"]["attempt"] for i in range(3)] == [0, 1, 2]
    assert nodes["flaky"]["phase"] == "Succeeded"
    assert nodes["loop(0:a)"]["phase"] == "Succeeded" and nodes["loop(1:b)"]["phase"] == "Failed"
    assert nodes["hooked.onExit"]["phase"] == "Failed" and nodes["hooked.onExit"]["hook"] is True
    assert nodes["wf.onExit"]["outputs"] == {"exitCode": "3"}
    single = tmp_path / "single.yaml"
    single.write_text("""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: single-}
spec:
  entrypoint: whalesay
  templates:
  - {name: whalesay, container: {image: alpine}}
""")
    mocks.write_text("whalesay: {exitCode: 1}\n")
    code, out, _ = dry_run(capsys, single, "--mock", mocks)
    assert code == 1 and "main: Error (exit code 1)" in out


def test_a_simple_echo_is_read_as_the_lexer_reads_it():
    # the fast path for `echo ARG` gives what the shlex path gives, options excepted
    assert infer('echo "from {x}"').stdout == "from {x}\n"
    assert infer("echo -n 'a  b'").stdout == "a  b"
    assert infer("echo '-n'").stdout == "" and infer('echo "-e"') is None

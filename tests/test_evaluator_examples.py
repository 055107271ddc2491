"""argo-semantics §11: the worked traces of upstream examples (read from the vendored corpus
tests/data/argo-examples), and the issue's acceptance cases on the seed manifests."""

from __future__ import annotations

import os

import pytest
from conftest import SEED
from evaluator_helpers import args_of, at, phase_of, run_project, started_leaves, trace

from argolint.evaluator.api import load


def example(corpus, *names, mocks=None, fail=(), **options):
    project = load([os.path.join(corpus, n) for n in names])
    return run_project(project, mocks, fail, name="WF", **options)


def seed(file, mocks=None, fail=(), **options):
    return run_project(load([os.path.join(SEED, file)]), mocks, fail, **options)


# -- the seed (issue acceptance) ---------------------------------------------------------------


def test_seed_case_2_steps_runs_hello1_then_hello2a_and_hello2b_together():
    ev = seed("steps-workflow.yaml", name="WF")
    assert started_leaves(ev) == {0: ["WF[0].hello1"], 1: ["WF[1].hello2a", "WF[1].hello2b"]}
    assert [args_of(ev, n) for n in ("WF[0].hello1", "WF[1].hello2a", "WF[1].hello2b")] == [
        ["hello1"], ["hello2a"], ["hello2b"]]
    assert ev.phase == "Succeeded"


def test_seed_case_3_dag_runs_a_then_b_and_c_together_then_d():
    ev = seed("dag-diamond-workflow.yaml", name="WF")
    groups = started_leaves(ev)
    assert [sorted(n.split(".")[-1] for n in groups[t]) for t in sorted(groups)] == [["A"], ["B", "C"], ["D"]]
    assert ev.phase == "Succeeded"


def test_seed_case_4_mocked_parameter_reaches_the_consumer_command():
    ev = seed("output-parameter-workflow.yaml", {"generate-parameter": {"parameters": {"hello-param": "hello world"}}},
              name="WF")
    consumer = ev.node("WF[1].consume-parameter")
    assert (consumer.command, consumer.args) == (["cowsay"], ["hello world"])
    assert consumer.inputs == {"message": "hello world"}
    assert ev.phase == "Succeeded" and ev.unresolved == []


def test_seed_case_4_without_a_mock_infers_what_echo_writes():
    """The producer runs `sh -c "echo -n hello world > /tmp/hello_world.txt"` and its output
    parameter reads /tmp/hello_world.txt: the value is certain without a mock."""
    ev = seed("output-parameter-workflow.yaml")
    consumer = next(n for n in ev.nodes if n.display_name == "consume-parameter")
    assert consumer.args == ["hello world"] and ev.phase == "Succeeded"
    producer = next(n for n in ev.nodes if n.display_name == "generate-parameter")
    assert producer.extra["inferred"] == ["parameters.hello-param"]


def test_a_mock_wins_over_an_inferred_value():
    ev = seed("output-parameter-workflow.yaml", mocks={"generate-parameter": {"parameters": {"hello-param": "hi"}}})
    consumer = next(n for n in ev.nodes if n.display_name == "consume-parameter")
    assert consumer.args == ["hi"]
    assert next(n for n in ev.nodes if n.display_name == "generate-parameter").extra["inferred"] == []


def test_seed_hello_world_runs_one_pod():
    ev = seed("hello-world-workflow.yaml")
    [pod] = ev.nodes
    assert pod.type == "Pod" and ev.phase == "Succeeded"


# -- §11 worked traces ---------------------------------------------------------------------------


def test_11_1_steps(corpus):
    ev = example(corpus, "steps.yaml")
    assert trace(ev) == [
        "t=0 START WF", "t=0 START WF[0]", "t=0 START WF[0].hello1",
        "t=1 END WF[0].hello1", "t=1 END WF[0]", "t=1 START WF[1]", "t=1 START WF[1].hello2a",
        "t=1 START WF[1].hello2b",
        "t=2 END WF[1].hello2a", "t=2 END WF[1].hello2b", "t=2 END WF[1]", "t=2 END WF",
    ]
    hello1 = ev.node("WF[0].hello1")
    assert (hello1.template, hello1.image, hello1.command, hello1.args) == ("print-message", "busybox", ["echo"],
                                                                            ["hello1"])
    from argolint.evaluator.nodes import node_id, pod_name

    assert pod_name("steps-abcde", "steps-abcde[0].hello1", "print-message") == "steps-abcde-print-message-687682365"
    assert node_id("steps-abcde", "steps-abcde[0].hello1") == "steps-abcde-687682365"


@pytest.mark.parametrize("outcome, runs, skipped", [("heads", "heads", "tails"), ("tails", "tails", "heads")])
def test_11_2_coinflip_runs_the_mocked_branch_and_skips_the_other(corpus, outcome, runs, skipped):
    ev = example(corpus, "coinflip.yaml", mocks={"flip-coin": {"result": outcome}})
    flip = ev.node("WF[0].flip-coin")
    assert (flip.image, flip.command, flip.args) == ("python:alpine3.23", ["python"], ["/argo/staging/script"])
    assert flip.outputs.result == outcome
    assert phase_of(ev, f"WF[1].{runs}") == "Succeeded"
    assert ev.node(f"WF[1].{runs}").args == [f'echo "it was {outcome}"']
    other = ev.node(f"WF[1].{skipped}")
    assert (other.phase, other.message) == ("Skipped", f"when '{outcome} == {skipped}' evaluated false")
    assert ev.phase == "Succeeded"


def test_11_3_coinflip_recursive(corpus):
    ev = example(corpus, "coinflip-recursive.yaml",
                 mocks={"WF[0].flip-coin": {"result": "tails"}, "WF[1].tails[0].flip-coin": {"result": "heads"}})
    assert trace(ev) == [
        "t=0 START WF", "t=0 START WF[0]", "t=0 START WF[0].flip-coin",
        "t=1 END WF[0].flip-coin", "t=1 END WF[0]", "t=1 START WF[1]", "t=1 SKIP WF[1].heads",
        "t=1 START WF[1].tails", "t=1 START WF[1].tails[0]", "t=1 START WF[1].tails[0].flip-coin",
        "t=2 END WF[1].tails[0].flip-coin", "t=2 END WF[1].tails[0]", "t=2 START WF[1].tails[1]",
        "t=2 START WF[1].tails[1].heads", "t=2 SKIP WF[1].tails[1].tails",
        "t=3 END WF[1].tails[1].heads", "t=3 END WF[1].tails[1]", "t=3 END WF[1].tails", "t=3 END WF[1]",
        "t=3 END WF",
    ]
    assert ev.node("WF[1].tails").type == "Steps"
    assert ev.node("WF[1].tails[0].flip-coin").display_name == "flip-coin"
    assert ev.phase == "Succeeded"


def test_coinflip_recursive_always_tails_terminates_at_the_recursion_bound(corpus):
    ev = example(corpus, "coinflip-recursive.yaml", mocks={"flip-coin": {"result": "tails"}})
    errored = [n for n in ev.nodes if n.message == "Maximum recursion depth exceeded"]
    assert len(errored) == 1 and errored[0].phase == "Error"
    assert ev.phase == "Failed"
    assert len(ev.nodes) < 1000  # bounded: about four nodes per level, 100 levels
    shallow = example(corpus, "coinflip-recursive.yaml", mocks={"flip-coin": {"result": "tails"}},
                      limits=_limits(max_depth=10))
    assert any(n.message == "Maximum recursion depth exceeded" for n in shallow.nodes)
    assert len(shallow.nodes) < len(ev.nodes) / 5


def _limits(**kw):
    from argolint.evaluator.engine import Limits

    return Limits(**kw)


def test_11_4_loops_maps(corpus):
    ev = example(corpus, "loops-maps.yaml")
    names = ["WF[0].test-linux(0:image:debian,tag:9.1)", "WF[0].test-linux(1:image:debian,tag:8.9)",
             "WF[0].test-linux(2:image:alpine,tag:3.6)", "WF[0].test-linux(3:image:ubuntu,tag:17.10)"]
    assert started_leaves(ev) == {0: names}
    assert [ev.node(n).image for n in names] == ["debian:9.1", "debian:8.9", "alpine:3.6", "ubuntu:17.10"]
    assert ev.node(names[3]).inputs == {"image": "ubuntu", "tag": "17.10"}
    assert at(ev, 1)[-2:] == ["END WF[0]", "END WF"]


def test_11_5_loops_sequence(corpus):
    ev = example(corpus, "loops-sequence.yaml")
    started = started_leaves(ev)
    assert list(started) == [0] and len(started[0]) == 25
    suffixes = [n.split(".", 1)[1] for n in started[0]]
    assert suffixes[:5] == [f"sequence-count({i}:{i})" for i in range(5)]
    assert suffixes[5:11] == [f"sequence-start-end({i}:{100 + i})" for i in range(6)]
    assert suffixes[11:14] == [f"sequence-param({i}:{200 + i})" for i in range(3)]
    assert suffixes[14:20] == [f"sequence-negative({i}:{5 - i})" for i in range(6)]
    assert suffixes[20:] == [f"sequence-format({i}:testuser0{i})" for i in range(5)]
    assert ev.node("WF[0].sequence-count(0:0)").command == ["echo", "0"]
    assert ev.node("WF[0].sequence-start-end(5:105)").command == ["echo", "105"]


def test_11_6_loops_param_result(corpus):
    ev = example(corpus, "loops-param-result.yaml",
                 mocks={"generate": {"result": "[20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]"}})
    started = started_leaves(ev)
    assert started[0] == ["WF[0].generate"]
    assert started[1] == [f"WF[1].sleep({i}:{20 + i})" for i in range(11)]
    assert ev.node("WF[1].sleep(0:20)").args == ["echo sleeping for 20 seconds; sleep 20; echo done"]
    assert at(ev, 2)[-2:] == ["END WF[1]", "END WF"] and ev.phase == "Succeeded"


def test_11_7_parameter_aggregation(corpus):
    mocks = {f"odd-or-even({i}:{n})": {"parameters": {"num": f"{n}\n", "evenness": "odd" if n % 2 else "even"}}
             for i, n in enumerate([1, 2, 3, 4])}
    mocks["divide-by-2(1:evenness:even,num:2)"] = {"result": "1"}
    mocks["divide-by-2(3:evenness:even,num:4)"] = {"result": "2"}
    ev = example(corpus, "parameter-aggregation.yaml", mocks=mocks)
    assert started_leaves(ev)[0] == [f"WF[0].odd-or-even({i}:{n})" for i, n in enumerate([1, 2, 3, 4])]
    assert ev.node("WF[0].odd-or-even(0:1)").inputs == {"num": "1"}
    assert ev.node("WF[0].odd-or-even(0:1)").outputs.parameters == {"num": "1", "evenness": "odd"}
    assert args_of(ev, "WF[1].print-nums") == ['["1","2","3","4"]']
    assert args_of(ev, "WF[2].print-evenness") == ['["odd","even","odd","even"]']
    assert at(ev, 3) == [
        "END WF[2].print-evenness", "END WF[2]", "START WF[3]",
        "SKIP WF[3].divide-by-2(0:evenness:odd,num:1)", "START WF[3].divide-by-2(1:evenness:even,num:2)",
        "SKIP WF[3].divide-by-2(2:evenness:odd,num:3)", "START WF[3].divide-by-2(3:evenness:even,num:4)",
    ]
    assert ev.node("WF[3].divide-by-2(0:evenness:odd,num:1)").message == "when 'odd == even' evaluated false"
    divide = ev.node("WF[3].divide-by-2(1:evenness:even,num:2)")
    assert (divide.inputs, divide.command, divide.args) == ({"num": "2"}, ["sh", "-x"], ["/argo/staging/script"])
    assert divide.detail == "#!/bin/sh\necho $((2/2))\n"
    assert started_leaves(ev)[4] == ["WF[4].print(0:1)", "WF[4].print(1:2)"]
    assert [args_of(ev, "WF[4].print(0:1)"), args_of(ev, "WF[4].print(1:2)")] == [["1"], ["2"]]
    assert at(ev, 5)[-2:] == ["END WF[4]", "END WF"] and ev.phase == "Succeeded"


def test_11_8_dag_diamond(corpus):
    ev = example(corpus, "dag-diamond.yaml")
    assert trace(ev) == ["t=0 START WF", "t=0 START WF.A", "t=1 END WF.A", "t=1 START WF.B", "t=1 START WF.C",
                         "t=2 END WF.B", "t=2 END WF.C", "t=2 START WF.D", "t=3 END WF.D", "t=3 END WF"]
    assert [ev.node(f"WF.{t}").command for t in "ABCD"] == [["echo", t] for t in "ABCD"]
    assert ev.node("WF").children == ["WF.A"]
    assert ev.node("WF.A").children == ["WF.B", "WF.C"]
    assert ev.node("WF.B").children == ["WF.D"] and ev.node("WF.C").children == ["WF.D"]


def test_11_9_dag_enhanced_depends(corpus):
    ev = example(corpus, "dag-enhanced-depends.yaml", fail=["C"])
    assert at(ev, 1) == ["END WF.A", "START WF.B", "START WF.C"]
    assert at(ev, 2) == ["END WF.B", "END WF.C", "START WF.should-execute-1", "START WF.should-execute-2",
                         "OMIT WF.should-not-execute"]
    assert ev.node("WF.C").message == "main: Error (exit code 1)"
    assert at(ev, 3) == ["END WF.should-execute-1", "END WF.should-execute-2", "START WF.should-execute-3"]
    assert at(ev, 4) == ["END WF.should-execute-3", "END WF"] and ev.phase == "Succeeded"


def test_11_10_dag_targets(corpus):
    ev = example(corpus, "dag-targets.yaml")
    assert trace(ev) == ["t=0 START WF", "t=0 START WF.A", "t=1 END WF.A", "t=1 START WF.C", "t=2 END WF.C",
                         "t=2 START WF.E", "t=3 END WF.E", "t=3 END WF"]
    assert ev.node("WF").outbound == ["WF.E"]
    assert ev.node("WF.B") is None and ev.node("WF.D") is None


def test_11_11_exit_handlers(corpus):
    ev = example(corpus, "exit-handlers.yaml", fail=["WF"])
    root = ev.node("WF")
    assert (root.type, root.image, root.command, root.args) == ("Pod", "alpine:3.23", ["sh", "-c"],
                                                                ["echo intentional failure; exit 1"])
    assert at(ev, 1) == ["END WF", "START WF.onExit", "START WF.onExit[0]", "START WF.onExit[0].notify",
                         "SKIP WF.onExit[0].celebrate", "START WF.onExit[0].cry"]
    assert ev.node("WF.onExit").display_name == "WF.onExit"
    assert ev.node("WF.onExit[0].celebrate").message == "when 'Failed == Succeeded' evaluated false"
    failures = ('"[{\\"displayName\\":\\"WF\\",\\"message\\":\\"main: Error (exit code 1)\\",\\"templateName\\":'
                '\\"intentional-fail\\",\\"phase\\":\\"Failed\\",\\"podName\\":\\"WF\\",\\"finishedAt\\":'
                '\\"2026-01-01T00:00:01Z\\"}]"')
    assert args_of(ev, "WF.onExit[0].notify") == [f"echo send e-mail: WF Failed 1.000000. Failed steps {failures}"]
    assert args_of(ev, "WF.onExit[0].cry") == ["echo boohoo!"]
    assert at(ev, 2) == ["END WF.onExit[0].notify", "END WF.onExit[0].cry", "END WF.onExit[0]", "END WF.onExit"]
    assert (ev.phase, ev.message) == ("Failed", "main: Error (exit code 1)")


def test_11_12_continue_on_fail_with_workflow_parallelism(corpus):
    ev = example(corpus, "continue-on-fail.yaml", fail=["C"])
    assert at(ev, 1) == ["END WF[0].A", "END WF[0]", "START WF[1]", "START WF[1].B"]
    assert at(ev, 2) == ["END WF[1].B", "START WF[1].C"]
    assert at(ev, 3) == ["END WF[1].C", "END WF[1]", "START WF[2]", "START WF[2].D"]
    assert at(ev, 4) == ["END WF[2].D", "END WF[2]", "END WF"] and ev.phase == "Succeeded"


def test_11_13_retry_with_steps(corpus):
    mocks = {"hello1": {"attempts": [{"phase": "Failed"}, {"phase": "Succeeded"}]},
             "hello2b": {"attempts": [{"phase": "Failed"}, {"phase": "Failed"}, {"phase": "Succeeded"}]}}
    ev = example(corpus, "retry-with-steps.yaml", mocks=mocks)
    assert trace(ev) == [
        "t=0 START WF", "t=0 START WF[0]", "t=0 START WF[0].hello1", "t=0 START WF[0].hello1(0)",
        "t=1 END WF[0].hello1(0)", "t=1 START WF[0].hello1(1)",
        "t=2 END WF[0].hello1(1)", "t=2 END WF[0].hello1", "t=2 END WF[0]", "t=2 START WF[1]",
        "t=2 START WF[1].hello2a", "t=2 START WF[1].hello2a(0)", "t=2 START WF[1].hello2b",
        "t=2 START WF[1].hello2b(0)",
        "t=3 END WF[1].hello2a(0)", "t=3 END WF[1].hello2b(0)", "t=3 END WF[1].hello2a", "t=3 START WF[1].hello2b(1)",
        "t=4 END WF[1].hello2b(1)", "t=4 START WF[1].hello2b(2)",
        "t=5 END WF[1].hello2b(2)", "t=5 END WF[1].hello2b", "t=5 END WF[1]", "t=5 END WF",
    ]
    assert "print('retries: 1')" in args_of(ev, "WF[0].hello1(1)")[0]
    assert "print('retries: 2')" in args_of(ev, "WF[1].hello2b(2)")[0]
    assert ev.node("WF[0].hello1").type == "Retry" and ev.phase == "Succeeded"


def test_11_14_workflow_template_refs_across_files(corpus):
    ev = example(corpus, "workflow-template/steps.yaml", "workflow-template/templates.yaml")
    assert trace(ev) == [
        "t=0 START WF", "t=0 START WF[0]", "t=0 START WF[0].hello1",
        "t=1 END WF[0].hello1", "t=1 END WF[0]", "t=1 START WF[1]", "t=1 START WF[1].hello2a",
        "t=1 START WF[1].hello2a[0]", "t=1 START WF[1].hello2a[0].inner-hello1", "t=1 START WF[1].hello2b",
        "t=2 END WF[1].hello2a[0].inner-hello1", "t=2 END WF[1].hello2b", "t=2 END WF[1].hello2a[0]",
        "t=2 START WF[1].hello2a[1]", "t=2 START WF[1].hello2a[1].inner-hello2a",
        "t=2 START WF[1].hello2a[1].inner-hello2b",
        "t=3 END WF[1].hello2a[1].inner-hello2a", "t=3 END WF[1].hello2a[1].inner-hello2b",
        "t=3 END WF[1].hello2a[1]", "t=3 END WF[1].hello2a", "t=3 END WF[1]", "t=3 END WF",
    ]
    hello1 = ev.node("WF[0].hello1")
    assert (hello1.template_ref, hello1.args) == ("workflow-template-print-message/print-message", ["hello1"])
    assert ev.node("WF[1].hello2a").template_ref == "workflow-template-inner-steps/inner-steps"
    inner = ev.node("WF[1].hello2a[1].inner-hello2b")  # template base: the WorkflowTemplate
    assert (inner.template, inner.template_ref, inner.args) == ("print-message", None, ["inner-hello2b"])


def test_11_15_conditional_parameters(corpus):
    ev = example(corpus, "conditional-parameters.yaml", mocks={"flip-coin": {"result": "heads"},
                                                               "heads": {"result": "heads"}})
    assert at(ev, 1) == ["END WF[0].flip-coin", "END WF[0]", "START WF[1]", "START WF[1].heads", "SKIP WF[1].tails"]
    assert ev.node("WF[1].tails").message == "when 'heads == tails' evaluated false"
    assert ev.node("WF[1].heads").outputs.result == "heads"  # captured: main's outputs expression reads it
    assert at(ev, 2) == ["END WF[1].heads", "END WF[1]", "END WF"]
    assert ev.node("WF").outputs.parameters == {"stepresult": "heads"}

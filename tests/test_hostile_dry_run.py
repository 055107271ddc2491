"""The dry run on input built to crash it, exhaust it or make it run code (issue 14): every
such input ends as an expression error, an Error node or a stopped run with a message
naming the limit, in bounded time and memory, and never as an exception."""

from __future__ import annotations

import os
import time

import pytest

from argolint.analysis.templating.expr import parse_expr
from argolint.evaluator.api import evaluate_text
from argolint.evaluator.exprlang import ExprError, evaluate

NINES = "9" * 10_000


def run_expression(source: str):
    return evaluate(parse_expr(source), {"inputs": {"parameters": {"x": "1"}}})


@pytest.mark.parametrize("source, message", [
    ("sprig.date()", "sprig.date: wrong number of arguments (0)"),
    ("sprig.slice([1, 2, 3], 2, 1)", "sprig.slice: slice bounds out of range [2:1] with length 3"),
    ("sprig.durationParse('99999999999999999999h')", 'time: invalid duration "99999999999999999999h"'),
    (f"int('{NINES}')", f'strconv.Atoi: parsing "{"9" * 80}... (10000 characters)": value out of range'),
    (f"asInt('{NINES}')", f'strconv.Atoi: parsing "{"9" * 80}... (10000 characters)": value out of range'),
    ("sprig.indent(1000000000, 'a')", "sprig.indent: a string of 1000000001 characters is over the dry run's "
                                      "limit of 1048576"),
    ("sprig.seq(1, 1000000000)", "sprig.seq: 1000000000 items is over the dry run's limit of 100000"),
    ("sprig.replace('', sprig.repeat(1000, 'x'), sprig.repeat(100000, 'a'))",
     "sprig.replace: a string of 100101000 characters is over the dry run's limit of 1048576"),
])
def test_bad_arguments_are_expression_errors(source, message):
    with pytest.raises(ExprError) as info:
        run_expression(source)
    assert str(info.value) == message


@pytest.mark.parametrize("source, value", [
    ("sprig.round(1.5, 400)", "nan"),  # Go: Floor(Inf)/Inf
    ("sprig.slice([1, 2, 3], 1)", [2, 3]),
    ("sprig.slice([1, 2, 3], 0, 3, 0)", [1, 2, 3]),  # sprig reads two bounds only
    ("sprig.regexReplaceAll('(a)', 'abc', '<$9${x}$1>')", "<a>bc"),  # Go: missing groups are empty
    ("len(sprig.uniq(sprig.until(100000)))", 100_000),
])
def test_edge_arguments_give_gos_answer(source, value):
    result = run_expression(source)
    assert (str(result) if isinstance(result, float) else result) == value


def test_nested_maps_over_a_hundred_thousand_items_are_stopped_by_the_budget():
    started = time.monotonic()
    evaluation = evaluate_text(WORKFLOW.replace("VALUE", "{{=map(1..100000, map(1..100000, #))}}"))
    assert evaluation.phase == "Error"
    assert evaluation.message == ("dry run stopped: the dry run's budget of 1,000,000 evaluation steps is spent "
                                  "(expressions looping over large lists inside one another?)")
    assert time.monotonic() - started < 8


WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: hostile
spec:
  entrypoint: main
  arguments:
    parameters:
    - name: x
      value: "VALUE"
  templates:
  - name: main
    container:
      image: alpine
      args: ["{{workflow.parameters.x}}"]
"""


@pytest.mark.parametrize("name, pointer, kind", [
    ("[a, b]", "/spec/arguments/parameters/0/name", "array"),
    ("{a: b}", "/spec/arguments/parameters/0/name", "object"),
])
def test_a_name_that_is_a_list_or_map_is_refused_like_argo(name, pointer, kind):
    evaluation = evaluate_text(WORKFLOW.replace("    - name: x", f"    - name: {name}"))
    assert evaluation.phase == "Error"
    assert evaluation.message == f"json: cannot unmarshal {kind} into Go struct field {pointer} of type string"


def test_unhashable_names_everywhere_do_not_crash():
    text = WORKFLOW.replace("    container:", """\
    inputs:
      parameters: [{name: [p], value: "1"}]
      artifacts: [{name: {q: 1}, raw: {data: x}}]
    outputs:
      parameters: [{name: [o], value: "1"}]
    container:""")
    assert evaluate_text(text).phase == "Error"


@pytest.mark.parametrize("sequence, message", [
    ("{count: '100000000000000000000'}", "failed to parse withSequence.count '100000000000000000000': value out "
                                         "of range"),
    ("{start: '-9223372036854775808', end: '9223372036854775807'}",
     "withSequence of 18446744073709551616 items is over the limit of 10000 (--max-loop-items)"),
])
def test_huge_sequences_are_errors(sequence, message):
    text = WORKFLOW.replace("    container:", f"""\
    steps:
    - - name: loop
        template: leaf
        withSequence: {sequence}
  - name: leaf
    container:""")
    evaluation = evaluate_text(text)
    assert message in f"{evaluation.message} " + " ".join(str(n.message) for n in evaluation.nodes)


def chain_of_doubling_templates(levels: int) -> str:
    """Each template passes its input twice over to the next: 8 characters * 2**levels."""
    templates = []
    for i in range(levels):
        templates.append(f"""\
  - name: t{i}
    inputs: {{parameters: [{{name: v}}]}}
    steps:
    - - name: s
        template: t{i + 1}
        arguments: {{parameters: [{{name: v, value: "{{{{inputs.parameters.v}}}}{{{{inputs.parameters.v}}}}"}}]}}
""")
    templates.append(f"""\
  - name: t{levels}
    inputs: {{parameters: [{{name: v}}]}}
    container: {{image: alpine, args: ["{{{{inputs.parameters.v}}}}"]}}
""")
    return f"""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: doubling
spec:
  entrypoint: t0
  arguments: {{parameters: [{{name: v, value: abcdefgh}}]}}
  templates:
  - name: start
    steps:
    - - name: s
        template: t0
        arguments: {{parameters: [{{name: v, value: abcdefgh}}]}}
""" + "".join(templates)


def test_strings_doubling_through_forty_templates_stop_at_the_value_limit():
    started = time.monotonic()
    text = chain_of_doubling_templates(40).replace("entrypoint: t0", "entrypoint: start")
    evaluation = evaluate_text(text)
    # 8 characters doubled 18 times is 2 MiB, the first value over 1 MiB: t17 passes it to t18
    assert evaluation.message == (
        "dry run stopped at node 'doubling" + "[0].s" * 18 + "': a substituted value of 2,097,152 characters is "
        "over the dry run's limit of 1,048,576 per value (values doubling through a chain of templates?)")
    assert time.monotonic() - started < 8


def test_self_recursive_steps_with_one_name_twice_are_stopped_by_counting_work():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: rec}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: a, template: main}
      - {name: a, template: main}
"""
    started = time.monotonic()
    evaluation = evaluate_text(text)
    assert "one reconcile pass executed templates" in evaluation.message
    assert "steps or tasks sharing a name make a template that calls itself do exponential work" in \
        evaluation.message
    assert time.monotonic() - started < 8


def test_the_wall_clock_timeout_stops_a_run(monkeypatch):
    from argolint.evaluator.engine import Limits

    evaluation = evaluate_text(WORKFLOW.replace("VALUE", "{{=map(1..100000, map(1..100000, #))}}"),
                               limits=Limits(timeout=0.001))
    assert evaluation.message == "dry run stopped: the dry run took longer than --timeout 0.001 seconds"


# -- no code, file, network or environment access from expressions ---------------------------


@pytest.mark.parametrize("source", [
    "__import__('os').system('touch PWNED')",
    "env.HOME",
    "readFile('/etc/passwd')",
    "sprig.env('HOME')",
    "sprig.expandenv('$HOME')",
    "inputs.__class__.__mro__",
    "inputs['__class__']",
    "''.__class__",
    "sprig.getHostByName('example.com')",
])
def test_expressions_cannot_reach_python_files_or_the_environment(source, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", "/secret-home")
    try:
        result = run_expression(source)
    except ExprError:
        result = None
    assert "/secret-home" not in str(result) and "root:" not in str(result) and "class" not in str(result)
    assert not os.path.exists(tmp_path / "PWNED")

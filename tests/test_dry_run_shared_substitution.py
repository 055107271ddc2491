"""Substitution shares what it does not change with the manifest: a step or task whose
loop items change nothing in it, or a template called many times, must still give each
node its own name and values."""

from __future__ import annotations

from evaluator_helpers import args_of, run, trace, workflow


def test_a_loop_whose_items_change_nothing_still_names_each_iteration():
    ev = run(workflow("""
        - - {name: a, template: echo, arguments: {parameters: [{name: msg, value: same}]}, withItems: [1, 2, 3]}
        """))
    assert trace(ev)[:5] == ["t=0 START WF", "t=0 START WF[0]", "t=0 START WF[0].a(0:1)",
                             "t=0 START WF[0].a(1:2)", "t=0 START WF[0].a(2:3)"]
    assert [args_of(ev, f"WF[0].a({i}:{i + 1})") for i in range(3)] == [["same"]] * 3
    assert ev.phase == "Succeeded"


def test_a_dag_loop_whose_items_change_nothing_still_names_each_iteration():
    ev = run(workflow("""
        tasks:
        - {name: a, template: echo, arguments: {parameters: [{name: msg, value: same}]}, withItems: [p, q]}
        - {name: b, template: echo, depends: a, arguments: {parameters: [{name: msg, value: after}]}}
        """, kind="dag"))
    assert [n.name for n in ev.nodes if n.name.startswith("WF.")] == ["WF.a", "WF.a(0:p)", "WF.a(1:q)", "WF.b"]
    assert ev.phase == "Succeeded"


def test_one_template_called_with_different_values_keeps_each_value():
    ev = run(workflow("""
        - - {name: a, template: echo, arguments: {parameters: [{name: msg, value: one}]}}
          - {name: b, template: echo, arguments: {parameters: [{name: msg, value: two}]}}
        - - {name: c, template: echo, arguments: {parameters: [{name: msg, value: "{{steps.a.outputs.result}}"}]}}
        """))
    assert [args_of(ev, n) for n in ("WF[0].a", "WF[0].b", "WF[1].c")] == [["one"], ["two"], ["one"]]

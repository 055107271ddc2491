"""argo-semantics §10: every behaviour case (B1-B28) as a test of the dry run's trace.

Traces are compared as `t=<tick> <EVENT> <node>` lines, in emission order (the spec's
order); args, messages and phases are checked where the spec states them. YAML 1.1 reads a
bare `n`/`N` as false, so the spec's task and parameter names `n` and `N` are quoted here.
"""

from __future__ import annotations

from evaluator_helpers import args_of, at, line_of, phase_of, run, started_leaves, trace, workflow


def test_b1_groups_run_in_order_and_steps_of_a_group_in_parallel():
    ev = run(workflow("""
        - - {name: a, template: echo, arguments: {parameters: [{name: msg, value: A}]}}
        - - {name: b, template: echo, arguments: {parameters: [{name: msg, value: B}]}}
          - {name: c, template: echo, arguments: {parameters: [{name: msg, value: C}]}}
        """))
    assert trace(ev) == [
        "t=0 START WF", "t=0 START WF[0]", "t=0 START WF[0].a",
        "t=1 END WF[0].a", "t=1 END WF[0]", "t=1 START WF[1]", "t=1 START WF[1].b", "t=1 START WF[1].c",
        "t=2 END WF[1].b", "t=2 END WF[1].c", "t=2 END WF[1]", "t=2 END WF",
    ]
    assert started_leaves(ev) == {0: ["WF[0].a"], 1: ["WF[1].b", "WF[1].c"]}
    assert [args_of(ev, n) for n in ("WF[0].a", "WF[1].b", "WF[1].c")] == [["A"], ["B"], ["C"]]
    assert ev.node("WF").type == "Steps" and ev.node("WF[0]").type == "StepGroup"
    assert ev.phase == "Succeeded"


B2 = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: WF}
spec:
  entrypoint: main
  arguments: {parameters: [{name: msg, value: hi}]}
  templates:
  - name: main
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine, command: [echo], args: ["{{ inputs.parameters.msg }}", "{{inputs.parameters.msg}}-x", "{{foo}}", "{{workflow.name}}"]}
"""


def test_b2_simple_tags_trimmed_unknown_roots_literal_entry_inputs_from_arguments():
    ev = run(B2)
    assert trace(ev) == ["t=0 START WF", "t=1 END WF"]
    assert ev.node("WF").type == "Pod" and ev.node("WF").template == "main"
    assert args_of(ev, "WF") == ["hi", "hi-x", "{{foo}}", "WF"]
    [literal] = ev.unresolved
    assert (literal.reference, literal.outcome, literal.line) == ("{{foo}}", "literal", 11)
    assert literal.column == B2.splitlines()[10].index("{{foo}}") + 1


def test_b3_expression_tags():
    ev = run(workflow(templates="""
        - name: main
          inputs: {parameters: [{name: "n", value: "21"}, {name: j, value: '{"a":{"b":"c"}}'}]}
          container:
            image: alpine
            command: [echo]
            args: ["{{=asInt(inputs.parameters.n) * 2}}", "{{=toJson(['x','y'])}}", "{{=sprig.upper('abc')}}",
                   "{{=jsonpath(inputs.parameters.j, '$.a.b')}}", "{{=inputs.parameters.n + '1'}}"]
        """))
    assert args_of(ev, "WF") == ["42", '["x","y"]', "ABC", "c", "211"]
    assert ev.unresolved == []


def test_b4_when_with_bare_words_and_a_skipped_node():
    ev = run(workflow("""
        - - {name: a, template: gen}
        - - {name: run,  template: echo, when: "{{steps.a.outputs.result}} == go", arguments: {parameters: [{name: msg, value: r}]}}
          - {name: skip, template: echo, when: "{{steps.a.outputs.result}} != go", arguments: {parameters: [{name: msg, value: s}]}}
        """), {"a": {"result": "go"}})
    assert at(ev, 1) == ["END WF[0].a", "END WF[0]", "START WF[1]", "START WF[1].run", "SKIP WF[1].skip"]
    assert at(ev, 2) == ["END WF[1].run", "END WF[1]", "END WF"]
    assert ev.node("WF[0].a").outputs.result == "go"
    assert args_of(ev, "WF[1].run") == ["r"]
    skipped = ev.node("WF[1].skip")
    assert (skipped.type, skipped.phase, skipped.message) == ("Skipped", "Skipped", "when 'go != go' evaluated false")


def test_b5_a_when_govaluate_cannot_evaluate_errors_the_group():
    text = workflow("""
        - - {name: a, template: gen}
        - - {name: b, template: echo, when: "{{steps.a.outputs.result}} == foo-bar", arguments: {parameters: [{name: msg, value: x}]}}
        """)
    ev = run(text, {"a": {"result": "foo-bar"}})
    assert at(ev, 1) == ["END WF[0].a", "END WF[0]", "START WF[1]", "END WF[1]", "END WF"]
    assert ev.node("WF[1].b") is None  # no node: the group fails while resolving references
    group = ev.node("WF[1]")
    assert group.phase == "Error"
    assert group.message.startswith("failed to resolve references:")
    assert "'when' expression 'foo-bar == foo-bar'" in group.message
    assert ev.phase == "Failed"
    [error] = ev.unresolved
    assert error.outcome == "error" and error.reference == "{{steps.a.outputs.result}} == foo-bar"
    assert (error.node, error.line) == ("WF[1]", line_of(text, "foo-bar"))
    assert error.column == text.splitlines()[error.line - 1].index("{{steps") + 1


def test_b6_with_items_names_and_item_rendering():
    ev = run(workflow("""
        - - name: loop
            template: echo
            arguments: {parameters: [{name: msg, value: "{{item}}"}]}
            withItems: ["hello world", 2, {k: v, a: 1}]
        """))
    assert at(ev, 0) == ["START WF", "START WF[0]", "START WF[0].loop(0:hello world)", "START WF[0].loop(1:2)",
                         "START WF[0].loop(2:a:1,k:v)"]
    assert args_of(ev, "WF[0].loop(0:hello world)") == ["hello world"]
    assert args_of(ev, "WF[0].loop(1:2)") == ["2"]
    assert args_of(ev, "WF[0].loop(2:a:1,k:v)") == ['{"a":1,"k":"v"}']
    assert at(ev, 1)[-2:] == ["END WF[0]", "END WF"] and ev.phase == "Succeeded"


def test_b7_with_param_from_a_result_and_the_aggregated_result():
    body = """
        - - {name: gen, template: gen}
        - - {name: each, template: gen, withParam: "{{steps.gen.outputs.result}}"}
        - - {name: all, template: echo, arguments: {parameters: [{name: msg, value: "{{steps.each.outputs.result}}"}]}}
        """
    mocks = {"gen": {"result": '["a","b"]'}, "each(0:a)": {"result": "1"}, "each(1:b)": {"result": '{"x":2}'}}
    ev = run(workflow(body), mocks)
    assert at(ev, 1) == ["END WF[0].gen", "END WF[0]", "START WF[1]", "START WF[1].each(0:a)", "START WF[1].each(1:b)"]
    assert at(ev, 2) == ["END WF[1].each(0:a)", "END WF[1].each(1:b)", "END WF[1]", "START WF[2]", "START WF[2].all"]
    assert args_of(ev, "WF[2].all") == ['[1,{"x":2}]']
    assert at(ev, 3) == ["END WF[2].all", "END WF[2]", "END WF"] and ev.phase == "Succeeded"
    # a child result that is not JSON fails the aggregate, and the steps node errors
    ev = run(workflow(body), {**mocks, "each(0:a)": {"result": "hello"}})
    assert phase_of(ev, "WF") == "Error" and ev.phase == "Error"


def test_b8_with_sequence():
    ev = run(workflow("""
        - - {name: down, template: echo, arguments: {parameters: [{name: msg, value: "{{item}}"}]}, withSequence: {start: "3", end: "1"}}
          - {name: fmt,  template: echo, arguments: {parameters: [{name: msg, value: "{{item}}"}]}, withSequence: {count: "2", start: "7", format: "id-%03d"}}
        """))
    assert started_leaves(ev)[0] == ["WF[0].down(0:3)", "WF[0].down(1:2)", "WF[0].down(2:1)", "WF[0].fmt(0:id-007)",
                                     "WF[0].fmt(1:id-008)"]
    assert [args_of(ev, n)[0] for n in started_leaves(ev)[0]] == ["3", "2", "1", "id-007", "id-008"]


def test_b9_empty_loop_is_one_skipped_node():
    ev = run(workflow("""
        - - {name: each, template: gen, withParam: "[]"}
        """))
    assert trace(ev) == ["t=0 START WF", "t=0 START WF[0]", "t=0 SKIP WF[0].each", "t=0 END WF[0]", "t=0 END WF"]
    assert ev.node("WF[0].each").message == "Skipped, empty params"
    assert ev.phase == "Succeeded"


def test_b10_continue_on_failed():
    ev = run(workflow("""
        - - {name: bad, template: gen, continueOn: {failed: true}}
          - {name: ok, template: gen}
        - - {name: next, template: gen}
        """), fail=["bad"])
    assert at(ev, 1) == ["END WF[0].bad", "END WF[0].ok", "END WF[0]", "START WF[1]", "START WF[1].next"]
    bad = ev.node("WF[0].bad")
    assert (bad.phase, bad.message) == ("Failed", "main: Error (exit code 1)")
    assert phase_of(ev, "WF[0]") == "Succeeded"
    assert at(ev, 2) == ["END WF[1].next", "END WF[1]", "END WF"] and ev.phase == "Succeeded"


def test_b11_a_failure_waits_for_its_siblings_then_stops_the_template():
    ev = run(workflow("""
        - - {name: bad, template: gen}
          - {name: slow, template: gen}
        - - {name: never, template: gen}
        """), {"slow": {"duration": 3}}, fail=["bad"])
    assert at(ev, 1) == ["END WF[0].bad"]
    assert at(ev, 3) == ["END WF[0].slow", "END WF[0]", "END WF"]
    from argolint.evaluator.nodes import fnv32a

    message = f"child 'WF-{fnv32a('WF[0].bad')}' failed"
    assert (phase_of(ev, "WF[0]"), ev.node("WF[0]").message) == ("Failed", message)
    assert (ev.phase, ev.message) == ("Failed", message)
    assert ev.node("WF[1].never") is None and ev.node("WF[1]") is None


def test_b12_dag_default_dependencies_and_the_omitted_cascade():
    ev = run(workflow("""
        tasks:
        - {name: A, template: gen}
        - {name: B, template: gen, dependencies: [A]}
        - {name: C, template: gen, dependencies: [B]}
        """, kind="dag"), fail=["A"])
    assert trace(ev) == ["t=0 START WF", "t=0 START WF.A", "t=1 END WF.A", "t=1 OMIT WF.B", "t=1 OMIT WF.C",
                         "t=1 END WF"]
    assert ev.node("WF").type == "DAG"
    assert ev.node("WF.B").message == "omitted: depends condition not met"
    assert phase_of(ev, "WF.C") == "Omitted" and ev.phase == "Failed"


B13 = """
tasks:
- {name: A, template: gen}
- {name: ok, template: gen, depends: A.Succeeded}
- {name: recover, template: gen, depends: A.Failed}
- {name: end, template: gen, depends: ok || recover}
"""


def test_b13_a_failure_handled_by_depends_gives_a_succeeded_dag():
    ev = run(workflow(B13, kind="dag"), fail=["A"])
    assert at(ev, 1) == ["END WF.A", "OMIT WF.ok", "START WF.recover"]
    assert at(ev, 2) == ["END WF.recover", "START WF.end"]
    assert at(ev, 3) == ["END WF.end", "END WF"]
    assert ev.phase == "Succeeded"


def test_b13_without_end_the_omitted_target_below_a_failure_fails_the_dag():
    ev = run(workflow(B13.replace("- {name: end, template: gen, depends: ok || recover}\n", ""), kind="dag"),
             fail=["A"])
    assert phase_of(ev, "WF.ok") == "Omitted" and phase_of(ev, "WF.recover") == "Succeeded"
    assert ev.phase == "Failed"


def test_b14_depends_true_when_false_is_skipped_depends_false_is_omitted():
    ev = run(workflow("""
        tasks:
        - {name: A, template: gen}
        - {name: B, template: gen, depends: A, when: "{{tasks.A.outputs.result}} == yes"}
        - {name: C, template: gen, depends: B}
        - {name: D, template: gen, depends: B.Succeeded}
        """, kind="dag"), {"A": {"result": "no"}})
    assert at(ev, 1) == ["END WF.A", "SKIP WF.B", "START WF.C", "OMIT WF.D"]
    assert ev.node("WF.B").message == "when 'no == yes' evaluated false"
    assert at(ev, 2) == ["END WF.C", "END WF"] and ev.phase == "Succeeded"


def test_b15_looped_task_any_succeeded_and_all_failed():
    ev = run(workflow("""
        tasks:
        - {name: L, template: gen, withItems: [1, 2, 3]}
        - {name: M, template: gen, depends: L}
        - {name: "N", template: gen, depends: L.AnySucceeded}
        - {name: P, template: gen, depends: L.AllFailed}
        """, kind="dag"), fail=["L(1:2)"])
    assert at(ev, 0) == ["START WF", "START WF.L", "START WF.L(0:1)", "START WF.L(1:2)", "START WF.L(2:3)"]
    assert ev.node("WF.L").type == "TaskGroup"
    assert at(ev, 1) == ["END WF.L(0:1)", "END WF.L(1:2)", "END WF.L(2:3)", "END WF.L", "OMIT WF.M", "START WF.N",
                         "OMIT WF.P"]
    assert phase_of(ev, "WF.L") == "Failed"
    assert at(ev, 2) == ["END WF.N", "END WF"] and ev.phase == "Failed"


def test_b16_dag_target():
    ev = run(workflow("""
        target: B
        tasks:
        - {name: A, template: gen}
        - {name: B, template: gen, depends: A}
        - {name: C, template: gen, depends: A}
        """, kind="dag"))
    assert trace(ev) == ["t=0 START WF", "t=0 START WF.A", "t=1 END WF.A", "t=1 START WF.B", "t=2 END WF.B",
                         "t=2 END WF"]
    assert ev.node("WF.C") is None and ev.phase == "Succeeded"


FLAKY = """
- name: main
  steps: [[{name: s, template: flaky}]]
- name: flaky
  retryStrategy: %s
  container: {image: alpine, command: [run], args: ["attempt {{retries}}"]}
"""


def test_b17_retries_limit_naming_and_retries_variable():
    ev = run(workflow(templates=FLAKY % "{limit: 2}"), fail=["s"])
    assert trace(ev) == [
        "t=0 START WF", "t=0 START WF[0]", "t=0 START WF[0].s", "t=0 START WF[0].s(0)",
        "t=1 END WF[0].s(0)", "t=1 START WF[0].s(1)",
        "t=2 END WF[0].s(1)", "t=2 START WF[0].s(2)",
        "t=3 END WF[0].s(2)", "t=3 END WF[0].s", "t=3 END WF[0]", "t=3 END WF",
    ]
    assert ev.node("WF[0].s").type == "Retry"
    assert [args_of(ev, f"WF[0].s({i})") for i in range(3)] == [["attempt 0"], ["attempt 1"], ["attempt 2"]]
    assert (phase_of(ev, "WF[0].s"), ev.node("WF[0].s").message) == ("Failed", "No more retries left")
    assert ev.phase == "Failed"


def test_b18a_retry_policy_on_error_does_not_retry_a_failure():
    ev = run(workflow(templates=FLAKY % "{limit: 3, retryPolicy: OnError}"), fail=["s"])
    assert at(ev, 1) == ["END WF[0].s(0)", "END WF[0].s", "END WF[0]", "END WF"]
    assert ev.node("WF[0].s").message == "main: Error (exit code 1)"
    assert ev.node("WF[0].s(1)") is None


def test_b18b_retry_expression():
    ev = run(workflow(templates=FLAKY % '{limit: 5, expression: "asInt(lastRetry.exitCode) == 2"}'),
             {"s": {"attempts": [{"exitCode": 2}, {"exitCode": 1}]}})
    assert at(ev, 1) == ["END WF[0].s(0)", "START WF[0].s(1)"]
    assert at(ev, 2)[:2] == ["END WF[0].s(1)", "END WF[0].s"]
    assert (phase_of(ev, "WF[0].s"), ev.node("WF[0].s").message) == (
        "Failed", "retryStrategy.expression evaluated to false")


B19 = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: WF}
spec:
  entrypoint: main
  onExit: cleanup
  templates:
  - {name: main, container: {image: alpine, command: [ok]}}
  - {name: cleanup, container: {image: alpine, command: [sh, -c], args: ["echo {{workflow.status}}"]}}
"""


def test_b19_exit_handler_failure_fails_a_successful_workflow():
    ev = run(B19, fail=["WF.onExit"])
    assert trace(ev) == ["t=0 START WF", "t=1 END WF", "t=1 START WF.onExit", "t=2 END WF.onExit"]
    assert phase_of(ev, "WF") == "Succeeded"
    exit_node = ev.node("WF.onExit")
    assert (exit_node.type, exit_node.template, exit_node.args) == ("Pod", "cleanup", ["echo Succeeded"])
    assert (ev.phase, ev.message) == ("Failed", "main: Error (exit code 1)")


def test_b19_the_exit_handler_does_not_rescue_a_failed_workflow():
    ev = run(B19, fail=["WF"])
    assert args_of(ev, "WF.onExit") == ["echo Failed"]
    assert phase_of(ev, "WF.onExit") == "Succeeded" and ev.phase == "Failed"


def test_b20_step_level_exit_hook():
    ev = run(workflow("""
        - - name: a
            template: gen
            hooks: {exit: {template: echo, arguments: {parameters: [{name: msg, value: "{{steps.a.status}}"}]}}}
        - - {name: b, template: gen}
        """))
    assert at(ev, 0)[-1] == "START WF[0].a"
    assert at(ev, 1) == ["END WF[0].a", "START WF[0].a.onExit"]
    hook = ev.node("WF[0].a.onExit")
    assert (hook.template, hook.args) == ("echo", ["Succeeded"])
    assert "WF[0].a.onExit" in ev.node("WF[0].a").children
    assert at(ev, 2) == ["END WF[0].a.onExit", "END WF[0]", "START WF[1]", "START WF[1].b"]
    assert at(ev, 3) == ["END WF[1].b", "END WF[1]", "END WF"]


def test_b21_global_name_exports_to_workflow_outputs():
    ev = run(workflow(templates="""
        - name: main
          steps:
          - - {name: gen, template: gen-g}
          - - {name: use, template: echo, arguments: {parameters: [{name: msg, value: "{{workflow.outputs.parameters.g}}"}]}}
        - name: gen-g
          container: {image: alpine, command: [gen]}
          outputs: {parameters: [{name: p, globalName: g, valueFrom: {path: /tmp/p}}]}
        """), {"gen": {"parameters": {"p": "v"}}})
    assert at(ev, 1) == ["END WF[0].gen", "END WF[0]", "START WF[1]", "START WF[1].use"]
    assert ev.node("WF[0].gen").outputs.parameters == {"p": "v"}
    assert args_of(ev, "WF[1].use") == ["v"]
    assert ev.outputs == {"g": "v"}


def test_b22_outputs_of_a_steps_template():
    ev = run(workflow(templates="""
        - name: main
          steps:
          - - {name: inner, template: wrap}
          - - {name: show, template: echo, arguments: {parameters: [{name: msg, value: "{{steps.inner.outputs.parameters.out}}"}]}}
        - name: wrap
          steps: [[{name: g, template: gen-p}]]
          outputs: {parameters: [{name: out, valueFrom: {parameter: "{{steps.g.outputs.parameters.p}}"}}]}
        """), {"g": {"parameters": {"p": "42"}}})
    assert at(ev, 0) == ["START WF", "START WF[0]", "START WF[0].inner", "START WF[0].inner[0]",
                         "START WF[0].inner[0].g"]
    assert at(ev, 1) == ["END WF[0].inner[0].g", "END WF[0].inner[0]", "END WF[0].inner", "END WF[0]", "START WF[1]",
                         "START WF[1].show"]
    assert ev.node("WF[0].inner").outputs.parameters == {"out": "42"}
    assert args_of(ev, "WF[1].show") == ["42"]


def _b23(consumer: str, value: str, producer: str = "gen-p", templates: str = ""):
    return run(workflow(f"""
        - - {{name: prod, template: {producer}, when: "false"}}
        - - {{name: use, template: {consumer}, arguments: {{parameters: [{{name: msg, value: "{value}"}}]}}}}
        """, templates=templates))


def test_b23_outputs_of_a_skipped_producer_are_absent_optionals():
    ev = _b23("echo-d", "{{steps.prod.outputs.parameters.p}}")
    assert trace(ev)[:5] == ["t=0 START WF", "t=0 START WF[0]", "t=0 SKIP WF[0].prod", "t=0 END WF[0]",
                             "t=0 START WF[1]"]
    assert ev.node("WF[0].prod").message == "when 'false' evaluated false"
    assert args_of(ev, "WF[1].use") == ["none"]


def test_b23_absent_argument_without_input_default_errors_the_node():
    ev = _b23("echo", "{{steps.prod.outputs.parameters.p}}")
    assert at(ev, 0)[-3:] == ["ERROR WF[1].use", "END WF[1]", "END WF"]
    assert ev.node("WF[1].use").message.startswith("inputs.parameters.msg: argument references an absent optional")
    assert phase_of(ev, "WF[1]") == "Error" and ev.phase == "Failed"


def test_b23_absent_value_inside_a_longer_string_errors_the_group():
    ev = _b23("echo-d", "x-{{steps.prod.outputs.parameters.p}}")
    group = ev.node("WF[1]")
    assert group.phase == "Error" and ev.node("WF[1].use") is None
    assert group.message.startswith("failed to resolve references: unable to substitute")
    assert "absent optional" in group.message
    [error] = ev.unresolved
    assert (error.outcome, error.reference) == ("error", "{{steps.prod.outputs.parameters.p}}")


def test_b23_coalescing_expression_rescues_an_absent_value():
    ev = _b23("echo", "{{=steps.prod.outputs.parameters.p ?? 'fb'}}")
    assert args_of(ev, "WF[1].use") == ["fb"]


def test_b23_a_declared_default_applies_in_every_variant():
    gen_d = """
        - name: gen-pd
          container: {image: alpine, command: [gen]}
          outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p, default: d}}]}
        """
    for consumer, value in (("echo-d", "{{steps.prod.outputs.parameters.p}}"),
                            ("echo", "{{steps.prod.outputs.parameters.p}}"),
                            ("echo", "{{=steps.prod.outputs.parameters.p ?? 'fb'}}")):
        assert args_of(_b23(consumer, value, "gen-pd", gen_d), "WF[1].use") == ["d"], (consumer, value)
    assert args_of(_b23("echo", "x-{{steps.prod.outputs.parameters.p}}", "gen-pd", gen_d), "WF[1].use") == ["x-d"]


def test_b24a_sibling_reference_in_the_same_group_hangs():
    text = workflow("""
        - - {name: a, template: gen}
          - {name: b, template: echo, arguments: {parameters: [{name: msg, value: "{{steps.a.outputs.result}}"}]}}
        """)
    ev = run(text)
    assert trace(ev, waits=True) == ["t=0 START WF", "t=0 START WF[0]", "t=0 WAIT WF[0]"]
    assert ev.node("WF[0].a") is None  # the whole group waits: a does not start either
    assert ev.phase == "Running" and ev.message.startswith("hangs")
    [hang] = ev.unresolved
    assert (hang.outcome, hang.reference, hang.node) == ("hang", "{{steps.a.outputs.result}}", "WF[0]")
    line = text.splitlines()[hang.line - 1]
    assert hang.line == line_of(text, "name: b") and hang.column == line.index("{{steps.a") + 1


def test_b24b_dag_reference_to_a_non_ancestor_hangs():
    ev = run(workflow("""
        tasks:
        - {name: A, template: gen}
        - {name: B, template: echo, arguments: {parameters: [{name: msg, value: "got {{tasks.A.outputs.result}}"}]}}
        """, kind="dag"))
    assert trace(ev, waits=True) == ["t=0 START WF", "t=0 START WF.A", "t=0 WAIT WF.B", "t=1 END WF.A",
                                     "t=1 WAIT WF.B"]
    assert ev.phase == "Running"
    assert [(u.outcome, u.reference, u.node) for u in ev.unresolved] == [("hang", "{{tasks.A.outputs.result}}",
                                                                           "WF.B")]


def test_b24c_result_of_a_skipped_step_hangs():
    ev = run(workflow("""
        - - {name: a, template: gen, when: "false"}
        - - {name: b, template: echo, arguments: {parameters: [{name: msg, value: "{{steps.a.outputs.result}}"}]}}
        """))
    assert phase_of(ev, "WF[0].a") == "Skipped"
    assert trace(ev, waits=True)[-1] == "t=0 WAIT WF[1]"
    assert ev.phase == "Running" and [u.outcome for u in ev.unresolved] == ["hang"]


B25 = """
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: wft}
spec:
  entrypoint: main
  arguments: {parameters: [{name: a, value: "1"}, {name: b, value: "2"}]}
  templates:
  - {name: main,  container: {image: alpine, command: [echo], args: ["{{workflow.parameters.a}}", "{{workflow.parameters.b}}", "{{workflow.mainEntrypoint}}"]}}
  - {name: other, container: {image: alpine, command: [echo], args: ["other {{workflow.parameters.b}}"]}}
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: WF}
spec:
  workflowTemplateRef: {name: wft}
  arguments: {parameters: [{name: b, value: "20"}]}
"""


def test_b25_workflow_template_ref_merges_arguments_workflow_wins():
    ev = run(B25)
    assert trace(ev) == ["t=0 START WF", "t=1 END WF"]
    assert (ev.node("WF").template, args_of(ev, "WF")) == ("main", ["1", "20", "main"])


def test_b25_entrypoint_override():
    ev = run(B25.replace("workflowTemplateRef: {name: wft}", "workflowTemplateRef: {name: wft}\n  entrypoint: other"))
    assert (ev.node("WF").template, args_of(ev, "WF")) == ("other", ["other 20"])
    ev = run(B25, entrypoint="other")  # argo submit --entrypoint
    assert args_of(ev, "WF") == ["other 20"]


B26 = """
- name: main
  steps:
  - - {name: wait, template: pause}
  - - {name: after, template: echo, arguments: {parameters: [{name: msg, value: "{{steps.wait.outputs.parameters.answer}}"}]}}
- name: pause
  suspend: {duration: "2"}
  outputs: {parameters: [{name: answer, valueFrom: {supplied: {}, default: timeout}}]}
"""


def test_b26_suspend_with_duration_and_supplied_output():
    ev = run(workflow(templates=B26))
    assert ev.node("WF[0].wait").type == "Suspend"
    assert at(ev, 2) == ["END WF[0].wait", "END WF[0]", "START WF[1]", "START WF[1].after"]
    assert ev.node("WF[0].wait").outputs.parameters == {"answer": "timeout"}
    assert args_of(ev, "WF[1].after") == ["timeout"]


def test_b26_a_mock_resumes_the_suspend_earlier_with_a_value():
    ev = run(workflow(templates=B26), {"wait": {"duration": 1, "parameters": {"answer": "yes"}}})
    assert at(ev, 1)[:1] == ["END WF[0].wait"]
    assert args_of(ev, "WF[1].after") == ["yes"]


def test_b27_template_parallelism():
    ev = run(workflow(templates="""
        - name: main
          parallelism: 2
          steps: [[{name: p, template: gen, withItems: [1, 2, 3]}]]
        """))
    assert started_leaves(ev) == {0: ["WF[0].p(0:1)", "WF[0].p(1:2)"], 1: ["WF[0].p(2:3)"]}
    assert at(ev, 2) == ["END WF[0].p(2:3)", "END WF[0]", "END WF"]


def test_b28_missing_argument_errors_the_node_and_the_group():
    ev = run(workflow("""
        - - {name: a, template: echo}
        """))
    assert trace(ev) == ["t=0 START WF", "t=0 START WF[0]", "t=0 ERROR WF[0].a", "t=0 END WF[0]", "t=0 END WF"]
    assert ev.node("WF[0].a").message == "inputs.parameters.msg was not supplied"
    group = ev.node("WF[0]")
    assert group.phase == "Error"
    assert group.message.startswith("step group deemed errored due to child WF[0].a error:")
    assert ev.phase == "Failed"

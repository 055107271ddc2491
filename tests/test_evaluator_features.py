"""The dry run's controller features beyond the §10 cases: hooks, daemons, backoff, leaf
kinds, inline templates, template defaults, ConfigMaps, CronWorkflows, parameters, bounds
and the references it reports."""

from __future__ import annotations

from evaluator_helpers import args_of, at, line_of, phase_of, run, started_leaves, trace, workflow

from argolint.evaluator.engine import Limits


def test_lifecycle_hooks_fire_once_when_their_expression_holds():
    ev = run(workflow(templates="""
        - name: main
          steps:
          - - name: a
              template: gen
              hooks:
                running: {expression: 'steps["a"].status == "Running"', template: echo, arguments: {parameters: [{name: msg, value: "{{steps.a.status}}"}]}}
                failed: {expression: 'steps["a"].status == "Failed"', template: gen}
        """))
    assert at(ev, 0)[-2:] == ["START WF[0].a", "START WF[0].a.hooks.running"]
    assert args_of(ev, "WF[0].a.hooks.running") == ["Running"]
    assert ev.node("WF[0].a.hooks.failed") is None
    assert ev.node("WF[0].a.hooks.running").hooked and "WF[0].a.hooks.running" in ev.node("WF[0].a").children


def test_workflow_hooks_and_the_exit_hook_see_the_workflow_status():
    ev = run(workflow("""
        - - {name: a, template: gen}
        """, spec="""
        hooks:
          running: {expression: 'workflow.status == "Running"', template: gen}
          exit: {template: echo, arguments: {parameters: [{name: msg, value: "{{workflow.status}}"}]}}
        """))
    assert "START WF.hooks.running" in at(ev, 0)
    assert at(ev, 1)[-2:] == ["END WF", "START WF.onExit"]
    assert args_of(ev, "WF.onExit") == ["Succeeded"]
    assert ev.phase == "Succeeded"


def test_dag_fail_fast_false_waits_for_every_target_then_fails():
    ev = run(workflow("""
        failFast: false
        tasks:
        - {name: A, template: gen}
        - {name: B, template: gen}
        - {name: C, template: gen, depends: B}
        """, kind="dag"), fail=["A"])
    assert at(ev, 2) == ["END WF.C", "END WF"] and ev.phase == "Failed"


def test_a_daemon_is_fulfilled_once_running_and_killed_when_its_template_ends():
    ev = run(workflow(templates="""
        - name: main
          steps:
          - - {name: svc, template: server}
          - - {name: client, template: echo, arguments: {parameters: [{name: msg, value: "{{steps.svc.ip}}"}]}}
        - name: server
          daemon: true
          container: {image: nginx}
        """))
    assert at(ev, 1) == ["END WF[0]", "START WF[1]", "START WF[1].client"]
    assert args_of(ev, "WF[1].client") == ["10.0.0.1"]
    assert at(ev, 2) == ["END WF[1].client", "END WF[1]", "END WF[0].svc", "END WF"]


def test_retry_backoff_waits_between_attempts_but_not_after_the_last():
    ev = run(workflow(templates="""
        - name: main
          steps: [[{name: s, template: flaky}]]
        - name: flaky
          retryStrategy: {limit: 2, backoff: {duration: "2", factor: 2}}
          container: {image: alpine, command: [run]}
        """), fail=["s"])
    assert sorted(started_leaves(ev)) == [0, 3, 8]
    assert at(ev, 9) == ["END WF[0].s(2)", "END WF[0].s", "END WF[0]", "END WF"]


def test_workflow_level_retry_strategy_wraps_every_template():
    ev = run(workflow("""
        - - {name: a, template: gen}
        """, spec="retryStrategy: {limit: 1}"), fail=["a"])
    assert ev.node("WF").type == "Retry" and ev.node("WF(0)").type == "Steps"
    assert ev.node("WF(0)[0].a").type == "Retry"


def test_leaf_kinds_resource_http_data_container_set_and_inline():
    ev = run(workflow("""
        tasks:
        - {name: r, template: res}
        - {name: h, template: web}
        - {name: d, template: dat}
        - {name: cs, template: cset}
        - {name: i, inline: {container: {image: x, command: [i]}}}
        - {name: use, template: echo, depends: "h && d && cs", arguments: {parameters: [{name: msg, value: "{{tasks.h.outputs.result}} {{tasks.cs.outputs.result}}"}]}}
        """, kind="dag", templates="""
        - name: res
          resource: {action: create, manifest: "kind: ConfigMap"}
          outputs: {parameters: [{name: cm, valueFrom: {jsonPath: '{.metadata.name}'}}]}
        - name: web
          http: {url: "https://example.com/{{workflow.name}}"}
        - name: dat
          data: {source: {artifactPaths: {s3: {bucket: b}}}, transformation: [{expression: "filter(data, {# endsWith '.txt'})"}]}
        - name: cset
          containerSet: {containers: [{name: main, image: alpine, command: [m]}]}
        """), {"h": {"result": "body"}})
    assert (ev.node("WF.r").type, ev.node("WF.r").detail) == ("Pod", "kubectl create\nkind: ConfigMap")
    assert ev.node("WF.r").outputs.parameters == {"cm": "<r.outputs.parameters.cm>"}
    assert (ev.node("WF.h").type, ev.node("WF.h").detail) == ("HTTP", "GET https://example.com/WF")
    assert ev.node("WF.d").outputs.result == "<d.outputs.result>"  # data results are always captured
    assert ev.node("WF.cs").command == ["m"]
    assert ev.node("WF.i").command == ["i"] and ev.node("WF.i").template is None
    assert args_of(ev, "WF.use") == ["body <cs.outputs.result>"]


def test_template_defaults_merge_under_every_template():
    ev = run(workflow("""
        - - {name: a, template: gen}
        """, spec="templateDefaults: {container: {image: defaulted, args: [x]}, timeout: 1m}"))
    node = ev.node("WF[0].a")
    assert (node.image, node.command, node.args) == ("alpine", ["gen"], ["x"])


def test_config_map_key_ref_reads_a_config_map_among_the_inputs():
    ev = run("""
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {greeting: hola}
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: WF}
spec:
  entrypoint: main
  arguments: {parameters: [{name: g, valueFrom: {configMapKeyRef: {name: settings, key: greeting}}}]}
  templates:
  - {name: main, container: {image: alpine, command: [echo], args: ["{{workflow.parameters.g}}"]}}
""")
    assert args_of(ev, "WF") == ["hola"]


def test_cron_workflow_runs_its_workflow_spec():
    ev = run("""
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: nightly}
spec:
  schedules: ["0 0 * * *"]
  workflowSpec:
    entrypoint: main
    templates:
    - {name: main, container: {image: alpine, command: [echo], args: ["{{workflow.name}}"]}}
""")
    assert ev.name == "nightly" and args_of(ev, "nightly") == ["nightly"]


def test_parameters_override_like_argo_submit_p():
    text = workflow(templates="""
        - name: main
          container: {image: alpine, command: [echo], args: ["{{workflow.parameters.msg}}"]}
        """, spec="arguments: {parameters: [{name: msg, value: default}]}")
    assert args_of(run(text), "WF") == ["default"]
    assert args_of(run(text, parameters=[("msg", "given")]), "WF") == ["given"]


def test_a_workflow_parameter_without_value_fails_the_workflow_at_once():
    ev = run(workflow(templates="""
        - {name: main, container: {image: alpine}}
        """, spec="arguments: {parameters: [{name: msg}]}"))
    assert ev.phase == "Error" and ev.nodes == []
    assert "'msg' has no value" in ev.message and "-p msg=VALUE" in ev.message


def test_a_suspend_without_duration_leaves_the_workflow_suspended():
    ev = run(workflow("""
        - - {name: approve, template: hold}
        """, templates="""
        - {name: hold, suspend: {}}
        """))
    assert ev.phase == "Running" and ev.message.startswith("suspended: WF[0].approve")


def test_unknown_template_errors_the_step():
    ev = run(workflow("""
        - - {name: a, template: nope}
        """))
    assert ev.node("WF[0].a").message == "template name 'nope' undefined"
    assert phase_of(ev, "WF[0]") == "Error"


def test_templates_ref_to_a_missing_workflow_template_says_so():
    ev = run(workflow("""
        - - {name: a, templateRef: {name: elsewhere, template: t}}
        """))
    assert ev.node("WF[0].a").message == "WorkflowTemplate 'elsewhere' not found (give its file to the dry run)"


def test_references_left_as_written_are_reported_as_literal_where_they_are_written():
    text = workflow("""
        - - {name: a, template: echo, arguments: {parameters: [{name: msg, value: "{{item}}"}]}}
        """, templates="""
        - name: typo
          inputs: {parameters: [{name: x}]}
          container: {image: alpine, args: ["{{inputs.parameters.y}}", "{{workflow.parameters.nope}}"]}
        """)
    text = text.replace("- - {name: a, template: echo", "- - {name: t, template: typo, arguments: {parameters: "
                        "[{name: x, value: '1'}]}}\n        - {name: a, template: echo")
    ev = run(text)
    assert args_of(ev, "WF[0].a") == ["{{item}}"]
    found = {(u.reference, u.outcome, u.node, u.line) for u in ev.unresolved}
    assert found == {
        ("{{item}}", "literal", "WF[0].a", line_of(text, "{{item}}")),
        ("{{inputs.parameters.y}}", "literal", "WF[0].t", line_of(text, "{{inputs.parameters.y}}")),
        ("{{workflow.parameters.nope}}", "literal", "WF[0].t", line_of(text, "{{inputs.parameters.y}}")),
    }


def test_a_leftover_tag_in_a_looped_step_errors_at_expansion():
    ev = run(workflow("""
        - - {name: a, template: echo, withItems: [1], arguments: {parameters: [{name: msg, value: "{{inputs.parameters.x}}"}]}}
        """))
    assert (phase_of(ev, "WF[0]"), ev.node("WF[0]").message) == ("Error", "failed to resolve {{inputs.parameters.x}}")
    assert [(u.reference, u.outcome) for u in ev.unresolved] == [("{{inputs.parameters.x}}", "error")]


def test_unmocked_results_used_in_when_explain_how_to_mock_them():
    ev = run(workflow("""
        - - {name: flip, template: gen}
        - - {name: heads, template: gen, when: "{{steps.flip.outputs.result}} == heads"}
        """))
    # a `when` over an output nobody mocked: the outcome is not known (Incomplete), not a failure
    assert ev.phase == "Incomplete" and ev.simulated_phase == "Failed"
    [unknown] = ev.unknowns
    assert (unknown.value, unknown.key, unknown.example) == ("<flip.outputs.result>", "flip",
                                                             "flip: {result: ...}")
    group = ev.node("WF[1]")
    assert "<flip.outputs.result> stands for an output no mock gives" in group.message
    assert "`flip: {result: ...}`" in group.message
    assert ev.unresolved == []  # not a reference problem


def test_bounds_end_every_run_with_a_clear_message():
    loop = workflow("""
        - - {name: a, template: gen, withSequence: {count: "100000000"}}
        """)
    ev = run(loop)
    assert ev.phase == "Running" and "over the limit of 10000 (--max-loop-items)" in ev.message
    forever = workflow(templates="""
        - name: main
          steps: [[{name: s, template: flaky}]]
        - name: flaky
          retryStrategy: {}
          container: {image: alpine}
        """)
    ev = run(forever, fail=["s"], limits=Limits(max_nodes=50))
    assert "more than 50 nodes (--max-nodes)" in ev.message and len(ev.nodes) == 50
    slow = workflow("""
        - - {name: a, template: gen}
        """)
    ev = run(slow, {"a": {"duration": 500}}, limits=Limits(max_ticks=100))
    assert "stopped at tick 100 (--max-ticks)" in ev.message


def test_node_ids_pod_names_and_failures_follow_argo():
    ev = run(workflow("""
        - - {name: a, template: gen}
        """), fail=["a"])
    from argolint.evaluator.nodes import fnv32a

    assert ev.message == f"child 'WF-{fnv32a('WF[0].a')}' failed"
    assert trace(ev)[-1] == "t=1 END WF"


def test_template_fail_fast_stops_creating_children_after_a_failure():
    ev = run(workflow(templates="""
        - name: main
          failFast: true
          parallelism: 1
          steps: [[{name: p, template: gen, withItems: [1, 2, 3]}]]
        """), fail=["p(0:1)"])
    assert [n.name for n in ev.nodes if n.type == "Pod"] == ["WF[0].p(0:1)"]
    root = ev.node("WF")
    assert (root.phase, root.message) == ("Failed", "template has failed or errored children and failFast enabled")
    assert ev.phase == "Failed"

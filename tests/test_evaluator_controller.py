"""Issue 16 §1: behaviours where the dry run must agree with the Argo controller. Each test
says which documented behaviour (argo-semantics.md, or the controller's code) it checks; the
expected values are worked out from that behaviour, not read off the dry run."""

from __future__ import annotations

from evaluator_helpers import run, trace, workflow

from argolint.analysis.project import Project
from argolint.evaluator.api import evaluate, select
from argolint.evaluator.mocks import Mocks
from argolint.load.loader import load_text


def test_workflow_hooks_fire_on_the_final_status_before_the_exit_handler():
    """argo-semantics §6.1-6.2 and operator.go: once the entry node is fulfilled the
    controller sets `workflow.status` to the final status, runs the workflow-level hooks
    whose expression now holds and waits for them, then runs the exit handler."""
    text = workflow(spec="""
        onExit: gen
        hooks:
          done: {expression: 'workflow.status == "Succeeded"', template: gen}
          failed: {expression: 'workflow.status == "Failed"', template: gen}
        """, templates="- {name: main, container: {image: alpine}}")
    ev = run(text)
    assert trace(ev) == ["t=0 START WF", "t=1 END WF", "t=1 START WF.hooks.done", "t=2 END WF.hooks.done",
                         "t=2 START WF.onExit", "t=3 END WF.onExit"]
    assert ev.phase == "Succeeded"
    failed = run(text, fail=["main"])
    assert [line for line in trace(failed) if "hooks" in line] == ["t=1 START WF.hooks.failed",
                                                                   "t=2 END WF.hooks.failed"]
    assert failed.phase == "Failed"


def test_exit_hook_arguments_over_a_skipped_steps_output_take_the_inputs_default():
    """argo-semantics §2.8: an argument that is exactly one absent optional (the output of a
    Skipped step without `valueFrom.default`) is "not supplied", so the hook template's input
    default applies; `??` falls back inside an expression. No input ever gives a traceback."""
    ev = run(workflow("""
        - - {name: a, template: gen-p, when: "false"}
        - - name: b
            template: gen
            hooks:
              exit:
                template: echo-d
                arguments: {parameters: [{name: msg, value: "{{steps.a.outputs.parameters.p}}"}]}
          - name: c
            template: gen
            hooks:
              exit:
                template: echo
                arguments: {parameters: [{name: msg, value: "{{= steps.a.outputs.parameters.p ?? 'fallback'}}"}]}
        """))
    assert ev.node("WF[1].b.onExit").args == ["none"]
    assert ev.node("WF[1].c.onExit").args == ["fallback"]
    assert ev.phase == "Succeeded"


def test_exit_hook_arguments_over_a_skipped_tasks_output_in_a_dag():
    """argo-semantics §2.8 in a DAG: the hook of task `b` gets the default of its input; with
    no default the hook node errors ("argument references an absent optional"), as a task
    would, and the DAG's phase does not change (§6.2)."""
    ev = run(workflow("""
        tasks:
        - {name: a, template: gen-p, when: "false"}
        - name: b
          template: gen
          depends: a
          hooks:
            exit:
              template: echo-d
              arguments: {parameters: [{name: msg, value: "{{tasks.a.outputs.parameters.p}}"}]}
        - name: c
          template: gen
          depends: a
          hooks:
            exit:
              template: echo
              arguments: {parameters: [{name: msg, value: "{{tasks.a.outputs.parameters.p}}"}]}
        """, kind="dag"))
    assert ev.node("WF.b.onExit").args == ["none"]
    hook = ev.node("WF.c.onExit")
    assert hook.phase == "Error" and "absent optional" in hook.message
    assert ev.node("WF").phase == "Succeeded"


def test_input_values_over_other_inputs_are_substituted_in_the_second_pass():
    """workflow/common (substituteParams): the first pass replaces globals, the second the
    inputs, over the whole template, the inputs' own values included; steps then see the
    template's inputs as substituted (createScope), so a `withParam` over them loops."""
    ev = run(workflow(templates="""
        - name: main
          inputs:
            parameters:
            - {name: a, value: x}
            - {name: b, value: "{{= toJSON([inputs.parameters.a, 'y']) }}"}
          steps:
          - - {name: each, template: echo, withParam: "{{inputs.parameters.b}}",
               arguments: {parameters: [{name: msg, value: "{{item}}"}]}}
        """))
    assert ev.node("WF").inputs == {"a": "x", "b": '[\n  "x",\n  "y"\n]'}
    assert [n.args for n in ev.nodes if n.type == "Pod"] == [["x"], ["y"]]
    assert ev.phase == "Succeeded"


def test_template_fail_fast_fails_the_step_group_when_the_workflow_ends():
    """Template `failFast: true` (argo-semantics §6.7): once a child failed no other step is
    started; the template fails, and its step group, still running, ends Failed with it."""
    ev = run(workflow(templates="""
        - name: main
          failFast: true
          parallelism: 1
          steps:
          - - {name: a, template: gen}
            - {name: b, template: gen}
        """), fail=["a"])
    assert ev.node("WF").phase == "Failed"
    assert ev.node("WF[0]").phase == "Failed"
    assert ev.node("WF[0].b") is None
    assert ev.phase == "Failed"


def test_retry_limit_is_checked_before_the_expression():
    """argo-semantics §6.3 / processNodeRetries: after a failed attempt the controller checks
    the policy, then `limit` ("No more retries left"), and only then `expression`."""
    ev = run(workflow(templates="""
        - name: main
          retryStrategy: {limit: 0, expression: "false"}
          container: {image: alpine}
        """), fail=["main"])
    assert ev.node("WF").message == "No more retries left"
    assert ev.phase == "Failed"


def test_inputs_parameters_json_keeps_the_parameter_field_order():
    """`{{inputs.parameters}}` is json.Marshal of []Parameter: struct field order name,
    default, value, ... (not sorted keys)."""
    ev = run(workflow(templates="""
        - name: main
          inputs: {parameters: [{name: a, default: d, description: about a}]}
          container: {image: alpine, args: ["{{inputs.parameters}}"]}
        """))
    assert ev.node("WF").args == ['[{"name":"a","default":"d","value":"d","description":"about a"}]']


def test_a_parameter_named_json_keeps_its_own_value():
    """setGlobalParameters sets `workflow.parameters.json` (all parameters as JSON) first and
    each `workflow.parameters.NAME` after it: a parameter named `json` wins."""
    ev = run(workflow(spec="arguments: {parameters: [{name: json, value: J}, {name: b, value: B}]}", templates="""
        - name: main
          container: {image: alpine, args: ["{{workflow.parameters.json}}", "{{workflow.parameters}}"]}
        """))
    assert ev.node("WF").args == ["J", '[{"name":"json","value":"J"},{"name":"b","value":"B"}]']


def test_a_workflow_hook_without_expression_is_an_invalid_spec():
    """ValidateWorkflow: a `spec.hooks` entry other than `exit` needs an expression
    (`hooks.%s Expression required`); the controller fails the workflow with
    `invalid spec: ...` before it runs anything."""
    ev = run(workflow(spec="hooks: {running: {template: gen}}", templates="- {name: main, container: {image: a}}"))
    assert (ev.phase, ev.message, ev.nodes) == ("Failed", "invalid spec: hooks.running Expression required", [])
    steps = run(workflow("""
        - - {name: a, template: gen, hooks: {started: {template: gen}}}
        """))
    assert steps.message == "invalid spec: templates.main.steps[0].a.started Expression required"


def test_an_untyped_template_through_a_workflow_template_ref_is_an_invalid_spec():
    """templateresolution: a template with no type is `template '%s' type is unknown`; a
    workflow that runs a WorkflowTemplate is validated when the controller picks it up."""
    project = Project()
    project.add(load_text("""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  workflowTemplateRef: {name: lib}
---
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib}
spec:
  entrypoint: main
  templates:
  - {name: main, container: {image: alpine}}
  - {name: empty}
""", "wf.yaml"))
    ev = evaluate(project, select(project), mocks=Mocks())
    assert (ev.phase, ev.message) == ("Failed", "invalid spec: template 'empty' type is unknown")


def test_a_volume_mount_naming_no_volume_errors_the_pod():
    """workflowpod.go addVolumeReferences: a volumeMount whose volume is in neither
    spec.volumes, the template's volumes nor volumeClaimTemplates fails the pod's creation
    with `volume '%s' not found in workflow spec`; the node errors."""
    ev = run(workflow(spec="volumes: [{name: cache, emptyDir: {}}]", templates="""
        - name: main
          steps:
          - - {name: ok, template: mounts-cache}
          - - {name: bad, template: mounts-data}
        - name: mounts-cache
          container: {image: alpine, volumeMounts: [{name: cache, mountPath: /c}]}
        - name: mounts-data
          container: {image: alpine, volumeMounts: [{name: data, mountPath: /d}]}
        """))
    assert ev.node("WF[0].ok").phase == "Succeeded"
    bad = ev.node("WF[1].bad")
    assert (bad.phase, bad.message) == ("Error", "volume 'data' not found in workflow spec")
    assert ev.phase == "Failed"


def test_memoize_cache_hits_within_a_run():
    """argo-semantics §6.7: a memoized template whose key is in the cache creates its node
    Succeeded at once with the cached outputs and no pod; the cache is written when a node
    with that key succeeds, so steps of one group (started together) both miss."""
    ev = run(workflow("""
        - - {name: a, template: memo, arguments: {parameters: [{name: k, value: one}]}}
          - {name: b, template: memo, arguments: {parameters: [{name: k, value: one}]}}
        - - {name: c, template: memo, arguments: {parameters: [{name: k, value: one}]}}
          - {name: d, template: memo, arguments: {parameters: [{name: k, value: two}]}}
        """, templates="""
        - name: memo
          inputs: {parameters: [{name: k}]}
          memoize: {key: "{{inputs.parameters.k}}", cache: {configMap: {name: cache}}}
          container: {image: alpine, command: [gen]}
          outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
        """), mocks={"a": {"parameters": {"p": "from a"}}, "b": {"parameters": {"p": "from b"}}})
    hits = {n.display_name: n.extra["memoization"]["hit"] for n in ev.nodes if n.type == "Pod"}
    assert hits == {"a": False, "b": False, "c": True, "d": False}
    c = ev.node("WF[1].c")
    assert c.phase == "Succeeded" and c.started_at == c.finished_at == 1
    assert c.outputs.parameters == {"p": "from b"}  # b finished last: its outputs are the cache's


def test_workflow_deadline_kills_running_pods_and_the_exit_handler_still_runs():
    """argo-semantics §6.4: `spec.activeDeadlineSeconds` is measured from the start; a pod
    gets the time left as its deadline and fails when it passes ("Pod was active on the node
    longer than the specified deadline"); the workflow fails; the exit handler still runs."""
    ev = run(workflow("""
        - - {name: slow, template: gen}
        """, spec="activeDeadlineSeconds: 5\nonExit: gen"), mocks={"slow": {"duration": 30}})
    slow = ev.node("WF[0].slow")
    assert (slow.phase, slow.finished_at) == ("Failed", 5)
    assert slow.message == "Pod was active on the node longer than the specified deadline"
    assert ev.node("WF.onExit").phase == "Succeeded"
    assert ev.phase == "Failed"


def test_workflow_deadline_fails_a_suspended_node():
    """argo-semantics §6.4-6.5: deadline expiry fails suspended nodes (`Step exceeded its
    deadline`)."""
    ev = run(workflow("""
        - - {name: wait, template: pause}
        """, spec="activeDeadlineSeconds: 3", templates="- {name: pause, suspend: {}}"))
    wait = ev.node("WF[0].wait")
    assert (wait.phase, wait.message, wait.finished_at) == ("Failed", "Step exceeded its deadline", 3)
    assert ev.phase == "Failed"


def test_template_timeout_and_deadline_fail_the_node_then_retries_apply():
    """argo-semantics §6.4: a leaf's `timeout` / `activeDeadlineSeconds` fails the node when it
    passes; retries apply afterwards per policy (OnFailure retries a Failed attempt)."""
    ev = run(workflow(templates="""
        - name: main
          timeout: 2s
          retryStrategy: {limit: 1}
          container: {image: alpine}
        """), mocks={"main": {"attempts": [{"duration": 5}, {"duration": 1}]}})
    first, second = ev.node("WF(0)"), ev.node("WF(1)")
    assert (first.phase, first.finished_at) == ("Failed", 2)
    assert first.message == "Pod was active on the node longer than the specified deadline"
    assert (second.phase, second.finished_at) == ("Succeeded", 3)
    deadline = run(workflow(templates="""
        - name: main
          activeDeadlineSeconds: 4
          container: {image: alpine}
        """), mocks={"main": {"duration": 9}})
    assert (deadline.phase, deadline.node("WF").finished_at) == ("Failed", 4)


def test_no_more_attempts_after_the_workflow_deadline():
    """argo-semantics §6.3 / processNodeRetries: past the workflow's deadline a retry node
    stops with the last attempt's phase and "retry exceeded workflow deadline <time>"; a
    backoff wait that reaches the deadline ends there."""
    ev = run(workflow(templates="""
        - name: main
          retryStrategy: {limit: 5}
          container: {image: alpine}
        """, spec="activeDeadlineSeconds: 2"), mocks={"main": {"exitCode": 1}})
    attempts = [n.name for n in ev.nodes if n.name.startswith("WF(")]
    assert attempts == ["WF(0)", "WF(1)"]
    assert ev.node("WF").phase == "Failed" and ev.phase == "Failed"
    # the workflow starts at its creation time, 2026-01-01T00:00:00Z in a dry run
    assert ev.node("WF").message == "retry exceeded workflow deadline 2026-01-01 00:00:02 +0000 UTC"
    backoff = run(workflow(templates="""
        - name: main
          retryStrategy: {limit: 5, backoff: {duration: "10"}}
          container: {image: alpine}
        """, spec="activeDeadlineSeconds: 4"), mocks={"main": {"exitCode": 1}})
    retry = backoff.node("WF")
    assert [n.name for n in backoff.nodes if n.name.startswith("WF(")] == ["WF(0)"]
    assert (retry.phase, retry.finished_at) == ("Failed", 4)

"""The scope model as a user sees it: manifests in, templating diagnostics out."""

from __future__ import annotations

import os
import textwrap

from helpers import lint, lint_text

from argolint.config import Config

RULES = {"expression-syntax", "unknown-variable", "unknown-output", "reference-order", "item-outside-loop",
         "missing-argument", "unknown-argument", "invalid-value"}


def found(tmp_path, body: str, name="wf.yaml", config=None, header=True):
    text = textwrap.dedent(body)
    if header:  # the body is the rest of `spec`
        text = HEADER + textwrap.indent(text, "  ")
    return [f"{d.line}:{d.column}: {d.rule} {d.message}" for d in lint_text(tmp_path, text, name, config)
            if d.rule in RULES]


HEADER = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: wf-
spec:
  serviceAccountName: argo-workflow-sa
"""


def test_inline_template_sees_its_steps_loop_item_and_earlier_steps(tmp_path):
    assert found(tmp_path, """\
      entrypoint: main
      templates:
      - name: main
        steps:
        - - name: gen
            template: gen
        - - name: each
            withItems: [a, b]
            inline:
              container:
                image: alpine:3.20
                args: ["{{item}} {{steps.gen.outputs.result}} {{steps.each.outputs.result}}"]
      - name: gen
        script: {image: "alpine:3.20", source: echo hi}
    """) == ["18:59: reference-order step 'each' reads its own 'steps.each.outputs.result', which does not "
             "exist before it finishes"]


def test_a_leaf_template_cannot_read_its_callers_steps(tmp_path):
    (message,) = found(tmp_path, """\
      entrypoint: main
      templates:
      - name: main
        steps:
        - - name: gen
            template: print
      - name: print
        container:
          image: alpine:3.20
          args: ["{{steps.gen.outputs.result}}"]
    """)
    assert message.startswith("16:15: unknown-variable 'steps.gen.outputs.result' in template 'print'")


def test_configured_labels_and_annotations_resolve(tmp_path):
    body = """\
      entrypoint: main
      templates:
      - name: main
        container:
          image: alpine:3.20
          args: ["{{workflow.labels.workflows.argoproj.io/creator}}", "{{workflow.annotations.team}}"]
    """
    assert [m.split(" ", 2)[1] for m in found(tmp_path, body)] == ["unknown-variable", "unknown-variable"]
    config = Config.model_validate({"workflow-labels": ["workflows.argoproj.io/creator"],
                                    "workflow-annotations": ["team"]})
    assert found(tmp_path, body, config=config) == []


def test_workflow_failures_needs_an_exit_handler(tmp_path):
    body = """\
      entrypoint: main
      {on_exit}
      templates:
      - name: main
        container:
          image: alpine:3.20
          args: ["{{{{workflow.failures}}}}"]
    """
    (message,) = found(tmp_path, body.format(on_exit=""))
    assert "'workflow.failures' is only set for an exit handler" in message
    assert found(tmp_path, body.format(on_exit="onExit: main")) == []


def test_global_outputs_come_from_global_names(tmp_path):
    messages = found(tmp_path, """\
      entrypoint: main
      templates:
      - name: main
        container:
          image: alpine:3.20
          args: ["{{workflow.outputs.parameters.shared}} {{workflow.outputs.parameters.sahred}}"]
        outputs:
          parameters:
          - name: p
            globalName: shared
            valueFrom: {path: /tmp/p}
    """)
    assert messages == ["12:54: unknown-variable no template exports a global output parameter 'sahred' "
                        "(globalName)"]


def test_cron_workflow_when_sees_cronworkflow_variables(tmp_path):
    assert found(tmp_path, """\
        apiVersion: argoproj.io/v1alpha1
        kind: CronWorkflow
        metadata:
          name: cron
        spec:
          schedule: "* * * * *"
          when: "{{= cronworkflow.lastScheduledTime == nil || cronworkflow.faild > 2 }}"
          stopStrategy:
            expression: cronworkflow.failed >= 3
          workflowSpec:
            serviceAccountName: argo-workflow-sa
            entrypoint: main
            templates:
            - name: main
              container:
                image: alpine:3.20
                args: ["{{workflow.scheduledTime}} {{workflow.labels.workflows.argoproj.io/cron-workflow}}"]
    """, header=False) == ["7:55: unknown-variable 'cronworkflow.faild' is not a CronWorkflow variable"]


def test_expression_reading_a_hyphenated_name_without_brackets(tmp_path):
    (message,) = found(tmp_path, """\
      entrypoint: main
      templates:
      - name: main
        steps:
        - - name: flip-coin
            template: flip
        - - name: heads
            template: flip
            when: "{{=steps.flip-coin.outputs.result == 'heads'}}"
      - name: flip
        script: {image: "alpine:3.20", source: echo heads}
    """)
    assert message == ("15:19: unknown-variable 'steps.flip-coin.outputs.result' is read as a subtraction: "
                       "in expressions a name with '-' must be indexed")


def test_absent_outputs_guarded_by_coalescing_are_not_reported(tmp_path):
    assert found(tmp_path, """\
      entrypoint: main
      templates:
      - name: main
        steps:
        - - name: gen
            template: gen
        - - name: use
            template: gen
            when: "{{=(steps.gen.outputs.parameters.maybe ?? 'x') == 'x'}}"
      - name: gen
        script: {image: "alpine:3.20", source: echo}
    """) == []


def test_workflow_template_ref_brings_parameters_and_templates(tmp_path):
    (tmp_path / "wt.yaml").write_text(textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: WorkflowTemplate
        metadata:
          name: base
        spec:
          serviceAccountName: argo-workflow-sa
          entrypoint: main
          arguments:
            parameters:
            - name: message
              value: hi
          templates:
          - name: main
            inputs:
              parameters:
              - name: message
            container:
              image: alpine:3.20
              args: ["{{inputs.parameters.message}} {{workflow.parameters.message}}"]
    """))
    (tmp_path / "wf.yaml").write_text(textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: from-base-
        spec:
          serviceAccountName: argo-workflow-sa
          workflowTemplateRef:
            name: base
    """))
    assert [d for d in lint(tmp_path) if d.rule in RULES] == []


def test_spec_level_strings_see_only_globals(tmp_path):
    messages = found(tmp_path, """\
      entrypoint: main
      arguments:
        parameters:
        - name: when
          value: "{{workflow.creationTimestamp.Y}}-{{inputs.parameters.x}}"
      hooks:
        running:
          expression: workflow.status == "Running" && steps.a.status == "Running"
          template: main
      templates:
      - name: main
        container: {image: "alpine:3.20"}
    """)
    assert [m.split(":")[0:2] for m in messages] == [["11", "48"], ["14", "51"]]
    assert "inputs exist only inside a template" in messages[0]
    assert "steps.* exists only in the steps template" in messages[1]


def test_retry_expression_sees_only_retry_variables(tmp_path):
    (message,) = found(tmp_path, """\
      entrypoint: main
      templates:
      - name: main
        retryStrategy:
          expression: asInt(lastRetry.exitCode) > 1 && workflow.status == "Running"
        container: {image: "alpine:3.20"}
    """)
    assert message.startswith("11:52: unknown-variable 'workflow' is not available in a retryStrategy expression")


def test_nested_tag_checks_its_inner_key(tmp_path):
    (message,) = found(tmp_path, """\
      entrypoint: main
      arguments:
        parameters:
        - {name: p-a, value: x}
        - {name: which, value: a}
      templates:
      - name: main
        inputs:
          parameters:
          - name: which
        container:
          image: alpine:3.20
          args: ["{{workflow.parameters.{{inputs.parameters.whihc}}}}"]
    """)
    assert message.startswith("19:39: unknown-variable template 'main' has no input parameter 'whihc'")


def test_a_step_reading_a_task_style_reference_gets_the_steps_hint(tmp_path):
    diagnostics = lint_text(tmp_path, HEADER + textwrap.indent(textwrap.dedent("""\
      entrypoint: main
      templates:
      - name: main
        steps:
        - - name: a
            template: a
        - - name: b
            template: a
            when: "{{tasks.a.status}} == Succeeded"
      - name: a
        container: {image: "alpine:3.20"}
    """), "  "))
    (d,) = [d for d in diagnostics if d.rule == "unknown-variable"]
    assert d.hint == "use 'steps.a.status'"
    assert d.suggestion == "{{steps.a.status}}"


def test_every_string_of_a_template_is_scanned(tmp_path):
    messages = found(tmp_path, """\
      entrypoint: main
      templates:
      - name: main
        activeDeadlineSeconds: "{{inputs.parameters.deadline}}"
        podSpecPatch: '{"terminationGracePeriodSeconds": {{inputs.parameters.grace}}}'
        volumes:
        - name: v
          configMap: {name: "{{inputs.parameters.cm}}"}
        container:
          image: "alpine:{{inputs.parameters.tag}}"
          env:
          - {name: X, value: "{{inputs.parameters.x}}"}
    """)
    assert [m.split(" ")[0] for m in messages] == ["10:29:", "11:54:", "14:26:", "16:22:", "18:27:"]


# -- the acceptance scenarios, on the seed's output-parameter workflow ---------------

SEED = os.path.join(os.path.dirname(__file__), "..", "fixtures", "seed", "output-parameter-workflow.yaml")


def test_seed_output_parameter_workflow_is_clean():
    assert lint(SEED) == []


def test_misspelt_output_parameter_is_reported_on_the_tags_columns(tmp_path):
    text = open(SEED, encoding="utf-8").read().replace("hello-param}}", "hello-parm}}")
    (d,) = lint_text(tmp_path, text)
    line = text.split("\n")[d.line - 1]
    assert (d.rule, d.line) == ("unknown-output", 18)
    assert line[d.column - 1:d.end_column - 1] == "{{steps.generate-parameter.outputs.parameters.hello-parm}}"
    assert "'hello-param'" in d.hint


def test_the_seed_as_a_dag_with_steps_references_is_told_to_use_tasks(tmp_path):
    text = open(SEED, encoding="utf-8").read()
    text = text.replace("""    steps:
    - - name: generate-parameter
        template: whalesay
    - - name: consume-parameter
        template: print-message
""", """    dag:
      tasks:
      - name: generate-parameter
        template: whalesay
      - name: consume-parameter
        template: print-message
        depends: generate-parameter
""")
    (d,) = lint_text(tmp_path, text)
    assert d.rule == "unknown-variable"
    assert d.hint == "use 'tasks.generate-parameter.outputs.parameters.hello-param'"

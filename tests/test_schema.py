"""Schema validation as a user sees it: YAML in, the four schema rules' diagnostics out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from conftest import FIXTURES, ROOT
from helpers import config_for, lint, lint_text

from argolint.config import Config

SCHEMA_RULES = ("unknown-field", "invalid-type", "missing-field", "invalid-value")


def schema_diagnostics(tmp_path, text, name="wf.yaml"):
    found = lint_text(tmp_path, textwrap.dedent(text), name=name)
    return [d for d in found if d.rule in SCHEMA_RULES]


def described(diagnostics):
    return [f"{d.line}:{d.column}-{d.end_line}:{d.end_column} {d.rule} {d.message}" + (f" | {d.hint}" if d.hint else "")
            for d in diagnostics]


WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
spec:
  entrypoint: main
  serviceAccountName: argo-workflow
  templates:
  - name: main
    container:
      image: alpine:3.20
{extra}"""


def workflow(extra: str) -> str:
    return WORKFLOW.format(extra=textwrap.indent(textwrap.dedent(extra), "      "))


def test_command_as_a_string_is_one_invalid_type_on_the_value(tmp_path):
    found = schema_diagnostics(tmp_path, workflow("command: echo hi\n"))
    assert described(found) == [
        "12:16-12:23 invalid-type command must be a list of strings, found a string 'echo hi'"
        " | each argument is one list item, e.g. [sh, -c, \"echo hi\"] or [echo, hi]"
    ]


def test_wrong_case_key_gets_the_spelling_hint_on_the_key(tmp_path):
    found = schema_diagnostics(tmp_path, workflow("ImagePullPolicy: Always\n"))
    assert described(found) == [
        "12:7-12:22 unknown-field unknown field 'ImagePullPolicy' in spec.templates[0].container: "
        "Container has no such field | 'ImagePullPolicy' is spelled 'imagePullPolicy'"
    ]


def test_unknown_key_without_a_close_match_lists_the_valid_keys(tmp_path):
    found = schema_diagnostics(tmp_path, workflow("env:\n- name: A\n  xyzzy: 1\n"))
    assert len(found) == 1
    assert found[0].hint == "valid fields here: 'name', 'value', 'valueFrom'"


def test_a_misspelt_required_key_is_one_unknown_field_not_also_a_missing_field(tmp_path):
    found = schema_diagnostics(tmp_path, workflow("env:\n- nmae: A\n  value: '1'\n"))
    assert [(d.rule, d.hint) for d in found] == [("unknown-field", "did you mean 'name'?")]


def test_a_misspelt_spec_is_not_also_a_missing_spec(tmp_path):
    found = schema_diagnostics(tmp_path, "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"
                                         "metadata: {generateName: a-}\nspce: {entrypoint: main}\n")
    assert [(d.line, d.rule, d.hint) for d in found] == [(4, "unknown-field", "did you mean 'spec'?")]


def test_the_value_of_an_unknown_key_is_not_validated(tmp_path):
    found = schema_diagnostics(tmp_path, workflow("secutiryContext: {privileged: 'yes', bogus: 1}\n"))
    assert [d.rule for d in found] == ["unknown-field"]


def test_every_mistake_of_a_document_is_reported_in_one_run(tmp_path):
    found = schema_diagnostics(tmp_path, workflow("""\
        comand: [echo]
        args: hi
        imagePullPolicy: always
        volumeMounts:
        - name: work
        """))
    assert [(d.line, d.rule) for d in found] == [
        (12, "unknown-field"), (13, "invalid-type"), (14, "invalid-value"), (16, "missing-field")]


MANY_TASKS = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: many-
spec:
  entrypoint: main
  serviceAccountName: argo-workflow
  templates:
  - name: work
    inputs:
      parameters:
      - name: msg
    container:
      image: alpine:3.20
  - name: main
    dag:
      tasks:
"""


@pytest.mark.parametrize("task, expected", [
    ("{name: t3, templat: work}",
     "21:20-21:27 unknown-field unknown field 'templat' in spec.templates[1].dag.tasks[3]: DAGTask has no such "
     "field | did you mean 'template'?"),
    ("{name: t_3, template: work}",
     "21:16-21:19 invalid-value task name 't_3' is invalid: use alphanumeric characters or '-', starting with an "
     "alphanumeric character (e.g. My-name1-2)"),
    ("{name: " + "a" * 130 + ", template: work}",
     "21:16-21:146 invalid-value task name '" + "a" * 37 + "...' is invalid: it is 130 characters long; the limit "
     "is 128"),
    ("{template: work}",
     "21:9-21:25 missing-field missing required field 'name' in spec.templates[1].dag.tasks[3] (DAGTask) | add "
     "`name:` to spec.templates[1].dag.tasks[3]"),
    ("{name: t3, template: work, dependencies: t0}",
     "21:50-21:52 invalid-type dependencies must be a list of strings, found a string 't0' | write it as a list: [t0]"),
    ("{name: t3, template: work, arguments: {parameters: [{name: 'bad name', value: x}]}}",
     "21:68-21:78 invalid-value parameter name 'bad name' is invalid: use alphanumeric characters, '_' or '-' "
     "(e.g. my_param_1, MY-PARAM-1)"),
    ("{name: t3, template: work, arguments: {parameters: [{name: msg, valu: y}]}}",
     "21:73-21:77 unknown-field unknown field 'valu' in spec.templates[1].dag.tasks[3].arguments.parameters[0]: "
     "Parameter has no such field | did you mean 'value'?"),
])
def test_a_mistake_in_one_of_many_tasks_is_found(tmp_path, task, expected):
    # the tasks of a DAG are validated together, a field at a time: one task's mistake
    # among valid tasks must still be found, in that task
    tasks = [f"- {{name: t{i}, template: work, arguments: {{parameters: [{{name: msg, value: '{i}'}}]}}}}"
             for i in range(6)]
    tasks[3] = "- " + task
    text = MANY_TASKS + textwrap.indent("\n".join(tasks), "      ") + "\n"
    assert described(schema_diagnostics(tmp_path, text)) == [expected]


def test_tags_stand_for_numbers_and_booleans_and_null_means_unset(tmp_path):
    found = schema_diagnostics(tmp_path, """\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: tags-
        spec:
          entrypoint: main
          parallelism: "{{workflow.parameters.p}}"
          arguments:
            parameters:
            - {name: p, value: 3}
          templates:
          - name: main
            daemon: "{{=false}}"
            nodeSelector: ~
            container:
              image: alpine
              args: ~
              resources: {limits: {cpu: 2}}
        """)
    assert found == []


def test_a_string_without_a_tag_is_still_not_a_number(tmp_path):
    found = schema_diagnostics(tmp_path, workflow("ports: [{containerPort: eighty}]\n"))
    assert described(found) == [
        "12:31-12:37 invalid-type containerPort must be an integer, found a string 'eighty'"]


def test_a_plugin_body_is_free_form_but_names_exactly_one_plugin(tmp_path):
    text = """\
        apiVersion: argoproj.io/v1alpha1
        kind: WorkflowTemplate
        metadata:
          name: plugins
        spec:
          templates:
          - name: one
            plugin:
              slack: {channel: x, anything: {goes: [here]}}
          - name: two
            plugin: {slack: {}, email: {}}
        """
    found = schema_diagnostics(tmp_path, text)
    assert described(found) == [
        "11:13-11:35 invalid-value a plugin template names exactly one plugin; found 2 keys"
        " | write `plugin: {<plugin-name>: {...}}`"]


def test_entrypoint_is_required_of_workflows_but_not_of_workflow_templates(tmp_path):
    text = """\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: hello-
        spec:
          templates:
          - name: main
            suspend: {}
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: WorkflowTemplate
        metadata:
          name: library
        spec:
          templates:
          - name: main
            suspend: {}
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: ClusterWorkflowTemplate
        metadata:
          name: shared
        spec:
          templates:
          - name: main
            suspend: {}
        """
    found = schema_diagnostics(tmp_path, text)
    assert described(found) == [
        "5:1-5:5 missing-field missing required field 'entrypoint' in spec: a Workflow must name the template it"
        " starts with | add `entrypoint: <template name>` to spec"]


def test_entrypoint_may_come_from_the_referenced_workflow_template(tmp_path):
    (tmp_path / "library.yaml").write_text(textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: WorkflowTemplate
        metadata:
          name: library
        spec:
          entrypoint: main
          templates:
          - name: main
            suspend: {}
        """))
    (tmp_path / "run.yaml").write_text(textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: run-
        spec:
          workflowTemplateRef: {name: library}
        """))
    assert [d for d in lint(tmp_path) if d.rule in SCHEMA_RULES] == []


def test_a_removed_field_says_what_replaced_it(tmp_path):
    found = schema_diagnostics(tmp_path, """\
        apiVersion: argoproj.io/v1alpha1
        kind: CronWorkflow
        metadata:
          name: nightly
        spec:
          schedule: "0 2 * * *"
          workflowSpec:
            workflowTemplateRef: {name: elsewhere}
        """)
    assert described(found) == [
        "6:3-6:11 unknown-field 'schedule' is no longer a field of CronWorkflowSpec: 'schedules' (a list) replaced"
        " it in Argo 3.6; Argo 4 removed it | write `schedules: [\"0 2 * * *\"]`"]


def test_a_document_without_spec_is_reported_at_its_kind(tmp_path):
    found = schema_diagnostics(tmp_path, """\
        # a comment first
        apiVersion: argoproj.io/v1alpha1
        kind: WorkflowTemplate
        metadata: {name: empty}
        """)
    assert described(found) == [
        "3:1-3:5 missing-field missing required field 'spec' in the document (WorkflowTemplate)"
        " | add `spec:` to the document"]


def test_a_name_only_in_the_wrong_place_is_the_finding_of_no_metadata(tmp_path):
    """The API server rejects both ("name or generateName is required"): one finding, one
    message, at `metadata` or, without it, at the start of the document. A warning for a
    Workflow (Argo's validator accepts it, and `argo submit --name`/`--generate-name`
    names it), an error for a WorkflowTemplate, which nothing names on the way."""
    misplaced = schema_diagnostics(tmp_path, """\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          labels:
            generateName: indented-too-far-
        spec:
          workflowTemplateRef: {name: elsewhere}
        """)
    absent = schema_diagnostics(tmp_path, """\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        spec:
          workflowTemplateRef: {name: elsewhere}
        """)
    template = schema_diagnostics(tmp_path, """\
        apiVersion: argoproj.io/v1alpha1
        kind: WorkflowTemplate
        spec:
          templates: [{name: main, container: {image: alpine:3.20}}]
        """)
    assert [(d.line, d.column, d.rule, d.severity.value) for d in misplaced] == [(3, 1, "missing-field", "warning")]
    assert [(d.line, d.column, d.rule, d.severity.value) for d in absent] == [(1, 1, "missing-field", "warning")]
    assert [(d.line, d.column, d.rule, d.severity.value) for d in template] == [(1, 1, "missing-field", "error")]
    assert misplaced[0].message == absent[0].message == template[0].message == (
        "the object has neither metadata.name nor metadata.generateName: the API server rejects it "
        "(\"name or generateName is required\")")
    assert "argo submit --name" in misplaced[0].hint and "argo submit" not in template[0].hint


def test_documents_that_are_not_argo_kinds_are_not_validated(tmp_path):
    found = schema_diagnostics(tmp_path, """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cm}
        data: {anything: goes}
        bogus: true
        ---
        apiVersion: apps/v1
        kind: Workflow
        spec: {whatever: 1}
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: WorkflowEventBinding
        metadata: {name: binding}
        spec: {event: {selector: "true"}, unknown: 1}
        """)
    assert found == []


def test_a_document_that_does_not_parse_is_not_validated_but_the_others_are(tmp_path):
    found = lint_text(tmp_path, textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {generateName: a-}
        spec:
          entrypoint: [unclosed
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {generateName: b-}
        spec:
          entrypoint: main
          serviceAcountName: x
        """))
    assert [(d.line, d.rule) for d in found if d.rule in SCHEMA_RULES + ("yaml-syntax",)] == [
        (6, "yaml-syntax"), (12, "unknown-field")]


def test_json_documents_are_validated_with_exact_spans(tmp_path):
    doc = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"generateName": "j-"},
           "spec": {"entrypoint": "main", "templates": [{"name": "main", "container": {"image": "a", "comand": []}}]}}
    found = schema_diagnostics(tmp_path, json.dumps(doc, indent=2), name="wf.json")
    assert [(d.line, d.rule, d.hint) for d in found] == [(14, "unknown-field", "did you mean 'command'?")]


def test_the_document_is_validated_once_for_the_four_rules(tmp_path, monkeypatch):
    from argolint.schema import messages

    calls = []
    original = messages.findings
    monkeypatch.setattr(messages, "findings", lambda kind, data: calls.append(kind) or original(kind, data))
    schema_diagnostics(tmp_path, workflow("command: echo hi\n"))
    assert calls == ["Workflow"]


def test_importing_the_rules_does_not_import_jsonschema():
    code = ("import sys; import argolint.rules.unknown_field, argolint.rules.invalid_type, "
            "argolint.rules.missing_field, argolint.rules.invalid_value, argolint.schema; "
            "print(sorted(m for m in sys.modules if m.startswith(('jsonschema', 'hera'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_upstream_examples_give_no_schema_error(corpus):
    """The two Workflows without a name get a warning (see test_corpus), no error."""
    found = [(os.path.basename(d.file), d.line, d.column, d.rule, d.severity.value)
             for d in lint(corpus, config=Config()) if d.rule in SCHEMA_RULES]
    assert [f for f in found if f[4] == "error"] == []
    assert [f for f in found if f[3] == "missing-field"] == [("fun-with-gifs.yaml", 12, 1, "missing-field", "warning"),
                                                            ("k8s-jobs.yaml", 8, 1, "missing-field", "warning")]


def test_the_seed_manifests_give_no_schema_diagnostic():
    seed = os.path.join(ROOT, "fixtures", "seed")
    found = [d for d in lint(seed, config=config_for(seed)) if d.rule in SCHEMA_RULES]
    assert found == []


def test_draft_keywords_known_without_jsonschema_match_jsonschema():
    from jsonschema import Draft202012Validator

    from argolint.schema.validator import DRAFT_2020_12_KEYWORDS

    assert DRAFT_2020_12_KEYWORDS == set(Draft202012Validator.VALIDATORS)


def test_valid_documents_are_validated_without_importing_jsonschema(corpus):
    """jsonschema (~70 ms) is imported only for a document that may have an error: none of
    the upstream examples needs it; a document with a mistake still gets its findings."""
    import subprocess
    import sys

    code = ("import sys; from argolint.api import lint_paths; from argolint.schema.messages import RULES;"
            "found = lint_paths([sys.argv[1]], select=list(RULES));"
            "print(any(m.split('.')[0] == 'jsonschema' for m in sys.modules), "
            "sum(d.rule == 'unknown-field' for d in found))")
    clean = subprocess.run([sys.executable, "-c", code, corpus], capture_output=True, text=True, check=True)
    assert clean.stdout.split() == ["False", "0"]
    wrong = os.path.join(FIXTURES, "rules", "unknown-field")
    found = subprocess.run([sys.executable, "-c", code, wrong], capture_output=True, text=True, check=True)
    assert found.stdout.split()[0] == "True" and int(found.stdout.split()[1]) > 0

"""The graph rules beyond their fixtures: configuration, template paths, templated names,
inline templates, and the upstream corpus."""

from __future__ import annotations

import os
import textwrap

import pytest
from helpers import lint, lint_text, short

from argolint.config import Config
from argolint.diagnostics import Severity

GRAPH_RULES = {"dag-cycle", "dangling-dependency", "invalid-depends", "unused-template", "infinite-recursion",
               "unresolved-template-ref", "unknown-template"}

WORKFLOW_WITH_REF = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: refs-
spec:
  entrypoint: main
  serviceAccountName: argo-workflow-sa
  templates:
  - name: main
    steps:
    - - name: build
        templateRef:
          name: build-tools
          template: go-build
"""

LIBRARY = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: build-tools
spec:
  serviceAccountName: argo-workflow-sa
  templates:
  - name: {template}
    container:
      image: "golang:1.22"
"""


def test_unresolved_template_ref_is_a_warning_by_default(tmp_path):
    found = [d for d in lint_text(tmp_path, WORKFLOW_WITH_REF) if d.rule == "unresolved-template-ref"]
    assert [(d.line, d.column, d.severity) for d in found] == [(13, 17, Severity.WARNING)]


def test_unresolved_template_ref_severity_is_configurable(tmp_path):
    config = Config.model_validate({"severity": {"unresolved-template-ref": "error"}})
    found = [d for d in lint_text(tmp_path, WORKFLOW_WITH_REF, config=config) if d.rule == "unresolved-template-ref"]
    assert [d.severity for d in found] == [Severity.ERROR]


def test_template_refs_resolve_under_template_paths(tmp_path):
    (tmp_path / "wf").mkdir()
    (tmp_path / "lib").mkdir()
    (tmp_path / "wf" / "wf.yaml").write_text(WORKFLOW_WITH_REF)
    (tmp_path / "lib" / "tools.yaml").write_text(LIBRARY.format(template="go-build"))
    found = lint(tmp_path / "wf", template_paths=[str(tmp_path / "lib")])
    assert [d for d in found if d.rule in GRAPH_RULES] == []


def test_a_missing_template_in_an_indexed_workflow_template_is_unknown(tmp_path):
    (tmp_path / "wf").mkdir()
    (tmp_path / "lib").mkdir()
    (tmp_path / "wf" / "wf.yaml").write_text(WORKFLOW_WITH_REF)
    (tmp_path / "lib" / "tools.yaml").write_text(LIBRARY.format(template="go-bulid"))
    found = [d for d in lint(tmp_path / "wf", template_paths=[str(tmp_path / "lib")]) if d.rule in GRAPH_RULES]
    assert [(d.line, d.column, d.rule, d.hint) for d in found] == [
        (14, 21, "unknown-template", "did you mean 'go-bulid'?")]


def test_templated_references_are_not_checked(tmp_path):
    text = WORKFLOW_WITH_REF.replace("name: build-tools", 'name: "{{workflow.parameters.tools}}"')
    text = text.replace("    - - name: build\n", "    - - name: build\n        when: 'true'\n")
    assert short(lint_text(tmp_path, text), "unresolved-template-ref") == []


def _workflow(templates: str) -> str:
    return textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: wf-
        spec:
          entrypoint: main
          serviceAccountName: argo-workflow-sa
          templates:
        """) + textwrap.indent(textwrap.dedent(templates), "  ")


def test_an_inline_dag_is_checked_like_any_other(tmp_path):
    text = _workflow("""\
        - name: main
          steps:
          - - name: inner
              inline:
                dag:
                  tasks:
                  - {name: a, template: work, dependencies: [b]}
                  - {name: b, template: work, dependencies: [a, c]}
        - name: work
          container: {image: alpine}
        """)
    found = lint_text(tmp_path, text)
    assert short(found, "dag-cycle") == ["15:56: dag-cycle"]
    assert short(found, "dangling-dependency") == ["16:59: dangling-dependency"]


def test_templated_task_names_switch_dangling_off(tmp_path):
    text = _workflow("""\
        - name: main
          dag:
            tasks:
            - {name: "a-{{workflow.parameters.n}}", template: work}
            - {name: b, template: work, dependencies: [a-1]}
        - name: work
          container: {image: alpine}
        """)
    assert short(lint_text(tmp_path, text), "dangling-dependency") == []


def test_digit_leading_names_are_fine_without_dependencies(tmp_path):
    text = _workflow("""\
        - name: main
          dag:
            tasks:
            - {name: 1st, template: work}
            - {name: 2nd, template: work}
        - name: work
          container: {image: alpine}
        """)
    assert short(lint_text(tmp_path, text), "invalid-depends") == []


def test_a_templated_template_name_switches_unused_template_off(tmp_path):
    text = _workflow("""\
        - name: main
          steps:
          - - {name: pick, template: "{{workflow.parameters.which}}"}
        - name: a
          container: {image: alpine}
        """)
    assert short(lint_text(tmp_path, text), "unused-template") == []


def test_a_recursion_in_one_file_is_reported_once_when_linted_with_others(tmp_path):
    (tmp_path / "a.yaml").write_text(textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: WorkflowTemplate
        metadata: {name: lib}
        spec:
          serviceAccountName: argo-workflow-sa
          templates:
          - name: loop
            steps:
            - - {name: again, template: loop}
        """))
    (tmp_path / "b.yaml").write_text(_workflow("""\
        - name: main
          steps:
          - - name: call
              templateRef: {name: lib, template: loop}
        """))
    found = [f"{os.path.basename(d.file)}:{d.line}:{d.column}"
             for d in lint(tmp_path) if d.rule == "infinite-recursion"]
    assert found == ["a.yaml:9:33"]


def _folders(root):
    yield root
    for name in sorted(os.listdir(root)):
        if os.path.isdir(os.path.join(root, name)):
            yield os.path.join(root, name)


def test_no_graph_errors_on_the_corpus(corpus):
    """Each folder linted as one invocation, as a user would."""
    errors = []
    for folder in _folders(corpus):
        for d in lint(folder):
            if d.rule in GRAPH_RULES and d.severity == Severity.ERROR:
                errors.append(f"{d.file}:{d.line}:{d.column}: {d.rule} {d.message}")
    assert errors == []


@pytest.mark.parametrize("name", ["dag-enhanced-depends.yaml", "coinflip-recursive.yaml", "dag-coinflip.yaml",
                                  "recursive-for-loop.yaml", "loops-dag.yaml"])
def test_corpus_recursions_and_depends_give_no_warning_either(corpus, name):
    found = [d for d in lint(os.path.join(corpus, name)) if d.rule in GRAPH_RULES]
    assert found == []

"""Suppressions (DESIGN §5): `# argolint: ignore[...]` at the end of a line or alone above it,
`# argolint: disable-file[...]`, the `argolint.io/ignore` annotation of a document or a
template, and `unused-suppression` for those that silence nothing."""

from __future__ import annotations

import textwrap

from helpers import lint_text

from argolint.config import Config
from argolint.diagnostics import Finding
from argolint.rules.base import Rule
from argolint.lint.runner import build_project, lint_project

SELECT = ["unknown-template", "missing-service-account", "unused-suppression"]


def problems(tmp_path, text, select=SELECT, **config):
    """`LINE:COLUMN-END_COLUMN RULE: MESSAGE[; HINT]` of each diagnostic of `text`."""
    found = lint_text(tmp_path, textwrap.dedent(text), config=Config(select=select, **config))
    return [f"{d.line}:{d.column}-{d.end_column} {d.rule}: {d.message}" + (f"; {d.hint}" if d.hint else "")
            for d in found]


# The missing-service-account message belongs to its rule; only its position matters here.
MSA = None


def _msa_message(tmp_path):
    text = "kind: Workflow\nspec: {entrypoint: a, templates: [{name: a, container: {image: busybox}}]}\n"
    found = lint_text(tmp_path, text, name="msa.yaml", config=Config(select=["missing-service-account"]))
    return found[0].message + (f"; {found[0].hint}" if found[0].hint else "")


def setup_module(module):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        module.MSA = _msa_message(Path(folder))


PIRNT = "unknown-template: step 'again' template 'pirnt' is not a template of this workflow; did you mean 'print'?"


def test_without_suppressions(tmp_path):
    assert problems(tmp_path, """\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: hello-
        spec:
          entrypoint: main
          templates:
            - name: main
              steps:
                - - name: again
                    template: pirnt
            - name: print
              container: {image: busybox}
        """) == [
        "5:1-5 missing-service-account: " + MSA,
        "11:23-28 " + PIRNT,
    ]


def test_trailing_comment(tmp_path):
    assert problems(tmp_path, """\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: hello-
        spec:  # argolint: ignore[missing-service-account]
          entrypoint: main
          templates:
            - name: main
              steps:
                - - name: again
                    template: pirnt  # argolint: ignore[unknown-template, missing-service-account]
            - name: print
              container: {image: busybox}
        """) == [
        # the second id of line 11 silenced nothing
        "11:67-90 unused-suppression: suppression of 'missing-service-account' suppresses nothing; remove it",
    ]


def test_comment_alone_above_covers_the_next_line_with_content(tmp_path):
    assert problems(tmp_path, """\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: hello-
        # argolint: ignore[missing-service-account]

        # (a blank line and another comment do not break the link)
        spec:
          entrypoint: main
          templates:
            - name: main
              steps:
                - - name: again
                    # argolint: ignore[unknown-template]
                    template: pirnt
                - - name: more
                    template: pirnt
            - name: print
              container: {image: busybox}
        """) == [
        "17:23-28 " + PIRNT.replace("'again'", "'more'"),
    ]


def test_bare_ignore_silences_every_rule_on_its_line(tmp_path):
    assert problems(tmp_path, """\
        kind: Workflow
        spec: {entrypoint: mian, templates: [{name: main, suspend: {}}]}  # argolint: ignore
        """) == []
    assert problems(tmp_path, """\
        kind: Workflow  # argolint: ignore
        spec: {entrypoint: main, serviceAccountName: sa, templates: [{name: main, suspend: {}}]}
        """) == ["1:17-35 unused-suppression: this suppression suppresses nothing; remove it"]


def test_disable_file(tmp_path):
    text = """\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: hello-
        spec:
          entrypoint: main
          templates:
            - name: main
              steps:
                - - name: again
                    template: pirnt
            - name: print
              container: {image: busybox}
        """
    assert problems(tmp_path, text + "# argolint: disable-file\n") == []
    assert problems(tmp_path, "# argolint: disable-file[missing-service-account]\n" + textwrap.dedent(text)) == [
        "12:23-28 " + PIRNT,
    ]
    assert problems(tmp_path, "# argolint: disable-file[duplicate-name]\n" + textwrap.dedent(text),
                    select=SELECT + ["duplicate-name"]) == [
        "1:26-40 unused-suppression: suppression of 'duplicate-name' suppresses nothing; remove it",
        "6:1-5 missing-service-account: " + MSA,
        "12:23-28 " + PIRNT,
    ]


def test_annotation_on_the_document(tmp_path):
    assert problems(tmp_path, """\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: hello-
          annotations:
            argolint.io/ignore: "missing-service-account,unknown-template"
        spec:
          entrypoint: main
          templates:
            - name: main
              steps:
                - - name: again
                    template: pirnt
            - name: print
              container: {image: busybox}
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: other-
        spec:
          entrypoint: mian
          templates:
            - name: main
              container: {image: busybox}
        """) == [
        # the annotation covers its own document only
        "21:1-5 missing-service-account: " + MSA,
        "22:15-19 unknown-template: entrypoint 'mian' is not a template of this workflow; did you mean 'main'?",
    ]


def test_annotation_on_a_template_covers_that_template_only(tmp_path):
    assert problems(tmp_path, """\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: hello-
        spec:
          entrypoint: main
          serviceAccountName: argo-workflow
          templates:
            - name: main
              metadata:
                annotations:
                  argolint.io/ignore: unknown-template
              steps:
                - - name: again
                    template: pirnt
                - - name: other
                    template: second
            - name: second
              steps:
                - - name: again
                    template: pirnt
            - name: print
              container: {image: busybox}
        """) == ["21:23-28 " + PIRNT]


def test_unused_and_misspelled_annotation_ids_point_into_the_value(tmp_path):
    found = lint_text(tmp_path, textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: hello-
          annotations:
            argolint.io/ignore: "unknown-templat, missing-service-account, duplicate-name"
        spec:
          entrypoint: main
          templates:
            - name: main
              container: {image: busybox}
        """), config=Config(select=SELECT + ["duplicate-name"]))
    assert [(d.line, d.column, d.end_column, d.message, d.hint) for d in found] == [
        (6, 26, 41, "unknown rule id 'unknown-templat' in suppression", "did you mean 'unknown-template'?"),
        (6, 68, 82, "suppression of 'duplicate-name' suppresses nothing", "remove it"),
    ]
    assert {(d.rule, d.severity.value, d.document, d.kind, d.name, d.path) for d in found} == {
        ("unused-suppression", "warning", 0, "Workflow", "hello-", "/metadata/annotations/argolint.io~1ignore")}


def test_misspelled_ids_and_directives_in_comments(tmp_path):
    assert problems(tmp_path, """\
        kind: Workflow
        spec:  # argolint: ignore[missing-service-acount]
          entrypoint: main  # argolint: disable-line[unknown-template]
          templates: [{name: main, container: {image: busybox}}]
        """) == [
        "2:1-5 missing-service-account: " + MSA,
        "2:27-49 unused-suppression: unknown rule id 'missing-service-acount' in suppression; "
        "did you mean 'missing-service-account'?",
        "3:21-45 unused-suppression: unknown argolint directive 'disable-line'; "
        "write `# argolint: ignore[rule-id]` or `# argolint: disable-file[rule-id]`",
    ]


def test_no_unused_report_for_rules_that_are_not_run(tmp_path):
    text = """\
        kind: Workflow
        spec:  # argolint: ignore[unknown-template]
          entrypoint: main
          serviceAccountName: sa
          templates: [{name: main, suspend: {}}]
        """
    assert problems(tmp_path, text) == [
        "2:27-43 unused-suppression: suppression of 'unknown-template' suppresses nothing; remove it"]
    assert problems(tmp_path, text, ignore=["unknown-template"]) == []
    assert problems(tmp_path, text, select=["unknown-template", "missing-service-account"]) == []
    assert problems(tmp_path, text, severity={"unknown-template": "off"}) == []
    assert problems(tmp_path, text, per_file_ignores={"wf.yaml": ["unknown-template"]}) == []


def test_suppressed_diagnostics_do_not_fail_the_run(cli, tmp_path):
    (tmp_path / "wf.yaml").write_text(textwrap.dedent("""\
        kind: Workflow
        spec:
          serviceAccountName: sa
          entrypoint: mian  # argolint: ignore[unknown-template]
          templates: [{name: main, suspend: {}}]
        """))
    assert cli("--select", "unknown-template", "wf.yaml", cwd=tmp_path)[:2] == (0, "No problems in 1 file.\n")


class PointsAtTemplates(Rule):
    """Reports every template itself (its whole mapping), like a crash report does."""

    id = "template-type"

    def check_template(self, ctx, template):
        yield Finding(template.path, "here")


def test_template_annotation_covers_a_diagnostic_on_the_template_itself(tmp_path):
    (tmp_path / "wf.yaml").write_text(textwrap.dedent("""\
        kind: Workflow
        spec:
          templates:
            - name: main
              metadata: {annotations: {argolint.io/ignore: template-type}}
              suspend: {}
            - name: other
              suspend: {}
        """))
    config = Config()
    found = lint_project(build_project([str(tmp_path / "wf.yaml")], config), config,
                         rules=[PointsAtTemplates()]).diagnostics
    assert [(d.line, d.column, d.rule, d.path) for d in found] == [(7, 7, "template-type", "/spec/templates/1")]

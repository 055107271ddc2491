"""The Python entry points a program embedding argolint uses: `argolint.lint_paths`,
`argolint.lint_text` and `argolint.dry_run`, as the README documents them."""

import os
import subprocess
import sys

import pytest

from conftest import SEED

import argolint

BROKEN = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: diamond-
spec:
  serviceAccountName: argo-workflow
  entrypoint: diamond
  templates:
  - name: diamond
    dag:
      tasks:
      - {name: A, template: echo}
      - {name: B, template: echo, dependencies: [Aa]}
  - name: echo
    container: {image: alpine:3.20, command: [echo, hi]}
"""


def test_import_argolint_loads_no_stage():
    code = ("import sys, argolint; print(sorted(m for m in sys.modules "
            "if m.startswith('argolint.') or m in ('pydantic', 'jsonschema', 'lark')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_lint_text_returns_the_diagnostics_with_their_positions():
    found = argolint.lint_text(BROKEN, filename="gen.yaml")
    assert [(d.file, d.line, d.column, d.end_column, d.rule, d.hint) for d in found] == [
        ("gen.yaml", 13, 50, 52, "dangling-dependency", "did you mean 'A'?")]
    assert found[0].severity is argolint.Severity.ERROR
    assert isinstance(found[0], argolint.Diagnostic)


def test_lint_text_takes_select_ignore_and_a_config_mapping():
    no_sa = BROKEN.replace("  serviceAccountName: argo-workflow\n", "")
    assert {d.rule for d in argolint.lint_text(no_sa)} == {"dangling-dependency", "missing-service-account"}
    assert [d.rule for d in argolint.lint_text(no_sa, select=["missing-service-account"])] == [
        "missing-service-account"]
    assert [d.rule for d in argolint.lint_text(no_sa, ignore=["dangling-dependency"])] == ["missing-service-account"]
    assert [d.rule for d in argolint.lint_text(no_sa, config={"ignore": ["missing-service-account"]})] == [
        "dangling-dependency"]


def test_lint_text_reports_a_bad_configuration():
    from argolint.config import ConfigError

    with pytest.raises(ConfigError):
        argolint.lint_text(BROKEN, select=["no-such-rule"])


def test_lint_paths_lints_a_directory_like_the_command(tmp_path):
    (tmp_path / "wf.yaml").write_text(BROKEN)
    (tmp_path / "notes.txt").write_text("not yaml")
    found = argolint.lint_paths([tmp_path])
    assert [(os.path.basename(d.file), d.line, d.rule) for d in found] == [("wf.yaml", 13, "dangling-dependency")]
    assert argolint.lint_paths([SEED]) == []


def test_lint_paths_reads_a_configuration_file(tmp_path):
    (tmp_path / "wf.yaml").write_text(BROKEN)
    (tmp_path / "cfg.yaml").write_text("ignore: [dangling-dependency]\n")
    assert argolint.lint_paths([tmp_path / "wf.yaml"], config=tmp_path / "cfg.yaml") == []


def test_lint_paths_refuses_a_missing_path(tmp_path):
    from argolint.load.files import UsageError

    with pytest.raises(UsageError, match="no such file"):
        argolint.lint_paths([tmp_path / "absent.yaml"])


def test_dry_run_a_seed_file_with_mocks_and_parameters():
    ev = argolint.dry_run(os.path.join(SEED, "output-parameter-workflow.yaml"),
                          mocks={"generate-parameter": {"parameters": {"hello-param": "hi there"}}})
    assert ev.phase == "Succeeded"
    consume = next(n for n in ev.nodes if n.display_name == "consume-parameter")
    assert consume.args == ["hi there"]


def test_dry_run_text_with_a_parameter_and_a_failure():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  arguments: {parameters: [{name: who, value: world}]}
  templates:
  - name: main
    steps:
    - - {name: greet, template: echo}
  - name: echo
    container: {image: alpine:3.20, command: [echo, "hello {{workflow.parameters.who}}"]}
"""
    ev = argolint.dry_run(text=text, parameters=["who=you"])
    greet = next(n for n in ev.nodes if n.display_name == "greet")
    assert (ev.phase, greet.command) == ("Succeeded", ["echo", "hello you"])
    assert argolint.dry_run(text=text, fail=["greet"]).phase == "Failed"


def test_dry_run_without_a_workflow_says_so():
    from argolint.evaluator.api import DryRunError

    with pytest.raises(DryRunError):
        argolint.dry_run(text="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")

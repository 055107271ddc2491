"""The seed manifests lint clean, alone and together; without `serviceAccountName` each
workflow gets exactly one diagnostic, missing-service-account on its `spec:` line."""

from __future__ import annotations

import glob
import json
import os

import pytest
from conftest import SEED
from helpers import lint, run_cli

from argolint import __version__

SEED_FILES = sorted(glob.glob(os.path.join(SEED, "*.yaml")))
WORKFLOWS = [f for f in SEED_FILES if f.endswith("-workflow.yaml")]


def test_the_five_seed_manifests_are_there():
    assert [os.path.basename(f) for f in SEED_FILES] == [
        "dag-diamond-workflow.yaml", "hello-world-workflow.yaml", "output-parameter-workflow.yaml", "rbac.yaml",
        "steps-workflow.yaml"]


@pytest.mark.parametrize("path", SEED_FILES, ids=os.path.basename)
def test_each_seed_manifest_alone_has_no_diagnostic(path):
    assert lint(path) == []


def test_all_seed_manifests_together_have_no_diagnostic():
    assert lint(*SEED_FILES) == []
    assert lint(SEED) == []


def test_json_report_of_the_seed_folder():
    code, out, err = run_cli("--format", "json", SEED)
    assert (code, err) == (0, "")
    assert json.loads(out) == {"version": 1, "tool": "argolint", "tool_version": __version__, "files": 5,
                               "diagnostics": [], "summary": {"error": 0, "warning": 0, "info": 0}}


@pytest.mark.parametrize("path", WORKFLOWS, ids=os.path.basename)
def test_without_service_account_name_exactly_one_warning_on_the_spec_line(tmp_path, path):
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines(keepends=True)
    kept = [line for line in lines if not line.lstrip().startswith("serviceAccountName:")]
    assert len(kept) == len(lines) - 1
    spec_line = kept.index("spec:\n") + 1
    changed = tmp_path / os.path.basename(path)
    changed.write_text("".join(kept), encoding="utf-8")
    found = lint(changed)
    assert [(d.rule, d.severity.value, d.line, d.column, d.end_line, d.end_column) for d in found] == [
        ("missing-service-account", "warning", spec_line, 1, spec_line, 5)]
    assert found[0].message.startswith("Workflow has no serviceAccountName")
    assert found[0].path == "/spec"

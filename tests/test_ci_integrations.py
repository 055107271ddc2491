"""The CI integrations, exercised by running their commands: the composite GitHub Action
(action.yml) step by step as the runner would, and the GitLab CI snippet of the README."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from xml.etree import ElementTree as ET

import pytest
from conftest import ROOT
from ruamel.yaml import YAML

BAD = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: ci-
spec:
  entrypoint: mian
  serviceAccountName: runner
  templates:
    - name: main
      container:
        image: alpine:3.20
"""
ERROR = "manifests/wf.yaml:6:15"  # the entrypoint `mian`

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _input(expression: str, inputs: dict) -> str:
    name = expression.removeprefix("inputs.")
    assert name in inputs, f"action.yml uses an undeclared input: {expression}"
    return inputs[name]


def _condition(condition: str, inputs: dict) -> bool:
    """The `if:` expressions action.yml uses: `always()`, `inputs.X == 'v'`, `inputs.X != ''`,
    joined by `&&`."""
    body = _EXPRESSION.fullmatch(condition.strip())
    terms = (body.group(1) if body else condition).split("&&")
    for term in (t.strip() for t in terms):
        if term == "always()":
            continue
        m = re.fullmatch(r"(inputs\.[\w-]+)\s*(==|!=)\s*'([^']*)'", term)
        assert m, f"unsupported condition in action.yml: {term}"
        value = _input(m.group(1), inputs)
        if (value == m.group(3)) != (m.group(2) == "=="):
            return False
    return True


def _action_inputs(action: dict, given: dict) -> dict:
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    assert set(given) <= set(inputs)
    inputs.update(given)
    return inputs


def _pip_shim(folder) -> str:
    """A `python3` that records `-m pip install ...` (installing for real is the pre-commit
    test's business) and is the test's Python otherwise."""
    shim = folder / "python3"
    shim.write_text(f"""#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "$@" >> "{folder}/pip.log"; exit 0; fi
exec "{sys.executable}" "$@"
""", encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    return str(folder)


def run_action(workdir, shims, given: dict):
    """Run action.yml's steps in `workdir` as a runner would: inputs substituted into `env`
    and `if`, each `run` in bash -eo pipefail, a failing step failing the job (later steps
    run only under `always()`). Returns (steps run: [(name, exit code, stdout)], uses steps
    that would run)."""
    with open(os.path.join(ROOT, "action.yml"), encoding="utf-8") as fh:
        action = YAML(typ="safe").load(fh)
    assert action["runs"]["using"] == "composite"
    inputs = _action_inputs(action, given)
    ran, uses, failed = [], [], False
    for step in action["runs"]["steps"]:
        condition = step.get("if")
        if failed and "always()" not in (condition or ""):
            continue
        if condition is not None and not _condition(condition, inputs):
            continue
        if "uses" in step:
            uses.append((step["uses"], {k: _EXPRESSION.sub(lambda m: _input(m.group(1), inputs), str(v))
                                        for k, v in step.get("with", {}).items()}))
            continue
        assert step["shell"] == "bash"
        env = {**os.environ, "GITHUB_ACTION_PATH": ROOT, "NO_COLOR": "1",
               "PATH": os.pathsep.join([shims, os.path.dirname(sys.executable), os.environ["PATH"]])}
        env.update({k: _EXPRESSION.sub(lambda m: _input(m.group(1), inputs), str(v))
                    for k, v in step.get("env", {}).items()})
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=workdir,
                              env=env, capture_output=True, text=True, timeout=120)
        ran.append((step["name"], proc.returncode, proc.stdout))
        failed = failed or proc.returncode != 0
    return ran, uses


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "wf.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "shims").mkdir()
    return tmp_path


def test_github_action_annotates_fails_and_uploads_sarif(workdir):
    shims = _pip_shim(workdir / "shims")
    ran, uses = run_action(workdir, shims, {"paths": "manifests/", "sarif-file": "argolint.sarif",
                                            "upload-sarif": "true"})
    assert [(name, code) for name, code, _ in ran] == [("Install argolint", 0), ("Write SARIF", 0), ("Lint", 1)]
    pip = (workdir / "shims" / "pip.log").read_text(encoding="utf-8").split()
    assert pip[:3] == ["-m", "pip", "install"] and pip[-1] == ROOT  # the action's own checkout
    lint_out = ran[2][2]
    assert lint_out.startswith("::error file=manifests/wf.yaml,line=6,col=15,endLine=6,endColumn=19,"
                               "title=unknown-template::entrypoint 'mian' is not a template")
    log = json.loads((workdir / "argolint.sarif").read_text(encoding="utf-8"))
    (result,) = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "manifests/wf.yaml", "uriBaseId": "%SRCROOT%"}
    assert uses == [("github/codeql-action/upload-sarif@v3", {"sarif_file": "argolint.sarif",
                                                              "category": "argolint"})]


def test_github_action_defaults_and_version_input(workdir):
    (workdir / "manifests" / "wf.yaml").write_text(BAD.replace("mian", "main"), encoding="utf-8")
    shims = _pip_shim(workdir / "shims")
    ran, uses = run_action(workdir, shims, {"version": "argolint==0.1.0", "args": "--strict"})
    assert [(name, code) for name, code, _ in ran] == [("Install argolint", 0), ("Lint", 0)]
    assert ran[1][2] == ""  # no annotation for a clean manifest
    assert (workdir / "shims" / "pip.log").read_text(encoding="utf-8").split()[-1] == "argolint==0.1.0"
    assert uses == []


def _gitlab_snippet() -> dict:
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    block = re.search(r"```yaml\n# \.gitlab-ci\.yml\n(.*?)```", readme, re.S)
    assert block, "the README has no .gitlab-ci.yml snippet"
    return YAML(typ="safe").load(block.group(1))


def test_gitlab_ci_snippet_of_the_readme(workdir):
    job = _gitlab_snippet()["argolint"]
    reports = job["artifacts"]["reports"]
    assert job["artifacts"]["when"] == "always"
    env = {**os.environ, "NO_COLOR": "1",
           "PATH": os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]])}
    codes = []
    for line in job["script"]:
        if line.startswith("pip install"):
            assert "argolint" in line
            continue  # installing is the pre-commit test's business
        codes.append(subprocess.run(["sh", "-c", line], cwd=workdir, env=env, capture_output=True,
                                    timeout=120).returncode)
    assert codes == [0, 1]  # the report is written whatever is found; the JUnit step fails the job
    issues = json.loads((workdir / reports["codequality"]).read_text(encoding="utf-8"))
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("unknown-template", "manifests/wf.yaml", 6)]
    suites = ET.parse(workdir / reports["junit"]).getroot()
    assert suites.tag == "testsuites" and suites.get("failures") == "1"

"""The formats for the systems that consume them (issue 17): SARIF against the official
2.1.0 schema, GitLab Code Quality, JUnit XML, JSON Lines, and `--statistics`."""

from __future__ import annotations

import json
import os
import subprocess
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from conftest import ROOT

from argolint.config import Config
from argolint.lint.runner import build_project, lint_project
from argolint.report import render
from argolint.report.sarif import rule_name
from argolint.rules import RULES

# The SARIF 2.1.0 JSON schema as Microsoft's SARIF Multitool 5.7.0 ships it (npm
# @microsoft/sarif-multitool-linux, MIT licence).
SARIF_SCHEMA = os.path.join(ROOT, "tests", "data", "sarif-2.1.0.json")

# Errors at 9:13 (unknown template `pirnt`) and 12:17 (a dependency on `ghost`); a warning at
# 5:1 (no serviceAccountName, at `spec`).
MANIFEST = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: fmt
spec:
  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - name: a
            template: pirnt
          - name: b
            depends: ghost
            template: print
    - name: print
      container:
        image: busybox:1.36
"""

SELECT = ["unknown-template", "missing-service-account", "dangling-dependency"]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository (a bare `.git` folder is enough: no git subprocess is run) holding
    the manifest in `flows/`; the run starts in `flows/`."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "wf.yaml").write_text(MANIFEST, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "flows")
    return tmp_path


def result_of(*paths):
    config = Config(select=SELECT)
    return lint_project(build_project(list(paths), config), config)


def test_sarif_validates_against_the_official_schema_with_repo_relative_uris(repo):
    with open(SARIF_SCHEMA, encoding="utf-8") as fh:
        schema = json.load(fh)
    log = json.loads(render(result_of("wf.yaml"), "sarif"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.as_uri() + "/"}}
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    # relative to the repository root although the run started in flows/
    assert locations == [{"uri": "flows/wf.yaml", "uriBaseId": "%SRCROOT%"}] * 3
    for meta, rule in zip(driver["rules"], RULES):
        assert meta["name"] != meta["id"] and meta["name"][0].isupper() and "-" not in meta["name"]
        assert meta["helpUri"].startswith("https://") and meta["help"]["markdown"] == rule.doc()
        assert meta["properties"]["precision"] in ("very-high", "high", "medium", "low")
        assert meta["properties"]["problem.severity"] in ("error", "warning", "recommendation")
        assert isinstance(meta["properties"]["tags"], list)
    assert rule_name("unknown-template") == "UnknownTemplate"


def test_sarif_fingerprints_survive_a_line_shift(repo):
    before = json.loads(render(result_of("wf.yaml"), "sarif"))["runs"][0]["results"]
    (repo / "flows" / "wf.yaml").write_text("# a comment added on top\n\n" + MANIFEST, encoding="utf-8")
    after = json.loads(render(result_of("wf.yaml"), "sarif"))["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before] == [5, 12, 14]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [7, 14, 16]
    prints = [r["partialFingerprints"]["argolint/v1"] for r in before]
    assert prints == [r["partialFingerprints"]["argolint/v1"] for r in after]
    assert len(set(prints)) == 3


# GitLab Code Quality: "The Code Quality report artifact must be a JSON file containing an array
# of objects" with description, check_name, fingerprint, severity and location.path plus
# location.lines.begin (or location.positions.begin.line) (GitLab docs, "Code Quality report format").
GITLAB_CODE_QUALITY = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {"type": "object", "required": ["path", "lines"], "properties": {
                "path": {"type": "string", "pattern": "^[^/]"},
                "lines": {"type": "object", "required": ["begin"],
                          "properties": {"begin": {"type": "integer", "minimum": 1}}}}},
        },
    },
}


def test_gitlab_code_quality(repo):
    issues = json.loads(render(result_of("wf.yaml"), "gitlab"))
    jsonschema.validate(issues, GITLAB_CODE_QUALITY)
    assert [(i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"])
            for i in issues] == [("missing-service-account", "minor", "flows/wf.yaml", 5),
                                 ("unknown-template", "major", "flows/wf.yaml", 12),
                                 ("dangling-dependency", "major", "flows/wf.yaml", 14)]
    assert issues[1]["description"].startswith("task 'a' template 'pirnt' is not a template")
    assert len({i["fingerprint"] for i in issues}) == 3


def test_junit_one_suite_per_file_and_a_failure_per_diagnostic(repo):
    (repo / "flows" / "clean.yaml").write_text(MANIFEST.replace("pirnt", "print").replace("depends: ghost",
                                                                                        "depends: a"),
                                               encoding="utf-8")
    root = ET.fromstring(render(result_of("wf.yaml", "clean.yaml"), "junit"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("4", "4")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"wf.yaml", "clean.yaml"}
    bad = suites["wf.yaml"]
    assert (bad.get("tests"), bad.get("failures")) == ("3", "3")
    cases = bad.findall("testcase")
    assert [c.get("name") for c in cases] == ["missing-service-account at 5:1", "unknown-template at 12:23",
                                              "dangling-dependency at 14:22"]
    failure = cases[1].find("failure")
    assert failure.get("type") == "error"
    assert failure.get("message").startswith("task 'a' template 'pirnt'")
    clean = suites["clean.yaml"]
    assert clean.get("failures") == "1"  # the missing service account, a warning
    assert [c.get("name") for c in clean.findall("testcase")] == ["missing-service-account at 5:1"]


def test_junit_clean_file_is_a_passing_case(repo):
    root = ET.fromstring(render(lint_project(build_project(["wf.yaml"], Config(select=["duplicate-name"])),
                                             Config(select=["duplicate-name"])), "junit"))
    (suite,) = root.findall("testsuite")
    (case,) = suite.findall("testcase")
    assert case.find("failure") is None and suite.get("failures") == "0"


def test_json_lines_one_object_per_line_with_the_json_fields(repo):
    result = result_of("wf.yaml")
    lines = render(result, "json-lines").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(render(result, "json"))["diagnostics"]
    assert len(lines) == 3


def test_sarif_upload_shape_is_accepted_by_the_multitool_when_installed(repo, tmp_path):
    """Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool) when it is on PATH;
    the schema test above covers the same ground without it."""
    tool = __import__("shutil").which("sarif-multitool") or __import__("shutil").which("sarif")
    if tool is None:
        pytest.skip("the SARIF Multitool is not installed (npm i -g @microsoft/sarif-multitool)")
    log = tmp_path / "out.sarif"
    log.write_text(render(result_of("wf.yaml"), "sarif"), encoding="utf-8")
    report = tmp_path / "validation.sarif"
    subprocess.run([tool, "validate", str(log), "--output", str(report)], check=True, capture_output=True,
                   timeout=120)
    findings = json.loads(report.read_text(encoding="utf-8"))["runs"][0].get("results", [])
    assert [f for f in findings if f.get("level", "warning") in ("error", "warning")] == []

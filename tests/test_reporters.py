"""The four output formats: text, json (DESIGN §3), sarif (GitHub code scanning), github."""

from __future__ import annotations

import json
import os
import re

import jsonschema
import pytest

from argolint.config import Config
from argolint.diagnostics import Diagnostic, Severity
from argolint.load.positions import SourceText
from argolint.report import LintResult, render
from argolint.rules import RULES
from argolint.lint.runner import build_project, lint_project

# Errors at 7:11 (onExit) and 12:23 (a step's template), a warning at 5:1 (no service account).
PROBLEMS = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
spec:
  entrypoint: main
  onExit: cleanup
  templates:
    - name: main
      steps:
        - - name: say
            template: pirnt
        - - name: again
            template: print
    - name: print
      container:
        image: busybox:1.36
"""

CLEAN = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: clean
spec:
  entrypoint: main
  serviceAccountName: argo-workflow
  templates:
    - name: main
      container:
        image: busybox:1.36
"""

SELECTED = ["unknown-template", "missing-service-account"]


def like(expected: str, actual: str) -> bool:
    """`actual` equals `expected` where "…" in `expected` stands for any text within a line."""
    return re.fullmatch("[^\n]*".join(map(re.escape, expected.split("…"))), actual) is not None


@pytest.fixture
def result(tmp_path, monkeypatch):
    """PROBLEMS in z.yaml and CLEAN in a.yaml, linted from their folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "z.yaml").write_text(PROBLEMS, encoding="utf-8")
    (tmp_path / "a.yaml").write_text(CLEAN, encoding="utf-8")
    config = Config(select=SELECTED)
    return lint_project(build_project(["z.yaml", "a.yaml"], config), config)


def hand_made(text: str, file: str = "wf.yaml", **fields) -> LintResult:
    values = dict(rule="unknown-template", severity=Severity.ERROR, message="m", file=file,
                  line=1, column=1, end_line=1, end_column=2)
    values.update(fields)
    return LintResult([Diagnostic(**values)], 1, {file: SourceText(text)})


# --- text ------------------------------------------------------------------------------------


def test_text(result):
    assert like("""\
z.yaml:5:1: warning: Workflow has no serviceAccountName…[missing-service-account]
  |
5 | spec:
  | ^^^^
z.yaml:7:11: error: onExit handler 'cleanup' is not a template of this workflow; templates here: 'main', 'print' [unknown-template]
  |
7 |   onExit: cleanup
  |           ^^^^^^^
z.yaml:12:23: error: step 'say' template 'pirnt' is not a template of this workflow; did you mean 'print'? [unknown-template]
   |
12 |             template: pirnt
   |                       ^^^^^
Found 2 errors, 1 warning in 2 files.
""", render(result, "text"))


def test_text_in_colour(result):
    lines = render(result, "text", color=True).splitlines()
    assert like("\033[1mz.yaml:5:1:\033[0m \033[1;33mwarning:\033[0m Workflow has no serviceAccountName… "
                "\033[2m[missing-service-account]\033[0m", lines[0])
    assert lines[3] == "  | \033[1;33m^^^^\033[0m"
    assert lines[4].startswith("\033[1mz.yaml:7:11:\033[0m \033[1;31merror:\033[0m onExit handler")
    assert lines[7] == "  | \033[1;31m          ^^^^^^^\033[0m"


def test_text_clean():
    assert render(LintResult([], 3), "text") == "No problems in 3 files.\n"
    assert render(LintResult([], 1), "text") == "No problems in 1 file.\n"


def test_text_caret_keeps_tabs_and_stops_at_the_end_of_a_multi_line_span():
    text = "a:\n\tkey: [one,\n  two]\n"
    shown = render(hand_made(text, line=2, column=7, end_line=3, end_column=7, hint="h"), "text")
    assert shown == (
        "wf.yaml:2:7: error: m; h [unknown-template]\n"
        "  |\n"
        "2 | \tkey: [one,\n"
        "  | \t     ^^^^^\n"
        "Found 1 error in 1 file.\n")


def test_text_without_a_source_line_has_no_snippet():
    shown = render(hand_made("a: 1\n\n", line=2, column=1, end_line=2, end_column=1), "text")
    assert shown == "wf.yaml:2:1: error: m [unknown-template]\nFound 1 error in 1 file.\n"


# --- json ------------------------------------------------------------------------------------

JSON_FIELDS = ["rule", "severity", "message", "hint", "file", "line", "column", "end_line", "end_column",
               "document", "kind", "name", "path"]


def test_json(result):
    report = json.loads(render(result, "json"))
    assert list(report) == ["version", "tool", "tool_version", "files", "diagnostics", "summary"]
    assert report["version"] == 1
    assert report["tool"] == "argolint"
    assert report["tool_version"] == __import__("argolint").__version__
    assert report["files"] == 2
    assert report["summary"] == {"error": 2, "warning": 1, "info": 0}
    for d in report["diagnostics"]:
        assert list(d) == JSON_FIELDS
    warning, on_exit, step = report["diagnostics"]
    assert warning["message"].startswith("Workflow has no serviceAccountName")
    assert on_exit == {
        "rule": "unknown-template", "severity": "error",
        "message": "onExit handler 'cleanup' is not a template of this workflow",
        "hint": "templates here: 'main', 'print'",
        "file": "z.yaml", "line": 7, "column": 11, "end_line": 7, "end_column": 18,
        "document": 0, "kind": "Workflow", "name": "hello-", "path": "/spec/onExit",
    }
    assert step == {
        "rule": "unknown-template", "severity": "error",
        "message": "step 'say' template 'pirnt' is not a template of this workflow",
        "hint": "did you mean 'print'?",
        "file": "z.yaml", "line": 12, "column": 23, "end_line": 12, "end_column": 28,
        "document": 0, "kind": "Workflow", "name": "hello-", "path": "/spec/templates/0/steps/0/0/template",
    }


def test_json_null_hint_and_sort_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    warn = CLEAN.replace("  serviceAccountName: argo-workflow\n", "")
    (tmp_path / "b.yaml").write_text(warn + "---\n" + PROBLEMS, encoding="utf-8")
    (tmp_path / "a.yaml").write_text(warn, encoding="utf-8")
    config = Config(select=SELECTED, severity={"missing-service-account": "info"})
    report = json.loads(render(lint_project(build_project(["b.yaml", "a.yaml"], config), config), "json"))
    assert [(d["file"], d["line"], d["column"], d["rule"], d["severity"], d["document"])
            for d in report["diagnostics"]] == [
        ("a.yaml", 5, 1, "missing-service-account", "info", 0),
        ("b.yaml", 5, 1, "missing-service-account", "info", 0),
        ("b.yaml", 16, 1, "missing-service-account", "info", 1),
        ("b.yaml", 18, 11, "unknown-template", "error", 1),
        ("b.yaml", 23, 23, "unknown-template", "error", 1),
    ]
    assert report["summary"] == {"error": 2, "warning": 0, "info": 3}
    hand = json.loads(render(hand_made("a: 1\n"), "json"))["diagnostics"][0]
    assert hand["hint"] is None and hand["path"] is None


def test_json_clean():
    assert json.loads(render(LintResult([], 0), "json")) == {
        "version": 1, "tool": "argolint", "tool_version": __import__("argolint").__version__, "files": 0,
        "diagnostics": [], "summary": {"error": 0, "warning": 0, "info": 0}}


# --- sarif -----------------------------------------------------------------------------------

# What GitHub code scanning needs of a SARIF upload (docs/ecosystem.md, section e).
_TEXT = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}}
_POSITIVE = {"type": "integer", "minimum": 1}
SARIF_ESSENTIALS = {
    "type": "object",
    "required": ["version", "$schema", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string", "pattern": "sarif-2\\.1\\.0"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["tool", "results"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object",
                    "required": ["name", "version", "rules"],
                    "properties": {
                        "name": {"const": "argolint"},
                        "rules": {"type": "array", "items": {
                            "type": "object",
                            "required": ["id", "shortDescription", "help", "defaultConfiguration"],
                            "properties": {
                                "id": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
                                "shortDescription": _TEXT, "fullDescription": _TEXT, "help": _TEXT,
                                "defaultConfiguration": {"type": "object", "required": ["level"], "properties": {
                                    "level": {"enum": ["error", "warning", "note"]}}},
                            }}},
                    }}}},
                "results": {"type": "array", "items": {
                    "type": "object",
                    "required": ["ruleId", "level", "message", "locations"],
                    "properties": {
                        "ruleId": {"type": "string"},
                        "ruleIndex": {"type": "integer", "minimum": 0},
                        "level": {"enum": ["error", "warning", "note"]},
                        "message": _TEXT,
                        "locations": {"type": "array", "minItems": 1, "items": {
                            "type": "object", "required": ["physicalLocation"], "properties": {
                                "physicalLocation": {
                                    "type": "object", "required": ["artifactLocation", "region"], "properties": {
                                        "artifactLocation": {"type": "object", "required": ["uri"], "properties": {
                                            "uri": {"type": "string", "minLength": 1}}},
                                        "region": {"type": "object",
                                                   "required": ["startLine", "startColumn", "endLine", "endColumn"],
                                                   "properties": {"startLine": _POSITIVE, "startColumn": _POSITIVE,
                                                                  "endLine": _POSITIVE, "endColumn": _POSITIVE}},
                                    }}}}},
                    }}},
            }}},
    },
}


def sarif_of(result) -> dict:
    log = json.loads(render(result, "sarif"))
    jsonschema.validate(log, SARIF_ESSENTIALS)
    return log


def test_sarif(result):
    log = sarif_of(result)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["version"] == __import__("argolint").__version__
    assert [r["id"] for r in driver["rules"]] == [r.id for r in RULES]
    for meta, rule in zip(driver["rules"], RULES):
        assert meta["shortDescription"]["text"] == rule.summary()
        assert meta["help"]["text"] == rule.doc()
        assert meta["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning",
                                                         "info": "note"}[rule.severity.value]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("missing-service-account", "warning"), ("unknown-template", "error"), ("unknown-template", "error")]
    for r in results:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    assert results[2]["message"]["text"] == ("step 'say' template 'pirnt' is not a template of this workflow; "
                                             "did you mean 'print'?")
    assert results[2]["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "z.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12, "startColumn": 23, "endLine": 12, "endColumn": 28}}}]


def test_sarif_tags_rules_with_their_category_and_ranks_security_rules():
    driver = sarif_of(LintResult([], 1))["runs"][0]["tool"]["driver"]
    meta = {m["id"]: m["properties"] for m in driver["rules"]}
    assert meta["unknown-template"] == {"tags": ["argo-workflows", "correctness"], "precision": "high",
                                        "problem.severity": "error"}
    assert meta["privileged-container"] == {"tags": ["argo-workflows", "security"], "precision": "high",
                                            "problem.severity": "error", "security-severity": "9.0"}
    assert meta["template-injection"]["tags"] == ["argo-workflows", "security"]
    assert meta["template-injection"]["security-severity"] == "9.0"
    assert meta["unpinned-image"] == {"tags": ["argo-workflows", "best-practice"], "precision": "high",
                                      "problem.severity": "warning"}


def test_sarif_clean_run_still_describes_the_rules():
    log = sarif_of(LintResult([], 1))
    assert log["runs"][0]["results"] == []
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == len(RULES)


def test_sarif_uris_and_levels(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outside = os.path.join(os.path.dirname(str(tmp_path)), "elsewhere dir", "wf.yaml")
    cases = [("sub dir/wf.yaml", "sub%20dir/wf.yaml"), (str(tmp_path / "x" / "wf.yaml"), "x/wf.yaml"),
             (outside, "file://" + outside.replace(" ", "%20")), ("-", "stdin")]
    for path, uri in cases:
        log = sarif_of(hand_made("a: 1\n", file=path, severity=Severity.INFO, line=1, column=4, end_column=4))
        result = log["runs"][0]["results"][0]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
        assert result["level"] == "note"
        # an empty span still covers one character: code scanning rejects empty regions
        assert result["locations"][0]["physicalLocation"]["region"] == {
            "startLine": 1, "startColumn": 4, "endLine": 1, "endColumn": 5}


# --- github ----------------------------------------------------------------------------------


def test_github(result):
    lines = render(result, "github").splitlines()
    assert len(lines) == 3
    assert like("::warning file=z.yaml,line=5,col=1,endLine=5,endColumn=5,title=missing-service-account::"
                "Workflow has no serviceAccountName: …", lines[0])
    assert lines[1:] == [
        "::error file=z.yaml,line=7,col=11,endLine=7,endColumn=18,title=unknown-template::onExit handler 'cleanup' "
        "is not a template of this workflow; templates here: 'main', 'print'",
        "::error file=z.yaml,line=12,col=23,endLine=12,endColumn=28,title=unknown-template::step 'say' template "
        "'pirnt' is not a template of this workflow; did you mean 'print'?",
    ]


def test_github_escaping_and_notice():
    shown = render(hand_made("a: 1\n", file="dir/a,b:c%.yaml", severity=Severity.INFO,
                             message="100% done: a, b\nnext\r\nline", hint="try x:y"), "github")
    assert shown == ("::notice file=dir/a%2Cb%3Ac%25.yaml,line=1,col=1,endLine=1,endColumn=2,title=unknown-template"
                     "::100%25 done: a, b%0Anext%0D%0Aline; try x:y\n")


def test_github_clean():
    assert render(LintResult([], 2), "github") == ""

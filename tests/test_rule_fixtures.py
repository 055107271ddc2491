"""Every fixture under fixtures/rules/<rule-id>/: pass-*.yaml give no diagnostic of that
rule; fail-*.yaml give exactly the diagnostics of that rule listed in fail-*.expected
(`LINE:COLUMN: RULE-ID [MESSAGE-SUBSTRING]`). fixtures/projects/<case>/ is linted as one
invocation and compared, every rule included, with its `expected` file
(`FILE:LINE:COLUMN: RULE-ID [MESSAGE-SUBSTRING]`). A folder may hold `.argolint.yaml`.
"""

from __future__ import annotations

import glob
import os

import pytest
from conftest import FIXTURES
from helpers import config_for, lint

RULE_DIR = os.path.join(FIXTURES, "rules")
PROJECT_DIR = os.path.join(FIXTURES, "projects")


def _cases(prefix):
    out = []
    for path in sorted(glob.glob(os.path.join(RULE_DIR, "*", f"{prefix}-*"))):
        if path.endswith((".yaml", ".yml", ".json")):
            out.append(pytest.param(path, id=os.path.relpath(path, RULE_DIR)))
    return out


def _parse_expected(path, with_file=False):
    expected = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            head, _, rest = line.partition(": ")
            rule, _, substring = rest.partition(" ")
            expected.append((head, rule, substring))
    return expected


def _matches(diagnostics, expected, describe):
    found = [(describe(d), d.rule, d.message + (f"; {d.hint}" if d.hint else "")) for d in diagnostics]
    remaining = list(found)
    missing = []
    for where, rule, substring in expected:
        match = next((f for f in remaining if f[0] == where and f[1] == rule and substring in f[2]), None)
        if match is None:
            missing.append(f"{where}: {rule} {substring}".rstrip())
        else:
            remaining.remove(match)
    return missing, [f"{w}: {r} {m}" for w, r, m in remaining]


@pytest.mark.parametrize("path", _cases("pass"))
def test_pass_fixture(path):
    rule = os.path.basename(os.path.dirname(path))
    folder = os.path.dirname(path)
    found = [d for d in lint(path, config=config_for(folder)) if d.rule == rule]
    assert not found, "\n".join(f"{d.line}:{d.column}: {d.rule} {d.message}" for d in found)


@pytest.mark.parametrize("path", _cases("fail"))
def test_fail_fixture(path):
    rule = os.path.basename(os.path.dirname(path))
    folder = os.path.dirname(path)
    expected_path = os.path.splitext(path)[0] + ".expected"
    assert os.path.exists(expected_path), f"{expected_path} is missing"
    expected = _parse_expected(expected_path)
    assert expected, f"{expected_path} lists no diagnostic"
    assert all(r == rule for _, r, _ in expected), f"{expected_path} names rules other than {rule}"
    found = [d for d in lint(path, config=config_for(folder)) if d.rule == rule]
    missing, unexpected = _matches(found, expected, lambda d: f"{d.line}:{d.column}")
    assert not missing and not unexpected, f"missing: {missing}\nunexpected: {unexpected}"


def _projects():
    if not os.path.isdir(PROJECT_DIR):
        return []
    return [pytest.param(os.path.join(PROJECT_DIR, c), id=c) for c in sorted(os.listdir(PROJECT_DIR))
            if os.path.isdir(os.path.join(PROJECT_DIR, c))]


@pytest.mark.parametrize("folder", _projects())
def test_project_fixture(folder):
    expected = _parse_expected(os.path.join(folder, "expected"))
    found = lint(folder, config=config_for(folder))
    missing, unexpected = _matches(
        found, expected, lambda d: f"{os.path.relpath(d.file, folder)}:{d.line}:{d.column}")
    assert not missing and not unexpected, f"missing: {missing}\nunexpected: {unexpected}"

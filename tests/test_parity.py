"""docs/argo-parity.md answers, for every check of Argo's validator (the IDs of
argo-lint-checks.md, copied into tests/data/argo-lint-check-ids.txt), what argolint does:
every ID has one row; a row is covered, different or not applicable, never missing; and a
covered row names fail and pass fixtures that exist, of a rule the row names."""

from __future__ import annotations

import os
import re

from conftest import FIXTURES

ROOT = os.path.dirname(FIXTURES)
PARITY = os.path.join(ROOT, "docs", "argo-parity.md")
IDS = os.path.join(os.path.dirname(__file__), "data", "argo-lint-check-ids.txt")
STATUSES = ("covered", "different", "not applicable")

_ROW = re.compile(r"^\| ([A-Z][A-Z0-9-]+) \| ([^|]+?) \| ([^|]*?) \| (.*) \|$")
_FIXTURE = re.compile(r"`(fixtures/[^`]+\.(?:yaml|yml|json))`")
_RULE = re.compile(r"`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`")


def _ids() -> list[str]:
    with open(IDS, encoding="utf-8") as fh:
        return [line.strip() for line in fh if line.strip() and not line.startswith("#")]


def _rows() -> dict:
    rows: dict = {}
    with open(PARITY, encoding="utf-8") as fh:
        for line in fh:
            m = _ROW.match(line.rstrip("\n"))
            if m:
                check, status, rules, rest = m.groups()
                assert check not in rows, f"{check} has two rows"
                rows[check] = (status, _RULE.findall(rules), _FIXTURE.findall(rest))
    return rows


def test_the_id_list_is_the_inventory():
    ids = _ids()
    assert len(ids) == len(set(ids)) == 162  # 144 table rows; 9 name rows stand for 3 checks each
    assert {"LINT-UNKNOWN-FIELD", "NAME-TASK-DUP", "VAR-UNRESOLVED-OUTPUTS"} <= set(ids)


def test_every_check_has_a_row_and_every_row_a_check():
    ids, rows = _ids(), _rows()
    assert [c for c in ids if c not in rows] == []
    assert [c for c in rows if c not in ids] == []


def test_no_row_is_missing():
    bad = {c: status for c, (status, _, _) in _rows().items() if status not in STATUSES}
    assert bad == {}


def test_covered_rows_name_fixtures_that_exist():
    problems = []
    for check, (status, rules, fixtures) in _rows().items():
        if status != "covered":
            continue
        fails = [f for f in fixtures if os.path.basename(f).startswith("fail-")]
        passes = [f for f in fixtures if os.path.basename(f).startswith("pass-")]
        if not fails or not passes:
            problems.append(f"{check}: needs a fail and a pass fixture")
        for fixture in fixtures:
            path = os.path.join(ROOT, fixture)
            if not os.path.exists(path):
                problems.append(f"{check}: {fixture} does not exist")
            elif fixture in fails and not os.path.exists(os.path.splitext(path)[0] + ".expected"):
                problems.append(f"{check}: {fixture} has no .expected")
        if fails and not any(f.split("/")[2] in rules for f in fails):
            problems.append(f"{check}: no fail fixture of its rules {rules}")
    assert problems == []

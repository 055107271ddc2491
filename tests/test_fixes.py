"""`argolint --fix` and friends: before/after fixture pairs compared byte for byte, edits
applied to the original bytes (CRLF, BOM, UTF-16, overlaps), the CLI's flags and exit
codes, `--add-ignore`, and the fix loop's properties on the upstream examples."""

from __future__ import annotations

import glob
import os
import shutil

import pytest
from conftest import CORPUS, FIXTURES
from helpers import run_cli

from argolint.diagnostics import Edit, Span
from argolint.lint.fix import apply_edits, first_of_each_overlap
from argolint.rules import RULES
from argolint.rules.fixes import FIXES

FIXES_DIR = os.path.join(FIXTURES, "fixes")
PAIRS = sorted(p for p in glob.glob(os.path.join(FIXES_DIR, "*", "*.yaml"))
               if not p.endswith((".fixed.yaml", ".argolint.yaml")))


def _flags(fixture: str) -> list:
    """`unsafe-*.yaml` fixtures are fixed with --unsafe-fixes; `NAME.argolint.yaml` beside
    one is its configuration."""
    flags = ["--unsafe-fixes"] if os.path.basename(fixture).startswith("unsafe-") else []
    config = fixture[:-len(".yaml")] + ".argolint.yaml"
    return flags + (["--config", config] if os.path.exists(config) else [])


# -- fixture pairs -----------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", PAIRS, ids=lambda p: os.path.relpath(p, FIXES_DIR))
def test_fix_turns_the_fixture_into_its_fixed_version_byte_for_byte(fixture, tmp_path, cli):
    work = tmp_path / os.path.basename(fixture)
    shutil.copyfile(fixture, work)
    with open(fixture[:-len(".yaml")] + ".fixed.yaml", "rb") as fh:
        expected = fh.read()
    cli("--fix", *_flags(fixture), work.name, cwd=tmp_path)
    assert work.read_bytes() == expected
    cli("--fix", *_flags(fixture), work.name, cwd=tmp_path)  # fixing twice changes nothing
    assert work.read_bytes() == expected
    code, out, _ = cli("--diff", *_flags(fixture), work.name, cwd=tmp_path)
    assert (code, out) == (0, "")


def test_every_rule_with_a_fix_has_fixture_pairs():
    ids = {r.id for r in RULES}
    assert set(FIXES) <= ids
    assert {kind for kind, _ in FIXES.values()} == {"safe", "unsafe"}
    for rule_id in FIXES:
        pairs = [p for p in PAIRS if os.path.basename(os.path.dirname(p)) == rule_id]
        assert pairs, f"fixtures/fixes/{rule_id}/ has no before/after pair"
    assert {os.path.basename(os.path.dirname(p)) for p in PAIRS} <= ids


# -- edits on bytes ----------------------------------------------------------------------------


def _edit(line, column, end_line, end_column, text, safe=True):
    return Edit(Span(line, column, end_line, end_column), text, "t", safe)


def test_positions_are_the_loaders_on_crlf_text_with_a_bom():
    data = "\ufeffa: 1\r\nb: café\r\nc: 3\r\n".encode("utf-8")
    # line 2, columns 4-8 is "café"; the inserted "\n" becomes the file's "\r\n"
    fixed, applied = apply_edits(data, [_edit(2, 4, 2, 8, "tea"), _edit(3, 1, 3, 1, "x: 0\n")])
    assert fixed == "\ufeffa: 1\r\nb: tea\r\nx: 0\r\nc: 3\r\n".encode("utf-8")
    assert len(applied) == 2


def test_utf16_and_lone_cr_files_keep_their_encoding_and_line_breaks():
    data = "\ufeffa: 1\nb: 2\n".encode("utf-16-le")
    assert apply_edits(data, [_edit(2, 4, 2, 5, "3")])[0] == "\ufeffa: 1\nb: 3\n".encode("utf-16-le")
    assert apply_edits(b"a: 1\rb: 2\r", [_edit(2, 1, 2, 1, "z: 0\n")])[0] == b"a: 1\rz: 0\rb: 2\r"


def test_overlapping_edits_apply_the_first_of_each_group_and_equal_ones_once():
    data = b"name: abcdef\n"
    first, inside, after = _edit(1, 7, 1, 10, "X"), _edit(1, 8, 1, 12, "Y"), _edit(1, 12, 1, 13, "Z")
    fixed, applied = apply_edits(data, [inside, after, first, first])
    assert fixed == b"name: XdeZ\n"
    assert applied == [first, after]
    two_inserts = [_edit(1, 1, 1, 1, "a"), _edit(1, 1, 1, 1, "b")]
    assert first_of_each_overlap(two_inserts, lambda line, column: column - 1) == two_inserts[:1]


# -- the command line --------------------------------------------------------------------------

TYPO = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: typo-
spec:
  serviceAccountName: runner
  entrypoint: mian
  templates:
  - name: main
    container: {image: alpine:3.20}
"""


def test_diff_prints_the_change_exits_1_and_writes_nothing(tmp_path, cli):
    (tmp_path / "wf.yaml").write_text(TYPO)
    code, out, err = cli("--diff", "wf.yaml", cwd=tmp_path)
    assert code == 1
    assert out == ("--- a/wf.yaml\n+++ b/wf.yaml\n@@ -4,7 +4,7 @@\n   generateName: typo-\n spec:\n"
                   "   serviceAccountName: runner\n-  entrypoint: mian\n+  entrypoint: main\n   templates:\n"
                   "   - name: main\n     container: {image: alpine:3.20}\n")
    assert err == "argolint: 1 fix would change 1 file\n"
    assert (tmp_path / "wf.yaml").read_text() == TYPO


def test_fix_exits_0_when_what_is_left_is_below_error(tmp_path, cli):
    (tmp_path / "wf.yaml").write_text(TYPO.replace("  serviceAccountName: runner\n", ""))
    code, out, err = cli("--fix", "--format", "json", "wf.yaml", cwd=tmp_path)
    assert code == 0
    assert '"rule": "missing-service-account"' in out and '"unknown-template"' not in out
    assert err == "argolint: fixed 1 problem in 1 file; 1 more can be fixed with --unsafe-fixes\n"
    assert "  entrypoint: main\n" in (tmp_path / "wf.yaml").read_text()


def test_fix_exits_1_when_an_error_is_left_and_fix_only_reports_nothing(tmp_path, cli):
    text = TYPO.replace("  entrypoint: mian\n", "  entrypoint: zzzzzz\n")  # no close name: no fix
    (tmp_path / "wf.yaml").write_text(text)
    code, out, _ = cli("--fix", "wf.yaml", cwd=tmp_path)
    assert code == 1 and "[unknown-template]" in out
    code, out, err = cli("--fix-only", "wf.yaml", cwd=tmp_path)
    assert (code, out, err) == (0, "", "argolint: fixed 0 problems in 0 files\n")


def test_fix_on_stdin_writes_the_fixed_text_to_stdout_and_the_report_to_stderr(tmp_path):
    code, out, err = run_cli("--fix", "-", stdin=TYPO.replace("\n", "\r\n").encode(), cwd=tmp_path)
    assert code == 0
    assert out == TYPO.replace("mian", "main").replace("\n", "\r\n")
    assert "No problems in 1 file." in err and "argolint: fixed 1 problem in 1 file" in err


def test_add_ignore_silences_every_diagnostic_and_is_idempotent(tmp_path, cli):
    text = TYPO.replace("  serviceAccountName: runner\n", "").replace(
        "    container: {image: alpine:3.20}\n",
        "    script:\n      image: alpine:3.20\n      sourc: |\n        echo {{inputs.parameters.nope}}\n")
    (tmp_path / "wf.yaml").write_text(text)
    code, _, err = cli("--add-ignore", "wf.yaml", cwd=tmp_path)
    assert (code, err) == (0, "argolint: added 3 suppression comments in 1 file\n")
    assert (tmp_path / "wf.yaml").read_text() == (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: typo-\n"
        "spec:  # argolint: ignore[missing-service-account]\n"
        "  entrypoint: mian  # argolint: ignore[unknown-template]\n  templates:\n  - name: main\n    script:\n"
        "      image: alpine:3.20\n"
        "      # argolint: ignore[unknown-field]\n      sourc: |\n        echo {{inputs.parameters.nope}}\n")
    code, out, _ = cli("--format", "github", "wf.yaml", cwd=tmp_path)
    # inside a block scalar a comment would be part of the script: that one is left
    assert (code, out.count("::")) == (1, 2) and "title=unknown-variable::" in out
    before = (tmp_path / "wf.yaml").read_bytes()
    code, _, err = cli("--add-ignore", "wf.yaml", cwd=tmp_path)
    assert (code, err) == (0, "argolint: added 0 suppression comments in 0 files\n")
    assert (tmp_path / "wf.yaml").read_bytes() == before


def test_sarif_carries_the_fixes(tmp_path, cli):
    import json

    (tmp_path / "wf.yaml").write_text(TYPO)
    _, out, _ = cli("--format", "sarif", "wf.yaml", cwd=tmp_path)
    [result] = json.loads(out)["runs"][0]["results"]
    assert result["fixes"] == [{
        "description": {"text": "Replace with 'main'"},
        "artifactChanges": [{"artifactLocation": {"uri": "wf.yaml", "uriBaseId": "%SRCROOT%"}, "replacements": [{
            "deletedRegion": {"startLine": 7, "startColumn": 15, "endLine": 7, "endColumn": 19},
            "insertedContent": {"text": "main"}}]}],
    }]


def test_fix_service_account_is_a_checked_config_key(tmp_path, cli):
    (tmp_path / ".argolint.yaml").write_text("fix:\n  service-acount: x\n")
    (tmp_path / "wf.yaml").write_text(TYPO)
    code, _, err = cli("wf.yaml", cwd=tmp_path)
    assert code == 2
    assert "'fix.service-acount': unknown key; did you mean 'service-account'?" in err

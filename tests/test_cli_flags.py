"""The flags users bring from ruff and actionlint (issue 17, section 3)."""

from __future__ import annotations

import json

import pytest
from helpers import run_cli

# Two unknown-template errors (11:23 and 13:23) and a missing-service-account warning (5:1).
MANIFEST = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: flags-
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: a
            template: pirnt
          - name: b
            template: prnt
    - name: print
      container:
        image: busybox:1.36
"""
SELECT = "--select=unknown-template,missing-service-account"
FIRST = "wf.yaml:11:23: error: step 'a' template 'pirnt' is not a template of this workflow"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "wf.yaml").write_text(MANIFEST, encoding="utf-8")
    return tmp_path


def test_output_file(cli, folder):
    code, out, _ = cli(SELECT, "-o", "report.json", "--format", "json", "wf.yaml", cwd=folder)
    assert (code, out) == (1, "")
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert [d["rule"] for d in report["diagnostics"]] == ["missing-service-account", "unknown-template",
                                                          "unknown-template"]
    cli(SELECT, "--output-file", "report.txt", "wf.yaml", cwd=folder)
    text = (folder / "report.txt").read_text(encoding="utf-8")
    assert text.splitlines()[4].startswith(FIRST) and "\033[" not in text
    code, out, err = cli("-o", "no/such/folder/report.txt", "wf.yaml", cwd=folder)
    assert (code, out) == (2, "") and err.startswith("argolint: error: no/such/folder/report.txt: ")


def test_statistics(cli, folder):
    code, out, _ = cli(SELECT, "--statistics", "wf.yaml", cwd=folder)
    assert code == 1
    assert out == "2  unknown-template         error\n1  missing-service-account  warning\n"
    code, out, _ = cli(SELECT, "--statistics", "--format", "json", "wf.yaml", cwd=folder)
    assert json.loads(out) == [{"rule": "unknown-template", "severity": "error", "count": 2},
                               {"rule": "missing-service-account", "severity": "warning", "count": 1}]


def test_exit_zero(cli, folder):
    code, out, _ = cli(SELECT, "--exit-zero", "wf.yaml", cwd=folder)
    assert code == 0 and out.endswith("Found 2 errors, 1 warning in 1 file.\n")
    # a usage error still is one
    assert cli("--exit-zero", "missing.yaml", cwd=folder)[0] == 2


def test_quiet_prints_the_diagnostics_and_nothing_else(cli, folder, tmp_path_factory):
    code, out, err = cli(SELECT, "-q", "wf.yaml", cwd=folder)
    assert code == 1 and err == ""
    assert out.splitlines()[-1] == "   | " + " " * 22 + "^^^^"  # the caret under `prnt` (13:23), no summary
    assert cli("-q", "--select=duplicate-name", "wf.yaml", cwd=folder)[1:] == ("", "")
    empty = tmp_path_factory.mktemp("empty")
    assert cli("--quiet", cwd=empty)[1:] == ("", "")


def test_verbose_names_the_configuration_and_context(cli, folder):
    (folder / ".argolint.yaml").write_text("ignore: [unused-template]\n", encoding="utf-8")
    _, _, err = cli("-v", "wf.yaml", cwd=folder)
    assert f"argolint: configuration: {folder / '.argolint.yaml'}\n" in err
    assert f"argolint: project context: {folder} (0 files indexed)\n" in err


@pytest.mark.parametrize("flags, env, coloured", [
    ((), {}, False),  # not a terminal
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    (("--color", "always"), {"NO_COLOR": "1"}, True),
    (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    (("--no-color",), {"FORCE_COLOR": "1"}, False),
    (("--color", "auto"), {"NO_COLOR": ""}, False),  # empty NO_COLOR: no effect
])
def test_color(folder, flags, env, coloured):
    environment = {"FORCE_COLOR": "", **env}  # an empty FORCE_COLOR forces nothing
    _, out, _ = run_cli(SELECT, *flags, "wf.yaml", cwd=folder, env=environment)
    assert ("\033[" in out) is coloured


def test_show_settings_and_show_files(cli, folder):
    (folder / "pyproject.toml").write_text("[tool.argolint]\nstrict = true\n", encoding="utf-8")
    code, out, _ = cli("--show-settings", "--ignore", "unused-template", cwd=folder)
    assert code == 0
    shown = json.loads(out)
    assert shown["configuration-file"] == str(folder / "pyproject.toml")
    assert shown["settings"]["strict"] is True and shown["settings"]["ignore"] == ["unused-template"]
    assert shown["cache"] is True
    assert cli("--show-files", cwd=folder)[1] == "wf.yaml\n"

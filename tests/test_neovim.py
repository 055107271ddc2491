"""The language server in a real editor: Neovim's built-in LSP client, headless, driven by
tests/data/neovim/editor_test.lua. It opens a manifest, receives the diagnostics, applies
the quick fix of a typo and completes `args: ["{{inputs.` with the built-in omnifunc
(<C-x><C-o>). `.ci/run` installs Debian's neovim when it is missing; the test skips only
where it could not be installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

SCRIPT = os.path.join(ROOT, "tests", "data", "neovim", "editor_test.lua")

MANIFEST = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: editor-
spec:
  entrypoint: main
  serviceAccountName: argo-workflow
  templates:
    - name: main
      steps:
        - - name: say
            template: pirnt
            arguments:
              parameters: [{name: message, value: hi}]
    - name: print
      inputs:
        parameters:
          - name: message
      container:
        image: alpine:3.20
        args: ["{{inputs.parameters.message}}"]
"""


def test_neovim_gets_diagnostics_applies_a_fix_and_completes(tmp_path):
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("Neovim is not installed (.ci/run installs Debian's neovim)")
    (tmp_path / "wf.yaml").write_text(MANIFEST, encoding="utf-8")
    result = tmp_path / "result.txt"
    env = {**os.environ, "RESULT": str(result), "MANIFEST": str(tmp_path / "wf.yaml"), "ROOT": str(tmp_path),
           "ARGOLINT_PYTHON": sys.executable, "HOME": str(tmp_path)}
    subprocess.run([nvim, "--headless", "--clean", "-u", "NONE", "-c", f"luafile {SCRIPT}"], cwd=tmp_path, env=env,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    facts = [line.split("\t") for line in result.read_text(encoding="utf-8").splitlines()]
    assert [f for f in facts if f[0] == "FAIL"] == []
    diagnostics = [f[1:4] for f in facts if f[0] == "diagnostic"]
    # 12:23 `pirnt`; the template it meant is then unused (15:13, its name)
    assert diagnostics == [["12", "23", "unknown-template"], ["15", "13", "unused-template"]]
    assert ["action", "Replace with 'print'"] in facts
    assert ["after-fix", "            template: print"] in facts
    assert ["after-fix-codes", ""] in facts or ["after-fix-codes"] in facts
    assert ["completion-item", "inputs.parameters.message", "parameters.message}}"] in facts
    # the omnifunc inserts at the keyword start: the tag is whole, not {{inputs.inputs.parameters...
    assert ["completed", '        args: ["{{inputs.parameters.message}}'] in facts

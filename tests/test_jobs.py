"""`argolint --jobs N`: files linted in worker processes give the same output, in the same
order, as one process, cross-file references included."""

import json
import os
import shutil
import subprocess
import sys

from conftest import FIXTURES, SEED

PROJECTS = ("template-ref-other-file", "recursion-across-files", "rbac-template-references", "dag-cycle-and-dangling")


def _argolint(*args, cwd):
    return subprocess.run([sys.executable, "-m", "argolint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_parallel_lint_gives_the_serial_output(tmp_path):
    for name in PROJECTS:
        shutil.copytree(os.path.join(FIXTURES, "projects", name), tmp_path / name)
    shutil.copytree(SEED, tmp_path / "seed")
    serial = _argolint("--format=json", "--jobs=1", ".", cwd=tmp_path)
    parallel = _argolint("--format=json", "--jobs=3", ".", cwd=tmp_path)
    assert serial.returncode == parallel.returncode == 1
    assert parallel.stdout == serial.stdout
    found = json.loads(serial.stdout)
    assert found["files"] > 10
    # a cross-file finding: the recursion goes through a WorkflowTemplate in another file
    assert any(d["rule"] == "infinite-recursion" for d in found["diagnostics"])


def test_jobs_must_be_a_positive_number(tmp_path):
    proc = _argolint("--jobs=0", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert "--jobs: expected a number of processes (1 or more), found '0'" in proc.stderr

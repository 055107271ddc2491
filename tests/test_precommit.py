"""The pre-commit hook, run the way a user's repository runs it: `pre-commit try-repo`.

pre-commit installs the hook repository into a fresh virtualenv with `pip install .`, so
this test takes about half a minute and needs pip to reach a package index (the one pip is
configured with: setuptools to build argolint, and its dependencies). The hook repository
is a snapshot of this checkout's working tree (tracked files and new ones not ignored by
git), so the hook is tested as it is now, not as it was at the last commit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, SEED

SKIPPED_DIRS = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".hypothesis", "build", "dist",
                ".argolint_cache"}

GIT_ENV = {
    "GIT_AUTHOR_NAME": "argolint tests", "GIT_AUTHOR_EMAIL": "tests@argolint.invalid",
    "GIT_COMMITTER_NAME": "argolint tests", "GIT_COMMITTER_EMAIL": "tests@argolint.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def _pre_commit() -> str | None:
    beside = os.path.join(os.path.dirname(sys.executable), "pre-commit")
    return beside if os.path.exists(beside) else shutil.which("pre-commit")


def _skip_unless_available() -> str:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pre_commit = _pre_commit()
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]' installs it)")
    return pre_commit


def _git(cwd, *args) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _checkout_files() -> list[str]:
    """The files of this checkout a commit would hold: git's view when it is a repository
    (`.git` is a folder in a clone, a file in a `git worktree`)."""
    if os.path.exists(os.path.join(ROOT, ".git")):
        listed = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
        files = [f for f in listed if f and os.path.isfile(os.path.join(ROOT, f))]
    else:
        files = []
        for folder, dirs, names in os.walk(ROOT):
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
            files.extend(os.path.relpath(os.path.join(folder, n), ROOT) for n in names)
    # never `.git` itself: a worktree's `.git` file copied into the snapshot would point git
    # at this checkout's repository, and the snapshot would be committed there
    return [f for f in files if not SKIPPED_DIRS.intersection(f.split("/")) and ".egg-info/" not in f]


def _snapshot(destination) -> str:
    """A git repository holding this checkout's files in one commit."""
    for relative in _checkout_files():
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(os.path.join(ROOT, relative), target)
    _git(destination, "init", "-q")
    _git(destination, "add", "-A")
    _git(destination, "commit", "-q", "-m", "snapshot")
    return str(destination)


@pytest.fixture(scope="module")
def hook(tmp_path_factory):
    """`try_repo(project, *args)`: run the hook of a snapshot of this checkout in `project`,
    every call sharing one hook environment (installing it is what takes time)."""
    pre_commit = _skip_unless_available()
    base = tmp_path_factory.mktemp("hook")
    hook_repo = _snapshot(base / "argolint")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(base / "pre-commit-home"), "NO_COLOR": "1"}
    env.pop("PRE_COMMIT_COLOR", None)

    def try_repo(project, *args):
        proc = subprocess.run([pre_commit, "try-repo", hook_repo, "argolint", "--color=never", *args],
                              cwd=project, env=env, capture_output=True, text=True, timeout=900)
        return proc.returncode, proc.stdout + proc.stderr

    return try_repo


def test_hook_fails_on_the_bad_manifest_and_passes_the_good_one(hook, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    with open(os.path.join(SEED, "hello-world-workflow.yaml"), encoding="utf-8") as fh:
        good = fh.read()
    assert "  entrypoint: whalesay\n" in good
    (project / "good.yaml").write_text(good, encoding="utf-8")
    (project / "bad.yaml").write_text(good.replace("entrypoint: whalesay", "entrypoint: whalesy"), encoding="utf-8")
    (project / "README.md").write_text("not YAML: the hook must not be given this\n", encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", "-A")

    code, out = hook(project, "--all-files")
    assert code == 1, out
    assert "- hook id: argolint" in out and "Failed" in out, out
    assert ("bad.yaml:6:15: error: entrypoint 'whalesy' is not a template of this workflow; "
            "did you mean 'whalesay'? [unknown-template]") in out, out
    assert "good.yaml:" not in out, out
    assert "README.md" not in out, out
    assert "in 2 files." in out, out  # the hook got both manifests, in one process (require_serial)

    # The same hook environment, given only the good manifest (as on a commit touching it alone).
    code, out = hook(project, "--files", "good.yaml")
    assert code == 0, out
    assert "argolint" in out and "Passed" in out, out


def test_hook_in_a_repository_full_of_other_yaml_and_json(hook, tmp_path):
    """A Helm chart, a JSONC tsconfig.json, a broken values.yaml, Kubernetes manifests and
    an RBAC file: the hook fails only on the workflow's real problem, and says the same
    whether or not the RBAC file is staged with it."""
    from test_project_context import NOT_FOUND, make_repo

    project = tmp_path / "project"
    project.mkdir()
    make_repo(project)
    os.rmdir(project / ".git")
    (project / "flows" / "shared.json").write_text(json.dumps({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "WorkflowTemplate", "metadata": {"name": "shared"},
        "spec": {"serviceAccountName": "runner", "templates": [{"name": "main", "container": {"image": "alpine:3.20"}}]}}),
        encoding="utf-8")
    (project / "flows" / "uses.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: uses-\nspec:\n"
        "  serviceAccountName: runner\n  workflowTemplateRef:\n    name: shared\n  entrypoint: mian\n",
        encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", "-A")

    code, out = hook(project, "--all-files")
    assert code == 1, out
    assert NOT_FOUND in out, out
    # the JSON WorkflowTemplate was given to the hook (types_or: [yaml, json]) and resolves
    assert ("flows/uses.yaml:9:15: error: entrypoint 'mian' is not a template of this workflow; "
            "did you mean 'main'? [unknown-template]") in out, out
    assert "helm-template" in out, out  # a warning, shown because the hook failed anyway
    for quiet in ("tsconfig.json", "values.yaml", "configmap.yaml", "deployment.yaml"):
        assert quiet not in out, out
    assert "Found 2 errors, 1 warning in 10 files." in out, out

    alone = hook(project, "--files", "flows/build.yaml")
    with_rbac = hook(project, "--files", "flows/build.yaml", "k8s/rbac.yaml")
    assert alone[0] == with_rbac[0] == 1
    assert NOT_FOUND in alone[1] and NOT_FOUND in with_rbac[1], alone[1] + with_rbac[1]
    # the referenced template is found in the project although only the workflow is staged
    code, out = hook(project, "--files", "flows/uses.yaml")
    assert "entrypoint 'mian'" in out and "did you mean 'main'?" in out, out
    code, out = hook(project, "--files", "chart/templates/configmap.yaml", "tsconfig.json", "chart/values.yaml")
    assert code == 0, out

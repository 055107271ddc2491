"""Linting inside an ordinary repository (issue 17, section 1): Helm charts, other YAML and
JSON, the project context and its cache, .gitignore and excludes."""

from __future__ import annotations

import json
import os

import pytest

from argolint.lint.context import CACHE_DIR, CACHE_FILE

CONFIGMAP_TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "chart.fullname" . }}
data:
  {{- range $k, $v := .Values.settings }}
  {{ $k }}: {{ $v | quote }}
  {{- end }}
"""

ARGO_TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: {{ .Release.Name }}-nightly
spec:
  schedule: "0 2 * * *"
"""

TSCONFIG = """\
{
  // the TypeScript compiler allows comments
  "compilerOptions": {"strict": true,},
}
"""

WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: build-
spec:
  entrypoint: main
  serviceAccountName: builder
  templates:
    - name: main
      container:
        image: alpine:3.20
"""

RUNNER_ACCOUNT = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: runner
"""

BUILDER_ACCOUNT = RUNNER_ACCOUNT.replace("runner", "builder")

NOT_FOUND = ("flows/build.yaml:7:23: error: service account 'builder' is not among the ServiceAccounts of "
             "the inputs in namespace 'default'")


def make_repo(root) -> None:
    files = {
        "chart/Chart.yaml": "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
        "chart/values.yaml": "settings:\n  a: [1, 2\n  b: {{ oops\n",
        "chart/templates/configmap.yaml": CONFIGMAP_TEMPLATE,
        "chart/templates/nightly.yaml": ARGO_TEMPLATE,
        "tsconfig.json": TSCONFIG,
        "k8s/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
        "k8s/rbac.yaml": RUNNER_ACCOUNT,
        "flows/build.yaml": WORKFLOW,
    }
    (root / ".git").mkdir()
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    make_repo(tmp_path)
    return tmp_path


def test_helm_templates_other_yaml_and_broken_non_argo_files_do_not_fail_the_run(cli, repo):
    code, out, err = cli("-v", "chart", "tsconfig.json", "k8s/deployment.yaml", cwd=repo)
    assert code == 0, out
    assert out.splitlines()[0] == ("chart/templates/nightly.yaml:4:9: warning: this is a Helm (Go) template, not "
                                   "a manifest; argolint checks rendered manifests; lint the rendered output: "
                                   "`helm template . | argolint -` [helm-template]")
    assert out.splitlines()[-1] == "Found 1 warning in 6 files."
    assert "argolint: skipped tsconfig.json: does not parse and is no Argo manifest" in err
    assert "argolint: skipped chart/values.yaml: does not parse and is no Argo manifest" in err
    assert "argolint: skipped chart/templates/configmap.yaml: Helm template of no Argo manifest" in err


def test_a_broken_file_that_is_recognisably_argo_still_errors(cli, tmp_path):
    (tmp_path / "wf.yaml").write_text("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec: [\n", encoding="utf-8")
    code, out, _ = cli("--format", "json-lines", "wf.yaml", cwd=tmp_path)
    assert code == 1
    assert [json.loads(line)["rule"] for line in out.splitlines()] == ["yaml-syntax"]


def test_the_answer_does_not_depend_on_which_files_are_given(cli, repo):
    alone = cli("flows/build.yaml", cwd=repo)
    with_rbac = cli("flows/build.yaml", "k8s/rbac.yaml", cwd=repo)
    assert alone[0] == with_rbac[0] == 1
    assert alone[1].splitlines()[0].startswith(NOT_FOUND)
    assert alone[1].splitlines()[:-1] == with_rbac[1].splitlines()[:-1]
    # the context is indexed, never reported on
    assert "k8s/" not in alone[1]


def test_context_cache_follows_changes_and_no_cache_writes_nothing(cli, repo):
    cli("--no-cache", "flows/build.yaml", cwd=repo)
    assert not (repo / CACHE_DIR).exists()
    assert cli("flows/build.yaml", cwd=repo)[0] == 1
    with open(repo / CACHE_DIR / ".gitignore", encoding="utf-8") as fh:
        assert fh.read().splitlines()[-1] == "*"
    with open(repo / CACHE_DIR / CACHE_FILE, encoding="utf-8") as fh:
        cached = json.load(fh)["files"]
    assert cached["k8s/rbac.yaml"][2] == [[0, {"apiVersion": "v1", "kind": "ServiceAccount",
                                               "metadata": {"name": "runner"}}]]
    assert cached["tsconfig.json"][2] == []  # read once, of no interest
    (repo / "k8s" / "rbac.yaml").write_text(RUNNER_ACCOUNT + "---\n" + BUILDER_ACCOUNT, encoding="utf-8")
    code, out, _ = cli("flows/build.yaml", cwd=repo)
    assert (code, out) == (0, "No problems in 1 file.\n")


def test_cached_index_gives_the_same_answer(cli, repo):
    first = cli("flows/build.yaml", cwd=repo)
    second = cli("flows/build.yaml", cwd=repo)
    assert first == second


def test_context_flag_and_config_key(cli, repo, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("accounts")
    (elsewhere / "sa.yaml").write_text(BUILDER_ACCOUNT, encoding="utf-8")
    assert cli("--context", elsewhere, "flows/build.yaml", cwd=repo)[:2] == (0, "No problems in 1 file.\n")
    (repo / ".argolint.yaml").write_text(f"context: {elsewhere}\n", encoding="utf-8")
    assert cli("flows/build.yaml", cwd=repo)[0] == 0
    code, out, _ = cli("--show-settings", cwd=repo)
    settings = json.loads(out)
    assert settings["configuration-file"] == str(repo / ".argolint.yaml")
    assert settings["project-context"] == str(elsewhere)
    assert settings["settings"]["context"] == str(elsewhere)


def test_walk_respects_gitignore_excludes_and_vendor_folders(cli, repo):
    (repo / ".gitignore").write_text("generated/\n*.tmp.yaml\n!keep.tmp.yaml\n", encoding="utf-8")
    for name in ("generated/a.yaml", "x.tmp.yaml", "keep.tmp.yaml", "node_modules/pkg/b.yaml",
                 "venv/c.yaml", "legacy/d.yaml", "flows/.hidden.yaml"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("a: 1\n", encoding="utf-8")
    code, out, _ = cli("--show-files", "--extend-exclude", "legacy", ".", cwd=repo)
    assert code == 0
    assert sorted(out.splitlines()) == ["chart/Chart.yaml", "chart/templates/configmap.yaml", "chart/templates/nightly.yaml",
                                "chart/values.yaml", "flows/build.yaml", "k8s/deployment.yaml", "k8s/rbac.yaml",
                                "keep.tmp.yaml", "tsconfig.json"]
    # named explicitly, a vendor folder or an ignored file is read
    assert cli("--show-files", "node_modules", "x.tmp.yaml", cwd=repo)[1].splitlines() == [
        "node_modules/pkg/b.yaml", "x.tmp.yaml"]
    # --exclude replaces the defaults
    assert "node_modules/pkg/b.yaml" in cli("--show-files", "--exclude", "chart", ".", cwd=repo)[1].splitlines()


def test_exclude_config_keys(cli, repo):
    (repo / ".argolint.yaml").write_text("extend-exclude: [chart, 'k8s/*.yaml']\n", encoding="utf-8")
    assert sorted(cli("--show-files", ".", cwd=repo)[1].splitlines()) == ["flows/build.yaml", "tsconfig.json"]


def test_an_ignored_file_is_left_out_of_the_context(cli, repo):
    (repo / ".gitignore").write_text("k8s/rbac.yaml\n", encoding="utf-8")
    (repo / "k8s" / "rbac.yaml").write_text(BUILDER_ACCOUNT, encoding="utf-8")
    (repo / "k8s" / "other.yaml").write_text(RUNNER_ACCOUNT, encoding="utf-8")
    code, out, _ = cli("flows/build.yaml", cwd=repo)
    assert out.startswith(NOT_FOUND)


def test_no_context_outside_a_project_for_scattered_paths(tmp_path):
    from argolint.config import Config
    from argolint.lint.context import context_root

    assert context_root(Config(), [os.sep + "etc", str(tmp_path)]) is None
    assert context_root(Config(), [str(tmp_path / "a.yaml")]) == str(tmp_path)

"""Accounts and permissions: the seed's acceptance, RBAC semantics, configuration, scale."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import SEED
from helpers import lint, lint_text, run_cli, short

from argolint.config import Config, ConfigError, load_config

RULES = ("missing-service-account", "service-account-not-found", "insufficient-rbac")
SEED_WORKFLOWS = ("hello-world-workflow.yaml", "steps-workflow.yaml", "dag-diamond-workflow.yaml",
                  "output-parameter-workflow.yaml")

ACCOUNT = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: runner
"""

EXECUTOR_RULE = """\
  - apiGroups: [argoproj.io]
    resources: [workflowtaskresults]
    verbs: [create, patch]
"""


def role(rules: str, kind: str = "Role", name: str = "runner", extra: str = "") -> str:
    return f"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: {name}\n{extra}rules:\n{rules}"


def binding(role_kind: str = "Role", role_name: str = "runner", namespace: str | None = None,
            kind: str = "RoleBinding", subject: str = "{kind: ServiceAccount, name: runner}") -> str:
    ns = f"  namespace: {namespace}\n" if namespace else ""
    return (f"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: runner\n{ns}"
            f"roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: {role_kind}, name: {role_name}}}\n"
            f"subjects:\n  - {subject}\n")


def workflow(templates: str, account: str = "runner", namespace: str | None = None) -> str:
    ns = f"  namespace: {namespace}\n" if namespace else ""
    sa = f"  serviceAccountName: {account}\n" if account else ""
    return (f"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: wf-\n{ns}"
            f"spec:\n  entrypoint: main\n{sa}  templates:\n{templates}")


CONTAINER = "  - name: main\n    container:\n      image: alpine:3.20\n"


def resource(manifest: str, action: str = "create", extra: str = "") -> str:
    body = "".join(f"        {line}\n" for line in manifest.strip().splitlines())
    return f"  - name: main\n    resource:\n      action: {action}\n{extra}      manifest: |\n{body}"


CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
CHILD_WORKFLOW = ("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: child-\n"
                  "spec:\n  workflowTemplateRef:\n    name: '{{workflow.parameters.child}}'\n")


def documents(*docs: str) -> str:
    return "---\n".join(docs)


def rbac_findings(tmp_path, text: str, config: Config | None = None, name: str = "all.yaml"):
    return [d for d in lint_text(tmp_path, text, name=name, config=config) if d.rule in RULES]


def described(diagnostics):
    return [f"{d.line}:{d.column}: {d.rule} {d.message}" for d in diagnostics]


# -- the seed ---------------------------------------------------------------------------------

def test_seed_lints_clean_together_and_alone():
    assert lint(SEED) == []
    for name in SEED_WORKFLOWS + ("rbac.yaml",):
        assert lint(os.path.join(SEED, name)) == [], name


def test_seed_role_without_patch_flags_every_workflow_account(tmp_path):
    for name in os.listdir(SEED):
        shutil.copy(os.path.join(SEED, name), tmp_path / name)
    rbac = (tmp_path / "rbac.yaml").read_text()
    (tmp_path / "rbac.yaml").write_text(rbac.replace("      - patch\n", ""))
    found = lint(tmp_path)
    assert sorted((os.path.basename(d.file), d.line, d.column, d.rule) for d in found) == sorted(
        (name, 7, 23, "insufficient-rbac") for name in SEED_WORKFLOWS)
    for d in found:
        assert "lacks 'patch' on workflowtaskresults.argoproj.io" in d.message
        assert (d.end_line, d.end_column) == (7, 23 + len("argo-workflow-sa"))
        assert "RoleBinding 'executor-binding'" in d.message and "Role 'executor'" in d.message


@pytest.mark.parametrize("name", SEED_WORKFLOWS)
def test_seed_workflow_without_account_gives_one_warning_on_spec(tmp_path, name):
    shutil.copy(os.path.join(SEED, "rbac.yaml"), tmp_path / "rbac.yaml")
    text = open(os.path.join(SEED, name), encoding="utf-8").read()
    (tmp_path / name).write_text(text.replace("  serviceAccountName: argo-workflow-sa\n", ""))
    for found in (lint(tmp_path), lint(tmp_path / name)):
        assert short(found) == ["5:1: missing-service-account"]


# -- bindings and roles ---------------------------------------------------------------------------

def test_cluster_role_bound_by_role_binding_counts_only_in_its_namespace(tmp_path):
    cluster_role = role(EXECUTOR_RULE, kind="ClusterRole")
    same = documents(ACCOUNT, cluster_role, binding("ClusterRole"), workflow(CONTAINER))
    assert rbac_findings(tmp_path, same) == []
    other = documents(ACCOUNT, cluster_role, binding("ClusterRole", namespace="ci",
                                                     subject="{kind: ServiceAccount, name: runner, namespace: default}"),
                      workflow(CONTAINER))
    found = rbac_findings(tmp_path, other)
    assert short(found) == ["30:23: insufficient-rbac"]
    assert "RoleBinding 'runner' in namespace 'ci' -> ClusterRole 'runner'" in found[0].message
    assert "not applicable here" in found[0].message


def test_cluster_role_binding_grants_in_every_namespace(tmp_path):
    text = documents(ACCOUNT.replace("runner\n", "runner\n  namespace: argo\n"), role(EXECUTOR_RULE, kind="ClusterRole"),
                     binding("ClusterRole", kind="ClusterRoleBinding",
                             subject="{kind: ServiceAccount, name: runner, namespace: argo}"),
                     workflow(CONTAINER, namespace="argo"))
    assert rbac_findings(tmp_path, text) == []


def test_role_binding_subject_without_namespace_is_the_binding_namespace(tmp_path):
    account = ACCOUNT.replace("runner\n", "runner\n  namespace: argo\n")
    argo_role = role(EXECUTOR_RULE).replace("name: runner\n", "name: runner\n  namespace: argo\n")
    text = documents(account, argo_role, binding(namespace="argo"), workflow(CONTAINER, namespace="argo"))
    assert rbac_findings(tmp_path, text) == []


@pytest.mark.parametrize("field, wildcard", [("verbs", "[create, patch]"), ("resources", "[workflowtaskresults]"),
                                             ("apiGroups", "[argoproj.io]")])
def test_wildcards_count(tmp_path, field, wildcard):
    rules = EXECUTOR_RULE.replace(f"{field}: {wildcard}", f'{field}: ["*"]')
    assert rules != EXECUTOR_RULE
    text = documents(ACCOUNT, role(rules), binding(), workflow(CONTAINER))
    assert rbac_findings(tmp_path, text) == []
    narrowed = rules.replace('["*"]', "[get]" if field == "verbs" else "[pods]" if field == "resources" else "[apps]")
    text = documents(ACCOUNT, role(narrowed), binding(), workflow(CONTAINER))
    assert short(rbac_findings(tmp_path, text)) == ["29:23: insufficient-rbac"]


def test_aggregated_cluster_role_collects_matching_roles(tmp_path):
    aggregated = role("  []\n", kind="ClusterRole", name="aggregate",
                      extra="aggregationRule:\n  clusterRoleSelectors:\n"
                            "    - matchExpressions: [{key: team, operator: In, values: [ci, cd]}]\n")
    part = role(EXECUTOR_RULE, kind="ClusterRole", name="part", extra="").replace(
        "name: part\n", "name: part\n  labels: {team: ci}\n")
    text = documents(ACCOUNT, aggregated, part, binding("ClusterRole", "aggregate"), workflow(CONTAINER))
    assert rbac_findings(tmp_path, text) == []
    unlabelled = part.replace("team: ci", "team: qa")
    text = documents(ACCOUNT, aggregated, unlabelled, binding("ClusterRole", "aggregate"), workflow(CONTAINER))
    assert [d.rule for d in rbac_findings(tmp_path, text)] == ["insufficient-rbac"]


def test_missing_role_is_named_with_the_role_it_probably_meant(tmp_path):
    text = documents(ACCOUNT, role(EXECUTOR_RULE, name="executor"), binding(role_name="executer"), workflow(CONTAINER))
    found = rbac_findings(tmp_path, text)
    assert [d.rule for d in found] == ["insufficient-rbac"]
    assert "Role 'executer' is not among the inputs" in found[0].message
    assert "Role 'executor' is among the inputs" in found[0].hint
    assert found[0].suggestion is None  # the span is the account: never replace it by a role name


def test_built_in_cluster_roles(tmp_path):
    admin = binding("ClusterRole", "cluster-admin", kind="ClusterRoleBinding",
                    subject="{kind: ServiceAccount, name: runner, namespace: default}")
    text = documents(ACCOUNT, admin, workflow(resource(CHILD_WORKFLOW)))
    assert rbac_findings(tmp_path, text) == []
    # `edit` is aggregated on the cluster: its rules are not known, nothing is reported
    text = documents(ACCOUNT, binding("ClusterRole", "edit"), workflow(CONTAINER))
    assert rbac_findings(tmp_path, text) == []


# -- what pods need -----------------------------------------------------------------------------

def test_resource_template_creating_a_config_map_needs_create_on_configmaps(tmp_path):
    granted = EXECUTOR_RULE + '  - apiGroups: [""]\n    resources: [configmaps]\n    verbs: [create]\n'
    assert rbac_findings(tmp_path, documents(ACCOUNT, role(granted), binding(), workflow(resource(CONFIG_MAP)))) == []
    found = rbac_findings(tmp_path, documents(ACCOUNT, role(EXECUTOR_RULE), binding(), workflow(resource(CONFIG_MAP))))
    assert described(found) == [
        "29:23: insufficient-rbac service account 'runner' lacks 'create' on configmaps (core API group) in namespace "
        "'default', needed by resource template 'main' (action 'create'); bindings considered: RoleBinding 'runner' "
        "in namespace 'default' -> Role 'runner'"]


@pytest.mark.parametrize("action, verbs", [("get", "'get'"), ("create", "'create'"),
                                           ("apply", "'get', 'create' and 'patch'"), ("delete", "'delete'"),
                                           ("replace", "'update'"), ("patch", "'patch'")])
def test_each_action_needs_its_verbs(tmp_path, action, verbs):
    text = documents(ACCOUNT, role(EXECUTOR_RULE), binding(), workflow(resource(CONFIG_MAP, action)))
    found = rbac_findings(tmp_path, text)
    assert len(found) == 1
    assert f"lacks {verbs} on configmaps (core API group)" in found[0].message


def test_workflow_of_workflows_needs_create_on_workflows(tmp_path):
    found = rbac_findings(tmp_path, documents(ACCOUNT, role(EXECUTOR_RULE), binding(), workflow(resource(CHILD_WORKFLOW))))
    assert len(found) == 1 and "lacks 'create' on workflows.argoproj.io in namespace 'default'" in found[0].message
    waits = resource(CHILD_WORKFLOW, extra="      successCondition: status.phase == Succeeded\n")
    granted = EXECUTOR_RULE + "  - apiGroups: [argoproj.io]\n    resources: [workflows]\n    verbs: [create]\n"
    found = rbac_findings(tmp_path, documents(ACCOUNT, role(granted), binding(), workflow(waits)))
    assert len(found) == 1 and "lacks 'get' on workflows.argoproj.io" in found[0].message
    assert "successCondition" in found[0].message


def test_manifest_namespace_decides_where_rights_are_needed(tmp_path):
    elsewhere = CONFIG_MAP.replace("name: settings\n", "name: settings\n  namespace: shared\n")
    granted = EXECUTOR_RULE + '  - apiGroups: [""]\n    resources: [configmaps]\n    verbs: [create]\n'
    found = rbac_findings(tmp_path, documents(ACCOUNT, role(granted), binding(), workflow(resource(elsewhere))))
    assert len(found) == 1 and "on configmaps (core API group) in namespace 'shared'" in found[0].message
    templated = CONFIG_MAP.replace("name: settings\n", "name: settings\n  namespace: '{{workflow.namespace}}'\n")
    assert rbac_findings(tmp_path, documents(ACCOUNT, role(granted), binding(), workflow(resource(templated)))) == []


def test_template_level_account_is_checked_at_its_value(tmp_path):
    templates = ("  - name: main\n    serviceAccountName: builder\n    container:\n      image: alpine:3.20\n")
    builder = ACCOUNT.replace("runner", "builder")
    text = documents(ACCOUNT, builder, role(EXECUTOR_RULE), binding(), workflow(templates))
    assert short(rbac_findings(tmp_path, text)) == ["37:25: insufficient-rbac"]


def test_templated_account_names_are_not_checked(tmp_path):
    text = documents(ACCOUNT, role("  []\n"), binding(), workflow(CONTAINER, account="'{{workflow.parameters.sa}}'"))
    assert rbac_findings(tmp_path, text) == []


# -- configuration ----------------------------------------------------------------------------------

def test_no_rbac_manifests_no_account_checks(tmp_path):
    assert [d.rule for d in rbac_findings(tmp_path, workflow(CONTAINER, account="nobody"))] == []


def test_rbac_always_treats_the_inputs_as_complete(tmp_path):
    found = rbac_findings(tmp_path, workflow(CONTAINER, account="nobody"), config=Config(rbac="always"))
    assert short(found) == ["7:23: service-account-not-found"]
    found = rbac_findings(tmp_path, workflow(CONTAINER, account="default"), config=Config(rbac="always"))
    assert short(found) == ["7:23: insufficient-rbac"]
    assert "no RoleBinding in namespace 'default' and no ClusterRoleBinding among the inputs binds it" \
        in found[0].message


def test_rbac_off_checks_nothing(tmp_path):
    text = documents(ACCOUNT, role("  []\n"), binding(), workflow(CONTAINER, account="runnr"))
    assert [d.rule for d in rbac_findings(tmp_path, text)] == ["service-account-not-found"]
    assert rbac_findings(tmp_path, text, config=Config(rbac="off")) == []


def test_namespace_setting_places_documents_without_one(tmp_path):
    account = ACCOUNT.replace("runner\n", "runner\n  namespace: argo\n")
    text = documents(account, role(EXECUTOR_RULE), binding(), workflow(CONTAINER))
    assert [d.rule for d in rbac_findings(tmp_path, text)] == ["service-account-not-found"]
    assert rbac_findings(tmp_path, text, config=Config(namespace="argo")) == []


def test_configuration_keys_are_validated(tmp_path):
    config = tmp_path / ".argolint.yaml"
    config.write_text("rbac: sometimes\n")
    with pytest.raises(ConfigError, match="'rbac'"):
        load_config(str(config))
    config.write_text("default-service-account: argo-workflow\nnamespace: argo\nrbac: always\n")
    loaded = load_config(str(config))
    assert (loaded.default_service_account, loaded.namespace, loaded.rbac) == ("argo-workflow", "argo", "always")


def test_rbac_under_template_paths_counts_without_being_reported(tmp_path):
    cluster = tmp_path / "cluster"
    cluster.mkdir()
    (cluster / "rbac.yaml").write_text(documents(ACCOUNT, role("  - {apiGroups: [x], resources: [y], verbs: [get]}\n"),
                                                 binding()))
    (tmp_path / "wf.yaml").write_text(workflow(CONTAINER))
    found = lint(tmp_path / "wf.yaml", template_paths=[str(cluster)])
    assert [(os.path.basename(d.file), d.rule) for d in found] == [("wf.yaml", "insufficient-rbac")]


# -- one model per run, and the corpus ---------------------------------------------------------------

def test_the_rbac_model_is_built_once_per_run(tmp_path, monkeypatch):
    from argolint.analysis import rbac

    built = []
    original = rbac.RbacModel.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(rbac.RbacModel, "__init__", counting)
    (tmp_path / "rbac.yaml").write_text(documents(ACCOUNT, role(EXECUTOR_RULE), binding()))
    for i in range(5):
        (tmp_path / f"wf{i}.yaml").write_text(workflow(CONTAINER))
    assert lint(tmp_path) == []
    assert len(built) == 1


def test_json_output_points_at_the_account(tmp_path):
    (tmp_path / "all.yaml").write_text(documents(ACCOUNT, role("  []\n"), binding(), workflow(CONTAINER)))
    code, out, _ = run_cli("--format", "json", tmp_path / "all.yaml")
    assert code == 1
    (diagnostic,) = json.loads(out)["diagnostics"]
    assert (diagnostic["rule"], diagnostic["path"], diagnostic["severity"]) == (
        "insufficient-rbac", "/spec/serviceAccountName", "error")


def test_corpus_gets_no_account_errors(corpus):
    found = [d for d in lint(corpus) if d.rule in RULES]
    assert found, "the corpus has workflows without serviceAccountName"
    assert {(d.rule, d.severity.value) for d in found} == {("missing-service-account", "warning")}

"""The account rules on many workflows and a large RBAC set.

    python benchmarks/bench_rbac.py [--workflows N] [--roles N] [--repeat N]

Writes N Workflows (four container templates and two resource templates each, every one
with its own account) and an RBAC file with N Roles, RoleBindings and ServiceAccounts plus
a few aggregated ClusterRoles into a temporary folder, loads it once, then reports, best of
the repeats: loading the files, building the RBAC model alone, and one engine run with only
missing-service-account, service-account-not-found and insufficient-rbac selected (which
builds the model once and asks it every question).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

ACCOUNT_RULES = ("missing-service-account", "service-account-not-found", "insufficient-rbac")


def write_inputs(folder: str, workflows: int, roles: int) -> None:
    rbac = []
    for i in range(roles):
        rbac.append(f"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-{i}\n")
        rbac.append(f"apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: role-{i}\nrules:\n"
                    "  - {apiGroups: [argoproj.io], resources: [workflowtaskresults], verbs: [create, patch]}\n"
                    f"  - {{apiGroups: [''], resources: [configmaps], verbs: [create], resourceNames: [x-{i}]}}\n")
        rbac.append(f"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb-{i}\n"
                    f"roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: role-{i}}}\n"
                    f"subjects:\n  - {{kind: ServiceAccount, name: sa-{i}}}\n")
    for i in range(10):
        rbac.append(f"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: agg-{i}\n"
                    f"aggregationRule:\n  clusterRoleSelectors: [{{matchLabels: {{agg: '{i}'}}}}]\nrules: []\n")
        rbac.append(f"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: part-{i}\n"
                    f"  labels: {{agg: '{i}'}}\nrules:\n"
                    "  - {apiGroups: [argoproj.io], resources: [workflows], verbs: [get, create]}\n")
    with open(os.path.join(folder, "rbac.yaml"), "w", encoding="utf-8") as fh:
        fh.write("---\n".join(rbac))
    for w in range(workflows):
        sa = f"sa-{w % max(roles, 1)}"
        templates = ["  - name: main\n    steps:\n    - - {name: a, template: c0}\n"]
        for c in range(4):
            templates.append(f"  - name: c{c}\n    serviceAccountName: {sa}\n    container:\n      image: alpine:3.20\n")
        for r in range(2):
            templates.append(
                f"  - name: r{r}\n    resource:\n      action: create\n      manifest: |\n"
                f"        apiVersion: v1\n        kind: ConfigMap\n        metadata:\n          name: cm-{w}-{r}\n")
        with open(os.path.join(folder, f"wf-{w}.yaml"), "w", encoding="utf-8") as fh:
            fh.write(f"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: wf-{w}-\n"
                     f"spec:\n  entrypoint: main\n  serviceAccountName: {sa}\n  templates:\n" + "".join(templates))


def best_of(n, fn):
    best, result = float("inf"), None
    for _ in range(n):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workflows", type=int, default=200)
    parser.add_argument("--roles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from argolint.config import Config
    from argolint.analysis.rbac import RbacModel
    from argolint.rules import RULES
    from argolint.lint.runner import build_project, lint_project

    config = Config(select=list(ACCOUNT_RULES))
    with tempfile.TemporaryDirectory() as folder:
        write_inputs(folder, args.workflows, args.roles)
        load_time, project = best_of(args.repeat, lambda: build_project([folder], config))
        model_time, _ = best_of(args.repeat, lambda: RbacModel(project.by_kind, config.namespace))
        rules = [r() for r in RULES if r.id in ACCOUNT_RULES]

        def run():
            project.analyses.clear()
            return lint_project(project, config, rules)

        lint_time, result = best_of(args.repeat, run)
    per_doc = lint_time / max(args.workflows, 1) * 1000
    print(f"{args.workflows} workflows, {args.roles} accounts/roles/bindings, best of {args.repeat}")
    print(f"  load files          {load_time * 1000:8.1f} ms")
    print(f"  build RBAC model    {model_time * 1000:8.1f} ms")
    print(f"  account rules       {lint_time * 1000:8.1f} ms  ({per_doc:.2f} ms per workflow, "
          f"{len(result.diagnostics)} diagnostics)")


if __name__ == "__main__":
    main()

from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule

REQUIRED = (("requests", "cpu"), ("requests", "memory"), ("limits", "cpu"), ("limits", "memory"))


class MissingResources(Rule):
    """A container of a workflow pod sets no cpu and memory requests and limits.

    ## What it does
    Checks `resources.requests` and `resources.limits` (`cpu` and `memory`) of every
    container of the pod each container, script and containerSet template creates (init
    containers and sidecars included), taking `templateDefaults.container|script.resources`
    as defaults. A pod whose resources a `podSpecPatch` sets (or may set: one built from
    `{{...}}`) is not reported. A best-practice rule (`--select best-practice`); checkov's
    `CKV_K8S_10`-`13`, kube-linter's `unset-cpu-requirements` and
    `unset-memory-requirements`.

    ## Why is this bad?
    Without requests the scheduler packs pods onto nodes that cannot hold them; without
    limits one step (a fan-out of hundreds) can starve everything else on its nodes, and
    the first to be evicted under memory pressure are pods without requests, failing
    steps for no fault of theirs.

    ## Example
    ```yaml
    container:
      image: python:3.12-alpine
    ```

    Use instead:
    ```yaml
    container:
      image: python:3.12-alpine
      resources:
        requests: {cpu: 100m, memory: 128Mi}
        limits: {cpu: "1", memory: 512Mi}
    ```
    """

    id = "missing-resources"
    severity = Severity.WARNING
    category = "best-practice"

    def check_document(self, ctx):
        from argolint.analysis.pods import pods

        for pod in pods(ctx):
            if pod.dynamic_patches or "resources" in pod.patched_fields:
                continue
            for container in pod.containers:
                resources = container.resources
                missing = [f"{kind}.{what}" for kind, what in REQUIRED
                           if not isinstance(resources.get(kind), dict) or what not in resources[kind]]
                if missing:
                    yield Finding(container.path, f"{container.label} sets no resources {', '.join(missing)}",
                                  hint="set `resources.requests` and `resources.limits` (cpu, memory) on it, or "
                                  "for every template in `templateDefaults`", at="key")

from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule


class RunAsRoot(PodRule):
    """A workflow pod runs as root: `runAsUser: 0`, `runAsNonRoot: false`, or (Restricted) no `runAsNonRoot`.

    ## What it does
    Checks the pod each container, script and containerSet template creates, and its
    containers. With `--select security` (Baseline) it reports settings that ask for root:
    `runAsUser: 0` and `runAsNonRoot: false`. With `security: {profile: restricted}` it also
    requires `runAsNonRoot: true` at pod level (the workflow's or the template's
    `securityContext`) or on every container; this is checkov's `CKV_ARGO_2` and
    kube-linter's `run-as-non-root`, applied to each template's pod rather than to the
    workflow's `spec` alone. Argo's own `init` and `wait` containers take their settings
    from the controller's configuration.

    ## Why is this bad?
    Root in the container is root on the node's files it can reach and one kernel bug away
    from root on the node; images that do not need it should not get it.

    ## Example
    ```yaml
    spec:
      securityContext:
        runAsUser: 0
    ```

    Use instead:
    ```yaml
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 8737
    ```
    """

    id = "run-as-root"
    severity = Severity.WARNING
    security_severity = "6.0"

    def check_pods(self, pods, strict: bool):
        for pod in pods:
            scopes = [(pod.whose, pod.security)] + [(lambda s, c=c: pod.whose(s, c.label), c.security)
                                                    for c in pod.containers]
            for whose, security in scopes:
                user = security.get("runAsUser")
                if user is not None and user.value == 0 and user.value is not False:
                    yield Finding(user.path, f"{whose(user)} runs as root (`runAsUser: 0`{user.where})",
                                  hint="set a non-zero `runAsUser` and `runAsNonRoot: true`", at=user.at)
                non_root = security.get("runAsNonRoot")
                if non_root is not None and non_root.value is False:
                    yield Finding(non_root.path, f"{whose(non_root)} may run as root (`runAsNonRoot: false`"
                                  f"{non_root.where})", hint="set `runAsNonRoot: true`", at=non_root.at)
            if strict and not _non_root(pod):
                yield Finding(pod.name_path, f"{pod.label} does not require a non-root user (the restricted "
                              "profile requires `runAsNonRoot: true` at pod level or on every container)",
                              hint="add `securityContext: {runAsNonRoot: true}` to the template or to the "
                              "workflow's `spec`")


def _non_root(pod) -> bool:
    pod_level = pod.security.get("runAsNonRoot")
    if pod_level is not None and pod_level.value is True:
        return all(c.security.get("runAsNonRoot") is None or c.security["runAsNonRoot"].value is True
                   for c in pod.containers)
    return all(c.security.get("runAsNonRoot") is not None and c.security["runAsNonRoot"].value is True
               for c in pod.containers)

from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule


class PrivilegeEscalation(PodRule):
    """A container of a workflow pod may gain privileges (`allowPrivilegeEscalation` not false).

    ## What it does
    Checks `securityContext.allowPrivilegeEscalation` of every container of the pod each
    container, script and containerSet template creates. With `--select security` (Baseline)
    it reports an explicit `true`, as kube-linter's `privilege-escalation-container` and
    checkov's `CKV_K8S_20` do; with `security: {profile: restricted}` it requires `false`
    on every container. Argo's own `init` and `wait` containers take their settings from the
    controller's configuration.

    ## Why is this bad?
    Without it a process of the step can gain more privileges than its parent (setuid
    binaries, file capabilities): a foothold as an ordinary user becomes root in the
    container.

    ## Example
    ```yaml
    container:
      image: alpine:3.20
    ```

    Use instead:
    ```yaml
    container:
      image: alpine:3.20
      securityContext:
        allowPrivilegeEscalation: false
    ```
    """

    id = "privilege-escalation"
    severity = Severity.WARNING
    security_severity = "6.0"

    def check_pods(self, pods, strict: bool):
        for pod in pods:
            for container in pod.containers:
                setting = container.security.get("allowPrivilegeEscalation")
                if setting is not None and setting.value is True:
                    yield Finding(setting.path, f"{pod.whose(setting, container.label)} allows privilege escalation "
                                  f"(`allowPrivilegeEscalation: true`{setting.where})",
                                  hint="set `allowPrivilegeEscalation: false`", at=setting.at)
                elif strict and (setting is None or setting.value is not False):
                    yield Finding(container.path, f"{container.label} does not set `allowPrivilegeEscalation: false` "
                                  "(the restricted profile requires it on every container)",
                                  hint="add `securityContext: {allowPrivilegeEscalation: false}` to it", at="key")

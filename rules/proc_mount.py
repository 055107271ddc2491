from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule


class ProcMount(PodRule):
    """A container of a workflow pod unmasks `/proc` (`procMount` other than Default).

    ## What it does
    Checks `securityContext.procMount` of every container of the pod each container, script
    and containerSet template creates: it must be unset or `Default`. Part of the Pod
    Security Standards' Baseline profile (`--select security`).

    ## Why is this bad?
    `Unmasked` lifts the masking of the kernel's sensitive `/proc` entries that the runtime
    applies to every container, exposing the node's kernel interfaces to the step.

    ## Example
    ```yaml
    container:
      image: alpine:3.20
      securityContext:
        procMount: Unmasked
    ```

    Use instead:
    ```yaml
    container:
      image: alpine:3.20
    ```
    """

    id = "proc-mount"
    severity = Severity.WARNING
    security_severity = "6.0"

    def check_pods(self, pods, strict: bool):
        for pod in pods:
            for container in pod.containers:
                setting = container.security.get("procMount")
                if setting is not None and setting.value not in (None, "Default"):
                    yield Finding(setting.path, f"{pod.whose(setting, container.label)} mounts /proc "
                                  f"'{setting.value}'{setting.where}; expected 'Default'",
                                  hint="remove `procMount`", at=setting.at)

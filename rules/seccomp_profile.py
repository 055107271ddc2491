from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule

ALLOWED = ("RuntimeDefault", "Localhost")


class SeccompProfile(PodRule):
    """A workflow pod runs without a seccomp profile (`Unconfined`, or none under Restricted).

    ## What it does
    Checks `securityContext.seccompProfile.type` of the pod each container, script and
    containerSet template creates and of its containers. Baseline profile
    (`--select security`): it must not be `Unconfined`. Restricted profile (`security:
    {profile: restricted}`): it must also be set, to `RuntimeDefault` or `Localhost`, at pod
    level (the workflow's or the template's `securityContext`) or on every container.

    ## Why is this bad?
    Seccomp filters the system calls a container may make; without it the whole kernel
    interface is exposed to the step, and a kernel bug becomes a way out of the container.

    ## Example
    ```yaml
    spec:
      securityContext:
        seccompProfile:
          type: Unconfined
    ```

    Use instead:
    ```yaml
    spec:
      securityContext:
        seccompProfile:
          type: RuntimeDefault
    ```
    """

    id = "seccomp-profile"
    severity = Severity.WARNING
    security_severity = "5.0"

    def check_pods(self, pods, strict: bool):
        for pod in pods:
            for whose, _, setting in pod.security_settings(("seccompProfile",)):
                kind = setting.value.get("type") if isinstance(setting.value, dict) else None
                if kind == "Unconfined" or (strict and isinstance(kind, str) and kind not in ALLOWED):
                    path = setting.path_to("type")
                    yield Finding(path, f"{whose} runs with seccomp profile '{kind}'{setting.where}; expected "
                                  "'RuntimeDefault' or 'Localhost'", hint="set `seccompProfile.type: RuntimeDefault`",
                                  at=setting.at)
            if strict and not pod.pod_or_every_container("seccompProfile"):
                yield Finding(pod.name_path, f"{pod.label} sets no seccomp profile (the restricted profile "
                              "requires one at pod level or on every container)",
                              hint="add `securityContext: {seccompProfile: {type: RuntimeDefault}}` to the "
                              "template or to the workflow's `spec`")

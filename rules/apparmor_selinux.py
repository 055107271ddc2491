from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule

APPARMOR_ALLOWED = ("RuntimeDefault", "Localhost")
SELINUX_TYPES = ("container_t", "container_init_t", "container_kvm_t", "container_engine_t")
APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"
KEYS = ("appArmorProfile", "seLinuxOptions")


class ApparmorSelinux(PodRule):
    """A workflow pod lifts its AppArmor profile or sets custom SELinux options.

    ## What it does
    Checks the pod each container, script and containerSet template creates, and its
    containers: `securityContext.appArmorProfile.type` (and the legacy
    `container.apparmor.security.beta.kubernetes.io/*` annotations of the template's
    `metadata`) must be unset, `RuntimeDefault` or `Localhost`; `seLinuxOptions.type` must be
    unset or one of container_t, container_init_t, container_kvm_t, container_engine_t, and
    `seLinuxOptions.user` and `.role` unset. Part of the Pod Security Standards' Baseline
    profile (`--select security`).

    ## Why is this bad?
    These mandatory access controls confine the container even where its other settings
    leak; `Unconfined` AppArmor or a custom SELinux user, role or type turn them off or
    swap in a policy that may allow anything.

    ## Example
    ```yaml
    container:
      image: alpine:3.20
      securityContext:
        appArmorProfile:
          type: Unconfined
    ```

    Use instead:
    ```yaml
    container:
      image: alpine:3.20
      securityContext:
        appArmorProfile:
          type: RuntimeDefault
    ```
    """

    id = "apparmor-selinux"
    severity = Severity.WARNING
    security_severity = "5.0"

    def check_pods(self, pods, strict: bool):
        for pod in pods:
            for whose, key, setting in pod.security_settings(KEYS):
                value = setting.value if isinstance(setting.value, dict) else {}
                kind = value.get("type")
                if key == "appArmorProfile":
                    if isinstance(kind, str) and kind not in APPARMOR_ALLOWED:
                        yield _found(setting, "type", f"{whose} runs with AppArmor profile '{kind}'{setting.where}; "
                                     "expected 'RuntimeDefault' or 'Localhost'", "set `type: RuntimeDefault`")
                    continue
                if isinstance(kind, str) and kind and kind not in SELINUX_TYPES:
                    yield _found(setting, "type", f"{whose} sets the SELinux type '{kind}'{setting.where}; expected "
                                 f"one of {', '.join(SELINUX_TYPES)}", "set `type: container_t` or remove it")
                for field in ("user", "role"):
                    if value.get(field):
                        yield _found(setting, field, f"{whose} sets the SELinux {field} '{value[field]}'"
                                     f"{setting.where}; expected it unset")
            annotations = pod.template.data.get("metadata")
            annotations = annotations.get("annotations") if isinstance(annotations, dict) else None
            for key, value in (annotations.items() if isinstance(annotations, dict) else ()):
                if isinstance(key, str) and key.startswith(APPARMOR_ANNOTATION) and isinstance(value, str) \
                        and value != "runtime/default" and not value.startswith("localhost/"):
                    yield Finding(pod.template.path + ("metadata", "annotations", key),
                                  f"{pod.label} runs container '{key[len(APPARMOR_ANNOTATION):]}' with AppArmor "
                                  f"profile '{value}'; expected 'runtime/default' or 'localhost/...'",
                                  hint="remove the annotation, or set it to runtime/default", at="key")


def _found(setting, key, message, hint=None) -> Finding:
    path = setting.path_to(key)
    return Finding(path, message, hint=hint or f"remove `{key}`", at=setting.at)

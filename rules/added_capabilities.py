from argolint.diagnostics import Finding, Severity, quoted_list
from argolint.rules._pod_rule import PodRule

# The Pod Security Standards' Baseline allow-list (the capabilities a container runtime gives
# by default); Restricted allows adding only NET_BIND_SERVICE.
BASELINE_ALLOWED = frozenset({"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                              "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"})
RESTRICTED_ALLOWED = frozenset({"NET_BIND_SERVICE"})


class AddedCapabilities(PodRule):
    """A container of a workflow pod adds Linux capabilities beyond the allowed ones.

    ## What it does
    Checks `securityContext.capabilities` of every container of the pod each container,
    script and containerSet template creates (init containers and sidecars included,
    `templateDefaults` and literal `podSpecPatch`es applied). Baseline profile
    (`--select security`): `add` may only name the runtime's default capabilities
    (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP,
    SETGID, SETPCAP, SETUID, SYS_CHROOT). Restricted profile (`security: {profile:
    restricted}`): `add` may only name NET_BIND_SERVICE, and `drop` must include ALL (which
    also drops NET_RAW, kube-linter's `drop-net-raw-capability`). Argo's own `init` and
    `wait` containers take their settings from the controller's configuration.

    ## Why is this bad?
    SYS_ADMIN, NET_ADMIN, SYS_PTRACE and the like give the container powers over the node
    (mounting filesystems, reconfiguring its network, reading other processes); NET_RAW,
    granted by default, lets it spoof traffic. Pod Security admission rejects them.

    ## Example
    ```yaml
    container:
      image: alpine:3.20
      securityContext:
        capabilities:
          add: [SYS_ADMIN]
    ```

    Use instead:
    ```yaml
    container:
      image: alpine:3.20
      securityContext:
        capabilities:
          drop: [ALL]
    ```
    """

    id = "added-capabilities"
    severity = Severity.WARNING
    security_severity = "7.0"

    def check_pods(self, pods, strict: bool):
        allowed = RESTRICTED_ALLOWED if strict else BASELINE_ALLOWED
        profile = "restricted" if strict else "baseline"
        for pod in pods:
            for container in pod.containers:
                setting = container.security.get("capabilities")
                capabilities = setting.value if setting is not None and isinstance(setting.value, dict) else {}
                added = capabilities.get("add")
                added = [c for c in added if isinstance(c, str)] if isinstance(added, list) else []
                extra = [c for c in added if c.upper().removeprefix("CAP_") not in allowed]
                whose = pod.whose(setting, container.label) if setting is not None else container.label
                if extra:
                    path = setting.path_to("add")
                    yield Finding(path, f"{whose} adds the capabilities {quoted_list(extra)}{setting.where}; "
                                  f"the {profile} profile allows adding only {quoted_list(allowed, limit=len(allowed))}",
                                  hint="remove them from `capabilities.add`", at=setting.at)
                if not strict:
                    continue
                dropped = capabilities.get("drop")
                if isinstance(dropped, list) and any(isinstance(c, str) and c.upper() == "ALL" for c in dropped):
                    continue
                if setting is None:
                    yield Finding(container.path, f"{container.label} does not drop all capabilities "
                                  "(the restricted profile requires `capabilities.drop: [ALL]`)",
                                  hint="add `securityContext: {capabilities: {drop: [ALL]}}` to it", at="key")
                else:
                    yield Finding(setting.path, f"{whose} does not drop all capabilities{setting.where} "
                                  "(the restricted profile requires `capabilities.drop: [ALL]`)",
                                  hint="add `drop: [ALL]` to `capabilities`", at=setting.at)

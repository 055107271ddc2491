from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule

# The sysctls the Pod Security Standards' Baseline allows: namespaced, and unable to affect
# other pods on the node.
SAFE = frozenset({"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
                  "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
                  "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
                  "net.ipv4.tcp_keepalive_probes"})


class UnsafeSysctl(PodRule):
    """A workflow pod sets a kernel parameter (sysctl) outside the safe set.

    ## What it does
    Checks the pod-level `securityContext.sysctls` of the pod each container, script and
    containerSet template creates (the workflow's `securityContext`, the template's,
    `templateDefaults`, literal `podSpecPatch`es): every name must be in the safe set
    (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range,
    net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range,
    net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout,
    net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes). Part of the Pod Security
    Standards' Baseline profile (`--select security`); kube-linter's `unsafe-sysctls`.

    ## Why is this bad?
    Other sysctls are not isolated per pod: they change the kernel of the whole node, for
    every other pod on it. The kubelet refuses them unless allowed node by node, so the
    step also stays Pending on most clusters.

    ## Example
    ```yaml
    securityContext:
      sysctls:
      - name: kernel.msgmax
        value: "65536"
    ```

    Use instead:
    ```yaml
    securityContext:
      sysctls:
      - name: net.ipv4.ip_local_port_range
        value: "1024 65535"
    ```
    """

    id = "unsafe-sysctl"
    severity = Severity.WARNING
    security_severity = "6.0"

    def check_pods(self, pods, strict: bool):
        for pod in pods:
            setting = pod.security.get("sysctls")
            if setting is None or not isinstance(setting.value, list):
                continue
            for i, sysctl in enumerate(setting.value):
                name = sysctl.get("name") if isinstance(sysctl, dict) else None
                if isinstance(name, str) and name not in SAFE and "{{" not in name:
                    path = setting.path_to(i, "name")
                    yield Finding(path, f"{pod.whose(setting)} sets the sysctl '{name}'{setting.where}, "
                                  "which is not in the safe set and changes the whole node's kernel",
                                  hint="remove it, or run the step on dedicated nodes that allow it",
                                  at="value")

from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule


class HostPort(PodRule):
    """A container of a workflow pod binds a port of the node (`hostPort`).

    ## What it does
    Checks `ports[*].hostPort` of every container of the pod each container, script and
    containerSet template creates (init containers and sidecars included): it must be unset
    or 0. Part of the Pod Security Standards' Baseline profile (`--select security`).

    ## Why is this bad?
    A host port exposes the pod on the node's network, outside the cluster's network
    policies, and two pods wanting the same host port cannot run on one node: parallel
    steps stay Pending. Pod Security admission rejects it under `baseline`.

    ## Example
    ```yaml
    container:
      image: nginx:1.27
      ports:
      - containerPort: 80
        hostPort: 8080
    ```

    Use instead: reach the step (a daemon step, a sidecar) through its pod IP or a Service:
    ```yaml
    container:
      image: nginx:1.27
      ports:
      - containerPort: 80
    ```
    """

    id = "host-port"
    severity = Severity.WARNING
    security_severity = "5.0"

    def check_pods(self, pods, strict: bool):
        for pod in pods:
            for container in pod.containers:
                ports = container.data.get("ports")
                for i, port in enumerate(ports if isinstance(ports, list) else []):
                    host_port = port.get("hostPort") if isinstance(port, dict) else None
                    if host_port not in (None, 0, "0") and "{{" not in str(host_port):  # a tag: known at run time
                        yield Finding(container.path + ("ports", i, "hostPort"),
                                      f"{container.label} binds port {host_port} of the node",
                                      hint="remove `hostPort`", at="key")

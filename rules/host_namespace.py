from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule

NAMESPACES = {"hostNetwork": "network", "hostPID": "process", "hostIPC": "IPC"}


class HostNamespace(PodRule):
    """A workflow pod shares the node's network, process or IPC namespace.

    ## What it does
    Checks the pod of every container, script and containerSet template for `hostNetwork`,
    `hostPID` or `hostIPC` set to true: the workflow's `spec.hostNetwork`, or a
    `podSpecPatch` (the workflow's or the template's). Part of the Pod Security Standards'
    Baseline profile (`--select security`).

    ## Why is this bad?
    With the node's network the pod reaches every service bound to the node's localhost
    and can sniff its traffic; with its process namespace it sees (and with enough rights
    signals or reads the memory of) every process on the node; with its IPC namespace it
    shares the node's shared memory. Pod Security admission rejects such a pod under
    `baseline`.

    ## Example
    ```yaml
    spec:
      entrypoint: main
      hostNetwork: true
    ```

    Use instead: drop `hostNetwork` and reach what the step needs through a Service:
    ```yaml
    spec:
      entrypoint: main
    ```
    """

    id = "host-namespace"
    severity = Severity.ERROR
    security_severity = "8.0"

    def check_pods(self, pods, strict: bool):
        for pod in pods:
            for key, setting in pod.host.items():
                if setting.value is True:
                    yield Finding(setting.path, f"{pod.whose(setting)} shares the node's {NAMESPACES[key]} namespace "
                                  f"(`{key}: true`{setting.where})", hint=f"remove `{key}` (or set it to false)",
                                  at=setting.at)

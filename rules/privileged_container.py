from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule


class PrivilegedContainer(PodRule):
    """A container of a workflow pod runs privileged, or as a Windows HostProcess.

    ## What it does
    Checks every container of the pod each container, script and containerSet template
    creates (init containers and sidecars included, with `templateDefaults` and literal
    `podSpecPatch`es applied) for `securityContext.privileged: true`, and the pod and its
    containers for `securityContext.windowsOptions.hostProcess: true`. Part of the Pod
    Security Standards' Baseline profile (`--select security`).

    ## Why is this bad?
    A privileged container has every capability and sees every device of the node: whoever
    controls it (a compromised image, a parameter injected into its command) controls the
    node. A Windows HostProcess container is the same on Windows nodes. The Pod Security
    admission controller rejects such a pod in a namespace enforcing `baseline`.

    ## Example
    ```yaml
    - name: build
      container:
        image: docker:27-dind
        securityContext:
          privileged: true
    ```

    Use instead: a builder that needs no privileges (kaniko, buildah in rootless mode):
    ```yaml
    - name: build
      container:
        image: gcr.io/kaniko-project/executor:v1.23.2
    ```
    """

    id = "privileged-container"
    severity = Severity.ERROR
    security_severity = "9.0"

    def check_pods(self, pods, strict: bool):
        for pod in pods:
            host_process = pod.security.get("windowsOptions")
            if host_process is not None and _host_process(host_process.value):
                yield Finding(host_process.path, f"{pod.whose(host_process)} runs as a Windows HostProcess pod"
                              f"{host_process.where}", hint="remove `windowsOptions.hostProcess: true`",
                              at=host_process.at)
            for container in pod.containers:
                privileged = container.security.get("privileged")
                if privileged is not None and privileged.value is True:
                    yield Finding(privileged.path, f"{pod.whose(privileged, container.label)} runs privileged{privileged.where}: "
                                  "it has every capability and device of the node",
                                  hint="remove `privileged: true` (or set it to false)", at=privileged.at)
                options = container.security.get("windowsOptions")
                if options is not None and _host_process(options.value):
                    yield Finding(options.path, f"{pod.whose(options, container.label)} runs as a Windows HostProcess container"
                                  f"{options.where}", hint="remove `windowsOptions.hostProcess: true`", at=options.at)


def _host_process(options) -> bool:
    return isinstance(options, dict) and options.get("hostProcess") is True

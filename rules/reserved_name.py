from argolint.diagnostics import Finding
from argolint.rules._pod_templates import added_containers, label
from argolint.rules.base import Rule


# Containers Argo adds to every pod: `init` (an init container) and `wait`; `supervisor`
# and the `artifact-plugin-` prefix are reserved by Argo's validator as well.
ARGO_CONTAINERS = ("init", "wait", "supervisor")
ARGO_PREFIX = "artifact-plugin-"
MAIN = "main"  # the container of a container or script template


class ReservedName(Rule):
    """A sidecar, init container or containerSet container named like one of Argo's.

    ## What it does
    Checks the names of sidecars, init containers and containerSet containers against the
    containers Argo puts in every pod: `init`, `wait`, `supervisor` and `artifact-plugin-*`
    (Argo's validator checks sidecars and containerSet containers for `wait`, `supervisor`
    and `artifact-plugin-*`). A sidecar or init container of a container or script
    template may not be named `main` either: that is the template's own container.

    ## Why is this bad?
    Argo rejects the workflow ("is a reserved Argo container name"), or Kubernetes refuses
    the pod because two of its containers share a name, and the step fails.

    ## Example
    A log-shipping sidecar named after what it does:
    ```yaml
    - name: main
      container: {image: alpine:3.20, command: [./run.sh]}
      sidecars:
      - name: wait
        image: busybox:1.36
        command: [sh, -c, "until [ -f /tmp/done ]; do sleep 1; done"]
    ```

    Use instead:
    ```yaml
      sidecars:
      - name: wait-for-done
        image: busybox:1.36
        command: [sh, -c, "until [ -f /tmp/done ]; do sleep 1; done"]
    ```
    """

    id = "reserved-name"

    def check_document(self, ctx):
        for template, path, container, what in added_containers(ctx):
            name = container.get("name")
            if not isinstance(name, str):
                continue
            if name in ARGO_CONTAINERS or name.startswith(ARGO_PREFIX):
                yield Finding(path + ("name",), f"{what} '{name}' of {label(template)} has the name of a container "
                              "Argo adds to every pod",
                              hint="rename it: Argo reserves 'init', 'wait', 'supervisor' and 'artifact-plugin-*'")
            elif (name == MAIN and what != "containerSet container"
                  and ("container" in template.data or "script" in template.data)):
                yield Finding(path + ("name",), f"{what} '{name}' of {label(template)} has the name of the "
                              "template's own container, 'main'", hint="rename it")

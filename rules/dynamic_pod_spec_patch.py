from argolint.diagnostics import Finding, Severity
from argolint.rules._pod_rule import PodRule


class DynamicPodSpecPatch(PodRule):
    """A `podSpecPatch` built from `{{...}}` tags, which the security rules cannot check.

    ## What it does
    Reports a workflow's, `templateDefaults`' or template's `podSpecPatch` that contains a
    `{{...}}` tag, when the security rules run (`--select security`): its content is known
    only at run time, so the pod it patches is judged without it.

    ## Why is this bad?
    A patch can set anything in the pod: `privileged`, `hostPID`, hostPath volumes. One
    assembled from parameters is as safe as the parameters, and whoever sets them may set
    these too; a review cannot rule that out.

    ## Example
    ```yaml
    podSpecPatch: '{{inputs.parameters.patch}}'
    ```

    Use instead: a literal patch (the resource values as parameters of it are fine to
    replace by fields of the template, `resources`, `nodeSelector` ...):
    ```yaml
    podSpecPatch: |
      containers:
      - name: main
        resources:
          limits:
            memory: 1Gi
    ```
    """

    id = "dynamic-pod-spec-patch"
    severity = Severity.INFO
    security_severity = "3.0"

    def check_pods(self, pods, strict: bool):
        from argolint.analysis.pods import Setting

        return (Finding(path, f"the podSpecPatch of {pod.whose(Setting(None, path))} contains `{{{{...}}}}`, known "
                        "only at run time: the security rules could not check what it sets",
                        hint="write the patch literally, or set the fields it patches on the template")
                for pod in pods for path in pod.dynamic_patches)

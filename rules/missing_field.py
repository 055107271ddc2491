from argolint.rules.base import Rule


class MissingField(Rule):
    """A required field is absent.

    ## What it does
    Checks that every object has the fields Argo and Kubernetes require: a template's,
    step's, task's and parameter's `name`, a DAG's `tasks`, an env var's `name`, a volume
    mount's `name` and `mountPath`, a resource template's `action`, a CronWorkflow's
    `schedules` and `workflowSpec`, `metadata.name` (or `generateName`; an object without
    `metadata` and one with `metadata: {}` get the same error), an executor plugin's
    `metadata.name` and its sidecar container's `ports`, `resources.requests`,
    `resources.limits` and `securityContext`, and a Workflow's or CronWorkflow's
    `entrypoint` (unless its `workflowTemplateRef` supplies one).
    WorkflowTemplates and ClusterWorkflowTemplates need no entrypoint. The diagnostic
    points at the key of the object missing the field.

    ## Why is this bad?
    The cluster rejects the manifest when it is submitted ("spec.entrypoint is required",
    "templates.main.steps[0].name is required"), or the object is unusable.

    ## Example
    ```yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata:
      generateName: hello-
    spec:
      templates:
      - name: main
        container: {image: alpine}
    ```

    Use instead:
    ```yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata:
      generateName: hello-
    spec:
      entrypoint: main
      templates:
      - name: main
        container: {image: alpine}
    ```
    """

    id = "missing-field"

    def check_document(self, ctx):
        from argolint.schema import schema_findings

        return schema_findings(ctx)[self.id]

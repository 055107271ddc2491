from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule

KINDS = ("Workflow", "WorkflowTemplate", "CronWorkflow")


class MissingServiceAccount(Rule):
    """A workflow spec without `serviceAccountName`.

    ## What it does
    Checks that every Workflow, WorkflowTemplate and CronWorkflow names the service account
    its pods run as, with `spec.serviceAccountName` (`spec.workflowSpec.serviceAccountName`
    for a CronWorkflow) or `executor.serviceAccountName`.

    ## Why is this bad?
    Without it the pods run as the namespace's `default` account. Since Argo 3.4 the
    executor in every pod creates and patches `workflowtaskresults` to report outputs; the
    `default` account has no such rights, so the workflow fails or hangs on the cluster, not
    before.

    ## Example
    ```yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata:
      generateName: hello-world-
    spec:
      entrypoint: main
    ```

    Use instead:
    ```yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata:
      generateName: hello-world-
    spec:
      entrypoint: main
      serviceAccountName: argo-workflow-sa  # bound to a Role with create+patch on workflowtaskresults
    ```
    """

    id = "missing-service-account"
    severity = Severity.WARNING

    def check_document(self, ctx):
        spec = ctx.spec
        if spec.kind not in KINDS:
            return
        if isinstance(spec.data.get("serviceAccountName"), str):
            return
        executor = spec.data.get("executor")
        if isinstance(executor, dict) and isinstance(executor.get("serviceAccountName"), str):
            return
        key = "workflowSpec" if spec.kind == "CronWorkflow" else "spec"
        yield Finding(
            spec.path,
            f"{spec.kind} has no serviceAccountName: its pods run as the namespace's 'default' account, "
            "which cannot create and patch workflowtaskresults",
            hint=f"set `{key}.serviceAccountName` to an account bound to a Role granting create and patch "
            "on workflowtaskresults.argoproj.io",
            at="key",
        )

from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule

KINDS = ("Workflow", "WorkflowTemplate", "CronWorkflow")


class MissingServiceAccount(Rule):
    """A workflow whose pods would run as the namespace's `default` service account.

    ## What it does
    Checks that the pods of every Workflow, WorkflowTemplate and CronWorkflow run as a named
    service account: `spec.serviceAccountName` (`spec.workflowSpec.serviceAccountName` for a
    CronWorkflow), `executor.serviceAccountName`, `templateDefaults`, or a
    `serviceAccountName` on every template that runs a pod. A Workflow that runs a
    WorkflowTemplate (`workflowTemplateRef`) may take it from that template; when the
    WorkflowTemplate is not among the inputs nothing is reported. Set
    `default-service-account` in the configuration when the cluster's controller gives one
    through `workflowDefaults`. When the RBAC manifests among the inputs grant the `default`
    account what the executor needs, nothing is reported either.

    ## Why is this bad?
    Without it the pods run as the namespace's `default` account. Since Argo 3.4 the
    executor in every pod creates and patches `workflowtaskresults` to report outputs; the
    `default` account has no such rights, so the workflow fails or hangs on the cluster, not
    before. The same check is checkov's `CKV_ARGO_1`, which only looks at `spec`.

    ## Example
    ```yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata:
      generateName: hello-world-
    spec:
      entrypoint: main
      templates:
        - name: main
          container:
            image: alpine:3.20
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
      templates:
        - name: main
          container:
            image: alpine:3.20
    ```
    """

    id = "missing-service-account"
    severity = Severity.WARNING

    def check_document(self, ctx):
        from argolint.analysis.accounts import account_plan, default_account_can_execute

        spec = ctx.spec
        if spec.kind not in KINDS:
            return
        plan = account_plan(ctx)
        if plan.reference_unknown:
            return  # the WorkflowTemplate it runs, not among the inputs, may name one
        defaulted = [pod.label + (" (its agent pod takes the workflow's account)" if pod.agent else "")
                     for pod in plan.pods if pod.account.origin == "namespace-default"]
        if plan.workflow_account.origin == "namespace-default" and plan.unresolved_calls:
            defaulted.append("templates called by templateRef")
        if not defaulted or default_account_can_execute(ctx, plan):
            return
        key = "workflowSpec" if spec.kind == "CronWorkflow" else "spec"
        subject = f"{spec.kind} has no serviceAccountName"
        if plan.referenced is not None:
            subject += f", nor has {plan.referenced.kind} '{plan.referenced.name}' it runs"
        whose = "its"
        if len(defaulted) < len(plan.pods) + bool(plan.unresolved_calls):
            labels = list(dict.fromkeys(defaulted))
            shown = ", ".join(labels[:5]) + (f" and {len(labels) - 5} more" if len(labels) > 5 else "")
            subject += f", and these templates set none: {shown}"
            whose = "their"
        yield Finding(
            spec.path,
            f"{subject}: {whose} pods run as the namespace's 'default' account, "
            "which cannot create and patch workflowtaskresults",
            hint=f"set `{key}.serviceAccountName` to an account bound to a Role granting create and patch "
            "on workflowtaskresults.argoproj.io (or `default-service-account` in the argolint configuration "
            "when the controller's workflowDefaults set one)",
            at="key",
        )

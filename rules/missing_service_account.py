from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule

KINDS = ("Workflow", "WorkflowTemplate", "CronWorkflow")
FALLBACK_ACCOUNT = "argo-workflow"  # the executor account of Argo's Helm chart and quick start
MAX_ACCOUNT_CHOICES = 3


def accounts_to_insert(ctx, namespace) -> list:
    """Accounts the fix may name, best first: `fix.service-account` of the configuration;
    else the only ServiceAccount the RBAC inputs let do the executor's work; else the
    ServiceAccounts among the inputs (the document's namespace first); else Argo's usual
    `argo-workflow`."""
    configured = ctx.config.fix.service_account if getattr(ctx.config, "fix", None) else None
    if configured:
        return [configured]
    from argolint.analysis.accounts import EXECUTOR_NEEDS
    from argolint.analysis.rbac import Permission, checks_permissions, rbac_model

    here, elsewhere = [], []
    for doc in ctx.project.by_kind.get("ServiceAccount", []):
        name = doc.metadata.get("name")
        if isinstance(name, str) and name not in here and name not in elsewhere:
            (here if doc.namespace in (None, namespace) else elsewhere).append(name)
    if namespace is not None and here and checks_permissions(ctx.project, ctx.config):
        model = rbac_model(ctx.project, ctx.config)
        able = [name for name in here if all(
            model.decide(namespace, name, Permission(verb, group, resource, namespace)).allowed
            for verb, group, resource in EXECUTOR_NEEDS)]
        if len(able) == 1:
            return able
    return (here + elsewhere)[:MAX_ACCOUNT_CHOICES] or [FALLBACK_ACCOUNT]


def insert_account_edits(ctx, spec_path: tuple, namespace) -> tuple:
    """Unsafe edits adding `serviceAccountName: NAME` to the spec (after `entrypoint`), one
    per account to choose from."""
    from argolint.load.text_edits import insert_entry, plain_or_quoted

    edits = []
    for name in accounts_to_insert(ctx, namespace):
        edit = insert_entry(ctx.document, spec_path, f"serviceAccountName: {plain_or_quoted(name)}",
                            f"Add serviceAccountName: {name}", after="entrypoint")
        if edit is not None:
            edits.append(edit)
    return tuple(edits)


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
            edits=insert_account_edits(ctx, spec.path, plan.namespace),
        )

from argolint.diagnostics import Finding, Severity
from argolint.rules._levels import template_levels
from argolint.rules.base import Rule


class DefaultServiceAccount(Rule):
    """A workflow names the namespace's `default` service account explicitly.

    ## What it does
    Reports `serviceAccountName: default` on the workflow's spec, `executor`,
    `templateDefaults` or a template. A workflow that sets no account at all is
    `missing-service-account`'s (a correctness rule, on by default: the executor cannot
    report outputs with the `default` account). A best-practice rule
    (`--select best-practice`); checkov's `CKV_ARGO_1` and `CKV_K8S_41`.

    ## Why is this bad?
    The `default` account is shared by every pod of the namespace that names no other: the
    rights granted to it for this workflow are granted to all of them, and the rights
    others need are granted to this workflow.

    ## Example
    ```yaml
    spec:
      serviceAccountName: default
    ```

    Use instead: an account of the workflow's own, bound to a Role with what it needs:
    ```yaml
    spec:
      serviceAccountName: argo-workflow-sa
    ```
    """

    id = "default-service-account"
    severity = Severity.WARNING
    category = "best-practice"

    def check_document(self, ctx):
        for data, path, _ in template_levels(ctx.spec):
            for keys in (("serviceAccountName",), ("executor", "serviceAccountName")):
                holder = data.get("executor") if len(keys) == 2 else data
                if isinstance(holder, dict) and holder.get(keys[-1]) == "default":
                    yield Finding(path + keys, "the pods run as the namespace's shared 'default' service account",
                                  hint="create an account for this workflow, bound to a Role with what it needs")

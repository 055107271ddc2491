from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule, closest, did_you_mean


class ServiceAccountNotFound(Rule):
    """A service account that none of the ServiceAccount manifests among the inputs defines.

    ## What it does
    When ServiceAccount manifests are among the inputs (the files given and the template
    paths), checks that every account a workflow names (`serviceAccountName` and
    `executor.serviceAccountName` of the spec, of `templateDefaults` and of each template, and
    the configured `default-service-account`) is one of them, in the namespace the workflow
    runs in (`metadata.namespace`, else the configured `namespace`, `default` by default).
    Every namespace has its `default` account. `rbac: always` checks even without
    ServiceAccount manifests; `rbac: off` never checks. Names holding `{{...}}` are not
    checked.

    ## Why is this bad?
    The controller cannot create a pod for an account that does not exist: the workflow
    fails at its first step with an error about the service account, often after a typo in
    either the workflow or the ServiceAccount, or with the account created in another
    namespace.

    ## Example
    ```yaml
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: argo-workflow-sa
    ---
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata:
      generateName: hello-
    spec:
      entrypoint: main
      serviceAccountName: argo-workflows-sa
      templates:
        - name: main
          container:
            image: alpine:3.20
    ```

    Use instead:
    ```yaml
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: argo-workflow-sa
    ---
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata:
      generateName: hello-
    spec:
      entrypoint: main
      serviceAccountName: argo-workflow-sa
      templates:
        - name: main
          container:
            image: alpine:3.20
    ```
    """

    id = "service-account-not-found"
    severity = Severity.ERROR

    def check_document(self, ctx):
        from argolint.analysis.accounts import account_plan
        from argolint.analysis.rbac import checks_accounts, rbac_model

        if not checks_accounts(ctx.project, ctx.config):
            return
        plan = account_plan(ctx)
        model = rbac_model(ctx.project, ctx.config)
        sources = {source.path: source for source in plan.named}
        configured = next((pod.account for pod in plan.pods if pod.account.origin == "config"), None)
        for source in list(sources.values()) + ([configured] if configured else []):
            if source.templated:
                continue
            found = self._check(ctx, model, plan.namespace, source)
            if found is not None:
                yield found

    def _check(self, ctx, model, namespace, source):
        name = source.name
        configured = source.origin == "config"
        what = f"service account '{name}'" + (" (the configured default-service-account)" if configured else "")
        if namespace is None:  # a ClusterWorkflowTemplate runs in its callers' namespaces
            if name == "default" or model.namespaces_with_account(name):
                return None
            message = f"{what} is not among the ServiceAccounts of the inputs"
            hint = did_you_mean(name, model.account_names())
        elif model.account_exists(namespace, name):
            return None
        else:
            elsewhere = model.namespaces_with_account(name)
            kind = ctx.document.kind
            if elsewhere:
                places = ", ".join(f"'{ns}'" for ns in elsewhere)
                message = (f"{what} is not in namespace '{namespace}', where this {kind} runs; "
                           f"the inputs define it in namespace {places}")
                hint = (f"set metadata.namespace of the {kind} to '{elsewhere[0]}', or create the "
                        f"ServiceAccount in '{namespace}'")
            else:
                message = f"{what} is not among the ServiceAccounts of the inputs in namespace '{namespace}'"
                hint = did_you_mean(name, model.account_names(namespace)) or did_you_mean(name, model.account_names())
        if hint is None:
            hint = "add its ServiceAccount manifest to the inputs, or set `rbac: off` if accounts are managed elsewhere"
        if configured:
            # The span is the `spec` key: a did-you-mean hint would read as a replacement for it.
            match = closest(name, model.account_names(namespace))
            if match is not None:
                hint = f"the configuration's default-service-account should probably be '{match}'"
            return Finding(ctx.spec.path, message, hint=hint, at="key")
        return Finding(source.path, message, hint=hint)

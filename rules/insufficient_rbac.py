from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule


class InsufficientRbac(Rule):
    """A service account whose Roles and ClusterRoles lack what the workflow's pods need.

    ## What it does
    When Roles, ClusterRoles or bindings are among the inputs (the files given and the
    template paths), works out which account acts for each pod (the template's
    `executor.serviceAccountName` or `serviceAccountName`, else the workflow's) and checks,
    the way Kubernetes' RBAC authorizer would, that the RoleBindings of the workflow's
    namespace and the ClusterRoleBindings give it:

    - `create` and `patch` on `workflowtaskresults` in `argoproj.io`, which the executor in
      every pod needs to report outputs (Argo 3.4 and later);
    - `list` and `watch` on `workflowtasksets` and `patch` on `workflowtasksets/status` for
      the agent pod of HTTP and plugin templates;
    - for a resource template, its action's verbs on the manifest's resource (`get`;
      `create`; `apply`: `get`, `create`, `patch`; `delete`; `replace`: `update`; `patch`),
      in the manifest's namespace, plus `get` when it waits on a `successCondition` or
      `failureCondition` or reads output parameters from the resource. Core, common and Argo
      kinds map to their API group and plural; other kinds get a lowercase plural, and the
      message says it was derived.

    Wildcards (`*`) in verbs, apiGroups and resources count, `resourceNames` restrict,
    ClusterRoles bound by RoleBindings count in the binding's namespace, and aggregated
    ClusterRoles collect the rules of the ClusterRoles their selectors match. A binding to
    `cluster-admin` allows everything; one to `admin`, `edit`, `view` or a `system:` role
    (built-in, their rules depend on the cluster) leaves the answer open, and nothing is
    reported. The message names the missing verbs, the resource, the account and the
    bindings considered. `rbac: always` checks even without RBAC manifests among the inputs;
    `rbac: off` never checks.

    ## Why is this bad?
    The cluster refuses the request when the pod makes it: the step fails (or, for
    `workflowtaskresults`, hangs or loses its outputs) after the earlier steps have already
    run. The Role, the binding and the workflow usually live in different files, and a
    missing verb or a binding in the wrong namespace is easy to miss in review.

    ## Example
    ```yaml
    apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata:
      name: executor
    rules:
      - apiGroups: [argoproj.io]
        resources: [workflowtaskresults]
        verbs: [create]
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata:
      name: executor-binding
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: executor}
    subjects:
      - kind: ServiceAccount
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

    Use instead:
    ```yaml
    apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata:
      name: executor
    rules:
      - apiGroups: [argoproj.io]
        resources: [workflowtaskresults]
        verbs: [create, patch]
    ```
    """

    id = "insufficient-rbac"
    severity = Severity.ERROR

    def check_document(self, ctx):
        from argolint.analysis.accounts import EXECUTOR_REASON, account_plan, default_account_can_execute
        from argolint.analysis.rbac import checks_accounts, checks_permissions, rbac_model

        if not checks_permissions(ctx.project, ctx.config):
            return
        plan = account_plan(ctx)
        namespace = plan.namespace
        if namespace is None:
            return  # a ClusterWorkflowTemplate: its callers' namespaces are not known here
        model = rbac_model(ctx.project, ctx.config)
        must_exist = checks_accounts(ctx.project, ctx.config)
        gaps: dict = {}
        for pod in plan.pods:
            account = pod.account
            if account.templated or (account.document is not None and account.document is not ctx.document):
                continue  # unknowable, or reported on the document that names it
            if must_exist and not model.account_exists(namespace, account.name):
                continue  # service-account-not-found reports it
            needs = pod.needs
            if account.origin == "namespace-default":
                # missing-service-account reports the executor's needs of the default account
                if not default_account_can_execute(ctx, plan):
                    continue
                needs = [n for n in needs if n.reason != EXECUTOR_REASON]
            for need in needs:
                permission = need.permission
                decision = model.decide(namespace, account.name, permission)
                if decision.allowed is not False:
                    continue  # allowed, or bound to a built-in role whose rules are unknown
                where = account.path if account.document is not None else account.origin
                gap = gaps.setdefault((where, account.name, permission.group, permission.resource,
                                       permission.namespace), _Gap(account, permission, decision, need.derived_from))
                gap.verbs.setdefault(permission.verb, None)
                gap.reasons.setdefault(need.reason, None)
        for gap in gaps.values():
            yield gap.finding(ctx, model, namespace)


class _Gap:
    """Verbs one account lacks on one resource, and the pods that need them."""

    def __init__(self, account, permission, decision, derived_from):
        self.account = account
        self.permission = permission
        self.decision = decision
        self.derived_from = derived_from
        self.verbs: dict = {}
        self.reasons: dict = {}

    def finding(self, ctx, model, namespace) -> Finding:
        from argolint.analysis.rbac import verb_list

        account, permission = self.account, self.permission
        verbs = verb_list(self.verbs)
        notes = [] if permission.group else ["core API group"]
        if permission.namespace is None:
            notes.append("cluster-scoped")
        if self.derived_from:
            notes.append(f"plural derived from kind '{self.derived_from}', which argolint does not know")
        target = permission.target + (f" ({', '.join(notes)})" if notes else "")
        if permission.namespace is not None:
            target += f" in namespace '{permission.namespace}'"
        who = f"service account '{account.name}'"
        if account.origin == "config":
            who += " (the configured default-service-account)"
        elif account.origin == "namespace-default":
            who = "the namespace's 'default' service account (no serviceAccountName is set)"
        reasons = list(self.reasons)
        needers = ", ".join(reasons[:-1]) + " and " + reasons[-1] if len(reasons) > 1 else reasons[0]
        message = f"{who} lacks {verbs} on {target}, needed by {needers}; {self._bindings(model, namespace)}"
        hint = self._hint(model, verbs, namespace)
        if account.document is None:
            return Finding(ctx.spec.path, message, hint=hint, at="key")
        return Finding(account.path, message, hint=hint)

    def _bindings(self, model, namespace) -> str:
        considered = self.decision.considered
        if considered:
            text = "bindings considered: " + ", ".join(b.describe() for b in considered)
        else:
            request_ns = self.permission.namespace
            text = ("no ClusterRoleBinding among the inputs binds it" if request_ns is None else
                    f"no RoleBinding in namespace '{request_ns}' and no ClusterRoleBinding among the inputs binds it")
            others = model.bindings_elsewhere(namespace, self.account.name, request_ns)
            if others:
                text += " (not applicable here: " + ", ".join(b.describe() for b in others) + ")"
        for binding, _ in self.decision.missing_roles:
            text += f"; {binding.role_kind} '{binding.role_name}' is not among the inputs"
        return text

    def _hint(self, model, verbs, namespace) -> str:
        permission = self.permission
        if self.decision.missing_roles:
            binding, closest = self.decision.missing_roles[0]
            found = f" ({binding.role_kind} '{closest}' is among the inputs)" if closest else ""
            return (f"fix the roleRef of {binding.kind} '{binding.name}'{found}, or add {binding.role_kind} "
                    f"'{binding.role_name}' granting {verbs} on {permission.target}")
        group = f'"{permission.group}"'
        roles = {(b.role_kind, b.role_name) for b in self.decision.considered if not model.role_missing(b)}
        if len(roles) == 1:
            kind, name = roles.pop()
            return (f"add {verbs} to a rule of {kind} '{name}' with apiGroups [{group}] and "
                    f"resources [{permission.resource}]")
        binding = ("a ClusterRoleBinding" if permission.namespace is None
                   else f"a RoleBinding in namespace '{permission.namespace}'")
        return (f"bind the account ({namespace}/{self.account.name}) with {binding} to a role granting {verbs} "
                f"on {permission.target}")

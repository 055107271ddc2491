from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule, did_you_mean


class UnresolvedTemplateRef(Rule):
    """A templateRef or workflowTemplateRef to a WorkflowTemplate that is not among the inputs.

    ## What it does
    Reports a `templateRef` (of a step, task or hook) or a `workflowTemplateRef` whose
    WorkflowTemplate or ClusterWorkflowTemplate is neither in the files linted nor under the
    configured `template-paths` (`--template-path`), naming what was looked for. Templated
    names (`{{...}}`) are skipped. When the WorkflowTemplate is found but lacks the template,
    `unknown-template` reports it instead.

    ## Why is this bad?
    The reference cannot be checked: whether the template exists, which inputs it needs and
    which outputs it produces stay unknown, so mistakes there reach the cluster. A typo in
    the WorkflowTemplate's name, or a wrong `clusterScope`, fails at submit time. The
    default severity is warning because the template may well exist in the cluster; set
    `severity: {unresolved-template-ref: error}` to require every reference to resolve.

    ## Example
    ```yaml
    # argolint wf.yaml   (wf.yaml refers to WorkflowTemplate 'build-tools')
    steps:
    - - name: build
        templateRef: {name: build-tools, template: go-build}
    ```

    Use instead:
    ```yaml
    # argolint wf.yaml workflowtemplates/   (or template-paths: [workflowtemplates])
    steps:
    - - name: build
        templateRef: {name: build-tools, template: go-build}
    ```
    """

    id = "unresolved-template-ref"
    severity = Severity.WARNING

    def _check(self, ctx, ref, what: str):
        from argolint.analysis.graph import is_dynamic, resolve_template_ref

        if not ref.name or is_dynamic(ref.name) or resolve_template_ref(ctx.project, ref, ctx.document.namespace):
            return
        project = ctx.project
        namespaced = ("WorkflowTemplate", project.workflow_templates)
        cluster = ("ClusterWorkflowTemplate", project.cluster_workflow_templates)
        (kind, same), (other_kind, other) = (cluster, namespaced) if ref.cluster_scope else (namespaced, cluster)
        if other.get(ref.name):
            scope = "false" if ref.cluster_scope else "true"
            hint = f"a {other_kind} '{ref.name}' is among the inputs: set clusterScope: {scope}"
        else:
            hint = did_you_mean(ref.name, [n for n, docs in same.items() if docs]) or (
                "lint the file that defines it together with this one, or add its folder to `template-paths`")
        yield Finding(ref.path + ("name",),
                      f"{kind} '{ref.name}' is not among the linted files or template paths, so {what} cannot "
                      "be checked",
                      hint=hint)

    def _refs(self, ctx, data, path, caller):
        from argolint.analysis.graph import own_template_refs

        for ref in own_template_refs(data, path):
            template = f"template '{ref.template}'" if ref.template else "template"
            yield from self._check(ctx, ref, f"the {template} called by {caller}")

    def check_document(self, ctx):
        spec = ctx.spec
        ref = spec.workflow_template_ref
        if ref is not None:
            yield from self._check(ctx, ref, "the spec this workflow runs")
        yield from self._refs(ctx, spec.data, spec.path, "a workflow hook")

    def check_template(self, ctx, template):
        # one hook per template, not per step: most steps have no templateRef at all
        for kind, calls in (("step", template.steps), ("task", template.tasks)):
            for call in calls:
                if "templateRef" in call.data or "hooks" in call.data:
                    yield from self._refs(ctx, call.data, call.path, f"{kind} '{call.name}'")

from argolint.diagnostics import Finding
from argolint.rules.base import Rule

CALL_FIELDS = ("template", "templateRef", "inline")


class InvalidCall(Rule):
    """A step or task that does not say which one template it runs.

    ## What it does
    Checks that every step and DAG task names its template in exactly one way: `template`
    (a template of this workflow), `templateRef` (with both `name`, the WorkflowTemplate,
    and `template`, the template in it) or `inline`. Also checks that a Workflow or
    CronWorkflow using `workflowTemplateRef` names one and has no `templates` of its own.

    ## Why is this bad?
    Argo rejects the workflow when it is submitted: "failed to get a template", "template
    name cannot be specified with templateRef", "resource name is required", "template name
    is required", or "Templates is invalid field in spec if workflow referred
    WorkflowTemplate reference". A step that sets both `template` and `templateRef` is
    usually a half-done switch from a local template to a shared one.

    ## Example
    ```yaml
    steps:
    - - name: build
        template: build
        templateRef:
          name: ci-library
          template: build
    ```

    Use instead:
    ```yaml
    steps:
    - - name: build
        templateRef:
          name: ci-library
          template: build
    ```
    """

    id = "invalid-call"

    def check_document(self, ctx):
        spec = ctx.spec
        ref = spec.workflow_template_ref
        if ref is None:
            return
        if not ref.name:
            yield Finding(ref.path + ("name",) if "name" in ref.data else ref.path, "workflowTemplateRef has "
                          f"{'an empty' if 'name' in ref.data else 'no'} name: it must name the WorkflowTemplate "
                          "(or ClusterWorkflowTemplate) to run", hint="set workflowTemplateRef.name",
                          at="value" if "name" in ref.data else "key")
        if not spec.data.get("templates"):
            return
        yield Finding(spec.path + ("templates",),
                      f"a {ctx.document.kind} that runs a WorkflowTemplate (workflowTemplateRef) cannot have "
                      "templates of its own",
                      hint="move these templates into the referenced WorkflowTemplate, or drop workflowTemplateRef",
                      at="key")

    def check_template(self, ctx, template):
        # one hook per template, not per step: DAGs have thousands of tasks
        for noun, calls in (("step", template.steps), ("task", template.tasks)):
            for call in calls:
                data = call.data
                if "template" in data and "templateRef" not in data and "inline" not in data:
                    continue  # the common call of a local template
                if data:
                    yield from self._call(call, noun)

    def _call(self, call, noun):
        data = call.data
        label = f"{noun} '{call.name}'" if call.name else f"this {noun}"
        given = [k for k in CALL_FIELDS if data.get(k) is not None]
        if not given:
            where = call.path + ("name",) if call.name else call.path
            yield Finding(where, f"{label} runs no template: it needs one of template, templateRef or inline",
                          hint="add `template: <name>` naming a template of this workflow",
                          at="value" if call.name else "key")
            return
        if len(given) > 1:
            yield Finding(call.path + (given[1],), f"{label} sets both {given[0]} and {given[1]}; a {noun} runs "
                          "exactly one template", hint=f"keep one of {' and '.join(given)}", at="key")
        ref = data.get("templateRef")
        if isinstance(ref, dict):
            yield from self._template_ref(call, ref, label)

    def _template_ref(self, call, ref, label):
        path = call.path + ("templateRef",)
        for field, what in (("name", "the WorkflowTemplate (or ClusterWorkflowTemplate) to use"),
                            ("template", "the template inside it to run")):
            value = ref.get(field)
            if value == "" or value is None:
                at_field = field in ref
                yield Finding(path + (field,) if at_field else path,
                              f"the templateRef of {label} has {'an empty' if at_field else 'no'} '{field}': "
                              f"it must name {what}", hint=f"set templateRef.{field}", at="value" if at_field
                              else "key")

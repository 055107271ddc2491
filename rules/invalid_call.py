from argolint.diagnostics import Finding, Severity
from argolint.rules._calls import call_label, calls_of
from argolint.rules.base import Rule, closest

CALL_FIELDS = ("template", "templateRef", "inline")


class InvalidCall(Rule):
    """A step or task that does not say which one template it runs.

    ## What it does
    Checks that every step and DAG task names its template in exactly one way: `template`
    (a template of this workflow), `templateRef` (with both `name`, the WorkflowTemplate,
    and `template`, the template in it) or `inline`. Also checks that a Workflow or
    CronWorkflow using `workflowTemplateRef` names one and has no `templates` of its own.
    A step with `inline` and also `template` or `templateRef` is a warning: Argo runs the
    inline template and silently ignores the other.

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
        for noun, call in calls_of(template):
            data = call.data
            if "template" in data and "templateRef" not in data and "inline" not in data:
                continue  # the common call of a local template
            if data:
                yield from self._call(call, noun)

    def _call(self, call, noun):
        data = call.data
        label = call_label(noun, call)
        given = [k for k in CALL_FIELDS if data.get(k) is not None]
        if not given:
            where = call.path + ("name",) if call.name else call.path
            misspelt = next((k for k in data if isinstance(k, str) and closest(k, CALL_FIELDS)), None)
            hint = (f"'{misspelt}' is not a field: write `{closest(misspelt, CALL_FIELDS)}:`" if misspelt else
                    "add `template: <name>` naming a template of this workflow")
            yield Finding(where, f"{label} runs no template: it needs one of template, templateRef or inline",
                          hint=hint, at="value" if call.name else "key")
            return
        if "template" in given and "templateRef" in given:
            yield Finding(call.path + ("templateRef",), f"{label} sets both template and templateRef; a {noun} runs "
                          "exactly one template", hint="keep one of template and templateRef", at="key")
        if "inline" in given and len(given) > 1:
            # Argo takes the inline template first and ignores the others: no error, a surprise
            ignored = " and ".join(k for k in given if k != "inline")
            yield Finding(call.path + ("inline",), f"{label} sets both {ignored} and inline: Argo runs the inline "
                          f"template and ignores {ignored}", hint=f"remove {ignored}, or the inline template",
                          at="key", severity=Severity.WARNING)
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

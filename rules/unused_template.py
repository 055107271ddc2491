from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule

# Kinds whose templates only their own spec can call; a WorkflowTemplate's or
# ClusterWorkflowTemplate's templates are there to be called from outside (templateRef).
KINDS = ("Workflow", "CronWorkflow")


class UnusedTemplate(Rule):
    """A template of a Workflow that nothing runs.

    ## What it does
    Follows the calls from the entrypoint, `onExit` and the workflow's hooks through every
    step, task, inline template, step/task `onExit` and hook, and reports the templates of
    a Workflow or CronWorkflow that no path reaches. The templates of a WorkflowTemplate or
    ClusterWorkflowTemplate are never reported: other workflows call them by `templateRef`.
    Nothing is reported when a template name is only known at run time (`{{...}}`).

    ## Why is this bad?
    Dead templates make a workflow harder to read and usually mean a step or task was
    meant to call them: a renamed template, or a call that was removed by mistake.

    ## Example
    ```yaml
    spec:
      entrypoint: main
      templates:
      - name: main
        steps:
        - - {name: build, template: build}
      - name: build
        container: {image: golang:1.22}
      - name: old-build
        container: {image: golang:1.20}
    ```

    Use instead:
    ```yaml
    spec:
      entrypoint: main
      templates:
      - name: main
        steps:
        - - {name: build, template: build}
      - name: build
        container: {image: golang:1.22}
    ```
    """

    id = "unused-template"
    severity = Severity.WARNING

    def check_document(self, ctx):
        spec = ctx.spec
        if spec.kind not in KINDS or spec.entrypoint is None or spec.workflow_template_ref is not None:
            return
        if spec.template(spec.entrypoint) is None:  # unknown-template reports the entrypoint itself
            return
        from argolint.analysis.graph import reachable_templates

        reachable = reachable_templates(spec)
        if reachable is None:
            return
        for template in spec.templates:
            if template.name is not None and template.name not in reachable:
                yield Finding(template.path + ("name",),
                              f"template '{template.name}' is never used: no step, task, hook or exit handler "
                              f"reachable from entrypoint '{spec.entrypoint}' calls it",
                              hint="call it from a step or task, or delete it")

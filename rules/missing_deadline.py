from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule

DEADLINES = ("activeDeadlineSeconds", "timeout")


class MissingDeadline(Rule):
    """A workflow with no deadline: no `activeDeadlineSeconds`, and no template timeout.

    ## What it does
    Checks that a Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow sets
    `activeDeadlineSeconds` on its spec, or that `templateDefaults` or at least one of its
    templates sets `activeDeadlineSeconds` or `timeout`. A Workflow running a
    WorkflowTemplate (`workflowTemplateRef`) is judged in that template's document. A
    best-practice rule (`--select best-practice`).

    ## Why is this bad?
    A step that hangs (a network call without timeout, a lock never released, a daemon
    never stopped) keeps its pod, its node's resources and the workflow Running until
    someone notices and deletes it; a deadline ends it as Failed, where alerts see it.

    ## Example
    ```yaml
    spec:
      entrypoint: main
    ```

    Use instead:
    ```yaml
    spec:
      entrypoint: main
      activeDeadlineSeconds: 3600
    ```
    """

    id = "missing-deadline"
    severity = Severity.WARNING
    category = "best-practice"

    def check_document(self, ctx):
        from argolint.analysis.templating.check import all_templates

        spec = ctx.spec
        if not spec.data or spec.workflow_template_ref is not None or "activeDeadlineSeconds" in spec.data:
            return
        defaults = spec.data.get("templateDefaults")
        if isinstance(defaults, dict) and any(k in defaults for k in DEADLINES):
            return
        if any(k in t.data for t in all_templates(spec) for k in DEADLINES):
            return
        yield Finding(spec.path, f"{spec.kind} sets no `activeDeadlineSeconds`, and none of its templates a "
                      "`timeout` or `activeDeadlineSeconds`: a hung step holds its resources forever",
                      hint=f"set `{spec.path[-1]}.activeDeadlineSeconds` (e.g. 3600)", at="key")

from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule

PILES = {"ttlStrategy": "finished workflows", "podGC": "completed pods"}
EXAMPLES = {"ttlStrategy": "e.g. `secondsAfterCompletion: 86400`", "podGC": "e.g. `strategy: OnPodCompletion`"}


class MissingCleanup(Rule):
    """A workflow with no `ttlStrategy` or no `podGC`: finished workflows and pods pile up.

    ## What it does
    Checks that a Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow sets
    `ttlStrategy` (when to delete the finished Workflow) and `podGC` (when to delete its
    pods). A Workflow running a WorkflowTemplate (`workflowTemplateRef`) is judged in that
    template's document. When the cluster's controller sets both through its
    `workflowDefaults`, leave this rule off. A best-practice rule
    (`--select best-practice`).

    ## Why is this bad?
    Argo deletes neither by default: every finished Workflow stays in etcd and every
    completed pod on the cluster, until the API server slows down and the namespace's pod
    quota is full.

    ## Example
    ```yaml
    spec:
      entrypoint: main
    ```

    Use instead:
    ```yaml
    spec:
      entrypoint: main
      ttlStrategy:
        secondsAfterCompletion: 86400
      podGC:
        strategy: OnPodCompletion
    ```
    """

    id = "missing-cleanup"
    severity = Severity.WARNING
    category = "best-practice"

    def check_document(self, ctx):
        spec = ctx.spec
        if not spec.data or spec.workflow_template_ref is not None:
            return
        missing = [key for key in ("ttlStrategy", "podGC") if key not in spec.data]
        if not missing:
            return
        yield Finding(spec.path, f"{spec.kind} sets no {' and no '.join(f'`{k}`' for k in missing)}: "
                      f"{' and '.join(PILES[k] for k in missing)} stay in the cluster forever",
                      hint="set " + " and ".join(f"`{spec.path[-1]}.{k}` ({EXAMPLES[k]})" for k in missing)
                      + ", unless the controller's workflowDefaults do", at="key")

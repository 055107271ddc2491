from argolint.diagnostics import Severity
from argolint.rules.base import Rule


class UnknownArgument(Rule):
    """An argument the called template does not declare as an input.

    ## What it does
    For every step, DAG task and hook that passes `arguments`, checks that each parameter
    and artifact names an input of the called template (local, inline, or reached through
    `templateRef`). `spec.arguments` is not checked: those are the workflow's parameters,
    read anywhere as `workflow.parameters.<name>`.

    ## Why is this bad?
    Argo silently ignores an argument for an undeclared input, so a misspelt name
    (`mesage`) leaves the input at its default, or fails the step as "not supplied".

    ## Example
    ```yaml
    - - name: consume
        template: print-message
        arguments:
          parameters:
          - name: mesage
            value: hello
    ```

    Use instead:
    ```yaml
    - - name: consume
        template: print-message
        arguments:
          parameters:
          - name: message
            value: hello
    ```
    """

    id = "unknown-argument"
    severity = Severity.WARNING

    def check_document(self, ctx):
        from argolint.analysis.templating.arguments import findings

        return findings(ctx, self.id)

from argolint.rules.base import Rule


class UnknownOutput(Rule):
    """A reference to an output the step's or task's template does not produce.

    ## What it does
    For `steps.X.*` and `tasks.X.*` where X exists, checks what X's template (local,
    inline or reached through `templateRef`) can produce: its declared output parameters
    and artifacts, `outputs.result` and `exitCode` only for templates that capture stdout
    (container, script, containerSet with a `main` container, data, http, plugin), the
    aggregated `outputs.parameters` only for looped steps and tasks, `ip` only for daemons.

    ## Why is this bad?
    A reference to an output that is never produced cannot resolve: Argo rejects it at
    submission or, in a `when` or an expression, waits for it forever.

    ## Example
    ```yaml
    - - name: consume
        template: print
        arguments:
          parameters:
          - name: message
            value: "{{steps.generate.outputs.parameters.hello-parm}}"
    ```

    Use instead:
    ```yaml
    - - name: consume
        template: print
        arguments:
          parameters:
          - name: message
            value: "{{steps.generate.outputs.parameters.hello-param}}"
    ```
    """

    id = "unknown-output"

    def check_document(self, ctx):
        from argolint.analysis.templating.check import findings

        return findings(ctx, self.id)

from argolint.rules.base import Rule


class MissingArgument(Rule):
    """A call that does not pass an input its template requires.

    ## What it does
    For every step, DAG task, hook and `onExit`, resolves the called template (local,
    inline, or through `templateRef` to a WorkflowTemplate among the inputs) and checks
    that each input parameter without `value`, `default` or `valueFrom`, and each input
    artifact that is not optional and has no source, is passed. `spec.arguments` is checked
    against the entrypoint's and the exit handler's inputs (not for a WorkflowTemplate,
    whose arguments may come at submission). An argument given without a value is reported
    too. (A literal argument outside the input's `enum` is `invalid-value`.)

    ## Why is this bad?
    Argo fails the step at run time with "inputs.parameters.message was not supplied"
    (or rejects the workflow at submission), after earlier steps have already run.

    ## Example
    ```yaml
    - - name: consume
        template: print-message   # declares input parameter `message`, no default
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

    id = "missing-argument"

    def check_document(self, ctx):
        from argolint.analysis.templating.arguments import findings

        return findings(ctx, self.id)

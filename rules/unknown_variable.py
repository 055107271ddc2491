from argolint.rules.base import Rule


class UnknownVariable(Rule):
    """A template tag or expression naming a variable that is not in scope.

    ## What it does
    Resolves every `{{...}}` tag and every name inside `{{= ...}}` and expression fields
    against the scope Argo gives that place: workflow globals (parameters, labels,
    annotations, global outputs ...), the template's declared inputs, the steps of a steps
    template or the tasks of a DAG, loop items, `pod.name` in pod templates, `retries` and
    `lastRetry.*` with a retryStrategy, `workflow.failures` with an exit handler. The hint
    names the closest variable in scope, and says to use `tasks.` in a DAG (`steps.` in a
    steps template). Tags whose root Argo does not know (`{{foo}}`) are left alone, as
    Argo leaves them; a near miss such as `{{input.parameters.x}}` is a warning. In a
    WorkflowTemplate, a `workflow.parameters.x` it does not declare is a warning.

    ## Why is this bad?
    Argo rejects most such tags at submission ("failed to resolve"), or leaves the text
    `{{inputs.parameters.mesage}}` in the pod's command where it runs silently wrong.
    Expressions (`{{=...}}`) are never checked by `argo lint`.

    ## Example
    ```yaml
    - name: print-message
      inputs:
        parameters:
        - name: message
      container:
        image: alpine:3.20
        args: ["{{inputs.parameters.mesage}}"]
    ```

    Use instead:
    ```yaml
    - name: print-message
      inputs:
        parameters:
        - name: message
      container:
        image: alpine:3.20
        args: ["{{inputs.parameters.message}}"]
    ```
    """

    id = "unknown-variable"

    def check_document(self, ctx):
        from argolint.analysis.templating.check import findings

        return findings(ctx, self.id)

from argolint.rules.base import Rule


class ItemOutsideLoop(Rule):
    """A loop variable (`{{item}}`, `{{item.key}}`) where no loop applies.

    ## What it does
    Checks that `item` is used only in a step or task that has `withItems`, `withParam`
    or `withSequence` (or in an inline template of such a step or task), and not in the
    body of a template, where loop variables never exist.

    ## Why is this bad?
    Outside the looping step Argo leaves `{{item}}` as written, so the pod receives the
    literal text `{{item}}`; `argo lint` does not report a bare `{{item}}`.

    ## Example
    ```yaml
    - name: print
      container:
        image: alpine:3.20
        args: ["{{item}}"]
    ```

    Use instead:
    ```yaml
    - name: print
      inputs:
        parameters:
        - name: value
      container:
        image: alpine:3.20
        args: ["{{inputs.parameters.value}}"]
    ```
    """

    id = "item-outside-loop"

    def check_document(self, ctx):
        from argolint.analysis.templating.check import findings

        return findings(ctx, self.id)

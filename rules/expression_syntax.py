from argolint.rules.base import Rule


class ExpressionSyntax(Rule):
    """A template tag, expression or `when` that Argo cannot parse.

    ## What it does
    Checks every string Argo substitutes: a `{{` must be closed by `}}`; a `{{= ...}}` tag,
    a hook `expression`, an output's `valueFrom.expression`, an artifact's `fromExpression`
    and a `retryStrategy.expression` must be valid expr-lang (operators, calls with the
    right number of arguments, closures only where a predicate is taken); a `when` must be
    valid govaluate once its tags are replaced, with values that contain `-`, `.` or spaces
    quoted. `{{ =expr}}` (a space before `=`) is reported as a warning: it is not an
    expression tag.

    ## Why is this bad?
    An unclosed `{{` fails the whole template. A `{{=...}}` that does not compile is left
    in the pod as written, and a `when` that does not parse or evaluate errors the step at
    run time. `argo lint` checks none of these.

    ## Example
    ```yaml
    - name: print
      template: echo
      when: "{{steps.flip.outputs.result}} == not-heads"
      arguments:
        parameters:
        - name: n
          value: "{{=asInt(inputs.parameters.n) +}}"
    ```

    Use instead:
    ```yaml
    - name: print
      template: echo
      when: "{{steps.flip.outputs.result}} == 'not-heads'"
      arguments:
        parameters:
        - name: n
          value: "{{=asInt(inputs.parameters.n) + 1}}"
    ```
    """

    id = "expression-syntax"

    def check_document(self, ctx):
        from argolint.analysis.templating.check import findings

        return findings(ctx, self.id)

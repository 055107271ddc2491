from argolint.rules.base import Rule


class ReferenceOrder(Rule):
    """A step or task reading another one that has not finished when it runs.

    ## What it does
    Checks that `steps.X.*` is read only from a later step group than X's, and that
    `tasks.X.*` is read only by tasks that depend on X (directly or through other tasks,
    via `dependencies` or `depends`). A template's `outputs` and a DAG's `target` may read
    every step or task; a hook may read the step or task it hooks.

    ## Why is this bad?
    A step reading a sibling of its own group, or a task reading a task it does not depend
    on, waits for a value that does not exist yet: Argo keeps the workflow Running forever
    (`argo lint` accepts both). Reading a later group is rejected at submission.

    ## Example
    ```yaml
    dag:
      tasks:
      - name: generate
        template: gen
      - name: consume
        template: print
        arguments:
          parameters:
          - name: message
            value: "{{tasks.generate.outputs.result}}"
    ```

    Use instead:
    ```yaml
    dag:
      tasks:
      - name: generate
        template: gen
      - name: consume
        depends: generate
        template: print
        arguments:
          parameters:
          - name: message
            value: "{{tasks.generate.outputs.result}}"
    ```
    """

    id = "reference-order"

    def check_document(self, ctx):
        from argolint.analysis.templating.check import findings

        return findings(ctx, self.id)

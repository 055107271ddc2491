from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule


class InfiniteRecursion(Rule):
    """A template that calls itself on every path, with nothing that could stop it.

    ## What it does
    Follows the calls each template makes unconditionally (steps and tasks without `when`,
    without a `depends` that could be false, without a `withParam` / `withSequence` loop that
    could be empty; `onExit` and exit hooks; across files through `templateRef`) and reports
    each loop of templates that calls itself this way, once, at the call that starts it.

    ## Why is this bad?
    Recursion is how Argo loops until a condition holds (see the coinflip example), but
    without a condition the workflow nests deeper forever, creating pods until it hits a
    quota, the controller's limits or `activeDeadlineSeconds`.

    ## Example
    ```yaml
    - name: poll
      steps:
      - - {name: check, template: check-status}
      - - {name: again, template: poll}
    ```

    Use instead:
    ```yaml
    - name: poll
      steps:
      - - {name: check, template: check-status}
      - - name: again
          template: poll
          when: "{{steps.check.outputs.result}} != done"
    ```
    """

    id = "infinite-recursion"
    severity = Severity.WARNING

    def check_document(self, ctx):
        if not ctx.spec.templates:
            return
        from argolint.analysis.graph import CallGraph

        graph = CallGraph(ctx)
        here = (ctx.document.file.path, ctx.document.index)
        for loop, call, doc_key in graph.recursions():
            if doc_key == here:
                yield Finding(call.path, f"template '{loop[0][1]}' calls itself on every path: "
                              f"{' -> '.join(graph.display(node) for node in loop)}",
                              hint="add a `when` (or a depends on a result) that ends the recursion")

from argolint.diagnostics import Finding
from argolint.rules.base import Rule


class DagCycle(Rule):
    """DAG tasks that depend on each other in a cycle.

    ## What it does
    Follows every task's `dependencies` and the task names in its `depends` and reports
    each dependency cycle once, listing it in order (`A -> B -> C -> A`, each task
    depending on the next), at the reference by which its first task depends on the second.
    A task that depends on itself is a cycle of one.

    ## Why is this bad?
    No task of a cycle can ever start. Argo rejects the workflow with "sorting failed: graph
    with cycle", without saying which tasks form it, and stops at the first one.

    ## Example
    ```yaml
    dag:
      tasks:
      - {name: A, template: echo, dependencies: [C]}
      - {name: B, template: echo, dependencies: [A]}
      - {name: C, template: echo, dependencies: [B]}
    ```

    Use instead:
    ```yaml
    dag:
      tasks:
      - {name: A, template: echo}
      - {name: B, template: echo, dependencies: [A]}
      - {name: C, template: echo, dependencies: [B]}
    ```
    """

    id = "dag-cycle"

    def check_template(self, ctx, template):
        if not template.tasks:
            return
        from argolint.analysis.graph import MAX_CYCLES, dag_analysis

        cycles = dag_analysis(template, ctx).cycles()
        for names, ref in cycles:
            hint = "each task waits for the next, so none of them can start; remove one of these dependencies"
            if len(cycles) >= MAX_CYCLES:
                hint += f" (only the first {MAX_CYCLES} cycles are reported)"
            yield Finding(ref.path, f"dependency cycle {' -> '.join(names)} (each task depends on the next)",
                          hint=hint, start=ref.start, end=ref.end)

from argolint.diagnostics import Finding
from argolint.rules.base import Rule, quoted_list, suggest


class DanglingDependency(Rule):
    """A `dependencies` entry or `depends` operand that names no task of the DAG.

    ## What it does
    Checks that every name in a task's `dependencies` list and every task named in its
    `depends` expression is a task of the same DAG template, and suggests the closest name.

    ## Why is this bad?
    Argo rejects the workflow ("sorting failed: invalid dependency"), one name at a time.
    Tasks of other templates cannot be depended on: each DAG only orders its own tasks.

    ## Example
    ```yaml
    dag:
      tasks:
      - {name: build, template: make}
      - {name: test, template: pytest, dependencies: [biuld]}
    ```

    Use instead:
    ```yaml
    dag:
      tasks:
      - {name: build, template: make}
      - {name: test, template: pytest, dependencies: [build]}
    ```
    """

    id = "dangling-dependency"

    def check_template(self, ctx, template):
        if not template.tasks:
            return
        from argolint.analysis.graph import dag_analysis

        analysis = dag_analysis(template, ctx)
        if any("{{" in name for name in analysis.names):  # names are strings
            return  # a templated task name is only known at run time
        dag = f"DAG '{template.name}'" if template.name else "this DAG"
        for ref in analysis.dangling():
            hint = suggest(ref.name, analysis.names)
            if hint["hint"] is None and analysis.names:
                hint["hint"] = f"tasks here: {quoted_list(analysis.names)}"
            yield Finding(ref.path, f"dependency '{ref.name}' is not a task of {dag}", **hint,
                          start=ref.start, end=ref.end)

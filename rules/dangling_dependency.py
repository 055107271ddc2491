import re

from argolint.diagnostics import Finding
from argolint.rules.base import Rule, quoted_list, suggest


class DanglingDependency(Rule):
    """A `dependencies` entry, `depends` operand or DAG `target` that names no task of the DAG.

    ## What it does
    Checks that every name in a task's `dependencies` list, every task named in its
    `depends` expression, and every word of the DAG's `target` (a space-separated list of
    tasks to run) is a task of the same DAG template, and suggests the closest name. A
    `{{tag}}` in `target` is only known at run time and is not checked (Argo's lint rejects a
    target fed from an input parameter, which runs fine).

    ## Why is this bad?
    Argo rejects the workflow ("sorting failed: invalid dependency", "target 'x' is not
    defined"), one name at a time.
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
            yield Finding(ref.path, f"dependency '{ref.name}' is not a task of {dag}", **_hint(ref.name, analysis),
                          start=ref.start, end=ref.end)
        target = template.data["dag"].get("target")
        if isinstance(target, str):
            yield from _target(template.path + ("dag", "target"), target, analysis, dag)


_TAG = re.compile(r"\{\{.*?\}\}")


def _target(path, target: str, analysis, dag: str):
    """Each word of `dag.target` (Argo splits it on spaces) names a task; a `{{tag}}` is
    only known at run time."""
    words = _TAG.sub(lambda m: " " * len(m.group()), target)
    for word in re.finditer(r"\S+", words):
        name = word.group()
        if name not in analysis.names:
            yield Finding(path, f"target '{name}' is not a task of {dag}", **_hint(name, analysis),
                          start=word.start(), end=word.end())


def _hint(name: str, analysis) -> dict:
    """The did-you-mean hint and its fix, else the list of the DAG's tasks."""
    hint = suggest(name, analysis.names)
    if hint["hint"] is None and analysis.names:
        hint["hint"] = f"tasks here: {quoted_list(analysis.names)}"
    return hint

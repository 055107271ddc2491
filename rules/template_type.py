from argolint.diagnostics import Finding
from argolint.model import TEMPLATE_TYPES
from argolint.rules.base import Rule


class TemplateType(Rule):
    """A template with no type, or with several, or a DAG without tasks.

    ## What it does
    Checks that each template has exactly one of `container`, `script`, `containerSet`,
    `resource`, `dag`, `steps`, `suspend`, `data`, `http` or `plugin`, and that a DAG has
    at least one task (`tasks: []` is rejected).

    ## Why is this bad?
    Argo rejects the workflow ("template ... type is unknown", "multiple template types
    specified", "must have at least one task") when it is submitted; a template with two
    bodies usually means a step list was indented into the wrong template.

    ## Example
    ```yaml
    templates:
    - name: main
      inputs:
        parameters: [{name: message}]
    ```

    Use instead:
    ```yaml
    templates:
    - name: main
      inputs:
        parameters: [{name: message}]
      container:
        image: alpine:3.20
        command: [echo, "{{inputs.parameters.message}}"]
    ```
    """

    id = "template-type"

    def check_template(self, ctx, template):
        types = template.types
        if len(types) == 1:
            if types[0] == "dag" and _no_tasks(template):
                yield Finding(template.path + ("dag", "tasks"), f"{_label(template)} is a DAG with no tasks",
                              hint="add the tasks it should run, or make it another type of template")
            return
        # an inline template has no name: its `inline:` key stands for it
        where = template.path + ("name",) if template.name is not None else template.path
        at = "value" if template.name is not None else "key"
        label = _label(template)
        if not types:
            empty = [t for t in TEMPLATE_TYPES if t in template.data]
            yield Finding(
                where,
                f"{label} has no type: it needs exactly one of {', '.join(TEMPLATE_TYPES)}",
                at=at,
                hint=f"`{empty[0]}:` is empty; indent its body under it" if empty else
                "add the body this template should run, e.g. `container:` or `steps:`",
            )
        else:
            yield Finding(
                where,
                f"{label} has {len(types)} types ({', '.join(types)}); a template has exactly one",
                at=at,
                hint="move all but one into templates of their own",
            )


def _label(template) -> str:
    if template.name is not None:
        return f"template '{template.name}'"
    return "the inline template" if template.path[-1:] == ("inline",) else "this template"


def _no_tasks(template) -> bool:
    """`dag: {tasks: []}`: Argo requires at least one task. (A DAG without the key is a
    missing field, reported by missing-field.)"""
    dag = template.data.get("dag")
    return isinstance(dag, dict) and dag.get("tasks") == []

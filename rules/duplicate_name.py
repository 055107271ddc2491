from argolint.diagnostics import Finding
from argolint.model import View
from argolint.rules.base import Rule


def _duplicates(ctx, items, what, where):
    """Findings for each item whose `name` an earlier item already used."""
    if len(items) < 2:  # most lists: nothing to compare
        return
    first = {}
    for item in items:
        name = item.data.get("name")
        if not isinstance(name, str):
            continue
        if name in first:
            line = ctx.document.span_of(first[name] + ("name",)).line
            yield Finding(item.path + ("name",),
                          f"{what} '{name}' is defined twice in {where}; the first is on line {line}",
                          hint="rename one of them, or remove the copy")
        else:
            first[name] = item.path


def _named(container, path, key):
    values = container.get(key) if isinstance(container, dict) else None
    if not isinstance(values, list) or len(values) < 2:  # a duplicate needs two
        return []
    return [View(v, path + (key, i)) for i, v in enumerate(values)]


class DuplicateName(Rule):
    """Two templates, steps, tasks, parameters or artifacts with one name.

    ## What it does
    Checks that names are unique where Argo looks them up by name: templates of a spec;
    steps of a steps template (across all its groups); tasks of a DAG; containers of a
    containerSet; parameters and artifacts of `inputs`, `outputs` and `arguments`.

    ## Why is this bad?
    Argo refuses the workflow at submit time ("... is not unique", "duplicated nodeName"),
    or, for arguments, silently uses one of the values. References such as
    `{{steps.build.outputs.result}}` become ambiguous.

    ## Example
    ```yaml
    dag:
      tasks:
      - {name: build, template: make}
      - {name: build, template: test}
    ```

    Use instead:
    ```yaml
    dag:
      tasks:
      - {name: build, template: make}
      - {name: test, template: test, dependencies: [build]}
    ```
    """

    id = "duplicate-name"

    def check_document(self, ctx):
        spec = ctx.spec
        yield from _duplicates(ctx, spec.templates, "template", "spec.templates")
        args = spec.arguments
        for key in ("parameters", "artifacts"):
            yield from _duplicates(ctx, _named(args, spec.path + ("arguments",), key), f"argument {key[:-1]}",
                                   "spec.arguments")

    def check_template(self, ctx, template):
        label = f"template '{template.name}'"
        yield from _duplicates(ctx, list(template.steps), "step", label)
        yield from _duplicates(ctx, template.tasks, "task", label)
        container_set = template.data.get("containerSet")
        yield from _duplicates(ctx, _named(container_set, template.path + ("containerSet",), "containers"),
                               "container", f"the containerSet of {label}")
        for section in ("inputs", "outputs"):
            holder = template.data.get(section)
            for key in ("parameters", "artifacts"):
                yield from _duplicates(ctx, _named(holder, template.path + (section,), key),
                                       f"{section[:-1]} {key[:-1]}", label)
        # the arguments of its steps and tasks here, not in a hook per step: DAGs have
        # thousands of tasks, most with one argument or none
        for what, calls in (("step", template.steps), ("task", template.tasks)):
            for call in calls:
                arguments = call.data.get("arguments")
                if not isinstance(arguments, dict):
                    continue
                for key in ("parameters", "artifacts"):
                    items = arguments.get(key)
                    if isinstance(items, list) and len(items) > 1:  # a duplicate needs two
                        yield from _duplicates(ctx, _named(arguments, call.path + ("arguments",), key),
                                               f"argument {key[:-1]}", f"{what} '{call.name}'")

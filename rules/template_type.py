from argolint.diagnostics import Finding
from argolint.model import TEMPLATE_TYPES
from argolint.rules.base import Rule


class TemplateType(Rule):
    """A template with no type, or with several.

    ## What it does
    Checks that each template has exactly one of `container`, `script`, `containerSet`,
    `resource`, `dag`, `steps`, `suspend`, `data`, `http` or `plugin`.

    ## Why is this bad?
    Argo rejects the workflow ("template ... type is unknown", or "multiple template types
    specified") when it is submitted; a template with two bodies usually means a step list
    was indented into the wrong template.

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
            return
        # an inline template has no name: its `inline:` key stands for it
        where = template.path + ("name",) if template.name is not None else template.path
        at = "value" if template.name is not None else "key"
        if template.name is not None:
            label = f"template '{template.name}'"
        else:
            label = "the inline template" if template.path[-1:] == ("inline",) else "this template"
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

from argolint.diagnostics import Finding
from argolint.rules.base import Rule

NO_POD = ("steps", "dag", "suspend", "http", "plugin")  # templates that create no pod of their own
# field -> (template types that may not have it, what the field needs)
MISPLACED = {
    "timeout": (("steps", "dag", "suspend"), "a template that runs something (container, script, resource ...)"),
    "pendingTimeout": (("steps", "dag", "suspend"), "a template that runs a pod"),
    "activeDeadlineSeconds": (("steps", "dag"), "a leaf template (container, script, resource, suspend ...)"),
    "parallelism": (("container", "script", "containerSet", "resource", "suspend", "data", "http", "plugin"),
                    "a steps or dag template"),
    "podResources": (("http", "plugin"), "a template that runs a pod"),
    "resourceClaims": (NO_POD, "a template that runs a pod"),
}
HINTS = {
    "timeout": "set it on the templates the steps or tasks call, or use the workflow's activeDeadlineSeconds",
    "pendingTimeout": "set it on the templates the steps or tasks call",
    "activeDeadlineSeconds": "set it on the templates the steps or tasks call, or on the workflow spec",
    "parallelism": "remove it, or set it on the steps or dag template that calls this one",
    "podResources": "remove it: an http or plugin template runs in the agent pod",
    "resourceClaims": "move it to the template that runs the pod",
}


class MisplacedField(Rule):
    """A field on a template type that does not support it.

    ## What it does
    Checks fields that only some template types take: `timeout`, `pendingTimeout` (not on
    steps, dag or suspend), `activeDeadlineSeconds` (not on steps or dag), `parallelism`
    (only on steps and dag), `podResources` (not on http or plugin), `resourceClaims` (only
    on templates that run a pod), and `podResources.claims`, which pod-level resources do
    not support (on templates and on the workflow spec).

    ## Why is this bad?
    Argo rejects the workflow when it is submitted ("Steps template doesn't support timeout
    field", "templates.main.parallelism is only valid for steps and dag templates" ...). A
    deadline meant for a whole steps template belongs on the templates it calls, or on the
    workflow.

    ## Example
    ```yaml
    - name: pipeline
      timeout: 10m
      steps:
      - - {name: build, template: build}
    ```

    Use instead:
    ```yaml
    - name: pipeline
      steps:
      - - {name: build, template: build}
    - name: build
      timeout: 10m
      container: {image: golang:1.22, command: [make]}
    ```
    """

    id = "misplaced-field"

    def check_document(self, ctx):
        if "podResources" in ctx.spec.data:
            yield from _claims(ctx.spec.data, ctx.spec.path, "the workflow spec")

    def check_template(self, ctx, template):
        data = template.data
        fields = [f for f in data if f in MISPLACED]  # a template has a handful of keys
        if not fields:
            return
        kind = template.type
        if kind is None:
            return  # no type or several: template-type reports it
        label = f"template '{template.name}'" if template.name else "this template"
        for field in fields:
            refused, needs = MISPLACED[field]
            if kind in refused and data[field] is not None:
                article = "an" if kind == "http" else "a"
                yield Finding(template.path + (field,), f"{field} on {label}, {article} {kind} template: Argo "
                              f"accepts it only on {needs}", hint=HINTS[field], at="key")
        if "podResources" in data:
            yield from _claims(data, template.path, label)


def _claims(data: dict, path: tuple, owner: str):
    resources = data.get("podResources")
    if isinstance(resources, dict) and "claims" in resources:
        yield Finding(path + ("podResources", "claims"), f"podResources.claims on {owner}: pod-level resources "
                      "do not support claims", hint="declare the claims in resourceClaims, and claim them in the "
                      "container's resources.claims", at="key")

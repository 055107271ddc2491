from argolint.diagnostics import Finding
from argolint.rules._pod_templates import added_containers, as_dict, blank, label, templates_setting
from argolint.rules.base import Rule



class MissingImage(Rule):
    """A container with no image.

    ## What it does
    Checks that every `container` and `script` template names an `image`, or that
    `spec.templateDefaults.container.image` (`...script.image`) gives one, and that every
    sidecar, init container and containerSet container names one too. A `podSpecPatch` on
    the template or the spec may supply the image, so nothing is reported when there is one.

    Argo checks only `container` and `script` ("templates.main.container.image may not be
    empty"); the other containers are checked here because Kubernetes refuses to create a
    pod with an image-less container, so the step fails when it runs. A controller whose
    `workflowDefaults` set `templateDefaults.container.image` gives every workflow an
    image: turn the rule off there.

    ## Why is this bad?
    Argo rejects the workflow when it is submitted; for a sidecar or a containerSet
    container the workflow starts and the step fails when its pod cannot be created.

    ## Example
    A template whose `image` was moved into `templateDefaults` of another workflow, in a
    copy-paste:
    ```yaml
    templates:
    - name: main
      container:
        command: [python, -c, "print('hello')"]
    ```

    Use instead:
    ```yaml
    templates:
    - name: main
      container:
        image: python:3.12
        command: [python, -c, "print('hello')"]
    ```
    """

    id = "missing-image"

    def check_document(self, ctx):
        spec_data = ctx.spec.data
        if "podSpecPatch" in spec_data:
            return
        for kind in ("container", "script"):
            default = as_dict(as_dict(spec_data.get("templateDefaults")).get(kind)).get("image")
            if not blank(default):
                continue
            for template in templates_setting(ctx, kind):
                body = template.data[kind]
                if isinstance(body, dict) and blank(body.get("image")) and "podSpecPatch" not in template.data:
                    yield _finding(template.path + (kind,), body, f"the {kind} of {label(template)} has no image",
                                   f"add `image: <image>` under `{kind}:` (or set spec.templateDefaults.{kind}.image)",
                                   in_list=False)
        for template, path, container, what in added_containers(ctx):
            if blank(container.get("image")) and "podSpecPatch" not in template.data:
                name = container.get("name")
                named = f"{what} '{name}'" if isinstance(name, str) else f"a {what}"
                yield _finding(path, container, f"{named} of {label(template)} has no image: Kubernetes refuses "
                               "to create the pod", f"add `image: <image>` to the {what}", in_list=True)


def _finding(path, body, message, hint, in_list):
    if "image" in body:
        return Finding(path + ("image",), message, hint=hint)
    if in_list and isinstance(body.get("name"), str):  # a list item: point at its name
        return Finding(path + ("name",), message, hint=hint)
    return Finding(path, message, hint=hint, at="key")

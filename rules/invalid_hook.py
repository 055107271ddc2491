from argolint.diagnostics import Finding
from argolint.rules._calls import call_label, calls_of
from argolint.rules.base import Rule


class InvalidHook(Rule):
    """A lifecycle hook other than `exit` without an `expression`.

    ## What it does
    Checks the hooks of the workflow (`spec.hooks`) and of every step and DAG task: a hook
    named anything but `exit` runs when its `expression` becomes true, so it needs one.
    Argo's validator checks workflow and step hooks; argolint checks DAG task hooks too:
    the controller evaluates a task hook's expression while the task runs, and an empty
    one cannot say when the hook should fire.

    ## Why is this bad?
    Argo rejects the workflow when it is submitted ("hooks.running Expression required");
    on a DAG task, the hook has no condition to fire on. Often the hook was meant to be the
    exit handler and was given another name.

    ## Example
    ```yaml
    hooks:
      on-finish:
        template: notify
    ```

    Use instead:
    ```yaml
    hooks:
      exit:
        template: notify
      running:
        expression: workflow.status == "Running"
        template: notify
    ```
    """

    id = "invalid-hook"

    def check_document(self, ctx):
        return _hooks(ctx.spec.data, ctx.spec.path, "the workflow")

    def check_template(self, ctx, template):
        for noun, call in calls_of(template):
            if "hooks" in call.data:
                yield from _hooks(call.data, call.path, call_label(noun, call))


def _hooks(data: dict, path: tuple, owner: str):
    hooks = data.get("hooks")
    if not isinstance(hooks, dict):
        return
    for name, hook in hooks.items():
        if name == "exit" or not isinstance(hook, dict):
            continue
        expression = hook.get("expression")
        if isinstance(expression, str) and expression.strip():
            continue
        yield Finding(path + ("hooks", name), f"hook '{name}' of {owner} has no expression: only the exit hook "
                      "runs without one", hint="add `expression:` saying when it runs (e.g. workflow.status == "
                      "\"Running\"), or name it exit if it should run at the end", at="key")

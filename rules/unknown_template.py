from argolint.diagnostics import Finding
from argolint.model import WorkflowSpec
from argolint.rules.base import Rule, quoted_list, suggest


def _hint(name, names) -> dict:
    """The Finding's hint (and replacement) for a template name that is not one of `names`."""
    found = suggest(name, sorted(names))
    if found["hint"] is None and names:
        found["hint"] = f"templates here: {quoted_list(names)}"
    return found


class UnknownTemplate(Rule):
    """A reference to a template that does not exist.

    ## What it does
    Checks that `entrypoint`, `onExit`, the `template` of every step, task and hook name a
    template of the workflow (including the templates of the WorkflowTemplate it
    references with `workflowTemplateRef`, when that is among the inputs), and that every
    `templateRef` names a template of its WorkflowTemplate or ClusterWorkflowTemplate when
    that is among the inputs or under `template-paths` (when it is not,
    `unresolved-template-ref` says so).

    ## Why is this bad?
    Argo rejects the workflow at submit time with "template ... not found"; for `onExit`
    and hooks the error comes only when the handler would run.

    ## Example
    ```yaml
    spec:
      entrypoint: main
      templates:
      - name: mian
        container: {image: alpine:3.20}
    ```

    Use instead:
    ```yaml
    spec:
      entrypoint: main
      templates:
      - name: main
        container: {image: alpine:3.20}
    ```
    """

    id = "unknown-template"

    def _check(self, ctx, path, name, what):
        names = ctx.template_names
        if names is None or not isinstance(name, str) or name in names or "{{" in name:
            return  # unknowable, or named by a `{{tag}}` only substitution resolves
        yield Finding(path, f"{what} '{name}' is not a template of this workflow", **_hint(name, names))

    def _template_refs(self, ctx, data, path):
        from argolint.analysis.graph import is_dynamic, own_template_refs, resolve_template_ref

        for ref in own_template_refs(data, path):
            if ref.template is None or is_dynamic(ref.template):
                continue
            document = resolve_template_ref(ctx.project, ref, ctx.document.namespace)
            if document is None:
                continue
            key = ("template-names", document.file.path, document.index)
            names = ctx.cache.get(key)
            if names is None:
                names = ctx.cache[key] = set(WorkflowSpec.of(document).templates_by_name)
            if ref.template not in names:
                yield Finding(ref.path + ("template",),
                              f"template '{ref.template}' is not a template of {document.kind} '{ref.name}'",
                              **_hint(ref.template, names))

    def check_document(self, ctx):
        yield from self._template_refs(ctx, ctx.spec.data, ctx.spec.path)
        spec = ctx.spec
        entry = spec.entrypoint
        if entry is not None:
            yield from self._check(ctx, spec.path + ("entrypoint",), entry, "entrypoint")
        on_exit = spec.data.get("onExit")
        if on_exit != "":  # an empty onExit is no exit handler at all, as for Argo
            yield from self._check(ctx, spec.path + ("onExit",), on_exit, "onExit handler")
        hooks = spec.data.get("hooks")
        if isinstance(hooks, dict):
            for hook_name, hook in hooks.items():
                if isinstance(hook, dict):
                    yield from self._check(ctx, spec.path + ("hooks", hook_name, "template"), hook.get("template"),
                                           f"hook '{hook_name}' template")

    def _invocation(self, ctx, call, what):
        data = call.data
        names = ctx.template_names
        if names is not None:  # else unknowable: _check reports nothing
            name = data.get("template")
            if isinstance(name, str) and name not in names:
                yield from self._check(ctx, call.path + ("template",), name, f"{what} '{call.name}' template")
            hooks = data.get("hooks")
            if isinstance(hooks, dict):
                for hook_name, hook in hooks.items():
                    if isinstance(hook, dict):
                        yield from self._check(ctx, call.path + ("hooks", hook_name, "template"),
                                               hook.get("template"), f"hook '{hook_name}' template")
            on_exit = data.get("onExit")
            if on_exit is not None and on_exit != "":
                yield from self._check(ctx, call.path + ("onExit",), on_exit, f"{what} '{call.name}' onExit")
        if "templateRef" in data or "hooks" in data:
            yield from self._template_refs(ctx, data, call.path)

    def check_template(self, ctx, template):
        # one hook per template, not per step: DAGs have thousands of tasks
        for what, calls in (("step", template.steps), ("task", template.tasks)):
            for call in calls:
                yield from self._invocation(ctx, call, what)

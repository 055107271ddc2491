"""Arguments at call sites against the inputs of the called template.

A call site is a step, a DAG task, a hook or `onExit` on them, or the workflow itself
(`spec.arguments` given to the entrypoint, the exit handler and workflow hooks). For each
the callee is resolved (local, inline, or through `templateRef` to a WorkflowTemplate among
the inputs) and three checks run: required inputs not passed (`missing-argument`),
arguments the callee does not declare (`unknown-argument`, not for `spec.arguments`,
which are the workflow's parameters), and literal values outside an input's `enum`
(`invalid-value`). Computed once per document.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from itertools import chain
from typing import NamedTuple, Optional

from argolint.diagnostics import Finding
from argolint.analysis.graph import resolve_template_ref
from argolint.model import Invocation, Template, TemplateRef, WorkflowSpec
from argolint.diagnostics import did_you_mean, quoted_list, suggest
from argolint.analysis.templating.scope import local_template
from argolint.analysis import per_document

# Fields of an input artifact that do not say where it comes from.
_ARTIFACT_NON_SOURCE = frozenset({"name", "path", "mode", "optional", "recurseMode", "subPath", "archive",
                                  "globalName", "deleted", "archiveLogs", "fromExpression"})


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _dynamic(value) -> bool:
    return isinstance(value, str) and "{{" in value


def as_text(value) -> str:
    """A parameter value as Argo sees it (YAML scalars become strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_NOTHING: dict = {}  # for a missing dict or list (never written to)


class CallSite(NamedTuple):
    """A place that calls a template with arguments. A tuple: a DAG of thousands of tasks
    makes thousands of these. For a step or task, `what`, `point` and `arguments_path` are
    made from `call` when a finding needs them (most call sites have none)."""

    given_what: Optional[str]  # "entrypoint 'main'", "hook 'exit' of step 'a'" ...; None for a step or task
    given_point: Optional[tuple]  # path of the value to point at (the entrypoint ...)
    callee: Optional[Template]
    callee_label: str
    arguments: dict
    given_arguments_path: Optional[tuple]
    workflow_arguments: bool = False  # spec.arguments passed on (no unknown-argument check)
    call: Optional[Invocation] = None  # the step or task
    noun: str = ""  # "step" or "task"

    @property
    def what(self) -> str:
        return self.given_what if self.call is None else f"{self.noun} '{self.call.name}'"

    @property
    def point(self) -> tuple:
        """The step's or task's name, else the value given."""
        if self.call is None:
            return self.given_point
        return self.call.path + ("name",) if self.call.name is not None else self.call.path

    @property
    def arguments_path(self) -> tuple:
        return self.given_arguments_path if self.call is None else self.call.path + ("arguments",)


# CallSite(...) with every field given, without a NamedTuple's Python-level __new__
_new_site = partial(tuple.__new__, CallSite)


def findings(ctx, rule_id: str) -> list[Finding]:
    return per_document(ctx, "argument-findings", _check).get(rule_id, [])


def _resolve(ctx, data: dict, path: tuple) -> tuple[Optional[Template], str]:
    """The template a step/task/hook calls, and how to name it; (None, "") if unknown."""
    if "inline" not in data and "templateRef" not in data:
        name = data.get("template")
        if isinstance(name, str):  # the usual call of a local template: once per name and document
            local = ctx.cache.setdefault("called-templates", {})
            found = local.get(name)
            if found is None:
                found = local[name] = _resolve_call(ctx, data, path)
            return found
    return _resolve_call(ctx, data, path)


def _resolve_call(ctx, data: dict, path: tuple) -> tuple[Optional[Template], str]:
    inline = data.get("inline")
    if isinstance(inline, dict):
        return Template(inline, path + ("inline",), ctx.spec), "its inline template"
    ref = data.get("templateRef")
    if isinstance(ref, dict):
        ref_view = TemplateRef(ref, path + ("templateRef",))
        if ref_view.template is None or _dynamic(ref_view.template):
            return None, ""
        doc = resolve_template_ref(ctx.project, ref_view, ctx.document.namespace)
        if doc is None:
            return None, ""
        template = WorkflowSpec.of(doc).template(ref_view.template)
        kind = "ClusterWorkflowTemplate" if ref_view.cluster_scope else "WorkflowTemplate"
        return template, f"template '{ref_view.template}' of {kind} '{ref_view.name}'"
    name = data.get("template")
    if isinstance(name, str) and not _dynamic(name):
        template = local_template(ctx, name)
        return template, f"template '{name}'"
    return None, ""


def _sites(ctx, declared_of) -> list[CallSite]:
    """The call sites of the document to check: every one but the steps and tasks that
    plainly pass what their template declares (`declared_of(callee)` gives those inputs)."""
    from argolint.analysis.templating.check import all_templates

    spec = ctx.spec
    sites: list[CallSite] = []
    workflow_args = spec.arguments
    workflow_args_path = spec.path + ("arguments",)
    referenced = ctx.referenced_workflow_template
    if referenced is not None:
        workflow_args = _merged_arguments(spec.arguments, WorkflowSpec.of(referenced).arguments)

    def hooks_of(data: dict, path: tuple, owner: str):
        hooks = data.get("hooks")
        for hook_name, hook in _dict(hooks).items():
            if not isinstance(hook, dict):
                continue
            callee, label = _resolve(ctx, hook, path + ("hooks", hook_name))
            hpath = path + ("hooks", hook_name)
            point = hpath + (("templateRef",) if "templateRef" in hook else ("template",))
            if "arguments" in hook:
                sites.append(CallSite(f"hook '{hook_name}' of {owner}", point, callee, label,
                                      _dict(hook.get("arguments")), hpath + ("arguments",)))
            else:
                sites.append(CallSite(f"hook '{hook_name}' of {owner}", point, callee, label,
                                      workflow_args, workflow_args_path, workflow_arguments=True))

    for template in all_templates(spec):
        noun = "task" if "dag" in template.data else "step"
        for call in chain(template.steps, template.tasks):
            data, path = call.data, call.path
            callee, label = _resolve(ctx, data, path)
            arguments = data.get("arguments")
            if not isinstance(arguments, dict):
                arguments = _NOTHING
            if callee is not None and not _plainly_right(arguments, declared_of(callee)):
                sites.append(_new_site((None, None, callee, label, arguments, None, False, call, noun)))
            if "hooks" in data:
                hooks_of(data, path, f"{noun} '{call.name}'")
            on_exit = data.get("onExit")
            if isinstance(on_exit, str):
                owner = f"{noun} '{call.name}'"
                callee, label = _resolve(ctx, {"template": on_exit}, path)
                sites.append(CallSite(f"the onExit of {owner}", path + ("onExit",), callee, label,
                                      workflow_args, workflow_args_path, workflow_arguments=True))
    if ctx.document.kind not in ("WorkflowTemplate", "ClusterWorkflowTemplate"):
        entry = spec.entrypoint
        entry_path = spec.path + ("entrypoint",)
        if entry is None and referenced is not None:
            entry = WorkflowSpec.of(referenced).entrypoint
            entry_path = spec.path + ("workflowTemplateRef",)
        if entry is not None and not _dynamic(entry):
            callee, label = _resolve(ctx, {"template": entry}, spec.path)
            sites.append(CallSite(f"entrypoint '{entry}'", entry_path, callee, label, workflow_args,
                                  workflow_args_path, workflow_arguments=True))
        on_exit = spec.data.get("onExit")
        if isinstance(on_exit, str) and not _dynamic(on_exit):
            callee, label = _resolve(ctx, {"template": on_exit}, spec.path)
            sites.append(CallSite(f"exit handler '{on_exit}'", spec.path + ("onExit",), callee, label,
                                  workflow_args, workflow_args_path, workflow_arguments=True))
        hooks_of(spec.data, spec.path, "the workflow")
    return sites


def _merged_arguments(own: dict, referenced: dict) -> dict:
    """spec.arguments merged over the workflowTemplateRef's, by name (the workflow wins)."""
    merged = {}
    for kind in ("parameters", "artifacts"):
        by_name = {}
        for item in _list(referenced.get(kind)) + _list(own.get(kind)):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                by_name[item["name"]] = item
        merged[kind] = list(by_name.values())
    return merged


def _required_parameter(param: dict) -> bool:
    return not any(k in param for k in ("value", "default", "valueFrom"))


def _required_artifact(artifact: dict) -> bool:
    if artifact.get("optional") is True:
        return False
    return not any(k not in _ARTIFACT_NON_SOURCE for k in artifact)


def _check(ctx) -> dict:
    out: dict = defaultdict(list)
    declarations: dict = {}  # id(callee data) -> its declared inputs: many sites call one template

    def declared_of(callee: Template) -> _Declared:
        declared = declarations.get(id(callee.data))
        if declared is None:
            declared = declarations[id(callee.data)] = _declared_inputs(callee)
        return declared

    for site in _sites(ctx, declared_of):
        if site.callee is not None:
            _check_site(site, declared_of(site.callee), out)
    _check_own_enums(ctx, out)
    return out


class _Declared(NamedTuple):
    """The inputs of a template, as its call sites are checked against them."""

    parameters: dict  # name -> declaration
    artifacts: dict
    required: frozenset  # parameters without a value or default
    enums: bool  # whether a parameter has an enum


def _declared_inputs(callee: Template) -> _Declared:
    inputs = callee.inputs
    parameters = _by_name(inputs.get("parameters"))
    return _Declared(parameters, _by_name(inputs.get("artifacts")),
                     frozenset(name for name, param in parameters.items() if _required_parameter(param)),
                     any("enum" in param for param in parameters.values()))


def _plainly_right(arguments: dict, declared: _Declared) -> bool:
    """Whether the arguments of a step or task are exactly what its template asks for,
    in the plainest way (named parameters with values, every required one, no artifacts,
    no enum to check): what most call sites do, seen without `_check_site`'s bookkeeping.
    False means "check it", not "wrong"."""
    if declared.artifacts or declared.enums or "artifacts" in arguments:
        return False
    params = arguments.get("parameters")
    if params is None:
        return not declared.required
    if not isinstance(params, list):
        return False
    declared_params = declared.parameters
    names = set()
    for param in params:
        if not isinstance(param, dict):
            return False
        name = param.get("name")
        if (not isinstance(name, str) or name not in declared_params
                or ("value" not in param and "valueFrom" not in param)):
            return False
        names.add(name)
    return names >= declared.required


def _by_name(items) -> dict:
    """{name: item} for the dict items with a string name (the last of a name wins)."""
    return {item["name"]: item for item in _list(items) if isinstance(item, dict) and isinstance(item.get("name"), str)}


def _passed(items) -> dict:
    """{name: (index, item)} for the dict items with a string name (the first of a name wins)."""
    passed: dict = {}
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                name = item.get("name")
                if isinstance(name, str) and name not in passed:
                    passed[name] = (i, item)
    return passed


def _check_site(site: CallSite, declared: _Declared, out: dict) -> None:
    declared_params, declared_artifacts = declared.parameters, declared.artifacts
    arguments = site.arguments
    passed_params = _passed(arguments["parameters"]) if "parameters" in arguments else _NOTHING
    passed_artifacts = _passed(arguments["artifacts"]) if "artifacts" in arguments else _NOTHING

    for name, param in declared_params.items():
        if name not in passed_params and _required_parameter(param):
            out["missing-argument"].append(Finding(
                site.point, f"{site.what} does not pass input parameter '{name}', which {site.callee_label} "
                f"requires (it has no value or default)",
                hint=("add it to spec.arguments.parameters" if site.workflow_arguments
                      else f"add it under arguments.parameters: - name: {name}")))
    for name, artifact in declared_artifacts.items():
        if name not in passed_artifacts and _required_artifact(artifact):
            out["missing-argument"].append(Finding(
                site.point, f"{site.what} does not pass input artifact '{name}', which {site.callee_label} "
                "requires (it is not optional and has no source)",
                hint=("add it to spec.arguments.artifacts" if site.workflow_arguments
                      else f"add it under arguments.artifacts: - name: {name}")))

    params_path = site.arguments_path + ("parameters",)
    for name, (i, arg) in passed_params.items():
        if not site.workflow_arguments and "value" not in arg and "valueFrom" not in arg:
            out["missing-argument"].append(Finding(
                params_path + (i, "name"), f"argument '{name}' of {site.what} has no value (nor valueFrom)",
                hint="give it a value; an argument without one also hides the input's default"))
        if name not in declared_params:
            if not site.workflow_arguments:
                out["unknown-argument"].append(Finding(
                    params_path + (i, "name"), f"{site.callee_label} has no input parameter '{name}': Argo "
                    "ignores this argument", **_declared_hint(name, declared_params)))
            continue
        declared_param = declared_params[name]
        if "enum" in declared_param:
            _check_enum(declared_param, arg, params_path + (i, "value"), f"input '{name}' of {site.callee_label}",
                        out)
    if not site.workflow_arguments and passed_artifacts:
        artifacts_path = site.arguments_path + ("artifacts",)
        for name, (i, _) in passed_artifacts.items():
            if name not in declared_artifacts:
                out["unknown-argument"].append(Finding(
                    artifacts_path + (i, "name"), f"{site.callee_label} has no input artifact '{name}': Argo "
                    "ignores this argument", **_declared_hint(name, declared_artifacts)))


def _declared_hint(name, declared) -> dict:
    """The Finding's hint (and replacement) for an argument `name` the callee does not declare."""
    found = suggest(name, declared)
    if found["hint"] is None:
        found["hint"] = f"it declares {quoted_list(declared)}" if declared else "it declares none"
    return found


def _enum_values(param: dict) -> Optional[list]:
    enum = param.get("enum")
    if not isinstance(enum, list) or not enum:
        return None
    return [as_text(v) for v in enum if v is not None]


def _check_enum(declared: dict, arg: dict, value_path: tuple, what: str, out: dict) -> None:
    allowed = _enum_values(declared)
    if allowed is None or "value" not in arg:
        return
    value = arg.get("value")
    if value is None or isinstance(value, (dict, list)) or _dynamic(value):
        return
    text = as_text(value)
    if text in allowed:
        return
    out["invalid-value"].append(Finding(
        value_path, f"'{text}' is not one of the values {what} allows: {quoted_list(allowed)}",
        hint=did_you_mean(text, allowed)))


def _check_own_enums(ctx, out: dict) -> None:
    """A parameter's own value/default outside its own enum: spec.arguments and every
    template's inputs."""
    from argolint.analysis.templating.check import all_templates

    spec = ctx.spec
    owners = [(spec.arguments, spec.path + ("arguments",), "workflow parameter '{}'")]
    for template in all_templates(spec):
        owners.append((template.inputs, template.path + ("inputs",), "input '{}' of template '" + str(template.name)
                       + "'"))
    for container, path, what in owners:
        for i, param in enumerate(_list(container.get("parameters"))):
            if not isinstance(param, dict) or _enum_values(param) is None:
                continue
            for field in ("value", "default"):
                if field in param:
                    _check_enum(param, {"value": param[field]}, path + ("parameters", i, field),
                                what.format(param.get("name")), out)

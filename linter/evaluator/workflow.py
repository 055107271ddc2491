"""The workflow a dry run executes: its effective spec, global variables and templates.

`prepare()` picks the spec the controller would run (a Workflow, a CronWorkflow's
workflowSpec, or a WorkflowTemplate submitted with `--from`), merges a
`workflowTemplateRef` (argo-semantics §7: Workflow fields win, arguments merged by name),
applies `-p` and `--entrypoint`, and computes the global variables (§2.1).
`TemplateBase` resolves `template:` / `templateRef:` / `inline:` the way the controller's
template context does: following a templateRef switches the base to that WorkflowTemplate.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from argolint.evaluator.values import as_text, go_json
from argolint.model import TEMPLATE_TYPES

CREATION = datetime(2026, 1, 1, tzinfo=timezone.utc)
UID = "00000000-0000-0000-0000-000000000000"
DEFAULT_NAMESPACE = "argo"
SCHEDULED_TIME = "workflows.argoproj.io/scheduled-time"


class WorkflowError(Exception):
    """The workflow cannot start (no entrypoint, a parameter without value ...)."""


class TemplateError(Exception):
    """A step's template cannot be found."""


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


@dataclass(slots=True)
class Source:
    """Where a piece of data was written: a document and the path in it."""

    document: Any
    path: tuple


_NOT_YET = object()


@dataclass(slots=True)
class ResolvedTemplate:
    data: dict
    name: Optional[str]
    source: Source
    base: "TemplateBase"
    ref_label: Optional[str] = None  # "workflowtemplate/template" when reached through templateRef
    # `type` once known: a running pod's template is asked it at every reconcile pass
    _type: Any = field(default=_NOT_YET, init=False, repr=False, compare=False)

    @property
    def type(self) -> Optional[str]:
        if self._type is _NOT_YET:
            types = [t for t in TEMPLATE_TYPES if t in self.data]
            self._type = types[0] if len(types) == 1 else None
        return self._type


class TemplateBase:
    """The templates a `template: name` names: the Workflow's, or a WorkflowTemplate's."""

    def __init__(self, document, spec: dict, spec_path: tuple, label: Optional[str], resolver: "Resolver"):
        self.document = document
        self.label = label  # the WorkflowTemplate's name; None for the Workflow itself
        self.resolver = resolver
        self.templates: dict = {}
        for i, template in enumerate(_list(spec.get("templates"))):
            name = _dict(template).get("name")
            if isinstance(name, str) and name not in self.templates:
                self.templates[name] = (template, spec_path + ("templates", i))
        # (name, ref_label) -> its ResolvedTemplate, without templateDefaults (with them, each
        # resolve merges anew): every task of a large DAG resolves its template, often the same
        self._named: dict = {}

    def named(self, name: str, ref_label: Optional[str] = None) -> Optional[ResolvedTemplate]:
        resolved = self._named.get((name, ref_label))
        if resolved is not None:
            return resolved
        found = self.templates.get(name)
        if found is None:
            return None
        data, path = found
        resolved = ResolvedTemplate(self.resolver.with_defaults(data), name, Source(self.document, path), self,
                                    ref_label)
        if self.resolver.defaults is None:
            self._named[(name, ref_label)] = resolved
        return resolved


class Resolver:
    """Finds templates for steps, tasks and hooks (and WorkflowTemplates for templateRef)."""

    def __init__(self, project, namespace: Optional[str], defaults: Optional[dict]):
        self.project = project
        self.namespace = namespace
        self.defaults = defaults if isinstance(defaults, dict) and defaults else None
        self._bases: dict = {}

    def with_defaults(self, template: dict) -> dict:
        """spec.templateDefaults merged under a template (its own fields win; its type stays)."""
        if self.defaults is None:
            return template
        own_types = [t for t in TEMPLATE_TYPES if t in template]
        merged = _merge(self.defaults, template)
        for kind in TEMPLATE_TYPES:
            if kind in merged and kind not in own_types:
                del merged[kind]
        return merged

    def base_of_template(self, name: str, cluster: bool) -> Optional[TemplateBase]:
        key = (name, cluster)
        if key not in self._bases:
            doc = self.project.workflow_template(name, cluster, self.namespace) if self.project else None
            if doc is None:
                self._bases[key] = None
            else:
                kind = "clusterworkflowtemplate" if cluster else "workflowtemplate"
                spec = _dict(_dict(doc.data).get("spec"))
                self._bases[key] = TemplateBase(doc, spec, ("spec",), f"{kind}/{name}" if cluster else name, self)
        return self._bases[key]

    def resolve(self, holder: dict, source: Source, base: TemplateBase) -> ResolvedTemplate:
        ref = holder.get("templateRef")
        if isinstance(ref, dict):
            name, template = ref.get("name"), ref.get("template")
            cluster = ref.get("clusterScope") is True
            target = self.base_of_template(name, cluster) if isinstance(name, str) else None
            if target is None:
                kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
                raise TemplateError(f"{kind} '{name}' not found (give its file to the dry run)")
            resolved = target.named(template, f"{name}/{template}") if isinstance(template, str) else None
            if resolved is None:
                raise TemplateError(f"template reference {name}.{template} not found")
            return resolved
        name = holder.get("template")
        if isinstance(name, str) and name:
            resolved = base.named(name)
            if resolved is None:
                where = f" in WorkflowTemplate '{base.label}'" if base.label else ""
                raise TemplateError(f"template name '{name}' undefined{where}")
            return resolved
        inline = holder.get("inline")
        if isinstance(inline, dict):
            return ResolvedTemplate(self.with_defaults(inline), inline.get("name") if isinstance(
                inline.get("name"), str) else None, Source(source.document, source.path + ("inline",)), base)
        raise TemplateError("the step names no template (template, templateRef or inline)")


def _merge(under: Any, over: Any) -> Any:
    """A strategic-merge approximation: maps merge key by key, `over` wins elsewhere."""
    if isinstance(under, dict) and isinstance(over, dict):
        out = dict(under)
        for key, value in over.items():
            out[key] = _merge(under[key], value) if key in under else value
        return out
    return over


def _merge_named(under: list, over: list) -> list:
    """Parameters/artifacts merged by name: the whole object of the higher source wins."""
    out: list = []
    index: dict = {}
    for item in _list(under) + _list(over):
        name = _dict(item).get("name")
        if isinstance(name, str) and name in index:
            out[index[name]] = item
        else:
            if isinstance(name, str):
                index[name] = len(out)
            out.append(item)
    return out


@dataclass
class Workflow:
    """The run's effective spec and its globals."""

    document: Any
    name: str
    namespace: str
    spec: dict
    spec_source: Source  # where spec fields (arguments, onExit ...) were written
    base: TemplateBase
    resolver: Resolver
    entrypoint: Optional[str]
    arguments: dict
    globals: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    annotations: dict = field(default_factory=dict)
    creation: datetime = CREATION
    # tick -> its rfc3339 text: the nodes of a large workflow share few ticks, and strftime
    # is slow (see `rfc3339`)
    stamps: dict = field(default_factory=dict, repr=False, compare=False)


def runnable_documents(project) -> list:
    """Workflow-like documents in the order given: Workflows and CronWorkflows first, then
    WorkflowTemplates (run as `argo submit --from`)."""
    docs = [d for d in project.documents if d.is_argo]
    first = [d for d in docs if d.kind in ("Workflow", "CronWorkflow")]
    second = [d for d in docs if d.kind in ("WorkflowTemplate", "ClusterWorkflowTemplate")]
    return first + second


def _spec_of(document) -> tuple[dict, tuple]:
    data = _dict(document.data)
    spec = _dict(data.get("spec"))
    if document.kind == "CronWorkflow":
        return _dict(spec.get("workflowSpec")), ("spec", "workflowSpec")
    return spec, ("spec",)


def prepare(project, document, parameters: Optional[list] = None, entrypoint: Optional[str] = None,
            name: Optional[str] = None) -> Workflow:
    metadata = document.metadata
    if name is None:
        real = metadata.get("name")
        generate = metadata.get("generateName")
        name = real if isinstance(real, str) and real else (
            f"{generate}xxxxx" if isinstance(generate, str) and generate else "workflow")
    namespace = document.namespace or DEFAULT_NAMESPACE
    spec, spec_path = _spec_of(document)
    spec = dict(spec)
    labels = {str(k): as_text(v) or "" for k, v in _dict(metadata.get("labels")).items()}
    annotations = {str(k): as_text(v) or "" for k, v in _dict(metadata.get("annotations")).items()}
    if document.kind == "CronWorkflow":  # what the controller puts on the workflows it creates
        labels.setdefault("workflows.argoproj.io/cron-workflow", name)
        annotations.setdefault(SCHEDULED_TIME, CREATION.strftime("%Y-%m-%dT%H:%M:%SZ"))
    resolver = Resolver(project, namespace, None)
    base_document, base_spec, base_path, base_label = document, spec, spec_path, None
    ref = spec.get("workflowTemplateRef")
    if isinstance(ref, dict) and document.kind in ("Workflow", "CronWorkflow"):
        cluster = ref.get("clusterScope") is True
        target = project.workflow_template(ref.get("name"), cluster, document.namespace)
        if target is None:
            kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
            raise WorkflowError(f"workflowTemplateRef: {kind} '{ref.get('name')}' not found; give its file to the "
                                "dry run too")
        wt_spec = _dict(_dict(target.data).get("spec"))
        merged = _merge(wt_spec, {k: v for k, v in spec.items() if k not in ("workflowTemplateRef", "templates")})
        arguments = _dict(merged.get("arguments"))
        merged["arguments"] = {
            **arguments,
            "parameters": _merge_named(_dict(wt_spec.get("arguments")).get("parameters"),
                                       _dict(spec.get("arguments")).get("parameters")),
            "artifacts": _merge_named(_dict(wt_spec.get("arguments")).get("artifacts"),
                                      _dict(spec.get("arguments")).get("artifacts")),
        }
        merged["hooks"] = {**_dict(wt_spec.get("hooks")), **_dict(spec.get("hooks"))}
        merged["templates"] = wt_spec.get("templates")
        wt_meta = _dict(_dict(wt_spec.get("workflowMetadata")))
        labels = {**{str(k): as_text(v) or "" for k, v in _dict(wt_meta.get("labels")).items()}, **labels}
        spec = merged
        base_document, base_spec, base_path, base_label = target, wt_spec, ("spec",), None
    workflow_metadata = _dict(spec.get("workflowMetadata"))
    labels.update({str(k): as_text(v) or "" for k, v in _dict(workflow_metadata.get("labels")).items()})
    annotations.update({str(k): as_text(v) or "" for k, v in _dict(workflow_metadata.get("annotations")).items()})
    resolver.defaults = spec.get("templateDefaults") if isinstance(spec.get("templateDefaults"), dict) and \
        spec.get("templateDefaults") else None
    if entrypoint:
        spec["entrypoint"] = entrypoint
    arguments = copy.deepcopy(_dict(spec.get("arguments")))
    params = [p for p in _list(arguments.get("parameters")) if isinstance(p, dict)]
    for key, value in parameters or []:
        for p in params:
            if p.get("name") == key:
                p.pop("valueFrom", None)
                p["value"] = value
                break
        else:
            params.append({"name": key, "value": value})
    arguments["parameters"] = params
    spec["arguments"] = arguments
    base = TemplateBase(base_document, base_spec if base_document is not document else spec, base_path,
                        base_label, resolver)
    workflow = Workflow(document, name, namespace, spec, Source(document, spec_path), base, resolver,
                        spec.get("entrypoint") if isinstance(spec.get("entrypoint"), str) else None,
                        arguments, labels=labels, annotations=annotations)
    workflow.globals = _globals(workflow, project)
    return workflow


def _strftime_keys(moment: datetime) -> dict:
    out = {}
    for ch in "aAbBcCdDeFgGhHIjklmMnprRsStTuUVwWxXyYzZ":
        try:
            out[f"workflow.creationTimestamp.{ch}"] = moment.strftime(f"%{ch}")
        except ValueError:
            continue
    return out


def _globals(workflow: Workflow, project) -> dict:
    spec = workflow.spec
    created = workflow.creation
    values = {
        "workflow.name": workflow.name,
        "workflow.namespace": workflow.namespace,
        "workflow.uid": UID,
        "workflow.mainEntrypoint": workflow.entrypoint or "",
        "workflow.serviceAccountName": as_text(spec.get("serviceAccountName")) or "",
        "workflow.status": "Running",
        "workflow.creationTimestamp": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "workflow.creationTimestamp.RFC3339": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    values.update(_strftime_keys(created))
    values["workflow.creationTimestamp.s"] = str(int(created.timestamp()))
    if "priority" in spec:
        values["workflow.priority"] = as_text(spec.get("priority")) or ""
    if SCHEDULED_TIME in workflow.annotations:
        values["workflow.scheduledTime"] = workflow.annotations[SCHEDULED_TIME]
    for key, value in workflow.labels.items():
        values[f"workflow.labels.{key}"] = value
    for key, value in workflow.annotations.items():
        values[f"workflow.annotations.{key}"] = value
    # the whole map as JSON, unless a label (annotation, parameter) named `json` takes the key:
    # the controller sets the JSON first and the single values after it
    values["workflow.labels"] = go_json(workflow.labels)
    values.setdefault("workflow.labels.json", values["workflow.labels"])
    values["workflow.annotations"] = go_json(workflow.annotations)
    values.setdefault("workflow.annotations.json", values["workflow.annotations"])
    params = []
    from argolint.evaluator.substitute import LENIENT, SubstitutionError, substitute
    from argolint.evaluator.variables import Layer, Vars

    identity = Vars([Layer(values)])
    for p in workflow.arguments.get("parameters", []):
        pname = p.get("name")
        if not isinstance(pname, str):
            continue
        value = parameter_value(p, project, f"spec.arguments.parameters.{pname}")
        if value is None:
            raise WorkflowError(f"failed to set global parameters: spec.arguments.parameters '{pname}' has no value; "
                                f"pass one with -p {pname}=VALUE")
        try:
            value = substitute(value, identity, LENIENT)
        except SubstitutionError as exc:
            raise WorkflowError(f"failed to set global parameters: {exc.message}") from None
        values[f"workflow.parameters.{pname}"] = value
        params.append({"name": pname, "value": value})
    if params:
        values["workflow.parameters"] = go_json(params)
        values.setdefault("workflow.parameters.json", values["workflow.parameters"])
    return values


def parameter_value(param: dict, project, what: str) -> Optional[str]:
    """A parameter's value: `value`, else `default`, else `valueFrom.configMapKeyRef` (from a
    ConfigMap among the inputs, falling back to `valueFrom.default`), else
    `valueFrom.default`; None if it has none."""
    if param.get("value") is not None:
        return as_text(param.get("value"))
    if param.get("default") is not None:
        return as_text(param.get("default"))
    value_from = _dict(param.get("valueFrom"))
    ref = _dict(value_from.get("configMapKeyRef"))
    if ref:
        found = config_map_value(project, ref.get("name"), ref.get("key"))
        if found is not None:
            return found
    if value_from.get("default") is not None:
        return as_text(value_from.get("default"))
    if ref:
        return f"<configmap {ref.get('name')}/{ref.get('key')}>"
    return None


def config_map_value(project, name, key) -> Optional[str]:
    if project is None:
        return None
    for doc in project.by_kind.get("ConfigMap", []):
        if doc.metadata.get("name") == name:
            data = _dict(_dict(doc.data).get("data"))
            if key in data:
                return as_text(data[key])
    return None


def rfc3339(workflow: Workflow, tick: Optional[int]) -> str:
    """The time `tick` seconds after the workflow's creation, as Argo prints it; kept per
    workflow (every node of a tick asks it)."""
    if tick is None:
        return ""
    stamp = workflow.stamps.get(tick)
    if stamp is None:
        stamp = workflow.stamps[tick] = (workflow.creation + timedelta(seconds=tick)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return stamp

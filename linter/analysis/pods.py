"""The effective pod of each template that runs one: what the security and best-practice rules
judge (docs/security-rules.md, /work/shared/docs/pod-security.md).

A container, script or containerSet template becomes one pod. Its settings come from, in
the order they are applied (later wins):

1. the workflow spec: `securityContext`, `hostNetwork`, `volumes` (those the pod's
   containers mount), `podSpecPatch`;
2. `spec.templateDefaults`, strategically merged under every template (the template wins);
3. the template: `securityContext` (replaces the workflow's, as Argo does), `volumes`
   (added to the workflow's), `podSpecPatch` (applied after the workflow's);
4. each container's own `securityContext` (container, script, containerSet containers,
   init containers, sidecars), with `templateDefaults.container|script` under it.

Every setting keeps the place that set it (`Setting.path`): a key of the manifest, or the
`podSpecPatch` value whose text set it. A `podSpecPatch` containing `{{...}}` is known only
at run time; it is listed in `Pod.dynamic_patches` and not applied. Argo's own `init` and
`wait` containers are configured by the controller, not the manifest, and are not judged.
A Workflow running a WorkflowTemplate (`workflowTemplateRef`) is judged where the templates
are: in the WorkflowTemplate's document.
"""

from __future__ import annotations

from itertools import chain
from typing import Any, NamedTuple, Optional

from argolint.model import Template
from argolint.analysis import per_document

POD_TEMPLATE_TYPES = ("container", "script", "containerSet")
HOST_NAMESPACES = ("hostNetwork", "hostPID", "hostIPC")


class Setting(NamedTuple):
    value: Any
    path: tuple  # the key that sets it, or the podSpecPatch value it comes from
    patch: bool = False  # set by a podSpecPatch

    @property
    def where(self) -> str:
        return " (in podSpecPatch)" if self.patch else ""

    @property
    def at(self) -> str:
        """Which span of `path` a finding points at: the key, or a podSpecPatch's text."""
        return "value" if self.patch else "key"

    def path_to(self, *keys) -> tuple:
        """Where a finding about the field `keys` inside the setting points: at that field, or
        at the podSpecPatch text when the setting comes from one (its fields have no path)."""
        return self.path if self.patch else self.path + keys


class Container(NamedTuple):
    label: str  # how messages name it: "the container of template 'x'"
    name: str  # its name in the pod ("main" for a container or script template)
    data: dict  # its own fields
    path: tuple
    security: dict  # securityContext field -> Setting, effective
    resources: dict  # resources, with templateDefaults under them
    image: Optional[Setting]


class Pod:
    """The effective pod of one template."""

    def __init__(self, template: Template, label: str):
        self.template = template
        self.label = label  # "template 'x'" or "the inline template of step 'y'"
        self.host: dict = {}  # hostNetwork/hostPID/hostIPC -> Setting
        self.security: dict = {}  # pod securityContext field -> Setting
        self.volumes: list = []  # Setting per volume
        self.containers: list = []
        self.dynamic_patches: list = []  # paths of podSpecPatch values with {{...}}
        self.patched_fields: set = set()  # container fields some literal podSpecPatch sets

    def whose(self, setting: Setting, label: str = "", shared: str = "") -> str:
        """How a message names what `setting` applies to: this pod (or the container
        `label`) when the template sets it, all of them (or `shared`) when the workflow does."""
        own = self.template.path
        if setting.path[:len(own)] == own:
            return label or self.label
        return shared or ("every container of the workflow's pods" if label else "every pod of the workflow")

    @property
    def name_path(self) -> tuple:
        """Where a missing setting is reported: the template's name (or its key)."""
        return self.template.path + ("name",) if "name" in self.template.data else self.template.path

    def security_settings(self, fields) -> list:
        """(whose, field, Setting) for each of `fields` set in the pod's securityContext, then in
        each container's, in order: for the rules that judge a field wherever it is set."""
        found = [(self.whose(s), k, s) for k, s in self.security.items() if k in fields]
        found += [(self.whose(s, c.label), k, s) for c in self.containers for k, s in c.security.items()
                  if k in fields]
        return found

    def pod_or_every_container(self, field: str) -> bool:
        """Whether `field` is set at pod level or on every container (the Restricted profile's
        "pod level, or every container" rule)."""
        return field in self.security or all(field in c.security for c in self.containers)


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def pods(ctx) -> list[Pod]:
    """The effective pod of every template of the document that runs one (inline templates
    included), once per document."""
    return per_document(ctx, "pods", _pods)


def _pods(ctx) -> list[Pod]:
    from argolint.analysis.templating.check import all_templates

    spec = ctx.spec
    if spec is None or not spec.data:
        return []
    workflow = _WorkflowLevel(spec)
    return [workflow.pod(t, template_label(ctx, t)) for t in all_templates(spec) if t.type in POD_TEMPLATE_TYPES]


def template_label(ctx, template: Template) -> str:
    if template.path[-1] == "inline":
        call = ctx.document.get(template.path[:-1])
        name = call.get("name") if isinstance(call, dict) else None
        return f"the inline template of '{name}'"
    return f"template '{template.name}'"


class _WorkflowLevel:
    """The settings every pod of the workflow starts from."""

    def __init__(self, spec):
        self.spec = spec
        data = spec.data
        self.defaults = _dict(data.get("templateDefaults"))
        self.defaults_path = spec.path + ("templateDefaults",)
        self.security = _fields(data.get("securityContext"), spec.path + ("securityContext",))
        self.host = {k: Setting(data[k], spec.path + (k,)) for k in HOST_NAMESPACES if k in data}
        self.volumes = [Setting(v, spec.path + ("volumes", i)) for i, v in enumerate(_list(data.get("volumes")))]
        self.patch = data.get("podSpecPatch"), spec.path + ("podSpecPatch",)

    def pod(self, template: Template, label: str) -> Pod:
        pod = Pod(template, label)
        data, defaults = template.data, self.defaults
        pod.host = dict(self.host)
        if isinstance(data.get("securityContext"), dict):
            pod.security = _fields(data["securityContext"], template.path + ("securityContext",))
        elif isinstance(defaults.get("securityContext"), dict):
            pod.security = _fields(defaults["securityContext"], self.defaults_path + ("securityContext",))
        else:
            pod.security = dict(self.security)
        pod.containers = list(self._containers(template, label))
        # Argo adds a workflow-level volume to the pods whose containers mount it, and a
        # template's own volumes to its pod.
        mounted = {_dict(m).get("name") for c in pod.containers for m in _list(c.data.get("volumeMounts"))}
        mounted |= {_dict(m).get("name") for m in _list(_dict(defaults.get(template.type)).get("volumeMounts"))}
        pod.volumes = [v for v in self.volumes if _dict(v.value).get("name") in mounted] + [
            Setting(v, template.path + ("volumes", i)) for i, v in enumerate(_list(data.get("volumes")))]
        for text, path in (self.patch, (defaults.get("podSpecPatch"), self.defaults_path + ("podSpecPatch",)),
                           (data.get("podSpecPatch"), template.path + ("podSpecPatch",))):
            if isinstance(text, str) and text.strip():
                _apply_patch(pod, text, path)
        return pod

    def _containers(self, template: Template, label: str):
        data = template.data
        kind = template.type
        if kind in ("container", "script"):
            default = _dict(self.defaults.get(kind))
            yield _container(f"the {kind} of {label}", "main", _dict(data.get(kind)), template.path + (kind,),
                             default, self.defaults_path + (kind,))
        else:
            box = _dict(data.get("containerSet"))
            for i, c in enumerate(_list(box.get("containers"))):
                if not isinstance(c, dict):
                    continue  # the schema rules report it
                name = c.get("name")
                yield _container(f"container '{name}' of {label}", str(name), _dict(c),
                                 template.path + ("containerSet", "containers", i), {}, ())
        for key, what in (("initContainers", "init container"), ("sidecars", "sidecar")):
            for i, c in enumerate(_list(data.get(key))):
                if not isinstance(c, dict):
                    continue
                name = c.get("name")
                yield _container(f"{what} '{name}' of {label}", str(name), _dict(c), template.path + (key, i), {}, ())


def _fields(value, path: tuple) -> dict:
    return {k: Setting(v, path + (k,)) for k, v in _dict(value).items()}


def _container(label, name, data, path, default: dict, default_path: tuple) -> Container:
    security = _fields(default.get("securityContext"), default_path + ("securityContext",))
    security.update(_fields(data.get("securityContext"), path + ("securityContext",)))
    resources = dict(_dict(default.get("resources")))
    resources.update(_dict(data.get("resources")))
    image = None
    if "image" in data:
        image = Setting(data["image"], path + ("image",))
    elif "image" in default:
        image = Setting(default["image"], default_path + ("image",))
    return Container(label, name, data, path, security, resources, image)


def _apply_patch(pod: Pod, text: str, path: tuple) -> None:
    if "{{" in text:
        pod.dynamic_patches.append(path)
        return
    patch = _parse_patch(text)
    if not isinstance(patch, dict):
        return  # not a mapping: Argo rejects it, and this analysis has nothing to apply
    for key in HOST_NAMESPACES:
        if key in patch:
            pod.host[key] = Setting(patch[key], path, True)
    for key, value in _dict(patch.get("securityContext")).items():
        pod.security[key] = Setting(value, path, True)
    pod.volumes = pod.volumes + [Setting(v, path, True) for v in _list(patch.get("volumes"))]
    by_name = {c.name: c for c in pod.containers}
    for patched in chain(_list(patch.get("containers")), _list(patch.get("initContainers"))):
        container = by_name.get(_dict(patched).get("name"))
        if container is None:
            continue
        pod.patched_fields.update(k for k in patched if k != "name")
        for key, value in _dict(patched.get("securityContext")).items():
            container.security[key] = Setting(value, path, True)


def _parse_patch(text: str):
    """A podSpecPatch's YAML or JSON; None when it does not parse (Argo fails the pod).
    Read through the bounded loader, like every YAML argolint reads."""
    from argolint.load.loader import load_values

    values, problems = load_values(text, "podSpecPatch")
    return None if problems or not values else values[0]


def restricted(ctx) -> bool:
    """Whether the configuration asks for the Restricted profile (else Baseline)."""
    security = getattr(ctx.config, "security", None)
    return getattr(security, "profile", "baseline") == "restricted"


def once(findings):
    """The findings without repeats: a workflow-level setting is in every pod's view."""
    seen = set()
    for finding in findings:
        key = (finding.path, finding.at, finding.message)
        if key not in seen:
            seen.add(key)
            yield finding

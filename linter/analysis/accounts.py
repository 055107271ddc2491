"""Which service account acts for each pod of a workflow, and what RBAC that pod needs.

Follows the controller: a pod runs as the template's `serviceAccountName`, else the
workflow's (after the `workflowTemplateRef` merge and the controller's `workflowDefaults`,
here the `default-service-account` setting), else the namespace's `default` account. Its
executor (the `wait` container, or `argoexec` itself in resource and data pods) talks to
the API as `executor.serviceAccountName` (template, then workflow) when one is set, else as
the pod's account. `spec.templateDefaults` count as set on every template. HTTP and plugin
templates run in the workflow's agent pod, which uses the workflow's account.

Every pod's executor creates and patches `workflowtaskresults` (Argo >= 3.4); the agent
lists and watches `workflowtasksets` and patches their status; a resource template needs
its action's verbs on its manifest's resource, plus `get` when it waits on a condition or
reads outputs from the resource.
"""

from __future__ import annotations

import re
from itertools import chain
from typing import Optional

from argolint.diagnostics import FrozenRecord, Record
from argolint.load.kinds import Resource, resource_of, resource_of_type
from argolint.model import Template, WorkflowSpec
from argolint.analysis.rbac import Permission, checks_permissions, rbac_model
from argolint.analysis import per_document

POD_TYPES = frozenset({"container", "script", "containerSet", "resource", "data"})
AGENT_TYPES = frozenset({"http", "plugin"})
ACTION_VERBS = {
    "get": ("get",), "create": ("create",), "apply": ("get", "create", "patch"),
    "delete": ("delete",), "replace": ("update",), "patch": ("patch",),
}
EXECUTOR_NEEDS = (("create", "argoproj.io", "workflowtaskresults"), ("patch", "argoproj.io", "workflowtaskresults"))
AGENT_NEEDS = (("list", "argoproj.io", "workflowtasksets"), ("watch", "argoproj.io", "workflowtasksets"),
               ("patch", "argoproj.io", "workflowtasksets/status"))
EXECUTOR_REASON = "the executor in every pod (to report outputs)"
AGENT_REASON = "the agent pod of HTTP and plugin templates"

# kubectl options that take a value as the next argument (for `flags:` without a manifest).
_VALUE_OPTIONS = frozenset({"-n", "--namespace", "-l", "--selector", "-f", "--filename", "-o", "--output",
                            "--field-selector", "--grace-period", "--timeout", "-p", "--patch", "--type",
                            "--cascade", "--context", "--cluster", "--user", "-k", "--kustomize"})
_TOP_LEVEL = re.compile(r"^(kind|apiVersion):[ \t]*[\"']?([^\"'#\s]+)", re.M)


class AccountSource(FrozenRecord):
    """An account name and where it came from: a value in a document (`document`, `path`),
    the configuration's `default-service-account` or the namespace's `default` account
    (`document` None)."""

    _fields = ("name", "document", "path", "origin")

    def __init__(self, name: str, document: Optional[object] = None, path: tuple = (), origin: str = "manifest"):
        self.name = name
        self.document = document
        self.path = path
        self.origin = origin  # manifest | config | namespace-default

    @property
    def templated(self) -> bool:
        return "{{" in self.name


class Need(Record):
    _fields = ("permission", "reason", "derived_from")

    def __init__(self, permission: Permission, reason: str, derived_from: Optional[str] = None):
        self.permission = permission
        self.reason = reason
        self.derived_from = derived_from  # the unknown kind a plural was derived from


class Pod(Record):
    _fields = ("label", "template", "account", "agent", "needs")

    def __init__(self, label: str, template: Template, account: AccountSource, agent: bool = False,
                 needs: Optional[list] = None):
        self.label = label  # how messages name the template
        self.template = template
        self.account = account
        self.agent = agent  # an HTTP or plugin template, run by the workflow's agent pod
        self.needs = [] if needs is None else needs


class AccountPlan(Record):
    _fields = ("namespace", "pods", "named", "unresolved_calls", "referenced", "reference_unknown",
               "workflow_account")

    def __init__(self, namespace: Optional[str], pods: Optional[list] = None, named: Optional[list] = None,
                 unresolved_calls: Optional[list] = None, referenced: Optional[object] = None,
                 reference_unknown: bool = False, workflow_account: Optional[AccountSource] = None):
        self.namespace = namespace  # None for a ClusterWorkflowTemplate: its callers decide
        self.pods = [] if pods is None else pods
        self.named = [] if named is None else named  # explicit account names in this document
        # templateRefs not among the inputs
        self.unresolved_calls = [] if unresolved_calls is None else unresolved_calls
        self.referenced = referenced  # the WorkflowTemplate a workflowTemplateRef runs
        self.reference_unknown = reference_unknown  # a workflowTemplateRef not among the inputs
        self.workflow_account = workflow_account  # the account of pods that set none


def _get(data, keys):
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _named(data, keys, document, path) -> Optional[AccountSource]:
    value = _get(data, keys)
    return AccountSource(value, document, tuple(path) + keys) if isinstance(value, str) and value else None


class _Planner:
    def __init__(self, ctx):
        self.ctx = ctx
        self.document = ctx.document
        self.project = ctx.project
        config = ctx.config
        cluster = ctx.document.kind == "ClusterWorkflowTemplate"
        namespace = None if cluster else (ctx.document.namespace or config.namespace)
        self.plan = AccountPlan(namespace)
        self.layers = [ctx.spec]  # the workflow's effective spec, highest priority first
        ref = ctx.spec.workflow_template_ref
        if ref is not None:
            referenced = ctx.referenced_workflow_template
            if referenced is None:
                self.plan.reference_unknown = True
            else:
                self.plan.referenced = referenced
                self.layers.append(WorkflowSpec.of(referenced))
        self.default = (AccountSource(config.default_service_account, origin="config")
                        if config.default_service_account else AccountSource("default", origin="namespace-default"))
        self.seen: set = set()
        self.specs: dict = {}

    # -- accounts ----------------------------------------------------------------------------

    def _from_spec(self, keys) -> Optional[AccountSource]:
        for spec in self.layers:
            found = _named(spec.data, keys, spec.document, spec.path)
            if found is not None:
                return found
        return None

    def pod_account(self, template: Template) -> AccountSource:
        """The account the pod's executor acts as."""
        doc = template.workflow.document
        return (_named(template.data, ("executor", "serviceAccountName"), doc, template.path)
                or self._from_spec(("templateDefaults", "executor", "serviceAccountName"))
                or self._from_spec(("executor", "serviceAccountName"))
                or _named(template.data, ("serviceAccountName",), doc, template.path)
                or self._from_spec(("templateDefaults", "serviceAccountName"))
                or self.workflow_account())

    def workflow_account(self) -> AccountSource:
        return self._from_spec(("serviceAccountName",)) or self.default

    def explicit_names(self) -> None:
        spec = self.ctx.spec
        for keys in (("serviceAccountName",), ("executor", "serviceAccountName"),
                     ("templateDefaults", "serviceAccountName"), ("templateDefaults", "executor", "serviceAccountName")):
            found = _named(spec.data, keys, self.document, spec.path)
            if found is not None:
                self.plan.named.append(found)

    # -- the walk ----------------------------------------------------------------------------

    def spec_of(self, document) -> WorkflowSpec:
        key = id(document)
        if key not in self.specs:
            self.specs[key] = WorkflowSpec.of(document)
        return self.specs[key]

    def walk(self, template: Template, base: WorkflowSpec, label: str) -> None:
        key = (id(template.workflow.document), template.path)
        if key in self.seen:
            return
        self.seen.add(key)
        own = template.workflow.document is self.document
        if own:
            for keys in (("serviceAccountName",), ("executor", "serviceAccountName")):
                found = _named(template.data, keys, self.document, template.path)
                if found is not None:
                    self.plan.named.append(found)
        kind = template.type
        if kind in POD_TYPES:
            self.add_pod(template, label, self.pod_account(template))
        elif kind in AGENT_TYPES:
            self.add_pod(template, label, self.workflow_account(), agent=True)
        for call in chain(template.steps, template.tasks):
            data = call.data  # most calls have neither `inline` nor `templateRef`: no view made
            inline = call.inline if "inline" in data else None
            if inline is not None:
                self.walk(inline, base, f"the inline template of '{call.name}'")
                continue
            ref = call.template_ref if "templateRef" in data else None
            if ref is not None:
                self.follow(ref)
            elif not own and call.template_name is not None:
                # Inside a referenced WorkflowTemplate, `template:` names its own templates.
                target = base.template(call.template_name)
                if target is not None:
                    self.walk(target, base, f"'{base.document.name}/{target.name}'")

    def follow(self, ref) -> None:
        doc = self.project.workflow_template(ref.name, ref.cluster_scope, self.plan.namespace)
        target = self.spec_of(doc).template(ref.template) if doc is not None else None
        if target is None:
            self.plan.unresolved_calls.append(ref)
            return
        self.walk(target, self.spec_of(doc), f"'{ref.name}/{ref.template}'")

    def add_pod(self, template: Template, label: str, account: AccountSource, agent: bool = False) -> None:
        namespace = self.plan.namespace
        pod = Pod(label, template, account, agent)
        if namespace is not None:
            needs = AGENT_NEEDS if agent else EXECUTOR_NEEDS
            reason = AGENT_REASON if agent else EXECUTOR_REASON
            pod.needs = [Need(Permission(v, g, r, namespace), reason) for v, g, r in needs]
            if template.type == "resource":
                pod.needs += resource_needs(template, namespace, label)
        self.plan.pods.append(pod)

    def run(self) -> AccountPlan:
        self.plan.workflow_account = self.workflow_account()
        self.explicit_names()
        spec = self.ctx.spec
        for template in spec.templates:
            self.walk(template, spec, f"'{template.name}'")
        if self.plan.referenced is not None:
            referenced = self.layers[-1]
            for template in referenced.templates:
                self.walk(template, referenced, f"'{referenced.document.name}/{template.name}'")
        return self.plan


def account_plan(ctx) -> AccountPlan:
    """The plan of the document being linted, computed once and shared by the rules."""
    return per_document(ctx, "account-plan", lambda ctx: _Planner(ctx).run())


def default_account_can_execute(ctx, plan: AccountPlan) -> bool:
    """Whether the RBAC inputs let the namespace's `default` account do the executor's work."""
    if plan.namespace is None or not checks_permissions(ctx.project, ctx.config):
        return False
    model = rbac_model(ctx.project, ctx.config)
    return all(model.decide(plan.namespace, "default", Permission(verb, group, resource, plan.namespace)).allowed
               for verb, group, resource in EXECUTOR_NEEDS)


# -- resource templates ----------------------------------------------------------------------

class _Target(Record):
    _fields = ("resource", "namespace", "name")

    def __init__(self, resource: Resource, namespace: Optional[str], name: Optional[str]):
        self.resource = resource
        self.namespace = namespace  # None: unknowable (templated)
        self.name = name


def _literal(value) -> Optional[str]:
    return value if isinstance(value, str) and value and "{{" not in value else None


def _namespace(value, workflow_namespace: str) -> Optional[str]:
    if value is None:
        return workflow_namespace
    if isinstance(value, str) and value.replace(" ", "") == "{{workflow.namespace}}":
        return workflow_namespace
    return _literal(value)


def _load_all(text: str) -> list:
    """The manifest's documents, through the bounded loader (a manifest nested thousands of
    levels deep would crash libyaml's composer); one that cannot be loaded raises ValueError."""
    from argolint.load.loader import load_values

    values, problems = load_values(text, "<manifest>")
    if problems:
        raise ValueError(problems[0].message)
    return values


_BLOCK_LINE = re.compile(r"([A-Za-z]+):(?:[ \t]+(.*?))?[ \t]*$")


def _scalar_text(raw: Optional[str]):
    """A plain or quoted one-line scalar; None for nothing, `...` for anything fancier."""
    if raw is None or raw == "" or raw.startswith("#"):
        return None
    if raw[0] in "\"'":
        quote = raw[0]
        end = raw.find(quote, 1)
        return raw[1:end] if end > 0 else ...
    if raw[0] in "{[|>&*!":
        return ...
    return raw.split(" #", 1)[0].strip()


def _block_fields(chunk: str) -> Optional[dict]:
    """kind, apiVersion and metadata.name/namespace of a block-style manifest, read line by
    line (a YAML parse costs a millisecond per manifest, and `{{...}}` tags often make the
    manifest invalid YAML before substitution anyway); None when the manifest is not plain
    block style (JSON, flow mappings)."""
    fields: dict = {}
    metadata: dict = {}
    in_metadata, metadata_indent = False, None
    for line in chunk.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line[0].isspace():
            match = _BLOCK_LINE.match(line)
            if match is None:
                if stripped.startswith(("{", "[")):
                    return None
                in_metadata = False
                continue
            key, value = match.group(1), _scalar_text(match.group(2))
            in_metadata = key == "metadata" and value is None
            if key in ("kind", "apiVersion", "metadata"):
                if value is ...:
                    return None
                if key != "metadata":
                    fields[key] = value
            continue
        if in_metadata:
            indent = len(line) - len(line.lstrip())
            metadata_indent = indent if metadata_indent is None else metadata_indent
            match = _BLOCK_LINE.match(stripped) if indent == metadata_indent else None
            if match is not None and match.group(1) in ("name", "namespace"):
                value = _scalar_text(match.group(2))
                metadata[match.group(1)] = None if value is ... else value
    if metadata:
        fields["metadata"] = metadata
    return fields


def _manifest_documents(text: str) -> list[dict]:
    chunks = [c for c in re.split(r"^---[ \t]*(?:#.*)?$", text, flags=re.M) if c.strip()]
    documents = [_block_fields(chunk) for chunk in chunks]
    if all(d is not None for d in documents):
        return [d for d in documents if d]
    try:
        return [d for d in _load_all(text) if isinstance(d, dict)]
    except Exception:  # not YAML before substitution: the top-level keys are all we can read
        return [dict(_TOP_LEVEL.findall(chunk)) for chunk in chunks]


def _manifest_targets(text: str, flag_namespace, workflow_namespace: str) -> list[_Target]:
    documents = _manifest_documents(text)
    targets = []
    for doc in documents:
        kind = _literal(doc.get("kind"))
        api_version = doc.get("apiVersion")
        if kind is None or (api_version is not None and _literal(api_version) is None):
            continue
        metadata = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
        resource = resource_of(kind, api_version)
        namespace = _namespace(flag_namespace if flag_namespace is not None else metadata.get("namespace"),
                               workflow_namespace)
        targets.append(_Target(resource, namespace, _literal(metadata.get("name"))))
    return targets


def _parse_flags(flags: list) -> tuple[list[str], dict]:
    positional, options = [], {}
    args = [f for f in flags if isinstance(f, str)]
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-"):
            name, eq, value = arg.partition("=")
            if not eq and name in _VALUE_OPTIONS and i + 1 < len(args):
                value = args[i + 1]
                i += 1
            options[name] = value
        else:
            positional.append(arg)
        i += 1
    return positional, options


def resource_needs(template: Template, namespace: str, label: str) -> list[Need]:
    resource = template.data.get("resource")
    resource = resource if isinstance(resource, dict) else {}
    action = resource.get("action")
    verbs = ACTION_VERBS.get(action) if isinstance(action, str) else None
    if verbs is None:
        return []
    positional, options = _parse_flags(resource.get("flags") if isinstance(resource.get("flags"), list) else [])
    flag_namespace = options.get("-n", options.get("--namespace"))
    manifest = resource.get("manifest")
    details = [f"action '{action}'"]
    if isinstance(manifest, str):
        targets = _manifest_targets(manifest, flag_namespace, namespace)
    elif positional and "{{" not in positional[0]:
        # `kubectl <action> TYPE[/NAME] [NAME] <flags>`, as Argo runs a manifest-less delete
        known = resource_of_type(positional[0])
        if known is None:
            return []
        name = positional[0].partition("/")[2] or (positional[1] if len(positional) > 1 else None)
        targets = [_Target(known, _namespace(flag_namespace, namespace), _literal(name))]
        if {"-l", "--selector", "--all", "--field-selector"} & set(options):
            verbs = verbs + ("list",)
            details.append("a selector")
    else:
        return []
    watched = [k for k in ("successCondition", "failureCondition")
               if isinstance(resource.get(k), str) and resource[k].strip()]
    outputs = template.outputs.get("parameters")
    if isinstance(outputs, list) and any(
            isinstance(p, dict) and isinstance(p.get("valueFrom"), dict)
            and ({"jsonPath", "jqFilter"} & set(p["valueFrom"])) for p in outputs):
        watched.append("output parameters")
    if watched:
        verbs = verbs if "get" in verbs else verbs + ("get",)
        details += watched
    reason = f"resource template {label} ({', '.join(details)})"
    needs = []
    for target in targets:
        if target.namespace is None and not target.resource.cluster_scoped:
            continue
        res = target.resource
        for verb in verbs:
            permission = Permission(verb, res.group, res.plural, None if res.cluster_scoped else target.namespace,
                                    None if verb == "create" else target.name)
            needs.append(Need(permission, reason, res.kind if res.derived else None))
    return needs

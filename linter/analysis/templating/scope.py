"""Variable scopes (argo-semantics §2): what a tag or an expression may name, and where.

A reference is a tuple of segments (`("steps", "gen", "outputs", "parameters", "p")`);
`resolve(where, segments)` returns None when it names something in scope, else a `Problem`
naming the rule that reports it. `Where` says where the text sits: its template's scope,
the step or task it belongs to (loops, reference order), and its area (a step's body, a
hook, the template's outputs, metrics ...).

Scopes are built once per document (`DocumentScope`) and once per template
(`TemplateScope`, with a table of its steps or tasks); a lookup is a few dict and set
probes, and DAG ancestry is an O(1) bitmask test from `argolint.analysis.graph`.
"""

from __future__ import annotations

from typing import AbstractSet, NamedTuple, Optional

from argolint.diagnostics import Record, Severity, is_safe_rename
from argolint.model import LOOP_KEYS, Invocation, Template, WorkflowSpec
from argolint.diagnostics import closest
from argolint.analysis import per_document

# Roots Argo resolves (or that argolint knows are Argo's); a simple tag with another root
# is left as it is by Argo (a shell `${{...}}`, a Go template ...) and not reported.
KNOWN_ROOTS = ("workflow", "inputs", "outputs", "steps", "tasks", "item", "pod", "node", "retries", "lastRetry")
WORKFLOW_FIELDS = ("name", "namespace", "uid", "mainEntrypoint", "serviceAccountName", "status", "duration",
                   "creationTimestamp", "scheduledTime", "priority", "parameters", "labels", "annotations",
                   "outputs", "failures")
PREFIX_FIELDS = ("duration", "creationTimestamp", "scheduledTime")  # any suffix (.RFC3339, .Y, ...)
NODE_FIELDS = ("id", "status", "startedAt", "finishedAt", "hostNodeName", "ip", "exitCode", "outputs")
LAST_RETRY_FIELDS = ("exitCode", "status", "duration", "message")
CAPTURES_STDOUT = ("container", "script", "containerSet", "data", "http", "plugin")
POD_TYPES = ("container", "script", "resource", "data", "containerSet")
METRIC_NAMES = ("status", "duration", "exitCode", "resourcesDuration", "retries", "outputs", "inputs")
CRON_FIELDS = ("name", "namespace", "labels", "annotations", "lastScheduledTime", "failed", "succeeded")
CRON_LABEL = "workflows.argoproj.io/cron-workflow"
SCHEDULED_TIME_ANNOTATION = "workflows.argoproj.io/scheduled-time"
WORKFLOW_TEMPLATE_KINDS = ("WorkflowTemplate", "ClusterWorkflowTemplate")


class Problem(Record):
    _fields = ("rule", "message", "hint", "severity", "fix")

    def __init__(self, rule: str, message: str, hint: Optional[str] = None, severity: Optional[Severity] = None,
                 fix: Optional[tuple] = None):
        self.rule = rule
        self.message = message
        self.hint = hint
        self.severity = severity
        # (segment index, replacement[, safe]): the fix a "did you mean" hint proposes; safe
        # when the replacement is the one close candidate (argolint.diagnostics.is_safe_rename)
        self.fix = fix


def _names(items) -> list:
    return [p.get("name") for p in items if isinstance(p, dict) and isinstance(p.get("name"), str)]


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _dynamic(value) -> bool:
    return isinstance(value, str) and "{{" in value


def _suggest(word: str, candidates, index: int, prefix: str = "") -> tuple[Optional[str], Optional[tuple]]:
    candidates = [c for c in candidates if isinstance(c, str)]
    match = closest(word, candidates)
    if match is None:
        return None, None
    return f"did you mean '{prefix}{match}'?", (index, match, is_safe_rename(word, match, candidates))


# ----------------------------------------------------------------------------------------
# What a template produces


class Producer(Record):
    """The outputs a template can produce; None = unknown (accept anything)."""

    _fields = ("template_name", "type", "parameters", "artifacts", "result", "daemon")

    def __init__(self, template_name: Optional[str], type: Optional[str], parameters: Optional[frozenset],
                 artifacts: Optional[frozenset], result: Optional[bool], daemon: bool = False):
        self.template_name = template_name
        self.type = type
        self.parameters = parameters
        self.artifacts = artifacts
        self.result = result
        self.daemon = daemon

    @classmethod
    def unknown(cls) -> "Producer":
        return cls(None, None, None, None, None, True)

    @classmethod
    def of(cls, template: Template) -> "Producer":
        outputs = template.outputs
        kind = template.type
        if kind is None:
            return cls.unknown()
        params = _list(outputs.get("parameters"))
        artifacts = _list(outputs.get("artifacts"))
        if any(_dynamic(n) for n in _names(params) + _names(artifacts)):
            return cls(template.name, kind, None, None, None, True)
        result = kind in CAPTURES_STDOUT
        if kind == "containerSet":
            containers = _list(_dict(template.get("containerSet")).get("containers"))
            result = any(isinstance(c, dict) and c.get("name") == "main" for c in containers)
        daemon = template.get("daemon") is True
        return cls(template.name, kind, frozenset(_names(params)), frozenset(_names(artifacts)), result, daemon)


# ----------------------------------------------------------------------------------------
# Globals


class DocumentScope:
    """Global variables of one document (argo-semantics §2.1, argo-lint-checks §4.2)."""

    def __init__(self, ctx):
        self.ctx = ctx
        spec: WorkflowSpec = ctx.spec
        doc = ctx.document
        self.kind = doc.kind
        self.is_template_kind = doc.kind in WORKFLOW_TEMPLATE_KINDS
        specs = [spec.data]
        referenced = ctx.referenced_workflow_template
        if referenced is not None:
            specs.append(WorkflowSpec.of(referenced).data)
        # a workflowTemplateRef to a template we do not have: its parameters are unknowable
        self.parameters_unknown = spec.workflow_template_ref is not None and referenced is None
        self.parameters = set()
        for s in specs:
            self.parameters.update(_names(_list(_dict(s.get("arguments")).get("parameters"))))
        labels = set(getattr(ctx.config, "workflow_labels", None) or ())
        annotations = set(getattr(ctx.config, "workflow_annotations", None) or ())
        meta = doc.metadata
        labels.update(k for k in _dict(meta.get("labels")) if isinstance(k, str))
        annotations.update(k for k in _dict(meta.get("annotations")) if isinstance(k, str))
        for s in specs:
            wm = _dict(s.get("workflowMetadata"))
            labels.update(k for k in _dict(wm.get("labels")) if isinstance(k, str))
            labels.update(k for k in _dict(wm.get("labelsFrom")) if isinstance(k, str))
            annotations.update(k for k in _dict(wm.get("annotations")) if isinstance(k, str))
        if doc.kind == "CronWorkflow":
            labels.add(CRON_LABEL)
            annotations.add(SCHEDULED_TIME_ANNOTATION)
        self.labels, self.annotations = labels, annotations
        self.priority = any("priority" in s for s in specs)
        self.exit_handler = any("onExit" in s or "exit" in _dict(s.get("hooks")) for s in specs)
        self.retry = any(isinstance(s.get("retryStrategy"), dict) for s in specs)
        self._specs = specs
        self._global = None

    @property
    def global_outputs(self) -> dict:
        if self._global is None:
            self._global = self._global_outputs(self.ctx, self._specs)
        return self._global[0]

    @property
    def global_outputs_unknown(self) -> bool:
        if self._global is None:
            self._global = self._global_outputs(self.ctx, self._specs)
        return self._global[1]

    @staticmethod
    def _global_outputs(ctx, specs):
        """globalNames exported by the templates of this document (and of the templates it
        references); unknown when one is templated or a referenced template is missing."""
        names = {"parameters": set(), "artifacts": set()}
        unknown = False
        seen_refs = set()
        for s in specs:
            for t in _list(s.get("templates")):
                unknown |= _collect_global_names(t, names)
        for ref in _template_refs(ctx.spec.data):
            key = (ref.get("name"), ref.get("clusterScope") is True)
            if key in seen_refs:
                continue
            seen_refs.add(key)
            doc = _wt_document(ctx, ref)
            if doc is None:
                unknown = True
                continue
            for t in _list(WorkflowSpec.of(doc).data.get("templates")):
                unknown |= _collect_global_names(t, names)
        return names, unknown


def _collect_global_names(template, names) -> bool:
    unknown = False
    outputs = _dict(_dict(template).get("outputs"))
    for kind in ("parameters", "artifacts"):
        for item in _list(outputs.get(kind)):
            g = _dict(item).get("globalName")
            if isinstance(g, str):
                if _dynamic(g):
                    unknown = True
                else:
                    names[kind].add(g)
    return unknown


def _template_refs(data, depth=0):
    """Every templateRef mapping anywhere below `data` (steps, tasks, hooks, inline)."""
    if depth > 60:
        return
    if isinstance(data, dict):
        ref = data.get("templateRef")
        if isinstance(ref, dict):
            yield ref
        for v in data.values():
            if isinstance(v, (dict, list)):
                yield from _template_refs(v, depth + 1)
    elif isinstance(data, list):
        for v in data:
            if isinstance(v, (dict, list)):
                yield from _template_refs(v, depth + 1)


def _wt_document(ctx, ref: dict):
    name = ref.get("name")
    if not isinstance(name, str) or _dynamic(name):
        return None
    return ctx.project.workflow_template(name, ref.get("clusterScope") is True, ctx.document.namespace)


# ----------------------------------------------------------------------------------------
# Templates, steps and tasks


_NO_KEYS: frozenset = frozenset()  # the item keys of a step or task without a loop


class CallInfo:
    """One step or task of a steps/DAG template: its loop and what its template produces."""

    __slots__ = ("call", "name", "group", "position", "loop", "item_keys", "item_scalar", "_producer", "_ctx")

    def __init__(self, ctx, call: Invocation, position: int, group: Optional[int] = None):
        self._ctx = ctx
        self.call = call
        self.name = call.name
        self.position = position
        self.group = group
        self._producer = None
        self.loop = None
        self.item_keys: Optional[AbstractSet] = _NO_KEYS  # None: any key (withParam)
        self.item_scalar = False
        data = call.data
        if "withItems" not in data and "withParam" not in data and "withSequence" not in data:
            return  # most steps and tasks: no loop
        for key in LOOP_KEYS:
            if key in data:
                value = data[key]
                if key == "withItems" and isinstance(value, list) and not value:
                    continue  # `withItems: []` is no loop at all (argo-semantics §3.4)
                self.loop = key
                if key == "withParam" or (key == "withItems" and not isinstance(value, list)):
                    self.item_keys = None
                    self.item_scalar = True
                elif key == "withSequence":
                    self.item_scalar = True
                else:
                    keys = set()
                    for item in value:
                        if isinstance(item, dict):
                            keys.update(str(k) for k in item)
                        else:
                            self.item_scalar = True
                    self.item_keys = keys
                break

    @property
    def producer(self) -> Producer:
        if self._producer is None:
            self._producer = producer_of(self._ctx, self.call)
        return self._producer


def producer_of(ctx, call: Invocation) -> Producer:
    """What the template a step/task runs produces (unknown if it cannot be found)."""
    data = call.data
    if "inline" not in data and "templateRef" not in data and isinstance(data.get("template"), str):
        # the common call of a local template by name: once per name and document
        key = ("local-producer", data["template"])
        producer = ctx.cache.get(key)
        if producer is None:
            producer = ctx.cache[key] = _producer_of(ctx, call)
        return producer
    return _producer_of(ctx, call)


def _producer_of(ctx, call: Invocation) -> Producer:
    inline = call.inline
    if inline is not None:
        return _producer_cached(ctx, inline)
    ref = call.template_ref
    if ref is not None:
        from argolint.analysis.graph import resolve_template_ref

        if ref.template is None or _dynamic(ref.template):
            return Producer.unknown()
        doc = resolve_template_ref(ctx.project, ref, ctx.document.namespace)
        if doc is None:
            return Producer.unknown()
        template = WorkflowSpec.of(doc).template(ref.template)
        return _producer_cached(ctx, template) if template is not None else Producer.unknown()
    name = call.template_name
    if name is None or _dynamic(name):
        return Producer.unknown()
    template = local_template(ctx, name)
    return _producer_cached(ctx, template) if template is not None else Producer.unknown()


def local_template(ctx, name: str) -> Optional[Template]:
    """A template of this document's template base (its own, or its workflowTemplateRef's)."""
    template = ctx.spec.template(name)
    if template is None and ctx.referenced_workflow_template is not None:
        template = WorkflowSpec.of(ctx.referenced_workflow_template).template(name)
    return template


def _producer_cached(ctx, template: Template) -> Producer:
    key = ("producer", id(template.data))
    producer = ctx.cache.get(key)
    if producer is None:
        producer = ctx.cache[key] = Producer.of(template)
    return producer


class TemplateScope:
    """The variables of one template, and its steps or tasks by name."""

    def __init__(self, ctx, template: Template, parent: Optional[tuple] = None):
        self.ctx = ctx
        self.template = template
        self.name = template.name or "(unnamed)"
        self.type = template.type
        self.parent = parent  # (TemplateScope, CallInfo) of the step/task holding an inline template
        inputs = template.inputs
        self.input_parameters = set(_names(_list(inputs.get("parameters"))))
        self.input_artifacts = set(_names(_list(inputs.get("artifacts"))))
        outputs = template.outputs
        self.output_parameters = set(_names(_list(outputs.get("parameters"))))
        self.output_artifacts = set(_names(_list(outputs.get("artifacts"))))
        self.is_leaf = self.type not in ("steps", "dag", None)
        self.is_pod = self.type in POD_TYPES
        self.retry = isinstance(template.get("retryStrategy"), dict) or ctx_document_scope(ctx).retry
        self.calls: dict[str, CallInfo] = {}
        self.call_infos: list[CallInfo] = []
        self._dag = None  # the DagAnalysis of a DAG template, on first use
        if "steps" in template.data:
            for position, step in enumerate(template.steps):
                self._add(CallInfo(ctx, step, position, step.group))
        elif "dag" in template.data:
            for position, task in enumerate(template.tasks):
                self._add(CallInfo(ctx, task, position))
        self.kind = "steps" if "steps" in template.data else "dag" if "dag" in template.data else "leaf"

    def _add(self, info: CallInfo) -> None:
        self.call_infos.append(info)
        if info.name is not None:
            self.calls.setdefault(info.name, info)

    def is_ancestor(self, ancestor: str, task: str) -> bool:
        dag = self._dag
        if dag is None:
            from argolint.analysis.graph import dag_analysis

            dag = self._dag = dag_analysis(self.template, self.ctx)
        return dag.is_ancestor(ancestor, task)


def ctx_document_scope(ctx) -> DocumentScope:
    return per_document(ctx, "document-scope", DocumentScope)


def template_scope(ctx, template: Template) -> TemplateScope:
    """The scope of a template, once per document. An inline template sees the step or
    task that holds it (its loop item and, through the step, earlier steps)."""
    key = ("template-scope", template.path)
    scope = ctx.cache.get(key)
    if scope is None:
        parent = None
        if template.path and template.path[-1] == "inline":
            parent = _inline_parent(ctx, template)
        scope = ctx.cache[key] = TemplateScope(ctx, template, parent)
    return scope


def _inline_parent(ctx, template: Template):
    """(TemplateScope, CallInfo) of the step/task whose `inline` this template is."""
    call_path = template.path[:-1]
    # .../steps/g/i/inline or .../dag/tasks/i/inline: the owner template's path comes first
    if len(call_path) >= 3 and call_path[-3] == "steps":
        owner_path = call_path[:-3]
    elif len(call_path) >= 3 and call_path[-3:-1] == ("dag", "tasks"):
        owner_path = call_path[:-3]
    elif len(call_path) >= 2 and call_path[-2] == "steps":  # a lone step not in a list
        owner_path = call_path[:-2]
    else:
        return None
    owner_data = ctx.document.get(owner_path)
    if not isinstance(owner_data, dict):
        return None
    owner = _template_at(ctx, owner_path, owner_data)
    owner_scope = template_scope(ctx, owner)
    for info in owner_scope.call_infos:
        if info.call.path == call_path:
            return owner_scope, info
    return None


def _template_at(ctx, path, data) -> Template:
    for t in ctx.spec.templates:
        if t.path == tuple(path):
            return t
    return Template(data, path, ctx.spec)


# ----------------------------------------------------------------------------------------
# Where a text sits


class Where(NamedTuple):  # a tuple: one per string checked, thousands in a large DAG
    """The context of a string: its template's scope (None at the workflow spec level), the
    step/task it belongs to, and its area:

      body        a template's own fields
      call        a step's / task's fields (arguments, when, withParam ...)
      hook        a step's / task's hook (sees the hooked step or task itself)
      outputs     a steps/DAG template's outputs (sees every step or task)
      target      a DAG's `target` (sees every task)
      metrics     a template's (or the workflow's) Prometheus metrics
      retry       a retryStrategy expression (retries and lastRetry only)
      spec        the workflow spec outside templates (globals only)
      pod         a pod-level field of the spec (podSpecPatch, volumes ...): each pod's template
      cron        a CronWorkflow's `when` / stopStrategy (cronworkflow.* only)
      http        an HTTP template's successCondition (request, response)
      data        a data template's transformation expression (data)
    """

    ctx: object
    template: Optional["TemplateScope"]
    call: Optional["CallInfo"] = None
    area: str = "body"

    @property
    def loop_call(self) -> Optional[CallInfo]:
        """The step/task whose loop variables are visible here."""
        if self.call is not None:
            return self.call
        scope = self.template
        while scope is not None and scope.parent is not None:
            owner, info = scope.parent
            if info.loop is not None:
                return info
            scope = owner
        return None

    def calls_scope(self):
        """(TemplateScope, CallInfo or None) whose steps/tasks are visible here: this
        template's, or for an inline template the one holding it."""
        scope, call = self.template, self.call
        while scope is not None and scope.kind == "leaf" and scope.parent is not None:
            scope, call = scope.parent
        return scope, call


# ----------------------------------------------------------------------------------------
# Resolution


def split_key(key: str) -> tuple:
    """Segments of a simple tag's key. Label, annotation and item keys may contain dots,
    so what follows `workflow.labels.`, `workflow.annotations.` and `item.` is one segment."""
    if key.startswith(_MAP_ROOTS):
        for prefix in _MAP_PREFIXES:
            if key.startswith(prefix) and key != prefix + "json":
                return tuple(prefix[:-1].split(".")) + (key[len(prefix):],)
    elif key.startswith("item."):
        return ("item", key[5:])
    return tuple(key.split("."))


_MAP_ROOTS = ("workflow.", "cronworkflow.")
_MAP_PREFIXES = ("workflow.labels.", "workflow.annotations.", "cronworkflow.labels.", "cronworkflow.annotations.")


def resolve(where: Where, segments: tuple, expression: bool = False) -> Optional[Problem]:
    """None if `segments` names something in scope at `where`, else the Problem.

    In an expression a prefix of a variable is a map (`inputs.parameters`, `steps.a`) and so
    valid; a simple tag must name one value exactly (or one of Argo's JSON aggregates).
    """
    root = segments[0]
    area = where.area
    if area == "retry":
        if root in ("retries", "lastRetry"):
            return _retry_fields(where, segments, need_strategy=False)
        return _unknown(f"'{root}' is not available in a retryStrategy expression",
                        "only 'retries' and 'lastRetry.exitCode|status|duration|message' are")
    if area == "cron":
        if root == "cronworkflow":
            return _cron(segments, expression)
        return _unknown(f"'{root}' is not available here", "a CronWorkflow's `when` and `stopStrategy` see "
                        "cronworkflow.name|namespace|labels|annotations|lastScheduledTime|failed|succeeded")
    if area == "pod":
        from argolint.analysis.templating.podlevel import resolve_pod_level

        return resolve_pod_level(where, segments, expression)
    if area == "http" and root in ("request", "response"):
        return None
    if area == "data" and root == "data":
        return None
    if area == "metrics" and root in METRIC_NAMES and root not in ("outputs", "inputs"):
        return None
    handler = _HANDLERS.get(root)
    if handler is not None:
        return handler(where, segments, expression)
    if root == "sprig":
        return _sprig(segments, expression)
    if expression:
        names = list(KNOWN_ROOTS)
        hint, fix = _suggest(root, names, 0)
        return _unknown(f"'{root}' is not a variable Argo defines in expressions", hint, fix=fix)
    match = closest(root, KNOWN_ROOTS, cutoff=0.8)
    if match is not None:
        return _unknown(f"'{root}' is not a variable Argo defines; the tag is left as written",
                        f"did you mean '{match}'?", severity=Severity.WARNING, fix=(0, match))
    return None  # Argo leaves tags with other roots as they are (shell, Go templates ...)


def _unknown(message, hint=None, severity=None, fix=None) -> Problem:
    return Problem("unknown-variable", message, hint, severity, fix)


def _dotted(segments) -> str:
    return ".".join(segments)


def _workflow(where: Where, segments, expression):
    doc: DocumentScope = ctx_document_scope(where.ctx)
    if len(segments) == 1:
        return None if expression else _unknown("'workflow' alone names no value", "name a field: workflow.name, "
                                                 "workflow.parameters.<name> ...")
    field = segments[1]
    rest = segments[2:]
    if field in PREFIX_FIELDS:
        return None
    if field in ("name", "namespace", "uid", "mainEntrypoint", "serviceAccountName", "status"):
        return None if not rest else _too_deep(segments, 2)
    if field == "priority":
        if doc.priority or doc.is_template_kind:
            return None
        return _unknown("'workflow.priority' is only set when spec.priority is", "set spec.priority")
    if field == "parameters":
        return _workflow_parameters(doc, segments, expression)
    if field in ("labels", "annotations"):
        known = doc.labels if field == "labels" else doc.annotations
        if not rest or rest == ("json",):
            return None
        if rest[0] in known or doc.parameters_unknown:
            return None if len(rest) == 1 else _too_deep(segments, 3)
        hint, fix = _suggest(rest[0], known, 2)
        config_key = "workflow-labels" if field == "labels" else "workflow-annotations"
        hint = hint or f"if the controller adds it, list it under `{config_key}` in .argolint.yaml"
        what = "label" if field == "labels" else "annotation"
        return _unknown(f"the workflow has no {what} '{rest[0]}' (metadata, workflowMetadata)", hint, fix=fix)
    if field == "outputs":
        if len(rest) < 2 or rest[0] not in ("parameters", "artifacts"):
            if expression and len(rest) < 2 and (not rest or rest[0] in ("parameters", "artifacts")):
                return None
            return _unknown(f"'{_dotted(segments)}' is not a workflow output",
                            "global outputs are workflow.outputs.parameters.<globalName> or .artifacts.<globalName>")
        if doc.global_outputs_unknown:
            return None
        names = doc.global_outputs[rest[0]]
        if rest[1] in names:
            return None if len(rest) == 2 else _too_deep(segments, 4)
        kind = "parameter" if rest[0] == "parameters" else "artifact"
        hint, fix = _suggest(rest[1], names, 3)
        return _unknown(f"no template exports a global output {kind} '{rest[1]}' (globalName)",
                        hint or f"set `globalName: {rest[1]}` on the output {kind} that produces it", fix=fix)
    if field == "failures":
        if doc.exit_handler:
            return None
        return _unknown("'workflow.failures' is only set for an exit handler",
                        "use it in the spec.onExit template (or spec.hooks.exit)")
    hint, fix = _suggest(field, WORKFLOW_FIELDS, 1, "workflow.")
    return _unknown(f"'workflow.{field}' is not a workflow variable", hint, fix=fix)


def _workflow_parameters(doc: DocumentScope, segments, expression):
    rest = segments[2:]
    if not rest or rest == ("json",):
        return None
    name = rest[0]
    if name in doc.parameters or doc.parameters_unknown:
        return None if len(rest) == 1 else _too_deep(segments, 3)
    hint, fix = _suggest(name, doc.parameters, 2)
    if doc.is_template_kind:
        return _unknown(f"'workflow.parameters.{name}' is not among this {doc.kind}'s arguments; it must come from "
                        "every workflow that uses it", hint or "declare it under spec.arguments.parameters",
                        Severity.WARNING, fix)
    declared = f" (declared: {', '.join(sorted(doc.parameters))})" if doc.parameters and not hint else ""
    return _unknown(f"the workflow has no parameter '{name}'{declared}",
                    hint or "declare it under spec.arguments.parameters", fix=fix)


def _too_deep(segments, depth):
    return _unknown(f"'{_dotted(segments)}' goes past a value: '{_dotted(segments[:depth])}' is a string",
                    f"use '{_dotted(segments[:depth])}'")


def _inputs(where: Where, segments, expression):
    scope = where.template
    if scope is None:
        return _unknown(f"'{_dotted(segments)}': inputs exist only inside a template",
                        "pass the value as a workflow parameter")
    if len(segments) == 1:
        return None if expression else _unknown("'inputs' alone names no value")
    field = segments[1]
    rest = segments[2:]
    if field == "parameters":
        if not rest:
            return None
        name = rest[0]
        if name not in scope.input_parameters:
            hint, fix = _suggest(name, scope.input_parameters, 2)
            declared = ", ".join(sorted(scope.input_parameters))
            return _unknown(f"template '{scope.name}' has no input parameter '{name}'",
                            hint or (f"declared: {declared}" if declared else "declare it under inputs.parameters"),
                            fix=fix)
        return None if len(rest) == 1 else _too_deep(segments, 3)
    if field == "artifacts":
        if not rest:
            return None if expression else _unknown("'inputs.artifacts' alone names no value")
        name = rest[0]
        if name not in scope.input_artifacts:
            hint, fix = _suggest(name, scope.input_artifacts, 2)
            return _unknown(f"template '{scope.name}' has no input artifact '{name}'",
                            hint or "declare it under inputs.artifacts", fix=fix)
        if len(rest) == 1 or rest[1:] == ("path",):
            return None
        return _unknown(f"'{_dotted(segments)}' is not an artifact field", "use .path")
    hint, fix = _suggest(field, ("parameters", "artifacts"), 1, "inputs.")
    return _unknown(f"'inputs.{field}' is not a template variable", hint, fix=fix)


def _outputs(where: Where, segments, expression):
    """A template's own outputs: `.path` placeholders in leaf templates, and the values in
    its metrics. Argo's validator never checks `outputs.*`; unknown names stay literal."""
    scope = where.template
    if scope is None or len(segments) < 2:
        return None
    field = segments[1]
    if field == "result":
        if where.area == "metrics":
            return None
        return _unknown("'outputs.result' is only available in the template's metrics",
                        severity=Severity.WARNING)
    if field not in ("parameters", "artifacts") or len(segments) < 3:
        return None
    names = scope.output_parameters if field == "parameters" else scope.output_artifacts
    if segments[2] in names:
        return None
    kind = "parameter" if field == "parameters" else "artifact"
    hint, fix = _suggest(segments[2], names, 2)
    return _unknown(f"template '{scope.name}' declares no output {kind} '{segments[2]}'", hint,
                    Severity.WARNING, fix)


def _pod(where: Where, segments, expression):
    if segments[1:] != ("name",):
        if expression and len(segments) == 1:
            return None
        return _unknown(f"'{_dotted(segments)}' is not a variable", "did you mean 'pod.name'?", fix=(1, "name"))
    scope = where.template
    if scope is None:
        return _unknown("'pod.name' exists only inside a template that runs a pod")
    if scope.is_pod or scope.type is None:
        return None
    return _unknown(f"'pod.name' is not set in template '{scope.name}': only container, script, resource, data "
                    f"and containerSet templates run a pod", None)


def _node(where: Where, segments, expression):
    if segments[1:] in ((), ("name",)) and (expression or len(segments) == 2):
        return None
    return _unknown(f"'{_dotted(segments)}' is not a variable", "did you mean 'node.name'?", fix=(1, "name"))


def _retries(where: Where, segments, expression):
    return _retry_fields(where, segments, need_strategy=True)


def _retry_fields(where: Where, segments, need_strategy):
    root = segments[0]
    if root == "retries" and len(segments) > 1:
        return _unknown(f"'{_dotted(segments)}' is not a variable: retries is the attempt number",
                        "use 'retries' alone")
    if root == "lastRetry":
        if len(segments) != 2 or segments[1] not in LAST_RETRY_FIELDS:
            field = segments[1] if len(segments) > 1 else ""
            hint, fix = _suggest(field, LAST_RETRY_FIELDS, 1, "lastRetry.")
            return _unknown(f"'{_dotted(segments)}' is not a variable",
                            hint or "lastRetry has exitCode, status, duration and message", fix=fix)
    if not need_strategy or where.area in ("metrics", "call", "hook"):
        # in a step's arguments the tag stays as written until the called template
        # (which may retry) substitutes its inputs
        return None
    scope = where.template
    if scope is not None and scope.retry:
        return None
    where_text = f"template '{scope.name}'" if scope is not None else "the workflow spec"
    return _unknown(f"'{_dotted(segments)}' is only set in templates with a retryStrategy, and {where_text} has none",
                    "add a retryStrategy to the template")


def _item(where: Where, segments, expression):
    call = where.loop_call
    if call is None or call.loop is None:
        if where.call is not None:
            return Problem("item-outside-loop",
                           f"'{_dotted(segments)}' is used, but {_kind(where.call)} '{where.call.name}' has no "
                           "withItems, withParam or withSequence", "add a loop, or pass the value as an argument")
        return Problem("item-outside-loop",
                       f"'{_dotted(segments)}' in the body of template '{where.template.name if where.template else ''}':"
                       " loop variables exist only in the step or task that declares the loop",
                       "pass it to this template as an argument (arguments.parameters: value: '{{item}}')")
    if len(segments) == 1 or call.item_keys is None:
        return None
    key = segments[1]
    if call.loop == "withSequence" or (not call.item_keys and call.item_scalar):
        return _unknown(f"'item.{key}': the items of {_kind(call)} '{call.name}' ({call.loop}) are not maps",
                        "use '{{item}}'")
    if key in call.item_keys or key.startswith("["):
        return None if len(segments) == 2 or expression else _too_deep(segments, 2)
    hint, fix = _suggest(key, call.item_keys, 1, "item.")
    keys = ", ".join(sorted(call.item_keys))
    return _unknown(f"no item of {_kind(call)} '{call.name}' has the key '{key}' (keys: {keys})", hint, fix=fix)


def _kind(call: CallInfo) -> str:
    return "step" if call.group is not None else "task"


def _sprig(segments, expression):
    from argolint.analysis.templating.functions import SPRIG

    if not expression:
        return None
    if len(segments) >= 2 and segments[1] not in SPRIG:
        hint, fix = _suggest(segments[1], SPRIG, 1, "sprig.")
        return _unknown(f"'sprig.{segments[1]}' is not a sprig function", hint, Severity.WARNING, fix)
    return None


def _cron(segments, expression):
    if len(segments) == 1:
        return None if expression else _unknown("'cronworkflow' alone names no value")
    if segments[1] in CRON_FIELDS:
        return None
    hint, fix = _suggest(segments[1], CRON_FIELDS, 1, "cronworkflow.")
    return _unknown(f"'cronworkflow.{segments[1]}' is not a CronWorkflow variable", hint, fix=fix)


# -- steps.X / tasks.X --------------------------------------------------------------------


def _node_refs(where: Where, segments, expression):
    root = segments[0]  # "steps" or "tasks"
    wanted_kind = "steps" if root == "steps" else "dag"
    if len(segments) >= 2 and segments[1] == "name":
        return None  # steps.name / tasks.name: the name of the calling step or task
    scope, call = where.template, where.call
    if scope is not None and scope.kind == "leaf" and scope.parent is not None:
        scope, call = where.calls_scope()  # an inline template sees its holder's steps or tasks
    if scope is None or scope.kind != wanted_kind:
        other = "tasks" if root == "steps" else "steps"
        if scope is not None and scope.kind in ("steps", "dag"):
            fixed = f"{other}." + _dotted(segments[1:]) if len(segments) > 1 else other
            kind = "a DAG" if scope.kind == "dag" else "a steps template"
            return _unknown(f"'{_dotted(segments)}' in {kind}: {root}.* is only defined in "
                            f"{'steps templates' if root == 'steps' else 'DAG templates'}",
                            f"use '{fixed}'", fix=(0, other))
        where_text = f"template '{scope.name}'" if scope is not None else "the workflow spec"
        return _unknown(f"'{_dotted(segments)}' in {where_text}: {root}.* exists only in the "
                        f"{'steps' if root == 'steps' else 'DAG'} template that runs them",
                        "pass the value to this template as an argument")
    if len(segments) == 1:
        return None if expression else _unknown(f"'{root}' alone names no value")
    name = segments[1]
    info = scope.calls.get(name)
    if info is None:
        noun = "step" if root == "steps" else "task"
        hint, fix = _suggest(name, scope.calls, 1)
        names = ", ".join(sorted(scope.calls))
        return _unknown(f"template '{scope.name}' has no {noun} '{name}'",
                        hint or (f"its {noun}s: {names}" if names else None), fix=fix)
    problem = _order(where, scope, call, info, root, segments)
    if problem is not None:
        return problem
    return _node_fields(info, segments, expression)


def _order(where, scope, call, info, root, segments) -> Optional[Problem]:
    area = where.area if where.call is call else "call"
    if area in ("outputs", "target"):
        return None
    if call is None:  # a template's body outside its steps/tasks
        return None
    own = info is call
    if own and area == "hook":
        return None
    if root == "steps":
        if own and segments[2:] == ("status",):
            return None  # the validator lets a step read its own status
        if info.group < call.group:
            return None
        text = _dotted(segments)
        if own:
            return Problem("reference-order", f"step '{call.name}' reads its own '{text}', which does not exist "
                           "before it finishes", "an exit hook (hooks.exit) can read it")
        if info.group == call.group:
            return Problem("reference-order",
                           f"step '{call.name}' reads '{text}' of step '{info.name}' in the same parallel group: "
                           "it does not exist until the group finishes, so the workflow hangs",
                           f"move '{call.name}' to a later group (a new '- -' list item)")
        return Problem("reference-order",
                       f"step '{call.name}' reads '{text}' of step '{info.name}', which runs in a later group",
                       f"move '{info.name}' before '{call.name}'")
    if own:
        return Problem("reference-order", f"task '{call.name}' reads its own '{_dotted(segments)}', which does "
                       "not exist before it finishes", "an exit hook (hooks.exit) can read it")
    if call.name is not None and scope.is_ancestor(info.name, call.name):
        return None
    text = _dotted(segments)
    return Problem("reference-order",
                   f"task '{call.name}' reads '{text}' but does not depend on task '{info.name}': the value is not "
                   "available when it runs (Argo waits forever)",
                   f"add '{info.name}' to its dependencies (or depends)")


def _node_fields(info: CallInfo, segments, expression) -> Optional[Problem]:
    root, name = segments[0], segments[1]
    rest = segments[2:]
    noun = "step" if root == "steps" else "task"
    if not rest:
        return None if expression else _output(f"'{_dotted(segments)}' names no value", "use e.g. "
                                               f"'{root}.{name}.outputs.result' or '{root}.{name}.status'")
    field = rest[0]
    producer = info.producer
    if field in ("id", "status", "startedAt", "finishedAt", "hostNodeName"):
        return None if len(rest) == 1 else _output(f"'{_dotted(segments)}': {field} is a string", None)
    if field == "ip":
        if producer.daemon or producer.type is None:
            return None
        return _output(f"{_who(noun, name, producer)} has no ip: only daemon templates (daemon: true) record one",
                       None)
    if field == "exitCode":
        if producer.result is not False:
            return None
        return _output(f"{_who(noun, name, producer)} has no exitCode: a {producer.type} template runs no main "
                       "container", None)
    if field != "outputs":
        hint, fix = _suggest(field, NODE_FIELDS, 2)
        return _output(f"'{_dotted(segments)}': a {noun} has no field '{field}'", hint, fix)
    out = rest[1:]
    if not out:
        return None if expression else _output(f"'{_dotted(segments)}' names no value",
                                               f"use '{root}.{name}.outputs.result' or .outputs.parameters.<name>")
    kind = out[0]
    if kind == "result":
        if len(out) > 1:
            return _output(f"'{_dotted(segments)}' goes past a value: outputs.result is a string", None)
        if producer.result is False:
            return _output(f"{_who(noun, name, producer)} has no outputs.result: a {producer.type} template "
                           "captures no stdout", "declare an output parameter and read outputs.parameters.<name>")
        return None
    if kind in ("parameters", "artifacts"):
        declared = producer.parameters if kind == "parameters" else producer.artifacts
        if len(out) == 1:
            if expression or (kind == "parameters" and info.loop is not None):
                return None
            if kind == "parameters":
                return _output(f"'{_dotted(segments)}' is only defined for a looped {noun} (a JSON list of every "
                               f"item's outputs), and {noun} '{name}' has no loop", f"name one: {root}.{name}.outputs"
                               ".parameters.<name>")
            return _output(f"'{_dotted(segments)}' names no value", "name one artifact")
        param = out[1]
        if declared is not None and param not in declared:
            noun_out = "parameter" if kind == "parameters" else "artifact"
            hint, fix = _suggest(param, declared, 4)
            listed = ", ".join(sorted(declared))
            return _output(f"{_who(noun, name, producer)} has no output {noun_out} '{param}'",
                           hint or (f"it declares: {listed}" if listed else f"its template declares no output "
                                    f"{noun_out}s"), fix)
        if len(out) > 2 and not (kind == "artifacts" and expression):
            return _output(f"'{_dotted(segments)}' goes past a value", None)
        return None
    hint, fix = _suggest(kind, ("result", "parameters", "artifacts"), 3)
    return _output(f"'{_dotted(segments)}': outputs has no '{kind}'", hint or "outputs has result, parameters "
                   "and artifacts", fix)


def _who(noun: str, name: str, producer: Producer) -> str:
    """A step or task, and the template it runs if known: `task 'a' (template 'work')`."""
    runs = f" (template '{producer.template_name}')" if producer.template_name else ""
    return f"{noun} '{name}'{runs}"


def _output(message, hint=None, fix=None) -> Problem:
    return Problem("unknown-output", message, hint, None, fix)


_HANDLERS = {
    "workflow": _workflow,
    "inputs": _inputs,
    "outputs": _outputs,
    "steps": _node_refs,
    "tasks": _node_refs,
    "item": _item,
    "pod": _pod,
    "node": _node,
    "retries": _retries,
    "lastRetry": _retries,
}

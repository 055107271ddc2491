"""The simulated controller: ticks, reconcile passes, and executing templates.

One `Run` simulates one workflow (argo-semantics §9.3). Time moves in ticks: at each
tick the leaves due then finish (in start order, outputs recorded, globalNames exported),
and reconcile passes walk from the root, as the controller does, until a pass changes
nothing. Every `execute_*` method is idempotent like the controller's: called again on a
node that exists, it only moves it forward. Steps and DAG templates are in
`argolint.evaluator.steps` and `argolint.evaluator.dag`.

Bounds (`Limits`) stop a run that would not end: node count, loop size, ticks, nesting
depth (100, Argo's own limit, reported as Argo reports it).
"""

from __future__ import annotations

import heapq
import json
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from argolint.evaluator import nodes as N
from argolint.evaluator.loops import TooManyItems
from argolint.evaluator.mocks import Mocks, Outcome
from argolint.evaluator.nodes import Node, Outputs
from argolint.evaluator.outputs import declared_artifacts, declared_outputs, node_entries
from argolint.evaluator.substitute import LENIENT, Reference, SubstitutionError, Substituter, leftovers
from argolint.evaluator.values import as_text, go_json, go_quote
from argolint.evaluator.variables import Artifact, Layer, Vars
from argolint.evaluator.workflow import (ResolvedTemplate, Source, TemplateBase, TemplateError, Workflow,
                                         parameter_value, rfc3339)

from argolint.evaluator.core import (ABSENT, LEAF_KINDS, POD_KINDS, ArgumentError, Call, Event, Limits, Prepared,
                                     Stop, Unresolved, _dict, _list, base_name, display_name, strip_newline)
from argolint.evaluator.dag import DagMixin
from argolint.evaluator.steps import StepsMixin


class Run(StepsMixin, DagMixin):
    def __init__(self, workflow: Workflow, project=None, mocks: Optional[Mocks] = None,
                 limits: Optional[Limits] = None):
        self.workflow = workflow
        self.project = project
        self.mocks = mocks or Mocks()
        self.limits = limits or Limits()
        self.name = workflow.name
        self.nodes: dict[str, Node] = {}
        self.events: list[Event] = []
        self.unresolved: dict = {}
        self.waits: dict = {}  # node name -> (document, [Reference])
        self.tick = 0
        self.pass_no = 0
        self.changed = False
        self.depth = 0
        self.active_pods = 0
        self.heap: list = []
        self.seq = 0
        self.globals = Layer(workflow.globals)
        self.globals_version = 0
        self.global_outputs: dict = {}
        self.placeholders: set = set()
        self.pending_leaves: list = []
        # every tag whose fate the run decided, as (id(document), path, tag text): replaced, or
        # reported as unresolved; tags of branches that never run are not in it
        self.decided: set = set()
        self.stopped: Optional[str] = None
        self.phase = N.RUNNING
        self.message: Optional[str] = None
        self._capture_text: dict = {}
        self._exit_started = False

    # -- the tick loop ----------------------------------------------------------------------

    def run(self) -> "Run":
        try:
            self._reconcile()
            while not self._finished() and self.stopped is None:
                due = self._next_due()
                if due is None:
                    break
                if due > self.limits.max_ticks:
                    raise Stop(f"dry run stopped at tick {self.limits.max_ticks} (--max-ticks): the workflow was still "
                               "running")
                self.tick = due
                self._complete_due()
                self._reconcile()
        except Stop as exc:
            self.stopped = str(exc)
        except RecursionError:
            self.stopped = "dry run stopped: templates nested too deeply to simulate (lower --max-depth)"
        self._conclude()
        return self

    def _next_due(self) -> Optional[int]:
        while self.heap:
            tick, _, name = self.heap[0]
            node = self.nodes.get(name) if name is not None else None
            if name is not None and (node is None or node.due != tick or node.fulfilled and not node.daemoned):
                heapq.heappop(self.heap)  # stale entry
                continue
            return max(tick, self.tick)
        return None

    def _schedule(self, tick: int, name: Optional[str]) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (tick, self.seq, name))

    def _complete_due(self) -> None:
        while self.heap and self.heap[0][0] <= self.tick:
            tick, _, name = heapq.heappop(self.heap)
            if name is None:
                continue  # a timer: only wakes the controller up
            node = self.nodes.get(name)
            if node is None or node.due != tick or node.phase in N.FINAL:
                continue
            self._complete_leaf(node)

    def _reconcile(self) -> None:
        for _ in range(4 * self.limits.max_nodes + 100):
            self.changed = False
            self._pass()
            if not self.changed:
                return
        raise Stop("dry run stopped: the simulation did not settle (this is a bug in argolint; please report it)")

    def _pass(self) -> None:
        self.pass_no += 1
        self.depth = 0
        for node in self.pending_leaves:
            if node.phase == N.PENDING and node.extra.get("pass", 0) < self.pass_no:
                node.phase = N.RUNNING
                self.changed = True
        self.pending_leaves = [n for n in self.pending_leaves if n.phase == N.PENDING]
        root = self.execute_template(self.name, self._root_call())
        if root is None:
            return
        hooks_done = self._workflow_hooks(root)
        if root.fulfilled and hooks_done:
            self._exit_handler(root)

    def _root_call(self) -> Call:
        wf = self.workflow
        holder = {"template": wf.entrypoint}
        params = [{"name": p["name"], "value": self.globals.get(f"workflow.parameters.{p['name']}")}
                  for p in wf.arguments.get("parameters", []) if isinstance(p.get("name"), str)]
        return Call(holder, Source(wf.document, wf.spec_source.path + ("entrypoint",)), wf.base,
                    {"parameters": params, "artifacts": _list(wf.arguments.get("artifacts"))},
                    mock_names=(self.name,))

    def _finished(self) -> bool:
        root = self.nodes.get(self.name)
        if root is None or not root.fulfilled:
            return False
        if not self._hooks_fulfilled(root):
            return False
        if self._exit_holder() is not None:
            exit_node = self.nodes.get(f"{self.name}.onExit")
            return exit_node is not None and exit_node.fulfilled
        return True

    # -- nodes ------------------------------------------------------------------------------

    def new_node(self, name: str, type_: str, phase: str, call: Optional[Call] = None,
                 template: Optional[ResolvedTemplate] = None, message: Optional[str] = None,
                 boundary: Optional[str] = None, parent: Optional[str] = None) -> Node:
        if len(self.nodes) >= self.limits.max_nodes:
            raise Stop(f"dry run stopped: the workflow created more than {self.limits.max_nodes} nodes "
                       "(--max-nodes)")
        if call is not None:
            boundary = call.boundary if boundary is None else boundary
            parent = call.parent if parent is None else parent
        self.seq += 1
        node = Node(name, display_name(name, boundary), type_, phase, self.seq, self.tick, boundary=boundary,
                    parent=parent, message=message)
        if template is not None:
            node.template = template.name
            node.template_ref = template.ref_label
        if call is not None:
            node.hooked = call.hooked
        if phase in N.FINAL:
            node.finished_at = self.tick
        self.nodes[name] = node
        if boundary is not None and boundary in self.nodes:
            self.nodes[boundary].members.append(name)
        self.changed = True
        kind = {N.SKIPPED_PHASE: "SKIP", N.OMITTED: "OMIT", N.ERROR: "ERROR", N.FAILED: "END",
                N.SUCCEEDED: "END"}.get(phase, "START")
        self.events.append(Event(self.tick, kind, name, type_, phase, message))
        return node

    def finish(self, node: Node, phase: str, message: Optional[str] = None) -> None:
        if node.phase in N.FINAL:
            return
        node.phase = phase
        node.finished_at = self.tick
        if message is not None:
            node.message = message
        if node.due is not None and node.type == N.POD:
            self.active_pods -= 1
        self.changed = True
        self.events.append(Event(self.tick, "END", node.name, node.type, phase, node.message))

    def error_node(self, name: str, call: Call, message: str, template: Optional[ResolvedTemplate] = None) -> Node:
        node = self.nodes.get(name)
        if node is None:
            node = self.new_node(name, N.SKIPPED, N.ERROR, call, template, message)
        elif node.phase not in N.FINAL:
            self.finish(node, N.ERROR, message)
        node.setup_error = True
        return node

    def edge(self, parent: str, child: str) -> None:
        node = self.nodes.get(parent)
        if node is not None and child not in node.children:
            node.children.append(child)

    def outbound(self, node: Node) -> list:
        if node.type == N.RETRY:
            attempts = node.extra.get("attempts") or []
            return self.outbound(self.nodes[attempts[-1]]) if attempts else [node.name]
        if node.type == N.TASK_GROUP:
            out = []
            for child in node.children:
                kid = self.nodes.get(child)
                if kid is not None and not kid.hooked:
                    out.extend(self.outbound(kid))
            return out or [node.name]
        if node.type in (N.STEPS, N.DAG):
            return list(node.outbound) if node.outbound else [node.name]
        return [node.name]

    def node_id(self, name: str) -> str:
        return N.node_id(self.name, name)

    def identity(self, node: Node) -> dict:
        return {"id": self.node_id(node.name), "status": node.phase,
                "startedAt": rfc3339(self.workflow, node.started_at),
                "finishedAt": rfc3339(self.workflow, node.finished_at)}

    def entries_of(self, node: Node, in_dag: bool) -> dict:
        declared = node.extra.get("declared")
        artifacts = () if in_dag else tuple(node.extra.get("declared_artifacts", ()))
        entries = node_entries(node, self.identity(node), declared, artifacts)
        if node.type in (N.POD,) and node.phase in N.COMPLETED:
            entries.setdefault("hostNodeName", "node-1")
        return entries

    # -- variables --------------------------------------------------------------------------

    def vars(self, *layers: dict, refs=None, visible=None) -> Vars:
        built = [layer if isinstance(layer, Layer) else Layer(layer) for layer in layers if layer]
        built.append(self.globals)
        built.append(Layer({"workflow.duration": f"{float(self.tick):f}"}))
        return Vars(built, refs, visible)

    def export(self, outputs: Outputs, template: dict) -> None:
        """globalName outputs to workflow.outputs.* (last writer wins)."""
        declared = _dict(template.get("outputs"))
        updates = {}
        for p in _list(declared.get("parameters")):
            g = _dict(p).get("globalName")
            name = _dict(p).get("name")
            if isinstance(g, str) and g and name in outputs.parameters:
                updates[f"workflow.outputs.parameters.{g}"] = outputs.parameters[name]
                self.global_outputs[g] = outputs.parameters[name]
        for a in _list(declared.get("artifacts")):
            g = _dict(a).get("globalName")
            name = _dict(a).get("name")
            if isinstance(g, str) and g and name in outputs.artifacts:
                updates[f"workflow.outputs.artifacts.{g}"] = outputs.artifacts[name]
        if updates:
            self.globals = Layer({**self.globals, **updates})
            self.globals_version += 1
            self.changed = True

    # -- reporting --------------------------------------------------------------------------

    def locate(self, document, path: tuple, tag: str, inner: int, length: int, at: str = "value"):
        if document is None:
            return None, None, None
        if at == "key":
            span = document.span_of(path, at="key")
        else:
            original = document.get(path)
            if isinstance(original, str) and tag in original:
                start = original.index(tag) + inner
                span = document.span_of(path, start=start, end=start + length)
            else:
                span = document.span_of(path)
        return document.file.path, span.line, span.column

    def report(self, reference: Reference, document, outcome: str, node: Optional[str],
               message: Optional[str] = None, only_if_written: bool = False) -> None:
        if only_if_written and reference.at == "value":
            original = document.get(reference.path) if document is not None else None
            if not (isinstance(original, str) and reference.tag in original):
                return  # the tag came in with a value: it was reported where it was written
        file, line, column = self.locate(document, reference.path, reference.tag, reference.inner,
                                         len(reference.text), reference.at)
        self.decided.add((id(document), reference.path, reference.tag))
        key = (outcome, reference.text, file, line, column)
        if key not in self.unresolved:
            self.unresolved[key] = Unresolved(reference.text, node, outcome, file, line, column, message,
                                              reference.path, document, reference.tag)

    def report_leftovers(self, data: Any, source: Source, node: str, skip: tuple = ()) -> None:
        for ref in leftovers(data, source.path, skip):
            self.report(ref, source.document, "literal", node, "left as written: Argo substitutes nothing here",
                        only_if_written=True)

    def substituter(self, vars: Vars, mode: str, document, absent_ok: bool = False) -> Substituter:
        return Substituter(vars, mode, self.now(), absent_ok, self.decided, document)

    # -- executing a template -----------------------------------------------------------------

    def execute_template(self, name: str, call: Call) -> Optional[Node]:
        node = self.nodes.get(name)
        if node is not None and node.fulfilled:
            return node
        if self.depth >= self.limits.max_depth:
            if node is None:
                return self.error_node(name, call, "Maximum recursion depth exceeded")
            return node
        self.depth += 1
        try:
            try:
                prepared = self.prepare(name, call)
            except (TemplateError, ArgumentError) as exc:
                return self.error_node(name, call, str(exc))
            except SubstitutionError as exc:
                if exc.reference is not None:
                    self.report(exc.reference, call.source.document, "error", name, exc.message)
                return self.error_node(name, call, exc.message)
            if node is None and self.blocked(prepared, call):
                return None
            strategy = self.retry_strategy(prepared)
            if strategy is not None:
                return self.execute_retry(name, call, prepared, node, strategy)
            return self.execute_kind(name, call, prepared, node)
        finally:
            self.depth -= 1

    def retry_strategy(self, prepared: Prepared) -> Optional[dict]:
        own = prepared.data.get("retryStrategy")
        if isinstance(own, dict):
            return own
        default = self.workflow.spec.get("retryStrategy")
        return default if isinstance(default, dict) else None

    def prepare(self, name: str, call: Call) -> Prepared:
        cache = self._prepared_cache()
        cached = cache.get(name)
        if cached is not None and cached.version == self.globals_version:
            return cached
        resolved = self.workflow.resolver.resolve(call.holder, call.source, call.base)
        inputs, input_layer = self.bind_inputs(resolved, call)
        kind = resolved.type
        locals_ = {"node.name": name, **call.local}
        if kind in POD_KINDS:
            locals_["pod.name"] = N.pod_name(self.name, name, resolved.name)
        outputs = _dict(resolved.data.get("outputs"))
        if kind in LEAF_KINDS or kind == "suspend":
            for p in _list(outputs.get("parameters")):
                if isinstance(p, dict) and isinstance(p.get("name"), str):
                    path = _dict(p.get("valueFrom")).get("path")
                    if path is not None:
                        locals_[f"outputs.parameters.{p['name']}.path"] = as_text(path)
            for a in _list(outputs.get("artifacts")):
                if isinstance(a, dict) and isinstance(a.get("name"), str) and a.get("path") is not None:
                    locals_[f"outputs.artifacts.{a['name']}.path"] = as_text(a.get("path"))
        document, path = resolved.source.document, resolved.source.path
        data = self.substituter(self.vars(locals_), LENIENT, document).data(resolved.data, path)
        data = self.substituter(self.vars(input_layer, locals_), LENIENT, document).data(data, path)
        prepared = Prepared(resolved, data, inputs, {**locals_, **input_layer}, self.globals_version)
        cache[name] = prepared
        return prepared

    def _prepared_cache(self) -> dict:
        if not hasattr(self, "_prepared"):
            self._prepared = {}
        return self._prepared

    def now(self):
        from datetime import timedelta

        return self.workflow.creation + timedelta(seconds=self.tick)

    def bind_inputs(self, resolved: ResolvedTemplate, call: Call) -> tuple[dict, dict]:
        """Input parameters bound to the call's arguments (argo-semantics §1.4), and the
        `inputs.*` variables."""
        args = {p.get("name"): p for p in _list(call.args.get("parameters")) if isinstance(p, dict)}
        inputs_spec = _dict(resolved.data.get("inputs"))
        bound: dict = {}
        objects = []
        for p in _list(inputs_spec.get("parameters")):
            if not isinstance(p, dict) or not isinstance(p.get("name"), str):
                continue
            pname = p["name"]
            value = None
            arg = args.get(pname)
            absent = False
            if arg is not None:
                if arg.get("value") is ABSENT:
                    absent = True
                elif arg.get("value") is not None:
                    value = as_text(arg.get("value"))
                elif arg.get("valueFrom") is not None:
                    value = parameter_value(arg, self.project, pname)
            if value is None:
                value = parameter_value(p, self.project, pname)
            if value is None:
                if absent:
                    raise ArgumentError(f"inputs.parameters.{pname}: argument references an absent optional (a "
                                        "skipped or omitted node produced no value) and the input has no default")
                raise ArgumentError(f"inputs.parameters.{pname} was not supplied")
            enum = p.get("enum")
            if isinstance(enum, list) and enum and value not in [as_text(e) for e in enum]:
                raise ArgumentError(f"inputs.parameters.{pname}: value '{value}' is not in the enum "
                                    f"{[as_text(e) for e in enum]}")
            bound[pname] = value
            obj = {"name": pname}
            if p.get("default") is not None:
                obj["default"] = as_text(p.get("default"))
            obj["value"] = value
            objects.append(obj)
        layer = {f"inputs.parameters.{k}": v for k, v in bound.items()}
        layer["inputs.parameters"] = go_json(objects)
        artifacts = {a.get("name"): a for a in _list(call.args.get("artifacts")) if isinstance(a, dict)}
        for a in _list(inputs_spec.get("artifacts")):
            if not isinstance(a, dict) or not isinstance(a.get("name"), str):
                continue
            aname = a["name"]
            arg = artifacts.get(aname)
            supplied = arg is not None or any(k not in _ARTIFACT_NON_SOURCE for k in a)
            if not supplied and a.get("optional") is not True:
                raise ArgumentError(f"inputs.artifacts.{aname} was not supplied")
            layer[f"inputs.artifacts.{aname}"] = Artifact(name=aname, path=a.get("path"))
            if a.get("path") is not None:
                layer[f"inputs.artifacts.{aname}.path"] = as_text(a.get("path"))
        return bound, layer

    def blocked(self, prepared: Prepared, call: Call) -> bool:
        """Parallelism (workflow: active pods; template: active children) and template
        failFast keep a node from being created for now (argo-semantics §6.7)."""
        limit = self.workflow.spec.get("parallelism")
        if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0 and self.active_pods >= limit:
            return True
        boundary = self.nodes.get(call.boundary) if call.boundary else None
        if boundary is None:
            return False
        template = boundary.extra.get("template") or {}
        if template.get("failFast") is True and any(
                self.nodes[m].phase in (N.FAILED, N.ERROR) for m in boundary.members if not self.nodes[m].hooked):
            return True
        limit = template.get("parallelism")
        if isinstance(limit, str) and limit.isdigit():
            limit = int(limit)
        if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
            active = sum(1 for m in boundary.members
                         if self.nodes[m].type in (N.POD, N.STEPS, N.DAG, N.SUSPEND, N.HTTP, N.PLUGIN)
                         and self.nodes[m].phase in (N.PENDING, N.RUNNING) and not self.nodes[m].daemoned)
            return active >= limit
        return False

    def execute_kind(self, name: str, call: Call, prepared: Prepared, node: Optional[Node],
                     attempt: Optional[int] = None, retry: Optional[Node] = None) -> Node:
        kind = prepared.resolved.type
        if kind is None:
            found = [t for t in ("container", "script", "resource", "dag", "steps", "suspend", "data", "http",
                                 "plugin", "containerSet") if t in prepared.data]
            what = "none" if not found else ", ".join(found)
            return self.error_node(name, call, f"template '{prepared.resolved.name}' must have exactly one of "
                                   f"container, script, resource, dag, steps, suspend, data, http, plugin or "
                                   f"containerSet (found {what})", prepared.resolved)
        if kind in LEAF_KINDS:
            return self.execute_leaf(name, call, prepared, node, kind, attempt, retry)
        if kind == "suspend":
            return self.execute_suspend(name, call, prepared, node)
        if kind == "steps":
            return self.execute_steps(name, call, prepared, node)
        return self.execute_dag(name, call, prepared, node)

    # -- leaves -----------------------------------------------------------------------------

    def outcome_for(self, name: str, call: Call, attempt: Optional[int], retry: Optional[Node]) -> Optional[Outcome]:
        if not self.mocks:
            return None
        owner = retry.name if retry is not None else name
        display = display_name(owner, call.boundary) if owner != self.name else owner
        names = (owner, display, base_name(display), *call.mock_names)
        return self.mocks.outcome(names, attempt)

    def execute_leaf(self, name, call, prepared, node, kind, attempt=None, retry=None) -> Node:
        if node is not None:
            return node
        data = prepared.data
        node = self.new_node(name, LEAF_KINDS[kind], N.PENDING, call, prepared.resolved)
        node.inputs = dict(prepared.inputs)
        node.extra["pass"] = self.pass_no
        node.extra["template"] = data
        node.extra["capture"] = call.capture or kind in ("data", "http", "plugin")
        if kind == "containerSet":
            containers = _list(_dict(data.get("containerSet")).get("containers"))
            node.extra["capture"] = node.extra["capture"] and any(_dict(c).get("name") == "main"
                                                                  for c in containers)
        self._describe_leaf(node, kind, data)
        self.report_leftovers(data, prepared.resolved.source, name, skip=("metrics",))
        outcome = self.outcome_for(name, call, attempt, retry)
        node.extra["outcome"] = outcome
        if retry is not None:
            node.extra["owner"] = retry.name
        duration = outcome.duration if outcome is not None and outcome.duration is not None else 1
        node.due = self.tick + duration
        self._schedule(node.due, name)
        if node.type == N.POD:
            self.active_pods += 1
        self.pending_leaves.append(node)
        if data.get("daemon") is True:
            node.extra["daemon"] = True
        return node

    def _describe_leaf(self, node: Node, kind: str, data: dict) -> None:
        body = _dict(data.get(kind))
        if kind in ("container", "script"):
            node.image = as_text(body.get("image"))
            node.command = [as_text(c) for c in _list(body.get("command"))] or None
            args = [as_text(a) for a in _list(body.get("args"))]
            if kind == "script":
                args.append("/argo/staging/script")
                node.detail = as_text(body.get("source"))
            node.args = args or None
        elif kind == "containerSet":
            containers = [c for c in _list(body.get("containers")) if isinstance(c, dict)]
            main = next((c for c in containers if c.get("name") == "main"), containers[0] if containers else {})
            node.image = as_text(main.get("image"))
            node.command = [as_text(c) for c in _list(main.get("command"))] or None
            node.args = [as_text(a) for a in _list(main.get("args"))] or None
            node.detail = "containers: " + ", ".join(str(c.get("name")) for c in containers)
        elif kind == "resource":
            node.detail = f"kubectl {as_text(body.get('action'))}" + (
                f"\n{as_text(body.get('manifest'))}" if body.get("manifest") is not None else "")
        elif kind == "http":
            node.detail = f"{as_text(body.get('method')) or 'GET'} {as_text(body.get('url'))}"
        elif kind == "data":
            node.detail = "data: " + go_json(body.get("source"))
        elif kind == "plugin":
            node.detail = "plugin: " + go_json(body)

    def _complete_leaf(self, node: Node) -> None:
        outcome: Optional[Outcome] = node.extra.get("outcome")
        if node.type == N.SUSPEND:
            phase = outcome.phase if outcome is not None and outcome.phase else N.SUCCEEDED
            node.outputs = self._suspend_outputs(node, outcome, phase)
            self.finish(node, phase, outcome.message if outcome is not None else None)
            if node.outputs is not None:
                self.export(node.outputs, node.extra.get("template") or {})
            return
        exit_code = outcome.exit_code if outcome is not None else None
        phase = outcome.phase if outcome is not None and outcome.phase else None
        if phase is None:
            phase = N.FAILED if exit_code not in (None, "0") else N.SUCCEEDED
        if exit_code is None:
            exit_code = "0" if phase == N.SUCCEEDED else ("1" if phase == N.FAILED else None)
        message = outcome.message if outcome is not None and outcome.message else None
        if message is None and phase == N.FAILED:
            message = f"main: Error (exit code {exit_code})"
        if message is None and phase == N.ERROR:
            message = "pod failed to run (simulated error)"
        if node.extra.get("daemon") and phase == N.SUCCEEDED:
            node.daemoned = True  # running and ready: fulfilled for dependents until its boundary ends
            node.phase = N.RUNNING
            node.extra["daemon_outputs"] = (exit_code, outcome)
            node.outputs = self._leaf_outputs(node, outcome, phase, None)
            self.changed = True
            return
        node.outputs = self._leaf_outputs(node, outcome, phase, exit_code if node.type == N.POD else None)
        self.finish(node, phase, message)
        self.export(node.outputs, node.extra.get("template") or {})

    def placeholder(self, node: Node, what: str) -> str:
        owner = self.nodes.get(node.extra.get("owner")) if node.extra.get("owner") else node
        text = f"<{owner.display_name}.outputs.{what}>"
        self.placeholders.add(text)
        return text

    def _leaf_outputs(self, node: Node, outcome: Optional[Outcome], phase: str, exit_code) -> Outputs:
        template = node.extra.get("template") or {}
        outputs = Outputs(exit_code=exit_code)
        succeeded = phase == N.SUCCEEDED
        mocked = outcome.parameters if outcome is not None else {}
        for p in _list(_dict(template.get("outputs")).get("parameters")):
            pname = _dict(p).get("name")
            if not isinstance(pname, str):
                continue
            value_from = _dict(p.get("valueFrom"))
            if pname in mocked:
                outputs.parameters[pname] = strip_newline(mocked[pname])
            elif not succeeded:
                continue
            elif p.get("value") is not None:
                outputs.parameters[pname] = as_text(p.get("value"))
            elif value_from.get("default") is not None:
                outputs.parameters[pname] = as_text(value_from.get("default"))
            else:
                outputs.parameters[pname] = self.placeholder(node, f"parameters.{pname}")
        if node.extra.get("capture"):
            if outcome is not None and outcome.result is not None:
                outputs.result, outputs.has_result = strip_newline(outcome.result), True
            elif succeeded:
                outputs.result, outputs.has_result = self.placeholder(node, "result"), True
        if succeeded:
            for aname in declared_artifacts(template):
                outputs.artifacts[aname] = Artifact(name=aname, node=node.name)
        return outputs

    def execute_suspend(self, name, call, prepared, node) -> Node:
        if node is not None:
            return node
        node = self.new_node(name, N.SUSPEND, N.RUNNING, call, prepared.resolved)
        node.inputs = dict(prepared.inputs)
        node.extra["template"] = prepared.data
        outcome = self.outcome_for(name, call, None, None)
        node.extra["outcome"] = outcome
        duration = None
        if outcome is not None and outcome.duration is not None:
            duration = outcome.duration
        else:
            text = _dict(prepared.data.get("suspend")).get("duration")
            if text is not None:
                duration = _duration_ticks(as_text(text))
        if duration is not None:
            node.due = self.tick + duration
            self._schedule(node.due, name)
        self.report_leftovers(prepared.data, prepared.resolved.source, name, skip=("metrics",))
        return node

    def _suspend_outputs(self, node: Node, outcome: Optional[Outcome], phase: str) -> Optional[Outputs]:
        template = node.extra.get("template") or {}
        outputs = Outputs()
        mocked = outcome.parameters if outcome is not None else {}
        for p in _list(_dict(template.get("outputs")).get("parameters")):
            pname = _dict(p).get("name")
            if not isinstance(pname, str):
                continue
            value_from = _dict(p.get("valueFrom"))
            if pname in mocked:
                outputs.parameters[pname] = mocked[pname]
            elif value_from.get("default") is not None:
                outputs.parameters[pname] = as_text(value_from.get("default"))
            elif pname in node.inputs:
                outputs.parameters[pname] = node.inputs[pname]
            elif p.get("value") is not None:
                outputs.parameters[pname] = as_text(p.get("value"))
        return outputs

    # -- retries ----------------------------------------------------------------------------

    def execute_retry(self, name, call, prepared, node, strategy) -> Node:
        if node is None:
            node = self.new_node(name, N.RETRY, N.RUNNING, call, prepared.resolved)
            node.inputs = dict(prepared.inputs)
            node.extra["template"] = prepared.data
        attempts = node.extra.setdefault("attempts", [])
        if attempts:
            last = self.nodes[attempts[-1]]
            if not last.fulfilled:
                attempt_call, attempt_prepared = node.extra["attempt_calls"][last.name]
                self.execute_kind(last.name, attempt_call, attempt_prepared, last, len(attempts) - 1, node)
                if not last.fulfilled:
                    return node
            if last.daemoned:
                if not node.daemoned:
                    node.daemoned = True  # fulfilled for dependents while its attempt serves
                    node.outputs = last.outputs.copy() if last.outputs else None
                    self.changed = True
                return node
            if last.phase == N.SUCCEEDED:
                node.outputs = last.outputs.copy() if last.outputs else None
                self.finish(node, N.SUCCEEDED)
                return node
            stop = self._retry_stop(node, strategy, last, attempts)
            if stop is _WAIT:
                return node
            if stop is not None:
                node.outputs = last.outputs.copy() if last.outputs else None
                self.finish(node, last.phase if last.phase in N.COMPLETED else N.ERROR, stop)
                return node
        index = len(attempts)
        attempt_name = f"{name}({index})"
        previous = self.nodes[attempts[-1]] if attempts else None
        retry_vars = {
            "retries": str(index),
            "lastRetry.exitCode": (previous.outputs.exit_code if previous and previous.outputs
                                   and previous.outputs.exit_code is not None else "0"),
            "lastRetry.status": previous.phase if previous else "",
            "lastRetry.duration": str((previous.finished_at or 0) - previous.started_at) if previous else "0",
            "lastRetry.message": (previous.message or "") if previous else "",
        }
        if prepared.resolved.type in POD_KINDS:
            retry_vars["pod.name"] = N.pod_name(self.name, attempt_name, prepared.resolved.name)
        data = self.substituter(self.vars(retry_vars), LENIENT, prepared.resolved.source.document).data(
            prepared.data, prepared.resolved.source.path)
        attempt_prepared = Prepared(prepared.resolved, data, prepared.inputs, prepared.locals, prepared.version)
        attempt_call = Call(call.holder, call.source, call.base, call.args, call.boundary, name, call.local,
                            call.mock_names, call.capture, call.hooked)
        attempts.append(attempt_name)
        node.extra.setdefault("attempt_calls", {})[attempt_name] = (attempt_call, attempt_prepared)
        self.edge(name, attempt_name)
        self.execute_kind(attempt_name, attempt_call, attempt_prepared, None, index, node)
        return node

    def _retry_stop(self, node: Node, strategy: dict, last: Node, attempts: list):
        expression = strategy.get("expression")
        if isinstance(expression, str) and expression.strip():
            from argolint.evaluator.exprlang import ExprError, evaluate
            from argolint.templating.expr import try_parse_expr

            env = self.vars({
                "retries": str(len(attempts) - 1),
                "lastRetry.exitCode": last.outputs.exit_code if last.outputs and last.outputs.exit_code else "-1",
                "lastRetry.status": last.phase,
                "lastRetry.duration": str((last.finished_at or 0) - last.started_at),
                "lastRetry.message": last.message or "",
            }).env()
            tree, error = try_parse_expr(expression)
            try:
                if error is not None:
                    raise ExprError(error.message)
                proceed = evaluate(tree, env, self.now())
            except ExprError as exc:
                return f"retryStrategy.expression '{expression}' failed: {exc}"
            if proceed is not True:
                return "retryStrategy.expression evaluated to false"
        backoff = _dict(strategy.get("backoff"))
        if backoff:
            wait = _duration_ticks(as_text(backoff.get("duration")) or "0") or 0
            factor = backoff.get("factor")
            try:
                factor = float(as_text(factor)) if factor is not None else 1.0
            except ValueError:
                factor = 1.0
            wait = int(wait * factor ** (len(attempts) - 1))
            cap = _duration_ticks(as_text(backoff.get("cap"))) if backoff.get("cap") is not None else None
            if cap is not None:
                wait = min(wait, cap)
            limit = _duration_ticks(as_text(backoff.get("maxDuration"))) \
                if backoff.get("maxDuration") is not None else None
            first = self.nodes[attempts[0]]
            ready = (last.finished_at or self.tick) + wait
            if limit is not None and ready - first.started_at > limit:
                return "Backoff would exceed max duration limit"
            retries_left = _int_or_none(strategy.get("limit"))
            if ready > self.tick and (retries_left is None or len(attempts) <= retries_left):
                self._schedule(ready, None)
                if node.message != f"Backoff for {wait} seconds":
                    node.message = f"Backoff for {wait} seconds"
                return _WAIT
            node.message = None
        policy = strategy.get("retryPolicy") or ("Always" if isinstance(expression, str) and expression else
                                                 "OnFailure")
        retry_failed = policy in ("Always", "OnFailure")
        retry_error = policy in ("Always", "OnError")
        if (last.phase == N.FAILED and not retry_failed) or (last.phase == N.ERROR and not retry_error):
            return last.message or ""
        limit = _int_or_none(strategy.get("limit"))
        if limit is not None and len(attempts) > limit:
            return "No more retries left"
        return None

    # -- hooks and the exit handler -------------------------------------------------------------

    def exit_hook_spec(self, holder: dict) -> Optional[dict]:
        on_exit = holder.get("onExit")
        if isinstance(on_exit, str) and on_exit:
            return {"template": on_exit}
        exit_hook = _dict(holder.get("hooks")).get("exit")
        return exit_hook if isinstance(exit_hook, dict) else None

    def run_exit_hook(self, hooked: Node, holder: dict, source: Source, base: TemplateBase, scope: Vars,
                      ref_key: Optional[str]) -> Optional[Node]:
        """The exit hook of a completed step/task: `<node>.onExit` (argo-semantics §6.2)."""
        spec = self.exit_hook_spec(holder)
        if spec is None or not hooked.completed:
            return None
        name = f"{hooked.name}.onExit"
        existing = self.nodes.get(name)
        if existing is not None and existing.fulfilled:
            return existing
        call = self._hook_call(hooked, spec, source, base, scope, ref_key, "exit" if "onExit" not in holder
                               else None)
        node = self.execute_template(name, call)
        if node is not None:
            self.edge(hooked.name, name)
        return node

    def _hook_call(self, hooked: Node, spec: dict, source: Source, base: TemplateBase, scope: Vars,
                   ref_key: Optional[str], hook_name: Optional[str]) -> Call:
        hook_source = Source(source.document, source.path + (("hooks", hook_name) if hook_name else ("onExit",)))
        arguments = spec.get("arguments")
        if isinstance(arguments, dict) and arguments:
            extra = {}
            if ref_key is not None:
                for suffix, value in self.entries_of(hooked, ref_key.startswith("tasks.")).items():
                    extra[f"{ref_key}.{suffix}"] = value
            args = self.substituter(scope.with_layer(extra), LENIENT, source.document).data(
                arguments, hook_source.path + ("arguments",))
        else:
            args = self._spec_arguments()
        return Call(spec, hook_source, base, args, hooked.boundary, hooked.name, {},
                    (f"{hooked.display_name}.onExit",), False, True)

    def _spec_arguments(self) -> dict:
        params = [{"name": p["name"], "value": self.globals.get(f"workflow.parameters.{p['name']}")}
                  for p in self.workflow.arguments.get("parameters", []) if isinstance(p.get("name"), str)]
        return {"parameters": params, "artifacts": _list(self.workflow.arguments.get("artifacts"))}

    def run_lifecycle_hooks(self, hooked: Node, holder: dict, source: Source, base: TemplateBase, scope: Vars,
                            ref_key: Optional[str]) -> bool:
        """Named hooks of a step/task: fire once their expression holds; True when every
        fired hook has finished."""
        hooks = {k: v for k, v in _dict(holder.get("hooks")).items() if k != "exit" and isinstance(v, dict)}
        if not hooks:
            return True
        fired = hooked.extra.setdefault("fired", {})
        done = True
        for hook_name, spec in hooks.items():
            name = f"{hooked.name}.hooks.{hook_name}"
            if hook_name not in fired:
                extra = {}
                if ref_key is not None:
                    extra[f"{ref_key}.status"] = hooked.phase
                    if hooked.outputs is not None:
                        for suffix, value in self.entries_of(hooked, ref_key.startswith("tasks.")).items():
                            extra[f"{ref_key}.{suffix}"] = value
                if not self._hook_expression(spec.get("expression"), scope.with_layer(extra)):
                    continue
                fired[hook_name] = self._hook_call(hooked, spec, source, base, scope, ref_key, hook_name)
                self.changed = True
            node = self.execute_template(name, fired[hook_name])
            if node is not None:
                self.edge(hooked.name, name)
            if node is None or not node.fulfilled:
                done = False
        return done

    def _hook_expression(self, expression, scope: Vars) -> bool:
        from argolint.evaluator.exprlang import ExprError, evaluate
        from argolint.templating.expr import try_parse_expr

        if not isinstance(expression, str) or not expression.strip():
            return False
        text = Substituter(scope, LENIENT, self.now()).text(expression)
        tree, error = try_parse_expr(text)
        if error is not None:
            return False
        try:
            return evaluate(tree, scope.env(), self.now()) is True
        except ExprError:
            return False

    def hooks_done(self, hooked: Node) -> bool:
        """Whether every hook node hanging off `hooked` has finished."""
        for child in hooked.children:
            kid = self.nodes.get(child)
            if kid is not None and kid.hooked and not kid.fulfilled:
                return False
        return True

    def _workflow_hooks(self, root: Node) -> bool:
        hooks = {k: v for k, v in _dict(self.workflow.spec.get("hooks")).items() if k != "exit" and isinstance(v, dict)}
        if not hooks:
            return True
        fired = root.extra.setdefault("fired", {})
        done = True
        scope = self.vars()
        for hook_name, spec in hooks.items():
            name = f"{self.name}.hooks.{hook_name}"
            if hook_name not in fired:
                if not self._hook_expression(spec.get("expression"), scope):
                    continue
                source = Source(self.workflow.document, self.workflow.spec_source.path + ("hooks", hook_name))
                args = self._hook_arguments(spec, source)
                fired[hook_name] = Call(spec, source, self.workflow.base, args, None, self.name, {}, (name,), False,
                                        True)
                self.changed = True
            node = self.execute_template(name, fired[hook_name])
            if node is not None:
                self.edge(self.name, name)
            if node is None or not node.fulfilled:
                done = False
        return done

    def _hook_arguments(self, spec: dict, source: Source) -> dict:
        """A workflow-level hook's arguments substituted with the globals (P7), or the
        workflow's arguments when it gives none."""
        arguments = spec.get("arguments")
        if isinstance(arguments, dict) and arguments:
            return self.substituter(self.vars(), LENIENT, source.document).data(arguments,
                                                                                source.path + ("arguments",))
        return self._spec_arguments()

    def _hooks_fulfilled(self, root: Node) -> bool:
        for hook_name in root.extra.get("fired", {}):
            node = self.nodes.get(f"{self.name}.hooks.{hook_name}")
            if node is None or not node.fulfilled:
                return False
        return True

    def _exit_holder(self) -> Optional[tuple]:
        spec = self.workflow.spec
        if isinstance(spec.get("onExit"), str) and spec.get("onExit"):
            return {"template": spec["onExit"]}, ("onExit",)
        exit_hook = _dict(spec.get("hooks")).get("exit")
        if isinstance(exit_hook, dict):
            return exit_hook, ("hooks", "exit")
        return None

    def _exit_handler(self, root: Node) -> Optional[Node]:
        found = self._exit_holder()
        if found is None:
            return None
        holder, path = found
        if not self._exit_started:
            self._exit_started = True
            status = {N.FAILED: N.FAILED, N.ERROR: N.ERROR}.get(root.phase, N.SUCCEEDED)
            self.globals = Layer({**self.globals, "workflow.status": status, "workflow.failures": self._failures()})
            self.globals_version += 1
        source = Source(self.workflow.document, self.workflow.spec_source.path + path)
        args = self._hook_arguments(holder, source)
        call = Call(holder, source, self.workflow.base, args, None, None, {}, (f"{self.name}.onExit", "onExit"))
        return self.execute_template(f"{self.name}.onExit", call)

    def _failures(self) -> str:
        failures = []
        for node in self.nodes.values():
            if node.phase in (N.FAILED, N.ERROR):
                failures.append({
                    "displayName": node.display_name, "message": node.message or "",
                    "templateName": node.template or "", "phase": node.phase,
                    "podName": N.pod_name(self.name, node.name, node.template),
                    "finishedAt": rfc3339(self.workflow, node.finished_at) or None,
                })
        text = json.dumps(failures, separators=(",", ":"), ensure_ascii=False) if failures else "null"
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return go_quote(text)

    def hint(self, message: str, *texts) -> str:
        """`message`, plus a hint when one of `texts` holds a placeholder of an unmocked output."""
        for text in texts:
            for placeholder in self.placeholders:
                if placeholder in str(text):
                    owner = placeholder[1:].split(".outputs.")[0]
                    what = placeholder[1:-1].split(".outputs.")[1]
                    example = "result: ..." if what == "result" else f"parameters: {{{what.split('.', 1)[-1]}: ...}}"
                    return (f"{message} ({placeholder} stands for an output no mock gives; set it with --mock, "
                            f"e.g. `{base_name(owner)}: {{{example}}}`)")
        return message

    # -- the end ----------------------------------------------------------------------------

    def _conclude(self) -> None:
        root = self.nodes.get(self.name)
        if self.stopped is not None:
            self.phase = N.RUNNING if root is None or not root.fulfilled else self._mapped(root.phase)
            self.message = self.stopped
            self._report_waits()
            return
        if root is None or not self._finished():
            self.phase = N.RUNNING
            self.message = self._why_unfinished()
            self._report_waits()
            return
        self.phase = self._mapped(root.phase)
        self.message = root.message
        exit_node = self.nodes.get(f"{self.name}.onExit")
        if exit_node is not None and self.phase == N.SUCCEEDED and exit_node.phase in (N.FAILED, N.ERROR):
            self.phase, self.message = exit_node.phase, exit_node.message

    @staticmethod
    def _mapped(phase: str) -> str:
        return {N.FAILED: N.FAILED, N.ERROR: N.ERROR, N.RUNNING: N.RUNNING, N.PENDING: N.RUNNING}.get(phase,
                                                                                                    N.SUCCEEDED)

    def _why_unfinished(self) -> str:
        if self.waits:
            refs = sorted({ref.text for _, refs in self.waits.values() for ref in refs})
            return ("hangs: the controller would wait forever for " + ", ".join(refs[:5]) +
                    (" ..." if len(refs) > 5 else ""))
        suspended = [n.name for n in self.nodes.values() if n.type == N.SUSPEND and not n.fulfilled]
        if suspended:
            return f"suspended: {', '.join(suspended[:5])} waits to be resumed (argo resume)"
        return "the workflow did not finish"

    def _report_waits(self) -> None:
        for node_name, (document, refs) in self.waits.items():
            for ref in refs:
                self.report(ref, document, "hang", node_name,
                            "never available: the controller requeues the workflow forever")


_WAIT = object()


def _int_or_none(value) -> Optional[int]:
    if value is None:
        return None
    try:
        return int(as_text(value))
    except (TypeError, ValueError):
        return None
_ARTIFACT_NON_SOURCE = frozenset({"name", "path", "mode", "optional", "recurseMode", "subPath", "archive",
                                  "globalName", "deleted", "archiveLogs", "fromExpression", "from"})
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)?")


def _duration_ticks(text: Optional[str]) -> Optional[int]:
    """A duration string (`2`, `30s`, `1m`, `1h30m`, `1d`) in ticks of one second."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    total, pos = 0.0, 0
    units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}
    while pos < len(text):
        m = _DURATION.match(text, pos)
        if m is None:
            return None
        total += float(m.group(1)) * units[m.group(2)]
        pos = m.end()
    return int(total)

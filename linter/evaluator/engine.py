"""The simulated controller: ticks, reconcile passes, and executing templates.

One `Run` simulates one workflow (argo-semantics §9.3). Time moves in ticks: at each
tick the leaves due then finish (in start order, outputs recorded, globalNames exported),
and reconcile passes walk from the root, as the controller does, until a pass changes
nothing. Every `execute_*` method is idempotent like the controller's: called again on a
node that exists, it only moves it forward. Steps and DAG templates are in
`argolint.evaluator.steps` and `argolint.evaluator.dag`, leaves, retries and hooks in
`leaves`, `retries` and `hooks`.

Bounds (`Limits`) stop a run that would not end: node count, loop size, ticks, nesting
depth (100, Argo's own limit, reported as Argo reports it).
"""

from __future__ import annotations

import heapq
import re
from functools import partial
from typing import Any, NamedTuple, Optional

from argolint.evaluator import nodes as N
from argolint.evaluator.budget import Budget, active, spending
from argolint.evaluator.core import (ABSENT, LEAF_KINDS, POD_KINDS, ArgumentError, Call, Event, Limits, Prepared,
                                     Stop, Unresolved, _dict, _list, base_name, display_name)
from argolint.evaluator.dag import DagMixin
from argolint.evaluator.hooks import HooksMixin
from argolint.evaluator.leaves import LeavesMixin
from argolint.evaluator.mocks import Mocks
from argolint.evaluator.nodes import Node, Outputs
from argolint.evaluator.outputs import node_entries
from argolint.evaluator.retries import RetriesMixin
from argolint.evaluator.steps import StepsMixin
from argolint.evaluator.substitute import (LENIENT, Reference, SubstitutionError, Substituter, inert_tags,
                                          leftovers, skeleton)
from argolint.evaluator.values import GoStruct, as_text, go_json
from argolint.evaluator.variables import Artifact, Deferred, Layer, Vars
from argolint.evaluator.workflow import (ResolvedTemplate, Source, TemplateError, Workflow,
                                         parameter_value, rfc3339)

_PLACEHOLDER = re.compile(r"<[^<>]*?\.outputs\.[^<>]*>")

__all__ = ["Event", "Limits", "Run", "Stop", "Unresolved"]

# the event that records a node created in a phase
_EVENT_OF_PHASE = {N.SKIPPED_PHASE: "SKIP", N.OMITTED: "OMIT", N.ERROR: "ERROR", N.FAILED: "END", N.SUCCEEDED: "END"}


class Run(StepsMixin, DagMixin, LeavesMixin, RetriesMixin, HooksMixin):
    def __init__(self, workflow: Workflow, project=None, mocks: Optional[Mocks] = None,
                 limits: Optional[Limits] = None, budget: Optional[Budget] = None):
        self.workflow = workflow
        self.project = project
        self.mocks = mocks or Mocks()
        self.limits = limits or Limits()
        self.budget = budget or Budget(timeout=self.limits.timeout)
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
        self._captured_results: dict = {}
        self._edges: set = set()
        self._prepared: dict = {}  # node name -> Prepared (P2 done once, again when globals change)
        self._wait_ticks: dict = {}  # node name -> the tick of its last WAIT event
        self._now: tuple = (None, None)
        self._exit_started = False
        # placeholder of an unmocked output -> [(node, what)] for each decision it fed
        self.unknown_uses: dict = {}
        self.memo_cache: dict = {}  # (cache, key) -> Outputs of a memoized leaf that succeeded
        self.decisions: dict = {}  # node name -> the `when` that let it run, as evaluated
        self._visits = 0  # templates executed in the current pass
        self._duration: tuple = (None, None)  # (tick, its workflow.duration Layer)
        # (id(template), inputs with tags) -> (template, tag skeleton, InertTags or None): bound_skeleton
        self._skeletons: dict = {}
        self._plain_passes: dict = {}  # id(template) -> its last pass B (`_plain_pass`)
        self._last_described: Optional[tuple] = None  # the last leaf's template and description (_describe_leaf)
        self._last_checked: Optional[tuple] = None  # the last leaf's template, volume problem and own deadline
        self._root: Optional[tuple] = None  # (the globals it was made with, the entrypoint's Call)
        self._facts_of: dict = {}  # id(template) -> (template, its _TemplateFacts): _facts

    # -- the tick loop ----------------------------------------------------------------------

    def run(self) -> "Run":
        with spending(self.budget):
            return self._run()

    def _run(self) -> "Run":
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
            self.stopped = (f"dry run stopped at node '{self.budget.node}': nesting too deep to simulate (templates "
                            "calling templates, or values nested inside values; "
                            "lower --max-depth)")
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
        # a pass walks the tree from the root and executes each node about once; two steps
        # of one name in a self-calling template are one node executed 2**depth times
        self._visits = 0
        self.depth = 0
        for node in self.pending_leaves:
            if node.phase == N.PENDING and node.extra.get("pass", 0) < self.pass_no:
                node.phase = N.RUNNING
                self.changed = True
        self.pending_leaves = [n for n in self.pending_leaves if n.phase == N.PENDING]
        root = self.execute_template(self.name, self._root_call())
        if root is None:
            return
        if root.fulfilled:
            self.settle_status(root)
        hooks_done = self._workflow_hooks(root)
        if root.fulfilled and hooks_done:
            self._exit_handler(root)

    def _root_call(self) -> Call:
        """The entrypoint's call, made anew only when the globals (the parameters' values) change:
        every reconcile pass starts from it."""
        cached = self._root
        if cached is not None and cached[0] is self.globals:
            return cached[1]
        call = self._make_root_call()
        self._root = (self.globals, call)
        return call

    def _make_root_call(self) -> Call:
        wf = self.workflow
        holder = {"template": wf.entrypoint}
        params = [{"name": p["name"], "value": self.globals.get(f"workflow.parameters.{p['name']}")}
                  for p in wf.arguments.get("parameters", []) if isinstance(p.get("name"), str)]
        return Call(holder, Source(wf.document, wf.spec_source.path + ("entrypoint",)), wf.base,
                    {"parameters": params, "artifacts": _list(wf.arguments.get("artifacts"))},
                    mock_names=(self.name, wf.entrypoint))  # a single-template workflow's pod: by template too

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
        self.events.append(Event(self.tick, _EVENT_OF_PHASE.get(phase, "START"), name, type_, phase, message))
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
        if node.fulfilled:  # never prepared again (execute_template returns a fulfilled node as it is)
            self._prepared.pop(node.name, None)
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
        if node is not None and (parent, child) not in self._edges:
            self._edges.add((parent, child))
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
                "startedAt": rfc3339(self.workflow, node.started_at), "finishedAt": rfc3339(self.workflow, node.finished_at)}

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
        built.append(self._duration_layer())
        return Vars(built, refs, visible)

    def _duration_layer(self) -> Layer:
        """`workflow.duration` at this tick: one Layer per tick (layers are never changed),
        not one per scope, which every task of a large DAG would otherwise keep."""
        tick, layer = self._duration
        if tick != self.tick:
            layer = Layer({"workflow.duration": f"{float(self.tick):f}"})
            self._duration = (self.tick, layer)
        return layer

    def export(self, outputs: Outputs, template: dict) -> None:
        """globalName outputs to workflow.outputs.* (last writer wins)."""
        declared = template.get("outputs")
        if not declared or not isinstance(declared, dict):
            return  # most templates declare no output
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
               message: Optional[str] = None, only_if_written: bool = False, kind: str = "reference") -> None:
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
                                              reference.path, document, reference.tag, kind)

    def report_leftovers(self, data: Any, source: Source, node: str, skip: tuple = (), tags: Any = None) -> None:
        """`tags`: the skeleton of `data` when known (substitute.leftovers)."""
        if tags == ():  # known to hold no tag: most substituted pods
            return
        for ref in leftovers(data, source.path, skip, tags):
            self.report(ref, source.document, "literal", node, "left as written: Argo substitutes nothing here",
                        only_if_written=True)

    def substituter(self, vars: Vars, mode: str, document, absent_ok: bool = False) -> Substituter:
        return Substituter(vars, mode, self.now(), absent_ok, self.decided, document)

    def note_unknown(self, text, node: Optional[str], what: str) -> None:
        """Record that a decision (`when`, loop, hook, a failure) used the placeholder of an
        output no mock gives: the run's outcome is then Incomplete."""
        if not isinstance(text, str) or ".outputs." not in text or not self.placeholders:
            return
        for match in _PLACEHOLDER.finditer(text):
            if match.group() in self.placeholders:
                uses = self.unknown_uses.setdefault(match.group(), [])
                if (node, what) not in uses:
                    uses.append((node, what))

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

    # -- executing a template -----------------------------------------------------------------

    def execute_template(self, name: str, call: Call) -> Optional[Node]:
        node = self.nodes.get(name)
        if node is not None and node.fulfilled:
            return node
        self.count_visit(name)
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
            if node is not None and prepared.data.get("failFast") is True and self._fail_fast(node):
                return node
            strategy = self.retry_strategy(prepared)
            if strategy is not None:
                return self.execute_retry(name, call, prepared, node, strategy)
            return self.execute_kind(name, call, prepared, node)
        finally:
            self.depth -= 1

    def count_visit(self, name: str) -> None:
        """Charge one execution of a template to the budget and to the pass's visits."""
        self.budget.node = name
        self.budget.step()
        self._visits += 1
        if self._visits > 10 * len(self.nodes) + 1000:  # work, not only nodes: see _pass
            raise Stop(f"dry run stopped at node '{name}': one reconcile pass executed templates {self._visits:,} "
                       f"times for {len(self.nodes):,} nodes; steps or tasks sharing a name make a template that "
                       "calls itself do exponential work")

    def idle_leaf(self, node: Node) -> bool:
        """Whether executing this leaf again would only count a visit (`count_visit`): it
        runs, and its template is prepared for the current globals (no new prepare, which
        could fail now)."""
        if node.fulfilled:
            return False
        cached = self._prepared.get(node.name)
        return cached is not None and cached.version == self.globals_version

    def _fail_fast(self, node: Node) -> bool:
        """Template failFast: once a child failed and no pod of it runs, the template fails."""
        members = [self.nodes[m] for m in node.members if not self.nodes[m].hooked]
        if not any(m.phase in (N.FAILED, N.ERROR) for m in members):
            return False
        if any(m.type == N.POD and m.phase in (N.PENDING, N.RUNNING) and not m.daemoned for m in members):
            return False
        self.finish(node, N.FAILED, "template has failed or errored children and failFast enabled")
        return True

    def retry_strategy(self, prepared: Prepared) -> Optional[dict]:
        own = prepared.data.get("retryStrategy")
        if isinstance(own, dict):
            return own
        default = self.workflow.spec.get("retryStrategy")
        return default if isinstance(default, dict) else None

    def prepare(self, name: str, call: Call) -> Prepared:
        cache = self._prepared
        cached = cache.get(name)
        if cached is not None and cached.version == self.globals_version:
            return cached
        resolved = self.workflow.resolver.resolve(call.holder, call.source, call.base)
        bound, artifact_layer = self.bind_inputs(resolved, call)
        kind = resolved.type
        locals_ = {"node.name": name, **call.local}
        if kind in POD_KINDS:
            locals_["pod.name"] = N.pod_name(self.name, name, resolved.name)
        if kind in LEAF_KINDS or kind == "suspend":
            locals_.update(self._facts(resolved.data).output_paths)
        locals_layer = Layer(locals_)
        document, path = resolved.source.document, resolved.source.path
        # P2 pass A (globals and locals) runs over the template with its inputs bound, so an
        # input value may hold global tags; pass B then substitutes the inputs. Both walk only
        # where tags are, and share what they do not change.
        template = _with_inputs(resolved.data, bound)
        tags, inert = self.bound_skeleton(resolved.data, template, bound)
        if inert is not None and inert.hold_none(self.vars(locals_layer)):
            inert.charge()  # pass A replaces nothing: the template as it is
            data = template
        else:
            inert = None
            data, tags = self.substituter(self.vars(locals_layer), LENIENT, document).along(template, tags, path)
        bound_as_is = data is template  # pass A left the inputs' bound values as they are
        input_layer = _input_layer(data, bound)
        input_layer.update(artifact_layer)
        before = _input_parameters(data)
        # pass B sees the layers of pass A, which hold none of the tags' names, and the
        # inputs: when these name none either (a DAG's tasks, `{{tasks.X...}}`), it replaces
        # nothing too; the inputs' own tags (`{{inputs.parameters.x}}`) are replaced here
        if inert is not None and not any(key in input_layer for key in inert.keys):
            inert.charge()
        elif inert is not None:  # (pass A was inert: the bound values are as they were)
            data, tags = self._plain_pass(resolved.data, bound, data, tags, inert,
                                          self.vars(input_layer, locals_layer), document, path)
        else:
            data, tags = self.substituter(self.vars(input_layer, locals_layer), LENIENT, document).along(
                data, tags, path)
        # pass B also substitutes the inputs' own values (`value: "{{= ... inputs.parameters.a ...}}"`);
        # the node records those, and the template's scope (steps, tasks) sees them
        if _input_parameters(data) == before:  # no tag in them (the usual case): the same layer
            scope_layer = input_layer
        else:
            scope_layer = _input_layer(data, bound)
            scope_layer.update(artifact_layer)
        if bound_as_is and scope_layer is input_layer:
            inputs = dict(bound)  # what the comprehension gives: each declared input, its bound string
        else:
            inputs = {key[len(_INPUT_PREFIX):]: value for key, value in scope_layer.items()
                      if key.startswith(_INPUT_PREFIX) and isinstance(value, str)}
        # a Layer (never changed) so that every scope built from it shares it instead of a copy
        prepared = Prepared(resolved, data, inputs, Layer({**locals_, **scope_layer}), self.globals_version, tags)
        cache[name] = prepared
        return prepared

    def _plain_pass(self, template: dict, bound: dict, bound_template: dict, tags, inert, vars: Vars, document,
                    path: tuple) -> tuple:
        """Pass B of `bound_template` (`template` with its inputs bound to `bound`), whose tags
        are all plain names, when pass A replaced none: its result depends only on the values
        those names have. The last result of each template is kept (the pods of a large DAG
        are mostly called with the same values), and taken again with the same budget
        charges; the tags it resolves are recorded already (`decided`: same document, paths
        and tags)."""
        values = []
        for key in inert.keys:
            found, value = vars.lookup(key)
            if found and value.__class__ is not str:  # an absent optional (an error) or a value of its own
                return self.substituter(vars, LENIENT, document).along(bound_template, tags, path)
            values.append(value if found else None)
        memo_key = (id(document), path, tuple(bound.items()), tuple(values))
        last = self._plain_passes.get(id(template))
        budget = active()
        if last is not None and last[1] == memo_key and (
                budget is None or budget.values_at_once(last[3], last[4], last[4])):
            return last[2]
        steps, chars = (budget.steps, budget.chars) if budget is not None else (0, 0)
        result = self.substituter(vars, LENIENT, document).along(bound_template, tags, path)
        if budget is not None:
            steps, chars = budget.steps - steps, budget.chars - chars
        # the template is kept with its entry so that its id is not reused
        self._plain_passes[id(template)] = (template, memo_key, result, steps, chars)
        return result

    def _facts(self, template: dict) -> "_TemplateFacts":
        """What prepare reads of a template the same way at every call: once per template
        (it is the document's own object, kept by the cache) unless templateDefaults merge
        a new one at each resolve."""
        cacheable = self.workflow.resolver.defaults is None
        entry = self._facts_of.get(id(template)) if cacheable else None
        if entry is not None:
            return entry[1]
        facts = _template_facts(template)
        if cacheable:
            self._facts_of[id(template)] = (template, facts)
        return facts

    def bound_skeleton(self, template: dict, bound_template: dict, bound: dict) -> tuple:
        """The tag skeleton of `bound_template`, `template` with its inputs bound to `bound`,
        and its InertTags when every tagged string is the template's own (no bound value
        holds a tag) or None: once per run for a template and the inputs whose values hold
        tags. Without templateDefaults the template is the document's own object, called
        again and again (the cache keeps it, so its id is not reused); with them it is
        merged anew at each resolve."""
        if self.workflow.resolver.defaults is not None:
            return skeleton(bound_template), None
        tagged = tuple(name for name, value in bound.items() if isinstance(value, str) and "{{" in value)
        key = (id(template), tagged)
        entry = self._skeletons.get(key)
        if entry is None:
            strings: list = []
            tags = skeleton(bound_template, shapes={}, strings=strings)
            entry = self._skeletons[key] = (template, tags, None if key[1] else inert_tags(strings))
        return entry[1], entry[2]

    def now(self):
        """The simulated clock: creation time plus one second per tick."""
        tick, moment = self._now
        if tick != self.tick:
            from datetime import timedelta

            moment = self.workflow.creation + timedelta(seconds=self.tick)
            self._now = (self.tick, moment)
        return moment

    def bind_inputs(self, resolved: ResolvedTemplate, call: Call) -> tuple[dict, dict]:
        """Input parameters bound to the call's arguments (argo-semantics §1.4), and the
        `inputs.artifacts.*` variables."""
        facts = self._facts(resolved.data)
        args = {p.get("name"): p for p in _list(call.args.get("parameters")) if isinstance(p, dict)}
        bound: dict = {}
        for pname, p in facts.parameters:
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
        layer: dict = {}
        if not facts.artifacts:
            return bound, layer
        artifacts = {a.get("name"): a for a in _list(call.args.get("artifacts")) if isinstance(a, dict)}
        for aname, a in facts.artifacts:
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
            self._note_failures()
            self.note_unknown(self.message, None, "hang")
            self._report_waits()
            return
        self._fail_unfinished_groups()
        self._note_failures()
        self.phase = self._mapped(root.phase)
        self.message = root.message
        exit_node = self.nodes.get(f"{self.name}.onExit")
        if exit_node is not None and self.phase == N.SUCCEEDED and exit_node.phase in (N.FAILED, N.ERROR):
            self.phase, self.message = exit_node.phase, exit_node.message

    def _note_failures(self) -> None:
        for node in self.nodes.values():
            if node.phase in (N.FAILED, N.ERROR) and node.message:
                self.note_unknown(node.message, node.name, "failure")

    def _fail_unfinished_groups(self) -> None:
        """A step group (or steps/DAG node) a failFast template left running ends Failed with
        the workflow, as the controller marks it when the workflow completes."""
        for node in list(self.nodes.values()):
            if node.type in (N.STEP_GROUP, N.TASK_GROUP, N.STEPS, N.DAG) and not node.fulfilled:
                self.finish(node, N.FAILED)

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


class _TemplateFacts(NamedTuple):
    output_paths: dict  # `outputs.parameters.NAME.path` / `outputs.artifacts.NAME.path` -> path
    parameters: list  # (name, spec) of each declared input parameter, in order
    artifacts: list  # (name, spec) of each declared input artifact, in order


def _template_facts(template: dict) -> _TemplateFacts:
    paths = {}
    outputs = _dict(template.get("outputs"))
    for p in _list(outputs.get("parameters")):
        if isinstance(p, dict) and isinstance(p.get("name"), str):
            path = _dict(p.get("valueFrom")).get("path")
            if path is not None:
                paths[f"outputs.parameters.{p['name']}.path"] = as_text(path)
    for a in _list(outputs.get("artifacts")):
        if isinstance(a, dict) and isinstance(a.get("name"), str) and a.get("path") is not None:
            paths[f"outputs.artifacts.{a['name']}.path"] = as_text(a.get("path"))
    inputs = _dict(template.get("inputs"))
    return _TemplateFacts(paths, *([(item["name"], item) for item in _list(inputs.get(kind))
                                    if isinstance(item, dict) and isinstance(item.get("name"), str)]
                                   for kind in ("parameters", "artifacts")))


_ARTIFACT_NON_SOURCE = frozenset({"name", "path", "mode", "optional", "recurseMode", "subPath", "archive",
                                  "globalName", "deleted", "archiveLogs", "fromExpression", "from"})


_INPUT_PREFIX = "inputs.parameters."

# Argo's Parameter struct, in field order: `{{inputs.parameters}}` is its JSON
_PARAMETER_FIELDS = ("name", "default", "value", "valueFrom", "globalName", "enum", "description")


def _input_layer(template: dict, bound: dict) -> Layer:
    """`inputs.parameters.NAME` for each bound input of the (substituted) template, and
    `inputs.parameters`, the list as JSON in the struct's field order (made when a tag reads
    it: the substituted template is never changed)."""
    layer, declared = Layer(), []
    for p in _list(_dict(template.get("inputs")).get("parameters")):
        if isinstance(p, dict) and p.get("name") in bound:
            layer[f"inputs.parameters.{p['name']}"] = as_text(p.get("value"))
            declared.append(p)
    layer["inputs.parameters"] = Deferred(partial(_parameters_json, declared))
    return layer


def _parameters_json(declared: list) -> str:
    return go_json([GoStruct((key, p[key] if key in ("valueFrom", "enum") else as_text(p[key]))
                             for key in _PARAMETER_FIELDS if p.get(key) not in (None, "", [], {}))
                    for p in declared])


def _input_parameters(template: dict) -> list:
    """What `_input_layer` reads of a template: equal lists give equal layers (substitution
    changes only strings, and equal strings print the same)."""
    inputs = template.get("inputs")
    parameters = inputs.get("parameters") if isinstance(inputs, dict) else None
    return parameters if isinstance(parameters, list) else []


def _with_inputs(template: dict, bound: dict) -> dict:
    """A copy of the template whose input parameters hold their bound values."""
    inputs = _dict(template.get("inputs"))
    params = _list(inputs.get("parameters"))
    if not bound or not params:
        return template
    new_params = [{**p, "value": bound[p["name"]]} if isinstance(p, dict) and p.get("name") in bound else p
                  for p in params]
    return {**template, "inputs": {**inputs, "parameters": new_params}}

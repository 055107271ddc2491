"""Steps templates (argo-semantics §3): groups one after another, the steps of a group in
parallel, a group done only when all its steps and their hooks are."""

from __future__ import annotations

from dataclasses import dataclass, field

from argolint.evaluator import nodes as N
from argolint.evaluator.calls import CallsMixin
from argolint.evaluator.core import CallError, Planned, _dict
from argolint.evaluator.nodes import Node
from argolint.evaluator.outputs import OutputError, aggregate
from argolint.evaluator.variables import RefScope
from argolint.evaluator.workflow import Source


@dataclass
class StepsState:
    refs: RefScope = field(default_factory=lambda: RefScope("steps"))
    scoped: set = field(default_factory=set)  # groups whose steps are in `refs`


def _group_steps(group) -> list:
    if isinstance(group, list):
        return [(j, s) for j, s in enumerate(group) if isinstance(s, dict)]
    if isinstance(group, dict):  # a lone step not wrapped in a list
        return [(None, group)]
    return []


class StepsMixin(CallsMixin):
    def execute_steps(self, name, call, prepared, node) -> Node:
        if node is None:
            node = self.new_node(name, N.STEPS, N.RUNNING, call, prepared.resolved)
            node.inputs = dict(prepared.inputs)
        node.extra["template"] = prepared.data
        state = node.extra.get("steps")
        if state is None:
            state = node.extra["steps"] = StepsState()
        groups = prepared.data.get("steps")
        groups = groups if isinstance(groups, list) else []
        source = prepared.resolved.source
        for i, group in enumerate(groups):
            steps = _group_steps(group)
            sg_name = f"{name}[{i}]"
            sg = self.nodes.get(sg_name)
            if sg is None:
                sg = self.new_node(sg_name, N.STEP_GROUP, N.RUNNING, boundary=name, parent=name)
                self._connect_group(name, i, sg_name)
            if not sg.fulfilled:
                self.execute_step_group(node, sg, steps, i, state, prepared)
                if not sg.fulfilled:
                    return node
            if sg.phase != N.SUCCEEDED:
                node.outbound = self._group_outbound(sg)
                self.kill_daemons(node)
                self.finish(node, N.FAILED, sg.message)
                return node
            if i not in state.scoped:
                state.scoped.add(i)
                try:
                    self._add_to_scope(state, sg, steps, i, prepared)
                except OutputError as exc:
                    node.outbound = self._group_outbound(sg)
                    self.finish(node, N.ERROR, str(exc))
                    return node
        try:
            outputs = self.template_outputs(prepared, state.refs, node)
        except OutputError as exc:
            self.finish(node, N.ERROR, str(exc))
            return node
        node.outputs = outputs
        if groups:
            node.outbound = self._group_outbound(self.nodes[f"{name}[{len(groups) - 1}]"])
        self.export(outputs, prepared.data)
        self.kill_daemons(node)
        self.finish(node, N.SUCCEEDED)
        return node

    def _connect_group(self, name: str, i: int, sg_name: str) -> None:
        if i == 0:
            self.edge(name, sg_name)
            return
        previous = self.nodes[f"{name}[{i - 1}]"]
        kids = [self.nodes[c] for c in previous.children if c in self.nodes]
        if not kids:
            self.edge(previous.name, sg_name)
        for kid in kids:
            for out in self.outbound(kid):
                self.edge(out, sg_name)

    def _group_outbound(self, sg: Node) -> list:
        out = []
        for child in sg.children:
            kid = self.nodes.get(child)
            if kid is not None:
                out.extend(self.outbound(kid))
        return out or [sg.name]

    def _add_to_scope(self, state: StepsState, sg: Node, steps: list, index: int, prepared) -> None:
        source = prepared.resolved.source
        for j, step in steps:
            step_name = step.get("name")
            if not isinstance(step_name, str):
                continue
            child = self.nodes.get(f"{sg.name}.{step_name}")
            if child is not None:
                state.refs.add(step_name, self.entries_of(child, in_dag=False))
                continue
            prefix = f"{sg.name}.{step_name}("
            kids = [self.nodes[c] for c in sg.children if c.startswith(prefix)]
            if not kids:
                continue
            step_source = Source(source.document, source.path + ("steps", index) + ((j,) if j is not None else ()))
            captures = self.template_captures(step, step_source, prepared.resolved.base)
            entries = aggregate(kids, self.placeholders, in_dag=False, captures=captures)
            entries.update(self.identity(sg))
            state.refs.add(step_name, entries)

    def execute_step_group(self, node: Node, sg: Node, steps: list, index: int, state: StepsState,
                           prepared) -> None:
        source = prepared.resolved.source
        base = prepared.resolved.base
        scope = self.vars(prepared.locals, refs=state.refs)
        cached = sg.extra.get("plan")
        if cached is not None and cached[0] == self.globals_version:
            plan = cached[1]
        else:
            try:
                plan = self._plan_group(sg, steps, index, scope, source)
            except CallError as exc:
                self.finish(sg, N.ERROR, str(exc))
                return
            if plan is None:
                return  # waiting for references
            sg.extra["plan"] = (self.globals_version, plan)
        calls = sg.extra.setdefault("calls", {})
        for planned in plan:
            child_name = f"{sg.name}.{planned.name}"
            if planned.skip is not None:
                self.not_run_node(child_name, N.SKIPPED_PHASE, planned.skip, node.name, sg.name, planned.step,
                                  planned.source, base)
                self.edge(sg.name, child_name)
                continue
            existing = self.nodes.get(child_name)
            if existing is None:
                run, message = self.decide_when(planned, child_name)
                if not run:
                    phase = N.ERROR if not message.startswith("when '") else N.SKIPPED_PHASE
                    self.not_run_node(child_name, phase, message, node.name, sg.name, planned.step, planned.source,
                                      base)
                    self.edge(sg.name, child_name)
                    if phase == N.ERROR:
                        self.finish(sg, N.ERROR, message)
                        return
                    continue
            elif existing.type == N.SKIPPED:
                continue
            call = calls.get(child_name)
            if call is None:
                call = self.step_call(planned, base, node.name, sg.name, "steps",
                                      self.captures(prepared.resolved, "steps", planned.base))
            child = self.execute_template(child_name, call)
            if child is None:
                continue  # parallelism: not created yet
            if child_name not in calls:
                self.report_call_leftovers(planned, child_name)
            calls[child_name] = call
            self.edge(sg.name, child_name)
            if child.setup_error:
                self.finish(sg, N.ERROR, f"step group deemed errored due to child {child_name} error: "
                                         f"{child.message}")
                return
        self._settle_group(sg, plan, calls, scope, base)

    def _plan_group(self, sg: Node, steps: list, index: int, scope, source: Source):
        waiting: list = []
        resolved = []
        for j, step in steps:
            path = source.path + ("steps", index) + ((j,) if j is not None else ())
            step_source = Source(source.document, path)
            result = self.resolve_call(step, step_source, scope, waiting, sg.name)
            if result is not None:
                resolved.append((step, step_source, result))
        if waiting:
            self.wait(sg.name, source.document, waiting)
            return None
        self.waits.pop(sg.name, None)
        plan: list[Planned] = []
        for step, step_source, (new, when_false, tagless) in resolved:
            name = step.get("name")
            if not isinstance(name, str):
                continue
            plan.extend(self.expand(name, new, step_source, scope, when_false, sg.name, tagless))
        return plan

    def _settle_group(self, sg: Node, plan: list, calls: dict, scope, base) -> None:
        """Hooks of finished steps, then the group's phase once every step is done."""
        by_name = {f"{sg.name}.{p.name}": p for p in plan}
        complete = len(sg.children) >= len(plan)
        for child_name in list(sg.children):
            child = self.nodes.get(child_name)
            planned = by_name.get(child_name)
            if child is None:
                continue
            if planned is not None and child_name in calls:
                ref_key = f"steps.{planned.base}"
                if not self.run_lifecycle_hooks(child, planned.step, planned.source, base, scope, ref_key):
                    complete = False
                if child.fulfilled and child.completed:
                    hook = self.run_exit_hook(child, planned.step, planned.source, base, scope, ref_key)
                    if hook is not None and not hook.fulfilled:
                        complete = False
            if not child.fulfilled:
                complete = False
        if not complete:
            return
        for child_name in sg.children:
            child = self.nodes[child_name]
            if child.phase not in (N.FAILED, N.ERROR):
                continue
            planned = by_name.get(child_name)
            continue_on = _dict(planned.step.get("continueOn")) if planned is not None else {}
            if (child.phase == N.FAILED and continue_on.get("failed") is True) or \
                    (child.phase == N.ERROR and continue_on.get("error") is True):
                continue
            self.finish(sg, N.FAILED, f"child '{self.node_id(child_name)}' failed")
            return
        self.finish(sg, N.SUCCEEDED)

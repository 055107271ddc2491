"""DAG templates (argo-semantics §4): a task starts once every task it names in
`dependencies` / `depends` is done and the condition holds (false: Omitted); `when` is
looked at after that (false: Skipped); the DAG's phase comes from its targets' branches."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Optional

from argolint.evaluator import nodes as N
from argolint.evaluator.calls import CallsMixin
from argolint.evaluator.core import CallError, Planned, _dict, _list
from argolint.evaluator.loops import has_loop
from argolint.evaluator.nodes import Node
from argolint.evaluator.outputs import OutputError, aggregate
from argolint.evaluator.substitute import items_skeletons, skeleton_at
from argolint.evaluator.variables import RefScope
from argolint.evaluator.workflow import Source
from argolint.analysis.templating import depends as dep


# the condition of `depends: "A && B"` and of `dependencies: [A, B]`: each task succeeded
# (or was skipped, or failed with continueOn); its syntax tree is made only to explain it
ALL_SUCCEED = "all dependencies succeed"


def _condition_tree(task: dict, condition):
    """The syntax tree of a task's `depends` / `dependencies` condition."""
    if condition is not ALL_SUCCEED:
        return condition
    depends = task.get("depends")
    if isinstance(depends, str) and depends.strip():
        return dep.parse_depends(depends).ast
    names = [d for d in _list(task.get("dependencies")) if isinstance(d, str)]
    return dep.And(tuple(dep.TaskResult(n, None, (0, 0)) for n in names))


# nodes that a second `execute_template` leaves as they are while they run (leaves.py)
_IDLE_TYPES = frozenset({N.POD, N.SUSPEND, N.HTTP, N.PLUGIN})


@dataclass
class DagState:
    tasks: dict = field(default_factory=dict)  # name -> (task dict, Source)
    deps: dict = field(default_factory=dict)  # name -> [dependency names]
    conditions: dict = field(default_factory=dict)  # name -> depends AST (None: none)
    errors: dict = field(default_factory=dict)  # name -> depends error message
    analysis: object = None  # argolint.analysis.graph.DagAnalysis: ancestors as bitmasks
    targets: list = field(default_factory=list)
    order: dict = field(default_factory=dict)  # name -> declaration index
    live: dict = field(default_factory=dict)  # declaration index -> name: tasks that may move this pass
    blocked: dict = field(default_factory=dict)  # name -> count of its dependencies not done yet
    dependents: dict = field(default_factory=dict)  # name -> tasks (wanted) that depend on it
    done: set = field(default_factory=set)
    plans: dict = field(default_factory=dict)  # looped task -> [Planned]
    calls: dict = field(default_factory=dict)  # node name -> Call
    holders: dict = field(default_factory=dict)  # node name -> Planned (for hooks)
    # task -> its running leaf (pod, suspend ...) without lifecycle hooks: until the leaf
    # ends, a visit only counts (`Run.idle_leaf`), without the calls of `_execute_task`
    idle: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)  # name -> its skeleton without hooks and when (None: not known)
    refs: RefScope = field(default_factory=lambda: RefScope("tasks"))
    error: Optional[str] = None


def _build_state(data: dict, source: Source, tags) -> DagState:
    """`tags`: the skeleton of `data` (None: not known)."""
    from argolint.analysis.graph import DagAnalysis
    from argolint.model import Template

    state = DagState()
    # the analysis reads every `depends` once: a bare `A && B` (the commonest by far) is
    # taken from it, without a second read or a parse
    analysis = state.analysis = DagAnalysis(Template(data, source.path, None))
    dag_spec = _dict(data.get("dag"))
    document, tasks_path = source.document, source.path + ("dag", "tasks")
    tasks, deps, conditions = state.tasks, state.deps, state.conditions
    task_tags = None if tags is None else items_skeletons(skeleton_at(tags, "dag", "tasks"), ("hooks", "when"))
    own_tags, bare_names = state.tags, analysis.bare_names
    for i, task in enumerate(_list(dag_spec.get("tasks"))):
        name = task.get("name") if isinstance(task, dict) else None
        if not isinstance(name, str) or name in tasks:
            continue
        tasks[name] = (task, Source(document, tasks_path + (i,)))
        own_tags[name] = None if task_tags is None else task_tags.get(i, ())
        # the analysis gives bare names only for a `depends` that is a string not blank
        bare = bare_names(i)
        if bare is not None:
            deps[name] = list(dict.fromkeys(bare))
            conditions[name] = ALL_SUCCEED
            continue
        depends = task.get("depends")
        if isinstance(depends, str) and depends.strip():
            parsed = dep.parse_depends(depends)
            if parsed.error is not None:
                state.errors[name] = f"invalid depends '{depends}': {parsed.error.message}"
            deps[name] = parsed.names
            conditions[name] = parsed.ast
        else:
            names = [d for d in _list(task.get("dependencies")) if isinstance(d, str)]
            deps[name] = list(dict.fromkeys(names))
            conditions[name] = ALL_SUCCEED if names else None
    target = dag_spec.get("target")
    if isinstance(target, str) and target.strip():
        targets = target.split()
        unknown = [t for t in targets if t not in tasks]
        if unknown:
            state.error = f"target '{unknown[0]}' is not a task of this DAG"
        state.targets = targets
    else:
        depended = {d for names in deps.values() for d in names}
        state.targets = sorted(n for n in tasks if n not in depended)
    wanted = {t for t in state.targets if t in tasks}
    wanted.update(analysis.upstream_of_any(wanted))
    order = state.order = dict(zip(tasks, range(len(tasks))))
    blocked, dependents, live = state.blocked, state.dependents, state.live
    for name, index in order.items():
        if name not in wanted:
            continue
        known = [d for d in deps[name] if d in tasks]  # each name is in deps once
        blocked[name] = len(known)
        if not known:
            live[index] = name
            continue
        for d in known:
            following = dependents.get(d)
            if following is None:
                dependents[d] = [name]
            else:
                following.append(name)
    return state


class DagMixin(CallsMixin):
    def execute_dag(self, name, call, prepared, node) -> Node:
        if node is None:
            node = self.new_node(name, N.DAG, N.RUNNING, call, prepared.resolved)
            node.inputs = dict(prepared.inputs)
        node.extra["template"] = prepared.data
        state = node.extra.get("dag")
        if state is None:
            state = node.extra["dag"] = _build_state(prepared.data, prepared.resolved.source, prepared.leftover)
        if state.error is not None:
            self.finish(node, N.ERROR, state.error)
            return node
        visited: set = set()
        while True:  # tasks that become ready during the pass run in the same pass, as in Argo
            batch = [i for i in sorted(state.live) if i not in visited]
            if not batch:
                break
            for index in batch:
                visited.add(index)
                task_name = state.live.get(index)
                if task_name is None:
                    continue
                leaf = state.idle.get(task_name)
                if leaf is not None and self.idle_leaf(leaf):
                    self.count_visit(leaf.name)
                    continue
                self._execute_task(node, state, task_name, prepared)
                if node.fulfilled:
                    return node
        phase = self._assess(node, state)
        if phase == N.RUNNING:
            return node
        outbound = []
        for t in state.targets:
            target = self.nodes.get(f"{name}.{t}")
            if target is not None:
                outbound.extend(self.outbound(target))
        node.outbound = outbound
        if phase == N.SUCCEEDED:
            try:
                outputs = self.template_outputs(prepared, state.refs, node)
            except OutputError as exc:
                self.finish(node, N.ERROR, str(exc))
                return node
            node.outputs = outputs
            self.export(outputs, prepared.data)
        self.kill_daemons(node)
        self.finish(node, phase)
        return node

    # -- one task -----------------------------------------------------------------------------

    def _execute_task(self, dag: Node, state: DagState, task_name: str, prepared) -> None:
        node_name = f"{dag.name}.{task_name}"
        task, source = state.tasks[task_name]
        base = prepared.resolved.base
        existing = self.nodes.get(node_name)
        if existing is not None:
            self._progress_task(dag, state, task_name, existing, prepared)
            return
        tasks, done = state.tasks, state.done
        for d in state.deps[task_name]:
            if d not in tasks:
                self._task_error(dag, state, task_name, f"dependency '{d}' is not a task of this DAG", prepared)
                return
            if d not in done:
                return
        if task_name in state.errors:
            self._task_error(dag, state, task_name, state.errors[task_name], prepared)
            return
        condition = state.conditions[task_name]
        if condition is not None and not self._condition_holds(dag, state, task_name, condition):
            omitted = self.not_run_node(node_name, N.OMITTED, "omitted: depends condition not met", dag.name,
                                        dag.name, task, source, base)
            omitted.extra["decision"] = self._explain_depends(dag, state, task, _condition_tree(task, condition))
            self._connect(dag, state, task_name, node_name)
            self._progress_task(dag, state, task_name, self.nodes[node_name], prepared)
            return
        scope = self.vars(prepared.locals, refs=state.refs, visible=state.analysis.ancestor_test(task_name))
        waiting: list = []
        try:
            result = self.resolve_call(task, source, scope, waiting, node_name, state.tags[task_name])
        except CallError as exc:
            self._task_error(dag, state, task_name, str(exc), prepared)
            return
        if result is None:
            self.wait(node_name, source.document, waiting)
            return
        self.waits.pop(node_name, None)
        new, when_false, tagless = result
        if not has_loop(new):  # what `expand` plans for a task without a loop
            planned = Planned(task_name, new, source, None, task_name, tagless)
        else:
            try:
                plan = self.expand(task_name, new, source, scope, when_false, node_name, tagless)
            except CallError as exc:
                self._task_error(dag, state, task_name, str(exc), prepared)
                return
            if plan and plan[0].skip is None:
                group = self.new_node(node_name, N.TASK_GROUP, N.RUNNING, boundary=dag.name, parent=dag.name)
                self._connect(dag, state, task_name, node_name)
                state.plans[task_name] = plan
                group.extra["scope"] = scope
                self._drive_group(dag, state, task_name, group, prepared)
                self._progress_task(dag, state, task_name, group, prepared, driven=True)
                return
            planned = plan[0]
        if planned.skip is not None:
            run, message = False, planned.skip
        else:
            run, message = self.decide_when(planned, node_name)
        if not run:
            phase = N.SKIPPED_PHASE if planned.skip is not None or message.startswith("when '") else N.ERROR
            self.not_run_node(node_name, phase, message, dag.name, dag.name, planned.step, source, base)
            self._connect(dag, state, task_name, node_name)
            self._progress_task(dag, state, task_name, self.nodes[node_name], prepared)
            return
        call = self.step_call(planned, base, dag.name, dag.name, "tasks",
                              self.captures(prepared.resolved, "tasks", task_name))
        child = self.execute_template(node_name, call)
        if child is None:
            return  # parallelism: not created yet
        self.report_call_leftovers(planned, node_name)
        state.calls[node_name] = call
        state.holders[node_name] = (planned, scope)
        idle = child.type in _IDLE_TYPES and not planned.step.get("hooks")
        if idle:
            state.idle[task_name] = child
        self._connect(dag, state, task_name, node_name)
        self._progress_task(dag, state, task_name, child, prepared, driven=True)

    def _task_error(self, dag: Node, state: DagState, task_name: str, message: str, prepared) -> None:
        node_name = f"{dag.name}.{task_name}"
        task, source = state.tasks[task_name]
        self.not_run_node(node_name, N.ERROR, message, dag.name, dag.name, task, source, prepared.resolved.base)
        self._connect(dag, state, task_name, node_name)
        self._progress_task(dag, state, task_name, self.nodes[node_name], prepared)

    def _connect(self, dag: Node, state: DagState, task_name: str, node_name: str) -> None:
        nodes, prefix = self.nodes, dag.name + "."
        found = [nodes[prefix + d] for d in state.deps[task_name] if prefix + d in nodes]
        if not found:
            self.edge(dag.name, node_name)
        for dependency in found:
            if dependency.type == N.POD:  # its own outbound node (`outbound`), the usual dependency
                self.edge(dependency.name, node_name)
                continue
            for out in self.outbound(dependency):
                self.edge(out, node_name)

    def _explain_depends(self, dag: Node, state: DagState, task: dict, condition) -> str:
        """`depends 'A && B.Failed' is false: A true, B.Failed false`: each term as evaluated."""
        terms, stack = [], [condition]
        while stack:
            item = stack.pop()
            if isinstance(item, dep.TaskResult):
                terms.append(item)
            else:
                stack.extend(reversed(getattr(item, "operands", None) or [getattr(item, "operand", None)]))
        shown = []
        for term in dict.fromkeys(t for t in terms if t is not None):
            label = term.name + (f".{term.result}" if term.result else "")
            shown.append(f"{label} {'true' if self._dependency_holds(dag, state, term) else 'false'}")
        clause = task.get("depends") if isinstance(task.get("depends"), str) else " && ".join(
            str(d) for d in task.get("dependencies") or [])
        return f"depends '{clause.strip()}' is false: " + ", ".join(shown)

    def _condition_holds(self, dag: Node, state: DagState, task_name: str, condition) -> bool:
        if condition is ALL_SUCCEED:
            nodes, prefix = self.nodes, dag.name + "."
            for name in state.deps[task_name]:
                node = nodes.get(prefix + name)
                if node is not None and node.phase == N.SUCCEEDED:
                    continue  # the usual dependency, without the call that finds it first
                if not self._succeeded_enough(dag, state, name):
                    return False
            return True
        return dep.evaluate(condition, lambda ref: self._dependency_holds(dag, state, ref))

    def _succeeded_enough(self, dag: Node, state: DagState, name: str) -> bool:
        """A bare `name` in a condition: succeeded, skipped, daemoned, or failed with continueOn."""
        node = self.nodes.get(f"{dag.name}.{name}")
        if node is None:
            return False
        phase = node.phase
        if phase in (N.SUCCEEDED, N.SKIPPED_PHASE) or (node.daemoned and phase != N.PENDING):
            return True
        continue_on = _dict(state.tasks[name][0].get("continueOn"))
        return (phase == N.FAILED and continue_on.get("failed") is True) or \
            (phase == N.ERROR and continue_on.get("error") is True)

    def _dependency_holds(self, dag: Node, state: DagState, ref) -> bool:
        if ref.result is None:
            return self._succeeded_enough(dag, state, ref.name)
        node = self.nodes.get(f"{dag.name}.{ref.name}")
        if node is None:
            return False
        phase = node.phase
        result = ref.result
        if result == "Errored":
            return phase == N.ERROR
        if result == "Daemoned":
            return node.daemoned and phase != N.PENDING
        if result in ("AnySucceeded", "AllFailed"):
            if node.type != N.TASK_GROUP:
                return False
            kids = [self.nodes[c] for c in node.children if c in self.nodes and not self.nodes[c].hooked]
            if result == "AnySucceeded":
                return any(k.phase == N.SUCCEEDED for k in kids)
            return bool(kids) and all(k.phase == N.FAILED for k in kids)
        return phase == result

    def _drive_group(self, dag: Node, state: DagState, task_name: str, group: Node, prepared) -> None:
        base = prepared.resolved.base
        for planned in state.plans[task_name]:
            child_name = f"{dag.name}.{planned.name}"
            existing = self.nodes.get(child_name)
            if existing is not None:
                call = state.calls.get(child_name)
                if call is not None and not existing.fulfilled:
                    self.execute_template(child_name, call)
                continue
            run, message = self.decide_when(planned, child_name)
            if not run:
                phase = N.SKIPPED_PHASE if message.startswith("when '") else N.ERROR
                self.not_run_node(child_name, phase, message, dag.name, group.name, planned.step, planned.source,
                                  base)
                self.edge(group.name, child_name)
                continue
            call = self.step_call(planned, base, dag.name, group.name, "tasks",
                                  self.captures(prepared.resolved, "tasks", task_name))
            child = self.execute_template(child_name, call)
            if child is None:
                continue
            self.report_call_leftovers(planned, child_name)
            state.calls[child_name] = call
            state.holders[child_name] = (planned, group.extra.get("scope"))
            self.edge(group.name, child_name)
        kids = [self.nodes[c] for c in group.children if c in self.nodes and not self.nodes[c].hooked]
        if len(kids) < len(state.plans[task_name]) or not all(k.fulfilled and self.hooks_done(k) for k in kids):
            return
        phase = N.SUCCEEDED
        for kid in kids:
            if kid.phase in (N.FAILED, N.ERROR):
                phase = kid.phase
        self.finish(group, phase)

    def _progress_task(self, dag: Node, state: DagState, task_name: str, node: Node, prepared,
                       driven: bool = False) -> None:
        """Move a task's node on, run its hooks, and put it in scope once all are done."""
        base = prepared.resolved.base
        group = node.type == N.TASK_GROUP
        fulfilled = node.fulfilled
        if not driven and not fulfilled:
            if group:
                self._drive_group(dag, state, task_name, node, prepared)
            else:
                call = state.calls.get(node.name)
                if call is not None:
                    self.execute_template(node.name, call)
            fulfilled = node.fulfilled
        if not fulfilled and not group:
            holder = state.holders.get(node.name)
            if holder is None or not holder[0].step.get("hooks"):
                return  # still running, and no lifecycle hook of it can fire: the usual case
        hooks_done = True
        members = [node] if not group else \
            [self.nodes[c] for c in node.children if c in self.nodes and not self.nodes[c].hooked]
        for member in members:
            holder = state.holders.get(member.name)
            if holder is None:
                continue
            planned, scope = holder
            if not planned.step.get("hooks") and not planned.step.get("onExit"):
                continue  # no hook to run (what the two calls below find out)
            ref_key = f"tasks.{task_name}"
            if not self.run_lifecycle_hooks(member, planned.step, planned.source, base, scope, ref_key):
                hooks_done = False
            if member.fulfilled and member.completed:
                hook = self.run_exit_hook(member, planned.step, planned.source, base, scope, ref_key)
                if hook is not None and not hook.fulfilled:
                    hooks_done = False
        if not (hooks_done and node.fulfilled and self.hooks_done(node)):
            return
        state.live.pop(state.order[task_name], None)
        state.done.add(task_name)
        # a done task is never moved again: its calls and substituted steps can go
        for member in members:
            state.calls.pop(member.name, None)
            state.holders.pop(member.name, None)
        state.plans.pop(task_name, None)
        state.idle.pop(task_name, None)
        blocked = state.blocked
        for dependent in state.dependents.get(task_name, ()):
            left = blocked[dependent] = blocked[dependent] - 1
            if left == 0:
                state.live[state.order[dependent]] = dependent
        if group:
            kids = [self.nodes[c] for c in node.children if c in self.nodes]
            task, source = state.tasks[task_name]
            try:
                entries = aggregate(kids, self.placeholders, in_dag=True,
                                    captures=self.template_captures(task, source, base))
            except OutputError as exc:
                self.finish(dag, N.ERROR, str(exc))
                return
            entries.update(self.identity(node))
        else:
            entries = self.entries_of(node, in_dag=True)
        state.refs.add(task_name, entries)
        self.changed = True

    # -- the DAG's phase ------------------------------------------------------------------------

    def _assess(self, dag: Node, state: DagState) -> str:
        """argo-semantics §4.6: branch phases of the targets, then failFast."""
        for task_name in state.live.values():
            node = self.nodes.get(f"{dag.name}.{task_name}")
            if node is not None and not node.fulfilled:
                return N.RUNNING  # the common case, without walking the graph
        targets = {f"{dag.name}.{t}": t for t in state.targets}
        branch: dict = {name: "" for name in targets}
        queue = deque((child, N.SUCCEEDED) for child in dag.children)
        seen = set(queue)
        while queue:
            name, phase = queue.popleft()
            node = self.nodes.get(name)
            if node is None:
                continue
            if not node.fulfilled:
                return N.RUNNING
            if node.completed:
                phase = node.phase
            if name in branch and branch[name] not in (N.FAILED, N.ERROR):
                branch[name] = phase
            for child in node.children:
                key = (child, phase)
                if key not in seen:
                    seen.add(key)
                    queue.append(key)
        fail_fast = _dict(dag.extra.get("template", {}).get("dag")).get("failFast") is not False
        result = N.SUCCEEDED
        for name, task_name in targets.items():
            phase = branch[name]
            if phase == "":
                result = N.RUNNING
                if not fail_fast:
                    break
            elif phase in (N.FAILED, N.ERROR):
                continue_on = _dict(state.tasks[task_name][0].get("continueOn"))
                if (phase == N.FAILED and continue_on.get("failed") is True) or \
                        (phase == N.ERROR and continue_on.get("error") is True):
                    continue
                result = phase
                if fail_fast:
                    break
        return result

"""Graphs of a workflow: DAG tasks, step groups, and the template call graph of the project.

Built once per template (DAGs) or per document (calls) and shared through `ctx.cache`.
The common case, a graph without cycles, is handled in plain Python in linear time
(ancestor sets are bitmasks filled in topological order, so "is X an ancestor of T" is
O(1)); networkx is imported only to take a cyclic graph apart (strongly connected
components, the cycles to report) and by callers that ask for a DiGraph.
"""

from __future__ import annotations

from collections.abc import Set
from functools import partial
from typing import Iterator, NamedTuple, Optional, Sequence

from argolint.model import Template, TemplateRef, WorkflowSpec
from argolint.analysis.templating.depends import Depends, bare_names, is_unconditional, parse_depends

MAX_CYCLES = 20  # per graph: a dense knot has exponentially many, the first ones suffice


def is_dynamic(value) -> bool:
    """A value that is only known once `{{...}}` tags are substituted."""
    return isinstance(value, str) and "{{" in value


# --------------------------------------------------------------------------------------
# DAG templates


class DependencyRef(NamedTuple):
    """One mention of a task in another task's `dependencies` or `depends`.

    `path`, `start`, `end` locate the name (`start`/`end` are offsets inside the `depends`
    string, None for a `dependencies` item); `result` is the `.Result` written after it.
    """

    task: int  # index of the task that declares the dependency
    name: str
    path: tuple
    start: Optional[int] = None
    end: Optional[int] = None
    result: Optional[str] = None
    result_start: Optional[int] = None
    result_end: Optional[int] = None


# DependencyRef(...) with every field given, without the Python-level __new__ of a
# NamedTuple (a DAG of thousands of tasks makes thousands of these)
_new_ref = partial(tuple.__new__, DependencyRef)


class AncestorSet(Set):
    """The ancestors of one task as a read-only set of names, backed by a bitmask."""

    __slots__ = ("_mask", "_names", "_index")

    def __init__(self, mask: int, names: list, index: dict):
        self._mask, self._names, self._index = mask, names, index

    def __contains__(self, name) -> bool:
        i = self._index.get(name)
        return i is not None and (self._mask >> i) & 1 == 1

    def __iter__(self) -> Iterator[str]:
        # One pass over the mask's binary digits, lowest bit first: clearing bits one at a
        # time would copy the whole mask per ancestor (quadratic on a large DAG).
        names = self._names
        bits = bin(self._mask)[:1:-1]
        i = bits.find("1")
        while i >= 0:
            yield names[i]
            i = bits.find("1", i + 1)

    def __len__(self) -> int:
        return self._mask.bit_count()

    def __repr__(self) -> str:
        return f"AncestorSet({sorted(self)!r})"


class AncestorTest:
    """The ancestors of one task, for membership tests only (`DagAnalysis.ancestor_test`)."""

    __slots__ = ("_analysis", "_task")

    def __init__(self, analysis: "DagAnalysis", task: str):
        self._analysis, self._task = analysis, task

    def __contains__(self, name) -> bool:
        return self._analysis.is_ancestor(name, self._task)


class DagAnalysis:
    """Everything the rules ask about one DAG template, computed once."""

    def __init__(self, template: Template):
        # One pass over the tasks' data (not their properties): this runs on DAGs of
        # thousands of tasks on every keystroke in an editor.
        self.template = template
        self.tasks = tasks = template.tasks
        self.task_names: list[Optional[str]] = []
        self.index: dict[str, int] = {}  # task name -> node number (first task of that name)
        self.names: list[str] = []
        self._first_task: list[int] = []  # node number -> index of the task declaring it
        index = self.index
        for i, task in enumerate(tasks):
            name = task.data.get("name")
            if not isinstance(name, str):
                name = None
            elif name not in index:
                index[name] = len(self.names)
                self.names.append(name)
                self._first_task.append(i)
            self.task_names.append(name)
        # per task: its parsed `depends`, or the list of names of a bare `A && B` (parsed only
        # when asked: `parsed`), or None (no depends, or one with tags)
        self._depends: list = []
        self._parsed_bare: dict[int, Depends] = {}
        self.parents: list[list[int]] = [[] for _ in self.names]
        self.uses_depends = self.uses_dependencies = False
        self._refs: Optional[list[list[DependencyRef]]] = None  # built when a rule asks (see `refs`)
        self._unresolved: list[int] = []  # tasks naming something that is no task here
        first_task, task_names_, all_parents = self._first_task, self.task_names, self.parents
        listed_in_order = True  # every task after the tasks it depends on: no sort needed
        add_depends = self._depends.append
        for i, task in enumerate(tasks):
            data = task.data
            text = data.get("depends")
            parsed = None
            if isinstance(text, str) and text and not text.isspace():
                self.uses_depends = True
                if "{{" not in text:
                    parsed = bare_names(text)
                    if parsed is None:
                        parsed = parse_depends(text)
            add_depends(parsed)
            dependencies = data.get("dependencies")
            if not isinstance(dependencies, list) or not dependencies:
                dependencies = None
            else:
                self.uses_dependencies = True
            node = index.get(task_names_[i])
            # the edges of the first task of each name; a nameless or duplicate task's
            # references are only checked (names only: DependencyRefs are made lazily)
            parents = all_parents[node] if node is not None and first_task[node] == i else None
            missing = False
            wanted = parsed if dependencies is None and type(parsed) is list else self._named(dependencies, parsed)
            for name in wanted:
                parent = index.get(name) if name is not None else None
                if parent is None:
                    missing = True
                elif parents is not None and parent not in parents:
                    parents.append(parent)
                    listed_in_order = listed_in_order and parent < node
            if missing:
                self._unresolved.append(i)
        self._masks: Optional[list[int]] = None
        self._order: Optional[Sequence[int]] = (range(len(self.names)) if listed_in_order
                                                else self._topological_order())

    def _named(self, dependencies: Optional[list], parsed) -> list:
        """The names one task's `dependencies` and `depends` give, in order; None stands
        for an item that can name no task (empty, or a tag)."""
        names: list = []
        for dep in dependencies or ():
            if isinstance(dep, str):
                names.append(dep if dep and "{{" not in dep else None)
        if type(parsed) is list:
            names.extend(parsed)
        elif parsed is not None:
            for name, result, _, _ in parsed.refs:
                dotted = f"{name}.{result}" if result is not None else None
                # a task whose (invalid) name holds a dot: the whole word names it
                names.append(dotted if dotted in self.index else name)
        return names

    def parsed(self, i: int) -> Optional[Depends]:
        """The parsed `depends` of task i (None without one, or with tags in it)."""
        found = self._depends[i]
        if type(found) is not list:
            return found
        parsed = self._parsed_bare.get(i)
        if parsed is None:
            parsed = self._parsed_bare[i] = parse_depends(self.tasks[i].data["depends"])
        return parsed

    def bare_names(self, i: int) -> Optional[list[str]]:
        """The names of task i's `depends` when it is bare names joined by `&&`
        (`depends.bare_names`, read once here), else None."""
        found = self._depends[i]
        return found if type(found) is list else None

    def is_bare(self, i: int) -> bool:
        """Whether the `depends` of task i is bare task names joined by `&&`: no operator,
        result or syntax in it can be wrong."""
        return self.bare_names(i) is not None

    @property
    def refs(self) -> list[list[DependencyRef]]:
        """Per task, every reference it makes in `dependencies` and `depends`, in order."""
        if self._refs is None:
            self._refs = [self._task_refs(i, task, self.parsed(i)) for i, task in enumerate(self.tasks)]
        return self._refs

    def _task_refs(self, i: int, task, parsed: Optional[Depends]) -> list[DependencyRef]:
        refs = []
        dependencies = task.data.get("dependencies")
        if isinstance(dependencies, list) and dependencies:
            path = task.path + ("dependencies",)
            for j, dep in enumerate(dependencies):
                if isinstance(dep, str) and dep and "{{" not in dep:
                    refs.append(_new_ref((i, dep, path + (j,), None, None, None, None, None)))
        if parsed is None:
            return refs
        path = task.path + ("depends",)
        for name, result, (start, end), result_span in parsed.refs:
            if result is None:
                refs.append(_new_ref((i, name, path, start, end, None, None, None)))
            elif f"{name}.{result}" in self.index:
                # a task whose (invalid) name holds a dot: the whole word names it
                refs.append(DependencyRef(i, f"{name}.{result}", path, start, result_span[1]))
            else:
                refs.append(DependencyRef(i, name, path, start, end, result, *result_span))
        return refs

    # -- structure

    def task_named(self, name: str):
        """The (first) task of that name, or None."""
        node = self.index.get(name)
        return self.tasks[self._first_task[node]] if node is not None else None

    def dangling(self) -> Iterator[DependencyRef]:
        """References to names that are no task of this DAG (not from unparsable `depends`,
        whose words are already reported as a syntax error)."""
        index = self.index
        for i in self._unresolved:
            parsed = self.parsed(i)
            refs = self._refs[i] if self._refs is not None else self._task_refs(i, self.tasks[i], parsed)
            broken = parsed is not None and parsed.error is not None
            for ref in refs:
                if ref.name not in index and not (broken and ref.start is not None):
                    yield ref

    # -- order, ancestors, cycles

    def _topological_order(self) -> Optional[list[int]]:
        """Kahn's algorithm; None when the graph has a cycle."""
        children: list[list[int]] = [[] for _ in self.names]
        waiting = [len(p) for p in self.parents]
        for node, parents in enumerate(self.parents):
            for parent in parents:
                children[parent].append(node)
        ready = [n for n, w in enumerate(waiting) if w == 0]
        order = []
        while ready:
            node = ready.pop()
            order.append(node)
            for child in children[node]:
                waiting[child] -= 1
                if waiting[child] == 0:
                    ready.append(child)
        return order if len(order) == len(self.names) else None

    @property
    def acyclic(self) -> bool:
        return self._order is not None

    def _ancestor_masks(self) -> list[int]:
        if self._masks is not None:
            return self._masks
        masks = [0] * len(self.names)
        if self._order is not None:
            parents_of = self.parents
            for node in self._order:
                mask = 0
                for parent in parents_of[node]:
                    # not a second list of masks with each node's own bit: at 32,000 tasks
                    # that list alone held 100 MiB
                    mask |= masks[parent] | (1 << parent)
                masks[node] = mask
        else:
            masks = self._cyclic_ancestor_masks()
        self._masks = masks
        return masks

    def _cyclic_ancestor_masks(self) -> list[int]:
        """Ancestor masks through the condensation (one node per strongly connected
        component): every member of a cycle is an ancestor of the others."""
        import networkx as nx

        condensed = nx.condensation(self.dependency_graph())
        component_of = condensed.graph["mapping"]
        members = {c: sum(1 << n for n in condensed.nodes[c]["members"]) for c in condensed}
        upstream = {}  # component -> mask of every node in the components before it
        for component in nx.topological_sort(condensed):
            mask = 0
            for pred in condensed.predecessors(component):
                mask |= upstream[pred] | members[pred]
            upstream[component] = mask
        return [(upstream[component_of[n]] | members[component_of[n]]) & ~(1 << n)
                for n in range(len(self.names))]

    def ancestors(self, name: str) -> AncestorSet:
        """Tasks `name` transitively depends on (never itself)."""
        node = self.index.get(name)
        mask = self._ancestor_masks()[node] if node is not None else 0
        return AncestorSet(mask, self.names, self.index)

    def ancestors_of_any(self, names) -> AncestorSet:
        """Tasks that any of `names` transitively depends on: one OR of their masks."""
        masks = self._ancestor_masks()
        mask = 0
        for name in names:
            node = self.index.get(name)
            if node is not None:
                mask |= masks[node]
        return AncestorSet(mask, self.names, self.index)

    def upstream_of_any(self, names) -> set[str]:
        """The names of `ancestors_of_any(names)` (plus any of `names` in a cycle), by a
        walk up the dependencies: no masks, which a large DAG pays in memory (N^2/2 bits)."""
        index, parents, all_names = self.index, self.parents, self.names
        stack = [index[name] for name in names if name in index]
        seen: set[int] = set()
        while stack:
            for parent in parents[stack.pop()]:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return {all_names[node] for node in seen}

    def ancestor_test(self, task: str) -> "AncestorTest":
        """`name in ancestor_test(task)` is `name in ancestors(task)`, answered one name at a
        time (see `is_ancestor`): the masks are built only for a name that is no dependency."""
        return AncestorTest(self, task)

    def is_ancestor(self, ancestor: str, task: str) -> bool:
        """`ancestor in self.ancestors(task)`, without making the set (asked once per
        `{{tasks.X...}}` tag)."""
        node = self.index.get(task)
        other = self.index.get(ancestor)
        if node is None or other is None:
            return False
        if other != node and other in self.parents[node]:
            return True  # a dependency: what most tags read, known without the masks
        masks = self._masks if self._masks is not None else self._ancestor_masks()
        return (masks[node] >> other) & 1 == 1

    def dependency_graph(self):
        """networkx DiGraph over node numbers, edge dependency -> dependent."""
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(range(len(self.names)))
        g.add_edges_from((parent, node) for node, parents in enumerate(self.parents) for parent in parents)
        return g

    def cycles(self, limit: int = MAX_CYCLES) -> list[tuple[list[str], DependencyRef]]:
        """Each dependency cycle once, as names in "depends on" order starting at the task
        declared first, closed by repeating it (a -> b -> c -> a), with the reference by
        which the first task depends on the second."""
        if self._order is not None:
            return []
        import networkx as nx

        depends_on = nx.DiGraph((node, parent) for node, parents in enumerate(self.parents) for parent in parents)
        found = []
        for cycle in nx.simple_cycles(depends_on):
            start = cycle.index(min(cycle))
            cycle = cycle[start:] + cycle[:start]
            first, second = cycle[0], cycle[1] if len(cycle) > 1 else cycle[0]
            ref = self._edge_ref(first, second)
            found.append(([self.names[n] for n in cycle + [cycle[0]]], ref))
            if len(found) >= limit:
                break
        found.sort(key=lambda item: [self.index[n] for n in item[0]])
        return found

    def _edge_ref(self, node: int, parent: int) -> DependencyRef:
        """The first reference by which `node` depends on `parent` (an edge of the graph)."""
        return next(ref for ref in self.refs[self._first_task[node]] if self.index.get(ref.name) == parent)

    def graph(self):
        """networkx DiGraph by task name, edge dependency -> dependent; names that are no
        task (dangling dependencies) are nodes with known=False."""
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(self.names, known=True)
        for i, task in enumerate(self.tasks):
            if task.name is None:
                continue
            for ref in self.refs[i]:
                if ref.name not in g:
                    g.add_node(ref.name, known=False)
                g.add_edge(ref.name, task.name)
        return g


def dag_analysis(template: Template, ctx=None) -> DagAnalysis:
    """The DagAnalysis of a DAG template: once per document via `ctx.cache`, else once per
    Template object."""
    if ctx is not None:
        key = ("dag", template.path)
        analysis = ctx.cache.get(key)
        if analysis is None:
            analysis = ctx.cache[key] = DagAnalysis(template)
        return analysis
    analysis = template.__dict__.get("_dag_analysis")
    if analysis is None:
        analysis = template.__dict__["_dag_analysis"] = DagAnalysis(template)
    return analysis


def task_graph(template: Template, ctx=None):
    """DiGraph of a DAG template's tasks: an edge dependency -> dependent task, from
    `dependencies` and from every task named in `depends`. Unknown names are nodes too
    (dangling dependencies), marked with `known=False`."""
    return dag_analysis(template, ctx).graph()


def ancestors(template: Template, task_name: str, ctx=None) -> AncestorSet:
    """The tasks `task_name` depends on, directly or not: a set of names with O(1) `in`."""
    return dag_analysis(template, ctx).ancestors(task_name)


def depends_names(expression: str) -> list[str]:
    """Task names a `depends` expression mentions, each once, in order."""
    return parse_depends(expression).names


# --------------------------------------------------------------------------------------
# Template calls


class Call(NamedTuple):
    """One place where a template body (or the workflow spec) names a template to run.

    `path` is the value naming the callee (`template`, `templateRef.template`, `onExit`,
    a hook's `template`); `ref` is set for a `templateRef`; `conditional` tells whether
    something (`when`, a non-trivial `depends`, a loop that may be empty, a hook
    expression, a DAG `target`) may keep the call from happening.
    """

    path: tuple
    name: Optional[str]
    ref: Optional[TemplateRef] = None
    conditional: bool = False


# Call(...) with every field given, without a NamedTuple's Python-level __new__
_new_call = partial(tuple.__new__, Call)


def _may_not_run(data: dict) -> bool:
    """A `when`, or a loop over a list that may be empty (`withItems` lists are literal)."""
    return bool(data.get("when")) or "withParam" in data or "withSequence" in data


def _task_is_conditional(data: dict) -> bool:
    if _may_not_run(data):
        return True
    depends = data.get("depends")
    if not isinstance(depends, str) or ("." not in depends and "!" not in depends and "|" not in depends):
        return False  # task names joined by && (the common case, and no parse needed)
    return not is_unconditional(parse_depends(depends))


def _hook_calls(hooks, path: tuple, conditional: bool) -> Iterator[Call]:
    if not isinstance(hooks, dict):
        return
    for hook_name, hook in hooks.items():
        if not isinstance(hook, dict):
            continue
        # every hook but `exit` runs only when its expression holds
        hook_conditional = conditional or hook_name != "exit"
        hook_path = path + ("hooks", hook_name)
        if isinstance(hook.get("template"), str):
            yield Call(hook_path + ("template",), hook["template"], None, hook_conditional)
        if isinstance(hook.get("templateRef"), dict):
            ref = TemplateRef(hook["templateRef"], hook_path + ("templateRef",))
            yield Call(ref.path + ("template",), ref.template, ref, hook_conditional)


def _add_invocation_calls(calls: list, call, conditional: bool) -> None:
    """Add the calls one step or task makes: its template (or templateRef, or inline
    template's body), its onExit and its hooks."""
    data, path = call.data, call.path
    name = data.get("template")
    if isinstance(name, str):
        calls.append(_new_call((path + ("template",), name, None, conditional)))
    if "templateRef" in data and isinstance(data["templateRef"], dict):
        ref = TemplateRef(data["templateRef"], path + ("templateRef",))
        calls.append(Call(ref.path + ("template",), ref.template, ref, conditional))
    if "inline" in data and isinstance(data["inline"], dict):
        calls.extend(template_calls(call.inline, conditional))
    if "onExit" in data and isinstance(data["onExit"], str):
        calls.append(Call(path + ("onExit",), data["onExit"], None, conditional))
    if "hooks" in data:
        calls.extend(_hook_calls(data["hooks"], path, conditional))


def template_calls(template: Template, conditional: bool = False) -> list[Call]:
    """Every call the body of a template makes, inline templates included (computed once
    per Template object)."""
    if not conditional and "_calls" in template.__dict__:
        return template.__dict__["_calls"]
    calls: list[Call] = []
    for step in template.steps:
        _add_invocation_calls(calls, step, conditional or _may_not_run(step.data))
    dag = template.data.get("dag")
    # with a `target`, only the targets and their ancestors run
    targeted = conditional or (isinstance(dag, dict) and "target" in dag)
    for task in template.tasks:
        _add_invocation_calls(calls, task, targeted or _task_is_conditional(task.data))
    if not conditional:
        template.__dict__["_calls"] = calls
    return calls


def entry_calls(spec: WorkflowSpec) -> list[Call]:
    """The calls the workflow itself makes: entrypoint, onExit, workflow hooks."""
    calls = []
    if spec.entrypoint is not None:
        calls.append(Call(spec.path + ("entrypoint",), spec.entrypoint))
    if isinstance(spec.data.get("onExit"), str):
        calls.append(Call(spec.path + ("onExit",), spec.data["onExit"]))
    calls.extend(_hook_calls(spec.data.get("hooks"), spec.path, False))
    return calls


def own_template_refs(data: dict, path: tuple) -> list[TemplateRef]:
    """The templateRefs of one step, task or workflow spec itself: its `templateRef` and
    its hooks' (not those inside an inline template, which is walked on its own)."""
    refs = []
    if "templateRef" not in data and "hooks" not in data:
        return refs
    if isinstance(data.get("templateRef"), dict):
        refs.append(TemplateRef(data["templateRef"], path + ("templateRef",)))
    hooks = data.get("hooks")
    if isinstance(hooks, dict):
        for hook_name, hook in hooks.items():
            if isinstance(hook, dict) and isinstance(hook.get("templateRef"), dict):
                refs.append(TemplateRef(hook["templateRef"], path + ("hooks", hook_name, "templateRef")))
    return refs


def resolve_template_ref(project, ref: TemplateRef, namespace: Optional[str]):
    """The WorkflowTemplate / ClusterWorkflowTemplate document a templateRef (or
    workflowTemplateRef) names, if it is among the inputs or template paths."""
    if ref.name is None or is_dynamic(ref.name):
        return None
    return project.workflow_template(ref.name, ref.cluster_scope, namespace)


def reachable_templates(spec: WorkflowSpec) -> Optional[set]:
    """Names of the spec's templates that its entrypoint, onExit or hooks reach through
    local calls; None when a dynamic (`{{...}}`) template name makes that unknowable."""
    pending = [c.name for c in entry_calls(spec) if c.ref is None]
    seen: set = set()
    while pending:
        name = pending.pop()
        if name is None or name in seen:
            continue
        if is_dynamic(name):
            return None
        seen.add(name)
        template = spec.template(name)
        if template is not None:
            pending.extend(c.name for c in template_calls(template) if c.ref is None)
    return seen


def _doc_key(document) -> tuple:
    return (document.file.path, document.index)


class CallGraph:
    """The unconditional calls reachable from one document's templates, across documents
    (templateRef), keyed by (document key, template name)."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.documents = {_doc_key(ctx.document): ctx.document}
        self.specs = {_doc_key(ctx.document): ctx.spec}
        self.edges: dict[tuple, list[tuple[tuple, Call]]] = {}
        self.order: dict[tuple, tuple] = {}
        self._explore()

    def _spec(self, document) -> WorkflowSpec:
        key = _doc_key(document)
        if key not in self.specs:
            self.documents[key] = document
            self.specs[key] = WorkflowSpec.of(document)
        return self.specs[key]

    def _target(self, doc_key: tuple, call: Call) -> Optional[tuple]:
        if call.name is None or is_dynamic(call.name):
            return None
        if call.ref is None:
            spec = self.specs[doc_key]
            return (doc_key, call.name) if spec.template(call.name) is not None else None
        document = resolve_template_ref(self.ctx.project, call.ref, self.documents[doc_key].namespace)
        if document is None or self._spec(document).template(call.name) is None:
            return None
        return (_doc_key(document), call.name)

    def _explore(self) -> None:
        here = _doc_key(self.ctx.document)
        pending = [(here, t.name) for t in self.ctx.spec.templates if t.name is not None]
        while pending:
            node = pending.pop()
            if node in self.edges:
                continue
            doc_key, name = node
            spec = self.specs[doc_key]
            template = spec.template(name)
            self.order[node] = (doc_key, template.path[-1])
            out = self.edges[node] = []
            local: dict = {}  # name -> target of the local calls of this template (often one callee)
            for call in template_calls(template):
                if call.conditional:
                    continue
                if call.ref is None and isinstance(call.name, str):
                    target = local.get(call.name, False)
                    if target is False:
                        target = local[call.name] = self._target(doc_key, call)
                else:
                    target = self._target(doc_key, call)
                if target is not None:
                    out.append((target, call))
                    if target not in self.edges:  # else popped and skipped: it was explored
                        pending.append(target)

    def _has_cycle(self) -> bool:
        waiting = {node: 0 for node in self.edges}
        for out in self.edges.values():
            for target, _ in out:
                waiting[target] += 1
        ready = [n for n, w in waiting.items() if w == 0]
        done = 0
        while ready:
            node = ready.pop()
            done += 1
            for target, _ in self.edges[node]:
                waiting[target] -= 1
                if waiting[target] == 0:
                    ready.append(target)
        return done < len(waiting)

    def is_reported(self, doc_key: tuple) -> bool:
        """Whether the document is linted (not only indexed from a template path)."""
        file = self.documents[doc_key].file
        return any(f is file for f in self.ctx.project.files)

    def display(self, node: tuple) -> str:
        """A template's name, prefixed `W/` when it lives in another document W."""
        doc_key, name = node
        if doc_key == _doc_key(self.ctx.document):
            return name
        return f"{self.documents[doc_key].name}/{name}"

    def recursions(self) -> list[tuple[list, Call, tuple]]:
        """Each knot of templates that unconditionally call each other, once: (the loop as
        nodes, closed; the call that starts it; the document key of that call). The call
        chosen is the first in declaration order among linted documents, so every
        document's CallGraph picks the same one."""
        if not self._has_cycle():
            return []
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(self.edges)
        for node, out in self.edges.items():
            for target, _ in out:
                g.add_edge(node, target)
        found = []
        for component in nx.strongly_connected_components(g):
            if len(component) == 1:
                (only,) = component
                if not g.has_edge(only, only):
                    continue
            candidates = [(node, target, call) for node in component if self.is_reported(node[0])
                          for target, call in self.edges[node] if target in component]
            if not candidates:
                continue
            source, target, call = min(candidates, key=lambda c: (self.order[c[0]], [str(p) for p in c[2].path]))
            loop = [source] + (nx.shortest_path(g, target, source) if target != source else [source])
            found.append((loop, call, source[0]))
        return found

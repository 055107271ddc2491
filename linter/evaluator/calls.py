"""What steps and DAG tasks share: resolving their references (P4, `when` first), expanding
their loops (P5), deciding their `when`, and recording the nodes that do not run."""

from __future__ import annotations

import json
import re
from typing import Optional

from argolint.evaluator import nodes as N
from argolint.evaluator.core import ABSENT, Call, CallError, Planned, Stop, _dict, _list
from argolint.evaluator.govaluate import WhenError, should_execute
from argolint.evaluator.loops import LOOP_KEYS, LoopError, TooManyItems, has_loop, item_name, item_variables, \
    loop_items
from argolint.evaluator.nodes import Node
from argolint.evaluator.outputs import declared_artifacts, declared_outputs
from argolint.evaluator.substitute import LENIENT, PREFIX_STRICT, STRICT, SubstitutionError, leftovers
from argolint.evaluator.variables import Vars
from argolint.evaluator.workflow import Source, TemplateBase, TemplateError
from argolint.analysis.templating.tags import scan


# steps.NAME.outputs.result, steps['NAME'].outputs.result, steps["NAME"] (JSON-escaped quotes)
_RESULT_REFERENCE = re.compile(r"""(steps|tasks)(?:\.([^.\s'"\[\]{}]+)|\['([^']+)'\]|\[\\"([^"\\]+)\\"\])\.outputs\.result""")


class CallsMixin:
    def resolve_call(self, step: dict, source: Source, scope: Vars, waiting: list, owner: str,
                     tags=None) -> Optional[tuple]:
        """P4 for one step/task: (substituted step, when_false, tagless), or None when it waits
        for missing `steps.*`/`tasks.*` names (added to `waiting`). `tagless`: no tag is left in
        the step, so it has no leftovers to report. `tags`: the step's skeleton without
        `hooks` and `when`, when known (only its paths are walked). Raises CallError."""
        sub = self.substituter(scope, PREFIX_STRICT, source.document)
        new = step  # nothing here changes it in place: substitution copies what it changes
        when_false = tagless = False
        when = step.get("when")
        try:
            if isinstance(when, str) and when:
                resolved_when = sub.text(when, source.path + ("when",))
                new = {**step, "when": resolved_when}
                self.note_unknown(resolved_when, owner, "when")
                if not sub.missing and "{{" not in resolved_when:
                    try:
                        when_false = not should_execute(resolved_when)
                    except WhenError as exc:
                        message = self.hint(f"failed to resolve references: {exc}", resolved_when)
                        if message.endswith(f"failed to resolve references: {exc}"):
                            self.report_when(source, str(exc), owner)
                        raise CallError(message) from None
            if sub.missing:
                waiting.extend(sub.missing)
                return None
            if when_false:
                return new, True, False
            body = self._absent_arguments(new, scope)
            if tags is not None and body is new:  # an absent argument is no string: walk it all
                new = sub.along(body, tags, source.path)[0]
            else:
                new = sub.data(body, source.path, skip=("hooks", "when"))
            if not sub.missing:
                substituted = new
                new = self._resolve_artifacts(new, scope, source)
                tagless = new is substituted and not sub.left_tags
        except SubstitutionError as exc:
            if exc.reference is not None:
                self.report(exc.reference, source.document, "error", owner, exc.message)
            raise CallError(f"failed to resolve references: {exc.message}") from None
        if sub.missing:
            waiting.extend(sub.missing)
            return None
        return new, False, tagless

    def _resolve_artifacts(self, step: dict, scope: Vars, source: Source) -> dict:
        """Argument artifacts `from: "{{steps.X.outputs.artifacts.A}}"` / `fromExpression`
        replaced by the artifacts they name (an optional one that is missing is dropped)."""
        artifacts = _list(_dict(step.get("arguments")).get("artifacts"))
        if not artifacts or not any(isinstance(a, dict) and ("from" in a or "fromExpression" in a)
                                    for a in artifacts):
            return step
        resolved = []
        for art in artifacts:
            if not isinstance(art, dict) or ("from" not in art and "fromExpression" not in art):
                resolved.append(art)
                continue
            found, value = False, None
            if isinstance(art.get("from"), str):
                key = art["from"].strip()
                if key.startswith("{{") and key.endswith("}}"):
                    found, value = scope.artifact(key[2:-2].strip())
            elif isinstance(art.get("fromExpression"), str):
                from argolint.evaluator.exprlang import ExprError, evaluate
                from argolint.analysis.templating.expr import try_parse_expr

                tree, error = try_parse_expr(art["fromExpression"])
                try:
                    value = evaluate(tree, scope.env(), self.now()) if error is None else None
                    found = isinstance(value, dict)
                except ExprError:
                    found = False
            if found and isinstance(value, dict):
                resolved.append({**{k: v for k, v in art.items() if k not in ("from", "fromExpression")},
                                 "resolved": dict(value)})
            elif art.get("optional") is True:
                continue
            else:
                raise CallError(f"Unable to resolve: {art.get('from') or art.get('fromExpression')} (argument "
                                f"artifact '{art.get('name')}')")
        return {**step, "arguments": {**_dict(step.get("arguments")), "artifacts": resolved}}

    def report_when(self, source: Source, message: str, owner: Optional[str]) -> None:
        from argolint.evaluator.substitute import Reference

        text = source.document.get(source.path + ("when",)) if source.document is not None else None
        if isinstance(text, str):
            self.report(Reference(text, text, source.path + ("when",)), source.document, "error", owner, message,
                        kind="when")

    @staticmethod
    def _absent_arguments(step: dict, scope: Vars) -> dict:
        """Arguments that are exactly one absent optional become "not supplied" (§2.8)."""
        if not scope.may_hold_absent():  # no skipped or omitted producer in sight: the usual case
            return step
        params = _list(_dict(step.get("arguments")).get("parameters"))
        changed = None
        for i, p in enumerate(params):
            value = _dict(p).get("value")
            if not isinstance(value, str) or not (value.startswith("{{") and value.endswith("}}")):
                continue  # not one whole tag
            tags = scan(value).tags
            if len(tags) != 1 or tags[0].start != 0 or tags[0].end != len(value) or tags[0].is_expression:
                continue
            found, resolved = scope.lookup(tags[0].key)
            if found and resolved is None:
                if changed is None:
                    changed = [dict(x) if isinstance(x, dict) else x for x in params]
                changed[i]["value"] = ABSENT
        if changed is None:
            return step
        return {**step, "arguments": {**_dict(step.get("arguments")), "parameters": changed}}

    def expand(self, name: str, step: dict, source: Source, scope: Vars, when_false: bool, owner: str,
               tagless: bool = False) -> list:
        """P5: the copies of a looped step/task (or the step itself). Raises CallError."""
        if not has_loop(step):
            return [Planned(name, step, source, None, name, tagless)]
        for key in LOOP_KEYS:
            self.note_unknown(step.get(key) if isinstance(step.get(key), str) else None, owner, key)
        try:
            items = loop_items(step, self.limits.max_loop_items)
        except TooManyItems as exc:
            raise Stop(f"dry run stopped: {name}: {exc}") from None
        except LoopError as exc:
            if when_false:
                return [Planned(name, step, source, "Skipped, empty params", name)]
            raise CallError(self.hint(str(exc), step.get("withParam"), step.get("withSequence"))) from None
        if not items:
            return [Planned(name, step, source, "Skipped, empty params", name)]
        body = {k: v for k, v in step.items() if k not in LOOP_KEYS}
        planned = []
        for index, item in enumerate(items):
            item_scope = scope.with_layer(item_variables(item))
            sub = self.substituter(item_scope, LENIENT if when_false else STRICT, source.document, when_false)
            try:
                copy = sub.data(body, source.path, skip=("hooks", "inline"))
            except SubstitutionError as exc:
                message = self.hint(exc.message, item_variables(item).get("item"))
                if exc.reference is not None and message == exc.message:
                    self.report(exc.reference, source.document, "error", owner, exc.message)
                raise CallError(message) from None
            expanded = item_name(name, index, item)
            copy = {**copy, "name": expanded}  # the substituted copy may be `body` itself
            planned.append(Planned(expanded, copy, source, None, name))
        return planned

    def decide_when(self, planned: Planned, owner: str) -> tuple[bool, Optional[str]]:
        """(run, message): whether a planned step runs, or why not (`when` false or failing)."""
        when = planned.step.get("when")
        if when is None:  # most steps and tasks
            return True, None
        self.note_unknown(when, owner, "when")
        try:
            if should_execute(when if isinstance(when, str) else None):
                if isinstance(when, str) and when.strip():
                    self.decisions[owner] = f"when '{when}' evaluated true"
                return True, None
        except WhenError as exc:
            message = self.hint(str(exc), when)
            if isinstance(when, str) and message == str(exc):
                if "{{" in when:  # tags nobody resolved: the condition cannot be evaluated
                    for ref in leftovers(when, planned.source.path + ("when",)):
                        self.report(ref, planned.source.document, "error", owner, message, only_if_written=True)
                else:
                    self.report_when(planned.source, str(exc), owner)
            return False, message
        return False, f"when '{when}' evaluated false"

    def not_run_node(self, name: str, phase: str, message: str, boundary: str, parent: str, step: dict,
                     source: Source, base: TemplateBase) -> Node:
        """A Skipped / Omitted / errored node for a step or task that does not run."""
        node = self.nodes.get(name)
        if node is not None:
            return node
        node = self.new_node(name, N.SKIPPED, phase, message=message, boundary=boundary, parent=parent)
        try:
            resolved = self.workflow.resolver.resolve(step, source, base)
        except TemplateError:
            resolved = None
        if resolved is not None:
            node.template = resolved.name
            node.template_ref = resolved.ref_label
            node.extra["declared"] = declared_outputs(resolved.data)
            node.extra["declared_artifacts"] = declared_artifacts(resolved.data)
        return node

    def report_call_leftovers(self, planned: Planned, node_name: str) -> None:
        """Tags still in a step/task that runs (its arguments, ...) reach the template as
        written: `literal`."""
        if planned.tagless:
            return
        self.report_leftovers(planned.step, planned.source, node_name, skip=("hooks", "inline", "when"))

    def step_call(self, planned: Planned, base: TemplateBase, boundary: str, parent: str, root: str,
                  capture: bool) -> Call:
        return Call(planned.step, planned.source, base, _dict(planned.step.get("arguments")), boundary, parent,
                    {f"{root}.name": planned.name}, (), capture, False)

    def captures(self, template, root: str, name: str) -> bool:
        """Whether the caller's template reads `<root>.<name>.outputs.result` (argo-semantics
        §5.1: only then is a container's stdout captured)."""
        key = id(template.data)
        names = self._captured_results.get(key)
        if names is None:
            # loaded data is a tree (an alias is only defined once its anchor's node ends):
            # no cycle to look for
            text = json.dumps(template.data, ensure_ascii=False, default=str, check_circular=False)
            names = self._captured_results[key] = {(m.group(1), m.group(2) or m.group(3) or m.group(4))
                                                for m in _RESULT_REFERENCE.finditer(text)}
        return (root, name) in names

    def wait(self, node_name: str, document, references: list) -> None:
        """Record that a group/task waits for references that are missing (a WAIT event once
        per tick)."""
        self.waits[node_name] = (document, list(references))
        if self._wait_ticks.get(node_name) != self.tick:
            self._wait_ticks[node_name] = self.tick
            from argolint.evaluator.core import Event

            self.events.append(Event(self.tick, "WAIT", node_name, "", "Running",
                                     "missing " + ", ".join(sorted({r.text for r in references}))))

    def template_captures(self, step: dict, source: Source, base: TemplateBase) -> bool:
        """Whether the template a step/task calls prints a result (container, script,
        containerSet with `main`, data, http, plugin)."""
        try:
            resolved = self.workflow.resolver.resolve(step, source, base)
        except TemplateError:
            return True
        kind = resolved.type
        if kind == "containerSet":
            containers = _list(_dict(resolved.data.get("containerSet")).get("containers"))
            return any(_dict(c).get("name") == "main" for c in containers)
        return kind in ("container", "script", "data", "http", "plugin") or kind is None

    def template_outputs(self, prepared, refs, node: Node):
        """P6 for a finished steps/DAG node; a failing reference is reported as `error`."""
        from argolint.evaluator.outputs import OutputError, template_outputs

        source = prepared.resolved.source
        try:
            return template_outputs(prepared.data, self.vars(prepared.locals, refs=refs), self.now(), source.path,
                                    self.decided, source.document)
        except OutputError as exc:
            if exc.reference is not None:
                self.report(exc.reference, source.document, "error", node.name, str(exc))
            raise

    def kill_daemons(self, node: Node) -> None:
        prefix = node.name
        for other in self.nodes.values():
            if other.daemoned and other.phase == N.RUNNING and other.name.startswith(prefix) and other is not node:
                self.finish(other, N.SUCCEEDED)

"""Hooks (argo-semantics §6.1-6.2): exit hooks of steps and tasks (`<node>.onExit`),
lifecycle hooks that fire once their expression holds (`<node>.hooks.<name>`), workflow
hooks, and the workflow's exit handler, which sees `workflow.status` and
`workflow.failures`."""

from __future__ import annotations

import json
from typing import Optional

from argolint.evaluator import nodes as N
from argolint.evaluator.core import Call, _dict, _list
from argolint.evaluator.nodes import Node
from argolint.evaluator.substitute import LENIENT, SubstitutionError
from argolint.evaluator.values import go_quote
from argolint.evaluator.variables import Layer, Vars
from argolint.evaluator.workflow import Source, TemplateBase, rfc3339


class HooksMixin:
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
        call = self._hook_call_or_error(name, hooked, spec, source, base, scope, ref_key,
                                        "exit" if "onExit" not in holder else None)
        node = self.execute_template(name, call) if call is not None else self.nodes[name]
        if node is not None:
            self.edge(hooked.name, name)
        return node

    def _hook_call_or_error(self, name: str, hooked: Node, spec: dict, source: Source, base: TemplateBase,
                            scope: Vars, ref_key: Optional[str], hook_name: Optional[str]) -> Optional[Call]:
        """The hook's call, or None when its arguments cannot be substituted: the hook node
        `name` then errors, as a step whose arguments fail does."""
        try:
            return self._hook_call(hooked, spec, source, base, scope, ref_key, hook_name)
        except SubstitutionError as exc:
            if exc.reference is not None:
                self.report(exc.reference, source.document, "error", name, exc.message)
            failed = Call(spec, source, base, {}, hooked.boundary, hooked.name, hooked=True)
            self.error_node(name, failed, f"failed to resolve references: {exc.message}")
            return None

    def _hook_call(self, hooked: Node, spec: dict, source: Source, base: TemplateBase, scope: Vars,
                   ref_key: Optional[str], hook_name: Optional[str]) -> Call:
        hook_source = Source(source.document, source.path + (("hooks", hook_name) if hook_name else ("onExit",)))
        arguments = spec.get("arguments")
        if isinstance(arguments, dict) and arguments:
            extra = {}
            if ref_key is not None:
                for suffix, value in self.entries_of(hooked, ref_key.startswith("tasks.")).items():
                    extra[f"{ref_key}.{suffix}"] = value
            hook_scope = scope.with_layer(extra)
            # an argument that is exactly one absent optional is "not supplied" here too (§2.8)
            arguments = _dict(self._absent_arguments({"arguments": arguments}, hook_scope).get("arguments"))
            args = self.substituter(hook_scope, LENIENT, source.document).data(
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
        if not holder.get("hooks"):  # the usual step or task, moved on at every pass
            return True
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
                fired[hook_name] = self._hook_call_or_error(name, hooked, spec, source, base, scope, ref_key,
                                                            hook_name)
                self.changed = True
            call = fired[hook_name]
            node = self.execute_template(name, call) if call is not None else self.nodes.get(name)
            if node is not None:
                self.edge(hooked.name, name)
            if node is None or not node.fulfilled:
                done = False
        return done

    def _hook_expression(self, expression, scope: Vars) -> bool:
        from argolint.evaluator.exprlang import ExprError, evaluate
        from argolint.analysis.templating.expr import try_parse_expr

        if not isinstance(expression, str) or not expression.strip():
            return False
        text = self.substituter(scope, LENIENT, None).text(expression)
        self.note_unknown(text, None, "hook expression")
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
        if not self.workflow.spec.get("hooks"):  # asked at every reconcile pass
            return True
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
        if "workflow.failures" not in self.globals:  # as the exit handler starts: fired hooks included
            self.globals = Layer({**self.globals, "workflow.failures": self._failures()})
            self.globals_version += 1
        source = Source(self.workflow.document, self.workflow.spec_source.path + path)
        args = self._hook_arguments(holder, source)
        call = Call(holder, source, self.workflow.base, args, None, None, {}, (f"{self.name}.onExit", "onExit"))
        return self.execute_template(f"{self.name}.onExit", call)

    def settle_status(self, root: Node) -> None:
        """Once the entry node is fulfilled the controller sets `workflow.status` to the final
        status, then runs the workflow hooks whose expression now holds and waits for them,
        then the exit handler, with `workflow.failures` (argo-semantics §6.1-6.2)."""
        if self._exit_started:
            return
        self._exit_started = True
        status = {N.FAILED: N.FAILED, N.ERROR: N.ERROR}.get(root.phase, N.SUCCEEDED)
        self.globals = Layer({**self.globals, "workflow.status": status})
        self.globals_version += 1
        self.changed = True

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

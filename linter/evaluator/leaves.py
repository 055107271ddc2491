"""Leaves (argo-semantics §6.5-6.6): pods, HTTP and plugin nodes, suspends. A leaf is
created Pending, runs for its mocked duration (one tick by default) and ends with its
mocked outcome: phase, exit code, result, output parameters; unmocked outputs are the
declared defaults, else visible placeholders."""

from __future__ import annotations

from typing import Optional

from argolint.evaluator import nodes as N
from argolint.evaluator.core import (LEAF_KINDS, Call, _dict, _list, base_name, display_name, duration_ticks,
                                     strip_newline)
from argolint.evaluator.checks import (POD_DEADLINE, STEP_DEADLINE, leaf_deadline, memo_key, missing_volume,
                                       workflow_deadline)
from argolint.evaluator.infer import infer, script_of
from argolint.evaluator.mocks import Outcome
from argolint.evaluator.nodes import Node, Outputs
from argolint.evaluator.outputs import declared_artifacts
from argolint.evaluator.values import as_text, go_json
from argolint.evaluator.variables import Artifact


class LeavesMixin:
    def outcome_for(self, name: str, call: Call, attempt: Optional[int], retry: Optional[Node]) -> Optional[Outcome]:
        if not self.mocks:
            return None
        owner = retry.name if retry is not None else name
        display = display_name(owner, call.boundary) if owner != self.name else owner
        names = (owner, display, base_name(display), *call.mock_names)
        if retry is not None:  # one attempt: `flaky(0)`, or its full name
            names += (name, display_name(name, call.boundary) if owner != self.name else name)
        return self.mocks.outcome(names, attempt)

    def execute_leaf(self, name, call, prepared, node, kind, attempt=None, retry=None) -> Node:
        if node is not None:
            return node
        data = prepared.data
        checked = self._last_checked
        if checked is None or checked[0] is not data:  # else the last leaf's template object: the same answers
            checked = self._last_checked = (data, missing_volume(data, self.workflow.spec), leaf_deadline(data))
        _, problem, own_deadline = checked
        if problem is not None:  # the pod cannot be built: the node errors
            return self.error_node(name, call, problem, prepared.resolved)
        memo = memo_key(data)
        cached = self.memo_cache.get(memo) if memo is not None else None
        if cached is not None:  # a cache hit: Succeeded at once with the cached outputs, no pod
            node = self.new_node(name, LEAF_KINDS[kind], N.SUCCEEDED, call, prepared.resolved)
            node.inputs = dict(prepared.inputs)
            node.outputs = cached.copy()
            node.extra["memoization"] = {"key": memo[1], "cache": memo[0], "hit": True}
            if retry is not None:
                node.extra["owner"] = retry.name
            self.export(node.outputs, data)
            return node
        node = self.new_node(name, LEAF_KINDS[kind], N.PENDING, call, prepared.resolved)
        if memo is not None:
            node.extra["memoization"] = {"key": memo[1], "cache": memo[0], "hit": False}
        node.inputs = dict(prepared.inputs)
        node.extra["pass"] = self.pass_no
        node.extra["template"] = data
        node.extra["capture"] = call.capture or kind in ("data", "http", "plugin")
        if kind == "containerSet":
            containers = _list(_dict(data.get("containerSet")).get("containers"))
            node.extra["capture"] = node.extra["capture"] and any(_dict(c).get("name") == "main"
                                                                  for c in containers)
        node.extra["kind"] = kind
        self._describe_leaf(node, kind, data)
        self.report_leftovers(data, prepared.resolved.source, name, ("metrics",), prepared.leftover)
        outcome = self.outcome_for(name, call, attempt, retry)
        node.extra["outcome"] = outcome
        if retry is not None:
            node.extra["owner"] = retry.name
        duration = outcome.duration if outcome is not None and outcome.duration is not None else 1
        limit = self._pod_deadline(own_deadline)
        if limit is not None and duration > limit:
            # past the workflow's deadline no pod is created; else the pod is killed at its deadline
            duration = max(limit, 0)
            node.extra["deadline"] = POD_DEADLINE if limit > 0 else STEP_DEADLINE
        node.due = self.tick + duration
        self._schedule(node.due, name)
        if node.type == N.POD:
            self.active_pods += 1
        self.pending_leaves.append(node)
        if data.get("daemon") is True:
            node.extra["daemon"] = True
        return node

    def _pod_deadline(self, own: Optional[int]) -> Optional[int]:
        """Ticks the pod may run: its template's deadline (`own`), and what is left of the workflow's."""
        end = workflow_deadline(self.workflow.spec)
        if end is None or self._exit_started:
            return own
        left = end - self.tick
        return left if own is None else min(own, left)

    def _describe_leaf(self, node: Node, kind: str, data: dict) -> None:
        """The image, command, args and detail of a leaf's node; the same as the last leaf's
        when its template is the same object (the pods of a large DAG share their substituted
        template: `_plain_pass`)."""
        last = self._last_described
        if last is not None and last[0] is data and last[1] == kind:
            _, _, node.image, command, args, node.detail = last
            node.command = None if command is None else list(command)
            node.args = None if args is None else list(args)
            return
        self._describe_anew(node, kind, data)
        self._last_described = (data, kind, node.image, None if node.command is None else tuple(node.command),
                                None if node.args is None else tuple(node.args), node.detail)

    def _describe_anew(self, node: Node, kind: str, data: dict) -> None:
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
        if node.type == N.SUSPEND and node.extra.get("deadline"):
            self.finish(node, N.FAILED, node.extra["deadline"])
            return
        if node.type == N.SUSPEND:
            phase = outcome.phase if outcome is not None and outcome.phase else N.SUCCEEDED
            node.outputs = self._suspend_outputs(node, outcome, phase)
            self.finish(node, phase, outcome.message if outcome is not None else None)
            if node.outputs is not None:
                self.export(node.outputs, node.extra.get("template") or {})
            return
        if node.extra.get("deadline"):
            node.outputs = Outputs()
            self.finish(node, N.FAILED, node.extra["deadline"])
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
        memo = node.extra.get("memoization")
        if memo is not None and phase == N.SUCCEEDED:
            self.memo_cache[(memo["cache"], memo["key"])] = node.outputs
        # the last reader of the pod's substituted template: a large DAG need not keep them all
        self.export(node.outputs, node.extra.pop("template", None) or {})

    @staticmethod
    def _inferred_effects(node: Node):
        """What the container certainly writes (stdout, files), when it only echoes."""
        kind = node.extra.get("kind")
        if kind == "container":
            script = script_of(kind, node.command, node.args, None)
        elif kind == "script" and node.args == ["/argo/staging/script"]:  # no arguments of its own
            script = script_of(kind, node.command, None, node.detail)
        else:
            return None
        return infer(script) if script is not None else None

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
        declared = _list(_dict(template.get("outputs")).get("parameters"))
        needs_inference = succeeded and (
            (node.extra.get("capture") and (outcome is None or outcome.result is None))
            or any(_dict(_dict(p).get("valueFrom")).get("path") is not None and _dict(p).get("name") not in mocked
                   for p in declared))
        effects = self._inferred_effects(node) if needs_inference else None
        inferred = node.extra.setdefault("inferred", [])
        for p in declared:
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
            elif effects is not None and as_text(value_from.get("path")) in effects.files:
                outputs.parameters[pname] = strip_newline(effects.files[as_text(value_from.get("path"))])
                inferred.append(f"parameters.{pname}")
            elif value_from.get("default") is not None:
                outputs.parameters[pname] = as_text(value_from.get("default"))
            else:
                outputs.parameters[pname] = self.placeholder(node, f"parameters.{pname}")
        if node.extra.get("capture"):
            if outcome is not None and outcome.result is not None:
                outputs.result, outputs.has_result = strip_newline(outcome.result), True
            elif effects is not None:
                outputs.result, outputs.has_result = strip_newline(effects.stdout), True
                inferred.append("result")
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
                duration = duration_ticks(as_text(text))
        end = workflow_deadline(self.workflow.spec)
        if end is not None and not self._exit_started and (duration is None or self.tick + duration > end):
            duration = max(end - self.tick, 0)  # the deadline fails a suspended node
            node.extra["deadline"] = STEP_DEADLINE
        if duration is not None:
            node.due = self.tick + duration
            self._schedule(node.due, name)
        self.report_leftovers(prepared.data, prepared.resolved.source, name, ("metrics",), prepared.leftover)
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


"""Retries (argo-semantics §6.3): a Retry node whose attempts `<node>(0)`, `<node>(1)` ...
run the template again, each substituted with `retries` and `lastRetry.*`, until one
succeeds or the policy, the limit, the expression or the backoff's max duration stops it."""

from __future__ import annotations

from datetime import timedelta
from typing import Optional

from argolint.evaluator import nodes as N
from argolint.evaluator.checks import workflow_deadline
from argolint.evaluator.core import POD_KINDS, Call, Prepared, _dict, duration_ticks
from argolint.evaluator.nodes import Node
from argolint.evaluator.substitute import LENIENT, skeleton
from argolint.evaluator.values import as_text

_WAIT = object()


class RetriesMixin:
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
        tags = prepared.leftover if prepared.leftover is not None else skeleton(prepared.data)
        data, tags = self.substituter(self.vars(retry_vars), LENIENT, prepared.resolved.source.document).along(
            prepared.data, tags, prepared.resolved.source.path)
        attempt_prepared = Prepared(prepared.resolved, data, prepared.inputs, prepared.locals, prepared.version, tags)
        attempt_call = Call(call.holder, call.source, call.base, call.args, call.boundary, name, call.local,
                            call.mock_names, call.capture, call.hooked)
        attempts.append(attempt_name)
        node.extra.setdefault("attempt_calls", {})[attempt_name] = (attempt_call, attempt_prepared)
        self.edge(name, attempt_name)
        self.execute_kind(attempt_name, attempt_call, attempt_prepared, None, index, node)
        if attempt_name in self.nodes:
            self.nodes[attempt_name].extra["attempt"] = index
        return node

    def _retry_stop(self, node: Node, strategy: dict, last: Node, attempts: list):
        """Why the retries stop (a message), `_WAIT` for a backoff, or None for the next attempt.
        The controller's order: backoff (maxDuration, then the wait), retryPolicy, limit ("No
        more retries left"), then expression."""
        expression = strategy.get("expression")
        end = workflow_deadline(self.workflow.spec)
        if end is not None and self.tick >= end and not self._exit_started:
            # past the workflow's deadline: no more attempts (time.Time's String() in the message)
            moment = (self.workflow.creation + timedelta(seconds=end)).strftime("%Y-%m-%d %H:%M:%S +0000 UTC")
            return f"retry exceeded workflow deadline {moment}"
        wait, stop = self._backoff(strategy, last, attempts)
        if stop is not None:
            return stop
        limit = _int_or_none(strategy.get("limit"))
        if wait:
            ready = (last.finished_at or self.tick) + wait
            if ready > self.tick and (limit is None or len(attempts) <= limit):
                self._schedule(ready, None)
                if end is not None and self.tick < end < ready:
                    self._schedule(end, None)  # the deadline ends the wait
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
        if limit is not None and len(attempts) > limit:
            return "No more retries left"
        if isinstance(expression, str) and expression.strip():
            from argolint.evaluator.exprlang import ExprError, evaluate
            from argolint.analysis.templating.expr import try_parse_expr

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
        return None

    def _backoff(self, strategy: dict, last: Node, attempts: list) -> tuple:
        """(seconds to wait before the next attempt, or a message when the wait would pass
        `maxDuration`, measured from the first attempt's start)."""
        backoff = _dict(strategy.get("backoff"))
        if not backoff:
            return 0, None
        wait = duration_ticks(as_text(backoff.get("duration")) or "0") or 0
        factor = backoff.get("factor")
        try:
            factor = float(as_text(factor)) if factor is not None else 1.0
        except ValueError:
            factor = 1.0
        wait = int(wait * factor ** (len(attempts) - 1))
        cap = duration_ticks(as_text(backoff.get("cap"))) if backoff.get("cap") is not None else None
        if cap is not None:
            wait = min(wait, cap)
        limit = duration_ticks(as_text(backoff.get("maxDuration"))) if backoff.get("maxDuration") is not None else None
        first = self.nodes[attempts[0]]
        if limit is not None and (last.finished_at or self.tick) + wait - first.started_at > limit:
            return wait, "Backoff would exceed max duration limit"
        return wait, None


def _int_or_none(value) -> Optional[int]:
    if value is None:
        return None
    try:
        return int(as_text(value))
    except (TypeError, ValueError):
        return None

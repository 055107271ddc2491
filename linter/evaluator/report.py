"""A dry run as text (a tree like `argo get`) or JSON (DESIGN §6)."""

from __future__ import annotations

import json
from typing import Optional

from argolint.evaluator.api import Evaluation
from argolint.evaluator.nodes import Node

INFERRED = " (inferred)"  # a value read from the echo/printf the container runs, not mocked
ICONS = {"Incomplete": "?", "Succeeded": "✔", "Failed": "✖", "Error": "⚠", "Skipped": "○", "Omitted": "⊘", "Running": "●",
         "Pending": "◷"}
_COLORS = {"Incomplete": "35", "Succeeded": "32", "Failed": "31", "Error": "31", "Skipped": "2", "Omitted": "2", "Running": "33",
           "Pending": "33"}


def node_json(node: Node, workflow: str = "") -> dict:
    from argolint.evaluator.nodes import node_id, pod_name

    return {
        "name": node.name,
        "id": node_id(workflow, node.name) if workflow else None,
        "pod_name": pod_name(workflow, node.name, node.template) if workflow and node.type == "Pod" else None,
        "display_name": node.display_name,
        "template": node.template,
        "template_ref": node.template_ref,
        "type": node.type,
        "phase": node.phase,
        "started_at": node.started_at,
        "finished_at": node.finished_at,
        "children": list(node.children),
        "inputs": dict(node.inputs),
        "outputs": node.outputs.as_json() if node.outputs is not None else {},
        "inferred": list(node.extra.get("inferred") or []),
        "image": node.image,
        "command": node.command,
        "args": node.args,
        "message": node.message,
        "decision": node.extra.get("decision"),
        "attempt": node.extra.get("attempt"),
        "hook": node.hooked,
        "memoization": node.extra.get("memoization"),
    }


def evaluation_json(evaluation: Evaluation) -> dict:
    return {
        "name": evaluation.name,
        "phase": evaluation.phase,
        "message": evaluation.message,
        "simulated_phase": evaluation.simulated_phase,
        "outputs": {"parameters": dict(evaluation.outputs)},
        "nodes": [node_json(n, evaluation.name) for n in evaluation.nodes],
        "events": [{"tick": e.tick, "event": e.kind, "node": e.node, "type": e.type, "phase": e.phase,
                    "message": e.message} for e in evaluation.events],
        "unresolved": [{"reference": u.reference, "node": u.node, "outcome": u.outcome, "file": u.file,
                        "line": u.line, "column": u.column, "message": u.message} for u in evaluation.unresolved],
        "unknown": [{"value": u.value, "mock_key": u.key, "field": u.field, "example": u.example,
                     "used_by": [{"node": node, "decision": what} for node, what in u.used_by]}
                    for u in evaluation.unknowns],
        "not_simulated": list(evaluation.unsimulated),
    }


def to_json(evaluation) -> str:
    """One evaluation as an object; several (a list) as `{"workflows": [...]}`."""
    if isinstance(evaluation, list):
        data = {"workflows": [evaluation_json(e) for e in evaluation]}
    else:
        data = evaluation_json(evaluation)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _paint(text: str, code: Optional[str], color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def _ticks(node: Node) -> str:
    end = node.finished_at if node.finished_at is not None else "…"
    return f"t{node.started_at}-{end}" if end != node.started_at else f"t{node.started_at}"


def _quote_list(values) -> str:
    return json.dumps(values, ensure_ascii=False)


def _details(node: Node) -> list:
    lines = []
    if node.inputs:
        lines.append("inputs: " + ", ".join(f"{k}={_show(v)}" for k, v in node.inputs.items()))
    if node.image:
        lines.append(f"image: {node.image}")
    if node.command is not None or node.args is not None:
        parts = []
        if node.command is not None:
            parts.append(f"command: {_quote_list(node.command)}")
        if node.args is not None:
            parts.append(f"args: {_quote_list(node.args)}")
        lines.append("  ".join(parts))
    if node.detail:
        first, *rest = node.detail.splitlines() or [""]
        label = "source: " if node.args and node.args[-1:] == ["/argo/staging/script"] else ""
        lines.append(label + first + (f" (+{len(rest)} lines)" if rest else ""))
    if node.outputs is not None:
        out = node.outputs.as_json()
        shown = []
        if "result" in out:
            shown.append(f"result={_show(out['result'])}")
        inferred = node.extra.get("inferred") or ()
        if "result" in inferred and shown:
            shown[0] += INFERRED
        for k, v in out.get("parameters", {}).items():
            shown.append(f"{k}={_show(v)}" + (INFERRED if f"parameters.{k}" in inferred else ""))
        if "exitCode" in out:
            shown.append(f"exitCode={out['exitCode']}")
        if shown:
            lines.append("outputs: " + ", ".join(shown))
    if node.message:
        lines.append(f"message: {node.message}")
    if node.extra.get("decision"):
        lines.append(f"decision: {node.extra['decision']}")
    memo = node.extra.get("memoization")
    if memo:
        lines.append(f"memoization: key {_show(memo['key'])} in {memo['cache']}: " + ("hit" if memo["hit"] else "miss"))
    return lines


def _show(value) -> str:
    text = str(value)
    if len(text) > 120:
        text = text[:117] + "..."
    if text == "" or any(c in text for c in " ,\n\"'") or text != text.strip():
        return json.dumps(text, ensure_ascii=False)
    return text


def to_text(evaluation: Evaluation, color: bool = False, trace: bool = False) -> str:
    out = []
    by_parent: dict = {}
    roots = []
    names = {n.name for n in evaluation.nodes}
    for node in evaluation.nodes:
        if node.parent is not None and node.parent in names:
            by_parent.setdefault(node.parent, []).append(node)
        else:
            roots.append(node)
    rows = []

    def walk(node: Node, prefix: str, last: bool, top: bool):
        branch = "" if top else ("└─ " if last else "├─ ")
        label = f"{prefix}{branch}{ICONS.get(node.phase, '?')} {node.display_name}"
        rows.append((label, node, prefix + ("" if top else ("   " if last else "│  "))))
        kids = by_parent.get(node.name, [])
        for i, kid in enumerate(kids):
            walk(kid, prefix + ("" if top else ("   " if last else "│  ")), i == len(kids) - 1, False)

    for root in roots:
        walk(root, "", True, True)
    width = max((len(r[0]) for r in rows), default=10) + 2
    tmpl_width = max([len("TEMPLATE")] + [len(n.template or "") for n in evaluation.nodes]) + 2
    out.append(f"Workflow:  {evaluation.name}")
    out.append(f"Phase:     {_paint(evaluation.phase, _COLORS.get(evaluation.phase), color)}")
    if evaluation.message:
        out.append(f"Message:   {evaluation.message}")
    if evaluation.outputs:
        out.append("Outputs:   " + ", ".join(f"{k}={_show(v)}" for k, v in evaluation.outputs.items()))
    out.append("")
    if rows:
        out.append(f"{'NODE':<{width}}{'TEMPLATE':<{tmpl_width}}{'TYPE':<11}{'PHASE':<11}TICKS")
    for label, node, child_prefix in rows:
        phase = _paint(f"{node.phase:<11}", _COLORS.get(node.phase), color)
        out.append(f"{label:<{width}}{(node.template or ''):<{tmpl_width}}{node.type:<11}{phase}{_ticks(node)}")
        has_kids = bool(by_parent.get(node.name))
        for line in _details(node):
            out.append(f"{child_prefix}{'│  ' if has_kids else '   '}  {line}")
    if evaluation.unresolved:
        out.append("")
        out.append("Unresolved references:")
        for u in evaluation.unresolved:
            where = f"{u.file}:{u.line}:{u.column}" if u.file else "(workflow)"
            node = f" (node {u.node})" if u.node else ""
            why = f": {u.message}" if u.message else ""
            out.append(f"  {where}: {u.outcome}: {u.reference}{node}{why}")
    if evaluation.unknowns:
        out.append("")
        out.append("Unknown values (outputs no mock gives; --mock-skeleton writes a file to fill in):")
        for u in evaluation.unknowns:
            uses = ", ".join(f"{what} of {node}" if node else what for node, what in u.used_by)
            out.append(f"  {u.value}: used by {uses}; mock key: {u.example}")
    if trace:
        out.append("")
        out.append("Trace:")
        out.extend("  " + line for line in trace_lines(evaluation))
    if evaluation.unsimulated:
        out.append("")
        out.append("Not simulated: " + "; ".join(evaluation.unsimulated))
    out.append("")
    out.append(f"Final phase: {_paint(evaluation.phase, _COLORS.get(evaluation.phase), color)}"
               + (f" ({evaluation.message})" if evaluation.message else ""))
    return "\n".join(out) + "\n"


def trace_lines(evaluation: Evaluation) -> list:
    """The event trace in argo-semantics §10 notation: `t=<tick> <EVENT> <node> <type> ...`."""
    lines = []
    nodes = {n.name: n for n in evaluation.nodes}
    for event in evaluation.events:
        node = nodes.get(event.node)
        parts = [f"t={event.tick}", f"{event.kind:<5}", event.node]
        if event.kind == "WAIT":
            parts.append(event.message or "")
        else:
            parts.append(event.type)
            if event.kind in ("END", "ERROR", "SKIP", "OMIT"):
                parts.append(event.phase)
            if event.kind == "START" and node is not None:
                if node.template:
                    parts.append(f"tmpl={node.template}")
                if node.command is not None:
                    parts.append(f"cmd={json.dumps(node.command, ensure_ascii=False, separators=(',', ':'))}")
                if node.args is not None:
                    parts.append(f"args={json.dumps(node.args, ensure_ascii=False, separators=(',', ':'))}")
            if event.message and event.kind != "WAIT":
                parts.append(f"msg={json.dumps(event.message, ensure_ascii=False)}")
        lines.append(" ".join(parts))
    return lines

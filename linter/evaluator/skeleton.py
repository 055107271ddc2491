"""`--mock-skeleton`: a mock file with every step and task a run reached, and a `null` for
each output the run used without a mock. Fed back with values (`argolint dry-run --mock`),
it completes a run that ended Incomplete; a `null` left in it keeps the output unknown."""

from __future__ import annotations

import json

from argolint.evaluator import nodes as N
from argolint.evaluator.core import base_name

_LEAVES = (N.POD, N.SUSPEND, N.HTTP, N.PLUGIN)


def mock_key(evaluation, node) -> str:
    """The key a mock file gives this leaf by: its step/task name without the loop or retry
    suffix, or the template name for a workflow that is a single template."""
    run = evaluation.run
    owner = run.nodes.get(node.extra.get("owner")) if node.extra.get("owner") else node
    if owner.name == evaluation.name:
        return owner.template or owner.name
    return base_name(owner.display_name)


def skeleton(evaluations: list) -> str:
    entries: dict = {}  # key -> {field: [uses]}
    for evaluation in evaluations:
        if evaluation.run is None:
            continue
        uses = {u.value: u.used_by for u in evaluation.unknowns}
        for node in evaluation.nodes:
            if node.type not in _LEAVES or node.phase in (N.SKIPPED_PHASE, N.OMITTED):
                continue
            fields = entries.setdefault(mock_key(evaluation, node), {})
            outputs = node.outputs
            if outputs is None:
                continue
            shown = [("result", outputs.result)] if outputs.has_result else []
            shown += [(f"parameters.{k}", v) for k, v in outputs.parameters.items()]
            for what, value in shown:
                if isinstance(value, str) and value in evaluation.run.placeholders:
                    fields.setdefault(what, []).extend(f"{w} of {n}" if n else w for n, w in uses.get(value, ()))
    lines = ["# Mocks for `argolint dry-run --mock`: every step and task the run reached.",
             "# Replace each null with the value the step would output (a null stays unknown);",
             "# see `argolint dry-run --help-mocks` for phase, exitCode, duration and attempts."]
    for key, fields in entries.items():
        if not fields:
            lines.append(f"{json.dumps(key)}: {{}}")
            continue
        lines.append(f"{json.dumps(key)}:")
        if "result" in fields:
            lines.append("  result: null" + _comment(fields["result"]))
        params = [(what.split(".", 1)[1], used) for what, used in fields.items() if what.startswith("parameters.")]
        if params:
            lines.append("  parameters:")
            lines.extend(f"    {json.dumps(name)}: null{_comment(used)}" for name, used in params)
    return "\n".join(lines) + "\n"


def _comment(uses: list) -> str:
    unique = list(dict.fromkeys(uses))
    return f"  # decides: {', '.join(unique[:3])}" + (" ..." if len(unique) > 3 else "") if unique else ""

"""Pictures of a dry run (`--format mermaid` / `--format dot`): the executed graph, each node
coloured by its phase, the `when` / `depends` decision written on the edge into a node."""

from __future__ import annotations

import json


def _dot(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)

# phase -> (fill, stroke)
COLOURS = {
    "Succeeded": ("#c8e6c9", "#2e7d32"), "Failed": ("#ffcdd2", "#c62828"), "Error": ("#ffcdd2", "#c62828"),
    "Skipped": ("#eeeeee", "#9e9e9e"), "Omitted": ("#eeeeee", "#616161"), "Running": ("#fff9c4", "#f9a825"),
    "Pending": ("#fff9c4", "#f9a825"),
}


def _label(node) -> list:
    lines = [f"{node.display_name}", f"{node.template or node.type} · {node.phase}"]
    if node.extra.get("memoization", {}).get("hit"):
        lines.append("memoization hit")
    return lines


def _decision(node, run) -> str:
    """Why a node ran or not: its evaluated `when`, or its `depends` clause."""
    if node.extra.get("decision"):
        return node.extra["decision"]
    if node.message and node.message.startswith("when '"):
        return node.message
    return run.decisions.get(node.name, "") if run is not None else ""


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _graph(evaluation):
    """(nodes, edges): every node, and (parent, child, decision) for each graph edge."""
    run = evaluation.run
    names = {n.name for n in evaluation.nodes}
    edges = []
    for node in evaluation.nodes:
        for child in node.children:
            if child in names:
                kid = run.nodes[child] if run is not None else None
                edges.append((node.name, child, _short(_decision(kid, run)) if kid is not None else ""))
    return evaluation.nodes, edges


def to_mermaid(evaluation) -> str:
    nodes, edges = _graph(evaluation)
    ids = {n.name: f"n{i}" for i, n in enumerate(nodes)}
    out = ["flowchart TD"]
    for node in nodes:
        text = "<br/>".join(_mermaid_text(line) for line in _label(node))
        out.append(f'  {ids[node.name]}["{text}"]:::{node.phase}')
    for parent, child, decision in edges:
        arrow = f' -- "{_mermaid_text(decision)}" --> ' if decision else " --> "
        out.append(f"  {ids[parent]}{arrow}{ids[child]}")
    for phase, (fill, stroke) in COLOURS.items():
        out.append(f"  classDef {phase} fill:{fill},stroke:{stroke},color:#000")
    return "\n".join(out) + "\n"


def _mermaid_text(text: str) -> str:
    return (text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("|", "#124;"))


def to_dot(evaluation) -> str:
    nodes, edges = _graph(evaluation)
    out = [f"digraph {_dot(evaluation.name)} {{", "  rankdir=TB;",
           '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
           '  edge [fontname="Helvetica", fontsize=10];']
    for node in nodes:
        fill, stroke = COLOURS.get(node.phase, ("#ffffff", "#000000"))
        out.append(f"  {_dot(node.name)} [label={_dot(chr(10).join(_label(node)))}, "
                   f'fillcolor="{fill}", color="{stroke}"];')
    for parent, child, decision in edges:
        label = f" [label={_dot(decision)}]" if decision else ""
        out.append(f"  {_dot(parent)} -> {_dot(child)}{label};")
    out.append("}")
    return "\n".join(out) + "\n"

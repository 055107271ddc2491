"""`argolint graph FILE`: the steps and DAG templates of a workflow as a picture.

Mermaid (the default, fenced so the output pastes into Markdown as it is) or Graphviz
DOT. Each steps or DAG template is a box; steps sit in their groups, one group after the
other; tasks are joined by their dependencies. What may not happen is drawn dashed: an
edge on a `depends` result other than success (`A.Failed`, `!A`), an edge into a step or
task with `when`, and the border of such a step or task.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Optional

WHEN_WIDTH = 60  # longer `when` expressions are cut in the labels


@dataclass
class Node:
    id: str
    lines: list
    conditional: bool = False


@dataclass
class Box:
    """A cluster: a template, or a group of steps."""

    id: str
    label: str
    members: list = field(default_factory=list)  # Node | Box


@dataclass
class Edge:
    source: str
    target: str
    label: str = ""
    conditional: bool = False


@dataclass
class Picture:
    title: str
    boxes: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    anchors: dict = field(default_factory=dict)  # box id -> a node inside it (DOT draws edges between nodes)


# ----------------------------------------------------------------------------- building


def _callee(call) -> str:
    if call.template_name is not None:
        return call.template_name
    ref = call.template_ref
    if ref is not None:
        return f"{ref.name}/{ref.template}"
    return "(inline)" if call.inline is not None else "?"


def _when_text(when: str) -> str:
    when = " ".join(when.split())
    return when if len(when) <= WHEN_WIDTH else when[: WHEN_WIDTH - 1] + "…"


def _node(node_id: str, call) -> Node:
    lines = [call.name or "?", _callee(call)]
    if call.when:
        lines.append(f"when: {_when_text(call.when)}")
    if call.loop_key:
        lines.append(call.loop_key)
    return Node(node_id, lines, conditional=bool(call.when))


def _steps_box(picture: Picture, template, box_id: str) -> Box:
    box = Box(box_id, f"{template.name} (steps)")
    previous: Optional[str] = None
    for g, group in enumerate(template.step_groups):
        group_box = Box(f"{box_id}g{g}", f"step group {g + 1}")
        for i, step in enumerate(group):
            node = _node(f"{box_id}s{g}_{i}", step)
            group_box.members.append(node)
            if previous is not None:
                picture.edges.append(Edge(previous, node.id, "when" if step.when else "", bool(step.when)))
        if group_box.members:
            picture.anchors[group_box.id] = group_box.members[0].id
            box.members.append(group_box)
            previous = group_box.id
    return box


def _negated_results(ast) -> dict:
    """Task name -> how the depends AST mentions it, for the edge labels."""
    from argolint.analysis.templating.depends import Not, TaskResult

    labels: dict = {}
    stack = [(ast, False)]
    while stack:
        node, negated = stack.pop()
        if isinstance(node, TaskResult):
            # a result as written (`Failed`, `!Failed`); a negated bare name as `!A`
            label = ("!" if negated else "") + (node.result or (node.name if negated else ""))
            labels.setdefault(node.name, []).append(label)
        elif isinstance(node, Not):
            stack.append((node.operand, not negated))
        elif node is not None:
            stack.extend((o, negated) for o in reversed(node.operands))
    return labels


def _dag_box(picture: Picture, template, box_id: str) -> Box:
    from argolint.analysis.graph import dag_analysis

    analysis = dag_analysis(template)
    box = Box(box_id, f"{template.name} (DAG)")
    node_ids = {}
    for i, task in enumerate(analysis.tasks):
        if task.name is not None and analysis.task_named(task.name) is task:
            node = _node(f"{box_id}n{i}", task)
            node_ids[task.name] = node.id
            box.members.append(node)
    for i, task in enumerate(analysis.tasks):
        if task.name not in node_ids or analysis.task_named(task.name) is not task:
            continue
        parsed = analysis.parsed(i)
        labels = _negated_results(parsed.ast) if parsed is not None and parsed.ast is not None else {}
        seen = set()
        for ref in analysis.refs[i]:
            if ref.name not in node_ids or ref.name in seen:
                continue
            seen.add(ref.name)
            parts = [p for p in dict.fromkeys(labels.get(ref.name, [])) if p]
            conditional = any(p != "Succeeded" for p in parts)
            if task.when:
                parts.append("when")
            picture.edges.append(Edge(node_ids[ref.name], node_ids[task.name], " or ".join(parts),
                                      conditional or bool(task.when)))
    return box


def build_picture(documents, only: Optional[str] = None) -> Picture:
    from argolint.model import WorkflowSpec

    title = next((d.name for d in documents if d.name), "workflow")
    picture = Picture(title)
    for d, document in enumerate(documents):
        spec = WorkflowSpec.of(document)
        for k, template in enumerate(spec.templates):
            if only is not None and template.name != only:
                continue
            box_id = f"d{d}t{k}" if len(documents) > 1 else f"t{k}"
            if "steps" in template.data:
                picture.boxes.append(_steps_box(picture, template, box_id))
            elif "dag" in template.data:
                picture.boxes.append(_dag_box(picture, template, box_id))
    return picture


# ---------------------------------------------------------------------------- rendering


def _mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: what Mermaid would read as markup becomes an entity
    code (`#` first, since every code starts with it)."""
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("&", "#amp;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text


def render_mermaid(picture: Picture) -> str:
    out = ["```mermaid", "flowchart TD"]
    conditional = []

    def box(b: Box, indent: str) -> None:
        out.append(f'{indent}subgraph {b.id}["{_mermaid_text(b.label)}"]')
        for member in b.members:
            if isinstance(member, Box):
                box(member, indent + "  ")
            else:
                label = "<br/>".join(_mermaid_text(line) for line in member.lines)
                out.append(f'{indent}  {member.id}["{label}"]')
                if member.conditional:
                    conditional.append(member.id)
        out.append(f"{indent}end")

    for b in picture.boxes:
        box(b, "  ")
    for e in picture.edges:
        arrow = "-.->" if e.conditional else "-->"
        label = f'|"{_mermaid_text(e.label)}"|' if e.label else ""
        out.append(f"  {e.source} {arrow}{label} {e.target}")
    if conditional:
        out.append("  classDef conditional stroke-dasharray: 5 5")
        out.append(f"  class {','.join(conditional)} conditional")
    out.append("```")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def render_dot(picture: Picture) -> str:
    out = [f'digraph "{_dot_text(picture.title)}" {{', "  compound=true;", "  node [shape=box];"]

    def box(b: Box, indent: str) -> None:
        out.append(f"{indent}subgraph cluster_{b.id} {{")
        out.append(f'{indent}  label="{_dot_text(b.label)}";')
        for member in b.members:
            if isinstance(member, Box):
                box(member, indent + "  ")
            else:
                label = "\\n".join(_dot_text(line) for line in member.lines)
                style = ", style=dashed" if member.conditional else ""
                out.append(f'{indent}  {member.id} [label="{label}"{style}];')
        out.append(f"{indent}}}")

    for b in picture.boxes:
        box(b, "  ")
    for e in picture.edges:
        attrs = []
        source = e.source
        if source in picture.anchors:  # an edge out of a step group leaves its cluster
            attrs.append(f"ltail=cluster_{source}")
            source = picture.anchors[source]
        if e.label:
            attrs.append(f'label="{_dot_text(e.label)}"')
        if e.conditional:
            attrs.append("style=dashed")
        out.append(f"  {source} -> {e.target}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    out.append("}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------- CLI


def _fail(message: str) -> int:
    print(f"argolint graph: error: {message}", file=sys.stderr)
    return 2


def graph_main(argv) -> int:
    p = argparse.ArgumentParser(
        prog="argolint graph",
        description="Draw the steps and DAG templates of a workflow: a Mermaid flowchart (fenced, ready to "
        "paste into Markdown) or Graphviz DOT (pipe into `dot -Tsvg`). Dashed: what may not run "
        "(`when`, depends on a result other than success).")
    p.add_argument("file", help="the manifest ('-' reads stdin)")
    p.add_argument("--template", metavar="NAME", help="draw only this steps or DAG template")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="default: mermaid")
    args = p.parse_args(argv)

    from argolint.load.loader import read_file, read_stdin
    from argolint.model import WorkflowSpec
    from argolint.diagnostics import did_you_mean

    if args.file == "-":
        loaded = read_stdin("-")
    else:
        import os

        if not os.path.isfile(args.file):
            return _fail(f"{args.file}: no such file")
        loaded = read_file(args.file)
    documents = [d for d in loaded.documents if d.is_argo and isinstance(d.data, dict)]
    if not documents:
        problem = next((f"{d.line}:{d.column}: {d.message}" for d in loaded.diagnostics), "no Argo workflow in it")
        return _fail(f"{args.file}: {problem}")
    drawable = [t for d in documents for t in WorkflowSpec.of(d).templates
                if "steps" in t.data or "dag" in t.data]
    if args.template is not None:
        names = [t.name for d in documents for t in WorkflowSpec.of(d).templates if t.name]
        if args.template not in names:
            hint = did_you_mean(args.template, names)
            return _fail(f"no template '{args.template}' in {args.file}" + (f"; {hint}" if hint else ""))
        if not any(t.name == args.template for t in drawable):
            return _fail(f"template '{args.template}' has no steps or DAG to draw")
    elif not drawable:
        return _fail(f"{args.file} has no steps or DAG template to draw")
    picture = build_picture(documents, args.template)
    sys.stdout.write(render_mermaid(picture) if args.format == "mermaid" else render_dot(picture))
    return 0

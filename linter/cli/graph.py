"""`argolint graph FILE`: the steps and DAG templates of a workflow as a picture.

Mermaid (the default, fenced so the output pastes into Markdown as it is; `--no-fence`
for `mmdc`) or Graphviz DOT. Each steps or DAG template is a box laid out top to bottom;
steps sit in their groups, one group after the other; tasks are joined by their
dependencies. What may not happen is drawn dashed: an edge on a `depends` result other than
success (`A.Failed`, `!A`), an edge into a step or task with `when`, and the border of such
a step or task. Edges from alternatives (`A || B`: any one of them is enough) are labelled
`any` and coloured; edges that must all hold (`A && B`, a list of dependencies) are plain.
A looped step or task is one node, drawn stacked, however many items it runs.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Optional

WHEN_WIDTH = 60  # longer `when` expressions are cut in the labels
ANY_COLOR = "#d97706"  # edges of which any one is enough (`A || B`)


@dataclass
class Node:
    id: str
    lines: list
    conditional: bool = False
    loop: bool = False  # withItems / withParam / withSequence: drawn stacked


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
    any_of: bool = False  # one of alternatives (`A || B`), not required with the others


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
    return Node(node_id, lines, conditional=bool(call.when), loop=bool(call.loop_key))


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


def _alternative_names(ast) -> set:
    """Names of the tasks that are alternatives in `depends`: under an `||` whose sides
    mention different tasks (`A || B`; not `A.Failed || !A`, one task's results)."""
    from argolint.analysis.templating.depends import Not, Or, TaskResult

    def names(node) -> set:
        if isinstance(node, TaskResult):
            return {node.name}
        if isinstance(node, Not):
            return names(node.operand)
        return set().union(*(names(o) for o in node.operands)) if node is not None else set()

    found: set = set()
    stack = [ast]
    while stack:
        node = stack.pop()
        if isinstance(node, Or):
            sides = [names(o) for o in node.operands]
            if len(set().union(*sides)) > 1:
                found |= set().union(*sides)
        if isinstance(node, Not):
            stack.append(node.operand)
        elif node is not None and not isinstance(node, TaskResult):
            stack.extend(node.operands)
    return found


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
        alternatives = _alternative_names(parsed.ast) if parsed is not None and parsed.ast is not None else set()
        seen = set()
        for ref in analysis.refs[i]:
            if ref.name not in node_ids or ref.name in seen:
                continue
            seen.add(ref.name)
            parts = [p for p in dict.fromkeys(labels.get(ref.name, [])) if p]
            conditional = any(p != "Succeeded" for p in parts)
            if task.when:
                parts.append("when")
            label = " or ".join(parts)
            any_of = ref.name in alternatives
            if any_of:
                label = f"any: {label}" if label else "any"
            picture.edges.append(Edge(node_ids[ref.name], node_ids[task.name], label,
                                      conditional or bool(task.when), any_of))
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


def render_mermaid(picture: Picture, fence: bool = True) -> str:
    out = ["flowchart TD"]
    conditional = []

    def box(b: Box, indent: str) -> None:
        out.append(f'{indent}subgraph {b.id}["{_mermaid_text(b.label)}"]')
        out.append(f"{indent}  direction TB")  # a subgraph does not inherit the chart's TD
        for member in b.members:
            if isinstance(member, Box):
                box(member, indent + "  ")
            else:
                label = "<br/>".join(_mermaid_text(line) for line in member.lines)
                shape = ('[["', '"]]') if member.loop else ('["', '"]')
                out.append(f"{indent}  {member.id}{shape[0]}{label}{shape[1]}")
                if member.conditional:
                    conditional.append(member.id)
        out.append(f"{indent}end")

    for b in picture.boxes:
        box(b, "  ")
    any_of = []
    for i, e in enumerate(picture.edges):
        arrow = "-.->" if e.conditional else "-->"
        label = f'|"{_mermaid_text(e.label)}"|' if e.label else ""
        out.append(f"  {e.source} {arrow}{label} {e.target}")
        if e.any_of:
            any_of.append(str(i))
    if conditional:
        out.append("  classDef conditional stroke-dasharray: 5 5")
        out.append(f"  class {','.join(conditional)} conditional")
    if any_of:
        out.append(f"  linkStyle {','.join(any_of)} stroke:{ANY_COLOR},color:{ANY_COLOR}")
    if fence:
        out = ["```mermaid", *out, "```"]
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
                style = (", style=dashed" if member.conditional else "") + (", peripheries=2" if member.loop else "")
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
        if e.any_of:
            attrs.append(f'color="{ANY_COLOR}", fontcolor="{ANY_COLOR}"')
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
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE (Mermaid is fenced only when FILE ends in .md, e.g. not for `mmdc -i x.mmd`)")
    p.add_argument("--no-fence", action="store_true", help="Mermaid without the ```mermaid fence (what mmdc reads)")
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
    fence = not args.no_fence and (args.output is None or args.output.lower().endswith((".md", ".markdown")))
    text = render_mermaid(picture, fence) if args.format == "mermaid" else render_dot(picture)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        return _fail(f"{args.output}: {exc.strerror or exc}")
    return 0

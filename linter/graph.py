"""networkx graphs of a workflow: DAG tasks, step groups, template calls.

Heavy import (networkx) stays inside the functions: only documents with DAGs pay for it.
"""

from __future__ import annotations

import re

_DEPENDS_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*(?=\s*(?:\.|&&|\|\||\)|$))")


def depends_names(expression: str) -> list[str]:
    """Task names a `depends` expression mentions (a regex stand-in until the lark grammar)."""
    names = []
    for token in re.split(r"&&|\|\||[()!]", expression):
        token = token.strip()
        if token:
            names.append(token.split(".", 1)[0].strip())
    return names


def task_graph(template):
    """DiGraph of a DAG template's tasks: an edge dependency -> dependent task, from
    `dependencies` and from every task named in `depends`. Unknown names are nodes too
    (dangling dependencies), marked with `known=False`."""
    import networkx as nx

    g = nx.DiGraph()
    for task in template.tasks:
        if task.name is not None:
            g.add_node(task.name, known=True)
    for task in template.tasks:
        if task.name is None:
            continue
        deps = [d for d in task.dependencies if isinstance(d, str)]
        if task.depends:
            deps += depends_names(task.depends)
        for dep in deps:
            if dep not in g:
                g.add_node(dep, known=False)
            g.add_edge(dep, task.name)
    return g


def ancestors(template, task_name: str) -> set:
    import networkx as nx

    g = task_graph(template)
    return nx.ancestors(g, task_name) if task_name in g else set()

"""What the leaf-template rules share: which templates run a pod, how to name a template,
the containers a user adds to a pod beside Argo's own, and the calls that pass arguments.

The rules walk the document from `check_document` through `templates_setting`, an index
of the templates by the fields they set, built once per document: most templates set none
of the fields a rule reads, and a dictionary lookup costs less than a hook per template.
"""

from __future__ import annotations

from typing import Any

# Argo's Template.IsLeaf(): the templates whose inputs and outputs are files in a pod (or,
# for http and plugin, in the agent); steps, dag and suspend are the others.
LEAF_TYPES = frozenset({"container", "containerSet", "script", "resource", "data", "http", "plugin"})
NON_LEAF_TYPES = frozenset({"steps", "dag", "suspend"})
# Lists of containers a template adds to its pod, and what a finding calls one of them.
ADDED_CONTAINERS = (("sidecars", "sidecar"), ("initContainers", "init container"))

_NONE: list = []  # never written to


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def blank(value: Any) -> bool:
    """Absent, null or an empty (or all-space) string: what Go reads as the zero value."""
    return value is None or (isinstance(value, str) and not value.strip())


def label(template) -> str:
    """How a finding names a template: by name, or as the inline template it is."""
    if template.name is not None:
        return f"template '{template.name}'"
    return "the inline template" if template.path[-1:] == ("inline",) else "this template"


def templates_setting(ctx, key: str) -> list:
    """The templates of the document (inline ones included) that set `key`, in order."""
    index = ctx.cache.get(_INDEX)
    if index is None:
        from argolint.analysis.templating.check import all_templates

        index = ctx.cache[_INDEX] = {}
        for template in all_templates(ctx.spec):
            for field in template.data:
                index.setdefault(field, []).append(template)
    return index.get(key, _NONE)


_INDEX = "templates-by-field"


def added_containers(ctx) -> list[tuple[Any, tuple, dict, str]]:
    """(template, path, container, what) for every container a template of the document
    adds to its pod by name: sidecars, init containers and containerSet containers."""
    found = ctx.cache.get(_ADDED)
    if found is not None:
        return found
    found = ctx.cache[_ADDED] = []
    for key, what in ADDED_CONTAINERS:
        for template in templates_setting(ctx, key):
            for i, container in enumerate(as_list(template.data[key])):
                if isinstance(container, dict):
                    found.append((template, template.path + (key, i), container, what))
    for template in templates_setting(ctx, "containerSet"):
        for i, container in enumerate(as_list(as_dict(template.data["containerSet"]).get("containers"))):
            if isinstance(container, dict):
                found.append((template, template.path + ("containerSet", "containers", i), container,
                              "containerSet container"))
    return found


_ADDED = "added-containers"


def call_arguments(ctx) -> list[tuple[dict, tuple, str]]:
    """(arguments, path of `arguments`, "step 'a'" / "task 'a'") for every step and task
    of the document that has `arguments`, read from the raw data once per document."""
    found = ctx.cache.get(_CALL_ARGUMENTS)
    if found is not None:
        return found
    found = ctx.cache[_CALL_ARGUMENTS] = []
    for template in templates_setting(ctx, "steps"):
        for g, group in enumerate(as_list(template.data["steps"])):
            for i, step in enumerate(group if isinstance(group, list) else ()):
                if isinstance(step, dict) and isinstance(step.get("arguments"), dict):
                    found.append((step["arguments"], template.path + ("steps", g, i, "arguments"),
                                  f"step '{step.get('name')}'"))
    for template in templates_setting(ctx, "dag"):
        for i, task in enumerate(as_list(as_dict(template.data["dag"]).get("tasks"))):
            if isinstance(task, dict) and isinstance(task.get("arguments"), dict):
                found.append((task["arguments"], template.path + ("dag", "tasks", i, "arguments"),
                              f"task '{task.get('name')}'"))
    return found


_CALL_ARGUMENTS = "call-arguments"

"""Shapes the dry run relies on and Argo enforces before a workflow ever runs.

Every `name` field of Argo's and Kubernetes' types is a string: a list or a map there
(`name: [a, b]`) is refused by the API server while unmarshalling, and the simulation
must refuse it the same way instead of failing on it deep inside (names are keys of
dictionaries everywhere in the evaluator).
"""

from __future__ import annotations

from argolint.diagnostics import json_pointer
from argolint.evaluator.workflow import WorkflowError

_GO_KINDS = {dict: "object", list: "array"}


def unusable_name(project) -> None:
    """Raise WorkflowError, with Go's unmarshalling message, at the first `name` that is a
    list or a map in any Argo document of the project."""
    for loaded in project.files:
        for document in loaded.documents:
            if document.is_argo and document.data is not None:
                _check(document.data)


def _check(data) -> None:
    if not _has_unusable_name(data):
        return
    stack = [((), data)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, (dict, list)):
                raise WorkflowError(f"json: cannot unmarshal {_GO_KINDS[type(name)]} into Go struct field "
                                    f"{json_pointer(path + ('name',))} of type string")
            stack.extend(reversed([(path + (key,), value) for key, value in item.items()]))
        elif isinstance(item, list):
            stack.extend(reversed([(path + (index,), value) for index, value in enumerate(item)]))


def _has_unusable_name(data) -> bool:
    """Whether any `name` is a list or a map: the walk of `_check` without building the
    path of every node, which only the error message needs (large workflows are valid)."""
    stack = [data]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        if item.__class__ is str:  # most values: no container (one test instead of two)
            continue
        if isinstance(item, dict):
            if isinstance(item.get("name"), (dict, list)):
                return True
            extend(item.values())
        elif isinstance(item, list):
            extend(item)
    return False

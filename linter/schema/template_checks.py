"""Value checks of templates and spec fields that the schema cannot express (argo-lint-checks
§3.1, §3.4): pod-level resource names, `activeDeadlineSeconds`, a templated `retryPolicy`,
and the fields an executor plugin's sidecar must declare.

- `podResources` (spec and template) takes only cpu, memory and hugepages-* (Argo 4.1
  pod-level resources; other resources belong in a container's `resources`);
- a leaf template's `activeDeadlineSeconds` is a whole number of seconds, 0 or more, or a
  `{{tag}}` (steps/dag templates may not have it: misplaced-field);
- a DAG task name is checked before inputs are substituted, so a `{{tag}}` in it is
  rejected (steps names are checked with tags replaced by `x`; argo-lint-checks §3.3);
- `retryStrategy.retryPolicy` is checked by Argo before any substitution, so a `{{tag}}`
  there is rejected when the workflow is submitted;
- `podGC.labelSelector` converts as Kubernetes does it: In/NotIn need values,
  Exists/DoesNotExist take none;
- `executorPlugins[]` need `metadata.name`, and their sidecar container at least one port,
  resource requests and limits, and a securityContext.
"""

from __future__ import annotations

from typing import Iterator

from argolint.diagnostics import Finding
from argolint.schema.messages import INVALID_VALUE, MISSING_FIELD

POD_RESOURCES = ("cpu", "memory")
RETRY_POLICIES = ("Always", "OnFailure", "OnError", "OnTransientError")
PLUGIN_CONTAINER_FIELDS = (
    ("ports", "at least one port (the plugin serves the executor's requests on it)"),
    ("resources", "resources with requests and limits"),
    ("securityContext", "a securityContext"),
)


def check(ctx) -> Iterator[tuple[str, Finding]]:
    spec = ctx.spec
    if "podResources" in spec.data:
        yield from _pod_resources(spec.data, spec.path)
    if "podGC" in spec.data:
        yield from _pod_gc_selector(spec.data["podGC"], spec.path + ("podGC",))
    if "executorPlugins" in spec.data:
        yield from _executor_plugins(spec.data["executorPlugins"], spec.path + ("executorPlugins",))
    for data, path in _templates(spec.data.get("templates"), spec.path + ("templates",)):
        if "podResources" in data:
            yield from _pod_resources(data, path)
        if "activeDeadlineSeconds" in data:
            yield from _deadline(data["activeDeadlineSeconds"], path + ("activeDeadlineSeconds",))
        if "dag" in data:
            yield from _task_names(data["dag"], path + ("dag",))
        retry = data.get("retryStrategy")
        if isinstance(retry, dict) and isinstance(retry.get("retryPolicy"), str) and "{{" in retry["retryPolicy"]:
            yield INVALID_VALUE, Finding(
                path + ("retryStrategy", "retryPolicy"),
                "retryPolicy cannot hold a {{tag}}: Argo checks it before substituting variables, and rejects the "
                "workflow", hint=f"write one of {', '.join(RETRY_POLICIES)}; use retryStrategy.expression to decide "
                "at run time")


def _templates(templates, path: tuple):
    """(data, path) of the spec's templates and of the inline templates of their steps and
    tasks: a walk over the raw data, which most templates pass in a few dict probes."""
    stack = [(t, path + (i,)) for i, t in enumerate(templates)] if isinstance(templates, list) else []
    while stack:
        data, path = stack.pop()
        if not isinstance(data, dict):
            continue
        yield data, path
        if "steps" not in data and "dag" not in data:
            continue  # a leaf: no inline templates below it
        for call, call_path in _calls(data, path):
            if isinstance(call, dict) and "inline" in call:
                stack.append((call["inline"], call_path + ("inline",)))


def _calls(data: dict, path: tuple):
    steps = data.get("steps")
    if isinstance(steps, list):
        for g, group in enumerate(steps):
            if isinstance(group, list):
                yield from ((step, path + ("steps", g, i)) for i, step in enumerate(group))
    dag = data.get("dag")
    if isinstance(dag, dict) and isinstance(dag.get("tasks"), list):
        yield from ((task, path + ("dag", "tasks", i)) for i, task in enumerate(dag["tasks"]))


def _task_names(dag, path: tuple) -> Iterator[tuple[str, Finding]]:
    tasks = dag.get("tasks") if isinstance(dag, dict) else None
    if not isinstance(tasks, list):
        return
    for i, task in enumerate(tasks):
        name = task.get("name") if isinstance(task, dict) else None
        if isinstance(name, str) and "{{" in name:
            yield INVALID_VALUE, Finding(
                path + ("tasks", i, "name"), f"task name '{name}' holds a {{{{tag}}}}: Argo checks DAG task names "
                "before substituting inputs, and rejects the workflow (a step name may hold one; a task name "
                "may not)", hint="use a fixed task name; pass the varying part as an argument")


def _pod_resources(data: dict, path: tuple) -> Iterator[tuple[str, Finding]]:
    resources = data.get("podResources")
    if not isinstance(resources, dict):
        return
    for kind in ("limits", "requests"):
        amounts = resources.get(kind)
        if not isinstance(amounts, dict):
            continue
        for name in amounts:
            if isinstance(name, str) and name not in POD_RESOURCES and not name.startswith("hugepages-"):
                yield INVALID_VALUE, Finding(
                    path + ("podResources", kind, name),
                    f"'{name}' is not a pod-level resource: podResources takes only cpu, memory and hugepages-*",
                    hint="request it in the container's resources instead", at="key")


def _deadline(value, path: tuple) -> Iterator[tuple[str, Finding]]:
    if isinstance(value, bool):
        return  # the schema reports the wrong type
    if isinstance(value, str):
        if "{{" in value:
            return
        try:
            number = int(value.strip())
        except ValueError:
            yield INVALID_VALUE, Finding(path, f"activeDeadlineSeconds '{value}' is not a whole number of seconds",
                                         hint="write the number of seconds, e.g. 300 (or a {{tag}} that gives one)")
            return
    elif isinstance(value, int):
        number = value
    else:
        return
    if number < 0:
        yield INVALID_VALUE, Finding(path, f"activeDeadlineSeconds is {number}: a deadline cannot be negative",
                                     hint="write the number of seconds the template may run, e.g. 300")


def _pod_gc_selector(pod_gc, path: tuple) -> Iterator[tuple[str, Finding]]:
    """The values of `podGC.labelSelector.matchExpressions`, as Kubernetes converts them: In
    and NotIn need values, Exists and DoesNotExist take none (the operators themselves are
    the schema's enum)."""
    selector = pod_gc.get("labelSelector") if isinstance(pod_gc, dict) else None
    expressions = selector.get("matchExpressions") if isinstance(selector, dict) else None
    if not isinstance(expressions, list):
        return
    for i, expression in enumerate(expressions):
        if not isinstance(expression, dict):
            continue
        operator, values = expression.get("operator"), expression.get("values")
        where = path + ("labelSelector", "matchExpressions", i)
        if operator in ("In", "NotIn") and not values:
            yield INVALID_VALUE, Finding(where + ("operator",), f"operator {operator} needs values: Kubernetes "
                                         "rejects the podGC label selector", hint="list the label values to match "
                                         "under `values:`, or use Exists")
        elif operator in ("Exists", "DoesNotExist") and values:
            yield INVALID_VALUE, Finding(where + ("values",), f"operator {operator} takes no values: Kubernetes "
                                         "rejects the podGC label selector", hint="remove `values:`, or use In",
                                         at="key")


def _executor_plugins(plugins, path: tuple) -> Iterator[tuple[str, Finding]]:
    if not isinstance(plugins, list):
        return
    for i, plugin in enumerate(plugins):
        if not isinstance(plugin, dict):
            continue
        where = path + (i,)
        metadata = plugin.get("metadata")
        if isinstance(metadata, dict) and not metadata.get("name"):
            yield MISSING_FIELD, Finding(where + ("metadata",), "an executor plugin needs metadata.name",
                                         hint="add `name:` to its metadata", at="key")
        container = ((plugin.get("spec") or {}).get("sidecar") or {}) if isinstance(plugin.get("spec"), dict) else {}
        container = container.get("container") if isinstance(container, dict) else None
        if not isinstance(container, dict):
            continue  # the schema reports a missing sidecar or container
        cpath = where + ("spec", "sidecar", "container")
        for field, needs in PLUGIN_CONTAINER_FIELDS:
            value = container.get(field)
            if not value:
                yield MISSING_FIELD, Finding(cpath, f"an executor plugin's sidecar container needs {needs}; it has "
                                             f"no {field}", hint=f"add `{field}:` to the container", at="key")
            elif field == "resources" and isinstance(value, dict):
                for part in ("requests", "limits"):
                    if not value.get(part):
                        yield MISSING_FIELD, Finding(cpath + ("resources",), f"an executor plugin's sidecar "
                                                     f"container needs resources.{part}",
                                                     hint=f"add `{part}:` (cpu and memory) to its resources", at="key")

"""Features a workflow uses that a dry run does not simulate, to say so plainly at the end."""

from __future__ import annotations

# what a feature is called in the report -> keys that mark it, anywhere in the spec
_FEATURES = (
    ("synchronization (mutexes, semaphores)", ("synchronization", "semaphore", "mutex")),
    ("artifacts' contents", ("artifacts", "artifactRepositoryRef", "artifactGC")),
    ("pod-spec effects (volumes, resources, scheduling, security, sidecars)",
     ("podSpecPatch", "volumes", "volumeMounts", "volumeClaimTemplates", "resources", "nodeSelector", "affinity",
      "tolerations", "securityContext", "sidecars", "initContainers", "priorityClassName", "podPriorityClassName",
      "hostAliases", "dnsConfig", "podGC", "podDisruptionBudget")),
    ("memoization across runs (a cache hit within the run is simulated)", ("memoize",)),
    ("metrics", ("metrics",)),
    ("resource templates' effect on the cluster", ("resource",)),
    ("HTTP requests and executor plugins", ("http", "plugin")),
    ("workflow TTL and archiving", ("ttlStrategy", "archiveLogs")),
)


def _keys(value, out: set) -> set:
    """Every mapping key under `value` (keys that are no strings too: they match no marker)."""
    stack = [value]
    pop, extend, update = stack.pop, stack.extend, out.update
    while stack:
        item = pop()
        if item.__class__ is str:  # most values: no container (one test instead of two)
            continue
        if isinstance(item, dict):
            update(item)
            extend(item.values())
        elif isinstance(item, list):
            extend(item)
    return out


def unsimulated_features(workflow) -> list:
    """The features of `workflow` (its spec and every template the run could reach) that the
    dry run does not simulate, in a fixed order."""
    keys = _keys(workflow.spec, set())
    templates = workflow.spec.get("templates")
    # the spec's own templates were walked with it: walk only the others (a WorkflowTemplate's)
    walked = {id(t) for t in templates} if isinstance(templates, list) else set()
    for template, _path in workflow.base.templates.values():
        if id(template) not in walked:
            _keys(template, keys)
    return [label for label, markers in _FEATURES if keys & set(markers)]

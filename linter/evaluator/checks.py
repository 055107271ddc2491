"""What the controller refuses at run time, with its messages: a workflow spec it does not
validate (the workflow fails with `invalid spec: ...`), a pod it cannot build (the node
errors), a cache hit of `memoize`, and deadlines (`activeDeadlineSeconds`, `timeout`)."""

from __future__ import annotations

from typing import Optional

from argolint.evaluator.core import _dict, _list, duration_ticks
from argolint.evaluator.values import as_text
from argolint.model import TEMPLATE_TYPES

POD_DEADLINE = "Pod was active on the node longer than the specified deadline"
STEP_DEADLINE = "Step exceeded its deadline"


def invalid_spec(spec: dict, templates: list, from_template_ref: bool) -> Optional[str]:
    """The validation error the controller fails the workflow with, or None. `templates`:
    the templates the workflow runs (its own, or its WorkflowTemplate's)."""
    for template in templates:
        if not isinstance(template, dict):
            continue
        name = template.get("name")
        if from_template_ref and not any(kind in template for kind in TEMPLATE_TYPES):
            return f"template '{name}' type is unknown"
        for i, group in enumerate(_list(template.get("steps"))):
            for step in group if isinstance(group, list) else [group]:
                for hook_name, hook in _dict(_dict(step).get("hooks")).items():
                    if hook_name != "exit" and isinstance(hook, dict) and not hook.get("expression"):
                        return f"templates.{name}.steps[{i}].{_dict(step).get('name')}.{hook_name} Expression required"
    # the validator checks the templates, then spec.hooks; DAG task hooks are not checked
    for hook_name, hook in _dict(spec.get("hooks")).items():
        if hook_name != "exit" and isinstance(hook, dict) and not hook.get("expression"):
            return f"hooks.{hook_name} Expression required"
    return None


def missing_volume(template: dict, spec: dict) -> Optional[str]:
    """The pod-creation error for a volumeMount that names no volume of the workflow, the
    template or a volumeClaimTemplate, or None."""
    containers = [_dict(template.get("container")), _dict(template.get("script"))]
    containers += _list(_dict(template.get("containerSet")).get("containers"))
    containers += _list(template.get("sidecars")) + _list(template.get("initContainers"))
    mounts = list(_list(_dict(template.get("containerSet")).get("volumeMounts")))
    for container in containers:
        mounts.extend(_list(_dict(container).get("volumeMounts")))
    if not mounts:  # most pods: the volumes need not be collected
        return None
    known = {_dict(v).get("name") for v in _list(spec.get("volumes")) + _list(template.get("volumes"))}
    known |= {_dict(_dict(c).get("metadata")).get("name") for c in _list(spec.get("volumeClaimTemplates"))}
    for mount in mounts:
        name = _dict(mount).get("name")
        if isinstance(name, str) and name not in known:
            return f"volume '{name}' not found in workflow spec"
    return None


def memo_key(template: dict) -> Optional[tuple]:
    """(cache name, key) of a template's `memoize`, or None."""
    memoize = template.get("memoize")
    if memoize is None:  # most templates
        return None
    memoize = _dict(memoize)
    key = as_text(memoize.get("key"))
    if key is None:
        return None
    cache = as_text(_dict(_dict(memoize.get("cache")).get("configMap")).get("name")) or ""
    return cache, key


def leaf_deadline(template: dict) -> Optional[int]:
    """Seconds a leaf may run: the least of its `activeDeadlineSeconds` and `timeout`."""
    limits = []
    ads = template.get("activeDeadlineSeconds")
    if ads is not None:
        seconds = duration_ticks(as_text(ads))
        if seconds is not None:
            limits.append(seconds)
    timeout = template.get("timeout")
    if timeout is not None:
        seconds = duration_ticks(as_text(timeout))
        if seconds is not None:
            limits.append(seconds)
    return min(limits) if limits else None


def workflow_deadline(spec: dict) -> Optional[int]:
    """The tick at which `spec.activeDeadlineSeconds` ends the workflow, or None."""
    ads = spec.get("activeDeadlineSeconds")
    if ads is None:
        return None
    return duration_ticks(as_text(ads))

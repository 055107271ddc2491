"""Pod-level fields of the workflow spec: substituted in each pod, not once for the workflow.

`spec.podSpecPatch`, `nodeSelector`, `tolerations`, `affinity`, `podMetadata` and `volumes`
are copied into every pod the workflow runs and substituted there with the variables of
*that pod's* template: its `inputs.parameters.*`, `pod.name`, and, for `spec.volumes`, the
outputs of the steps or tasks that ran before the step or task creating the pod (Argo's
`workflowpod.go`, `dag.go`; argo-semantics §2). A tag there is wrong only when no template
that receives it can resolve it.
"""

from __future__ import annotations

from typing import Optional

from argolint.analysis.templating.scope import POD_TYPES, Problem, Where, resolve, template_scope


def resolve_pod_level(where: Where, segments: tuple, expression: bool) -> Optional[Problem]:
    """None when some template that runs a pod resolves `segments`; else the problem of the
    template likeliest meant. Computed once per reference and document."""
    ctx = where.ctx
    key = ("pod-level", segments, expression)
    if key not in ctx.cache:
        ctx.cache[key] = _resolve(ctx, segments, expression)
    return ctx.cache[key]


def _resolve(ctx, segments: tuple, expression: bool) -> Optional[Problem]:
    places = receiving_places(ctx, calls=segments[0] in ("steps", "tasks"))
    problems = []
    for place in places:
        problem = resolve(place, segments, expression)
        if problem is None:
            return None
        problems.append(problem)
    if not problems:
        return None  # the pods come from a referenced template argolint may not have
    # the template whose problem has a "did you mean" is likeliest the one meant
    first = next((p for p in problems if p.fix is not None), problems[0])
    where_text = "template that runs a pod" if segments[0] not in ("steps", "tasks") else "step or task"
    return Problem(first.rule, f"{first.message}: this field of the spec is substituted in each pod with the "
                   f"variables of that pod's template, and no {where_text} resolves it", first.hint, first.severity,
                   first.fix)


def receiving_places(ctx, calls: bool) -> list:
    """Where a pod-level field is substituted: the body of each template that runs a pod,
    or (`calls`, for a step's or task's outputs) each step and task of the document."""
    from argolint.analysis.templating.check import all_templates

    templates = all_templates(ctx.spec)
    if calls:
        scopes = [template_scope(ctx, t) for t in templates if t.type in ("steps", "dag")]
        return [Where(ctx, scope, info, "call") for scope in scopes for info in scope.call_infos]
    return [Where(ctx, template_scope(ctx, t), None, "body") for t in templates if t.type in POD_TYPES]

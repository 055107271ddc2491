"""Outputs: what a finished node puts in its caller's scope (argo-semantics §2.3-2.8, §5)."""

from __future__ import annotations

from typing import Optional

from argolint.evaluator.exprlang import ExprError, evaluate, render
from argolint.evaluator.nodes import OMITTED, SKIPPED_PHASE, SUCCEEDED, Node, Outputs
from argolint.evaluator.values import as_text, go_json, parse_json
from argolint.evaluator.variables import Artifact, Layer, Vars


class OutputError(Exception):
    """A steps/DAG template's outputs that cannot be computed (the node errors); `reference`
    is the tag (or expression) that failed, when one did."""

    def __init__(self, message: str, reference=None):
        super().__init__(message)
        self.reference = reference


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def declared_outputs(template: Optional[dict]) -> dict:
    """name -> default (None: no default) of a template's output parameters."""
    out = {}
    for p in _list(_dict(_dict(template).get("outputs")).get("parameters")):
        name = _dict(p).get("name")
        if isinstance(name, str):
            default = _dict(p.get("valueFrom")).get("default")
            out[name] = as_text(default) if default is not None else None
    return out


def declared_artifacts(template: Optional[dict]) -> list:
    return [a.get("name") for a in _list(_dict(_dict(template).get("outputs")).get("artifacts"))
            if isinstance(a, dict) and isinstance(a.get("name"), str)]


def node_entries(node: Node, identity: dict, declared: Optional[dict] = None, placeholder_artifacts: tuple = (),
                 ) -> dict:
    """The `<root>.<name>.*` entries of a finished step or task (suffix -> value).

    `identity` holds id, status, startedAt, finishedAt. A Skipped or Omitted node gets the
    absent placeholders of its template's declared outputs: the default, else None. A Layer,
    so that `RefScope.add` keeps it without a copy."""
    entries = Layer(identity)
    if node.phase in (SKIPPED_PHASE, OMITTED):
        for name, default in (declared or {}).items():
            entries[f"outputs.parameters.{name}"] = default
        for name in placeholder_artifacts:
            entries[f"outputs.artifacts.{name}"] = Artifact(name=name, optional=True, absent=True)
        return entries
    outputs = node.outputs
    if outputs is not None:
        if outputs.exit_code is not None:
            entries["exitCode"] = outputs.exit_code
        if outputs.has_result:
            entries["outputs.result"] = outputs.result
        for name, value in outputs.parameters.items():
            entries[f"outputs.parameters.{name}"] = value
        for name, artifact in outputs.artifacts.items():
            entries[f"outputs.artifacts.{name}"] = artifact
    if node.daemoned:
        entries["ip"] = "10.0.0.1"
    return entries


def aggregate(children: list, placeholders: set, in_dag: bool, captures: bool = True) -> dict:
    """Aggregated outputs of a loop's children (suffix -> value); raises OutputError when a
    result is not JSON (the whole steps node errors, as in Argo).

    `captures`: whether the looped template prints a result at all. The controller would
    aggregate `[]` for one that does not, but the submit-time validator rejects a reference
    to it, so the workflow never runs: the dry run leaves the result out, and a reference to
    it is reported."""
    kids = [c for c in children if not c.hooked]
    if not in_dag and not any(c.phase != SKIPPED_PHASE for c in kids):
        return {}
    results, params, per_name = [], [], {}
    for child in kids:
        outputs = child.outputs
        if outputs is None or child.phase != SUCCEEDED:
            continue
        if outputs.parameters:
            params.append(dict(outputs.parameters))
            for name, value in outputs.parameters.items():
                per_name.setdefault(name, []).append(value)
        if outputs.has_result:
            text = outputs.result or ""
            if text in placeholders:
                results.append(text)  # an unmocked result: kept visible instead of failing the run
                continue
            try:
                results.append(parse_json(text))
            except (ValueError, RecursionError) as exc:
                raise OutputError(f"the result of '{child.name}' is not JSON, so the loop's results cannot be "
                                  f"aggregated: {text!r}: {exc}") from None
    entries = {"outputs.parameters": go_json(params)}
    if captures:
        entries["outputs.result"] = go_json(results)
    for name, values in per_name.items():
        entries[f"outputs.parameters.{name}"] = _value_list(values)
    return entries


def _value_list(values: list) -> str:
    """JSON list of the values: parsed when every one is a JSON object or array."""
    parsed = []
    for value in values:
        try:
            item = parse_json(value)
        except (ValueError, RecursionError):
            return go_json(values)
        if not isinstance(item, (dict, list)):
            return go_json(values)
        parsed.append(item)
    return go_json(parsed)


def _tag_key(text: str) -> Optional[str]:
    stripped = text.strip()
    if stripped.startswith("{{") and stripped.endswith("}}") and stripped.count("{{") == 1:
        return stripped[2:-2].strip()
    return None


def template_outputs(template: dict, vars: Vars, now=None, path: tuple = (), decided: Optional[set] = None,
                     document=None) -> Outputs:
    """The outputs of a finished steps/DAG template (P6). `path` is where the template is
    written; tags and expressions evaluated are added to `decided`."""
    from argolint.evaluator.substitute import Reference

    outputs = Outputs()
    declared = _dict(template.get("outputs"))
    for i, p in enumerate(_list(declared.get("parameters"))):
        name = _dict(p).get("name")
        if not isinstance(name, str):
            continue
        value_from = _dict(p.get("valueFrom"))
        where = path + ("outputs", "parameters", i, "valueFrom")
        default = as_text(value_from.get("default")) if value_from.get("default") is not None else None
        value = None
        if "parameter" in value_from:
            source = as_text(value_from.get("parameter")) or ""
            key = _tag_key(source)
            if key is None:
                value = source
            else:
                found, value = vars.lookup(key)
                tag = source.strip()
                if not found or value is None:
                    if default is None:
                        why = "is an absent optional" if found else "is not available"
                        raise OutputError(f"unable to resolve outputs from scope: {source} {why}",
                                          Reference(tag, tag, where + ("parameter",)))
                    value = default
                elif decided is not None:
                    decided.add((id(document), where + ("parameter",), tag))
        elif "expression" in value_from:
            from argolint.analysis.templating.expr import try_parse_expr

            source = as_text(value_from.get("expression")) or ""
            tree, error = try_parse_expr(source)
            try:
                if error is not None:
                    raise ExprError(error.message)
                result = evaluate(tree, vars.env(), now)
                if result is None:
                    raise ExprError("the result is nil")
                value = render(result)
                if decided is not None:
                    decided.add((id(document), where + ("expression",), source))
            except ExprError as exc:
                if default is None:
                    raise OutputError(f"failed to evaluate output parameter '{name}' expression '{source}': {exc}",
                                      Reference(source, source, where + ("expression",))) from None
                value = default
        elif p.get("value") is not None:
            value = as_text(p.get("value"))
        elif default is not None:
            value = default
        if value is not None:
            outputs.parameters[name] = value
    for a in _list(declared.get("artifacts")):
        name = _dict(a).get("name")
        if not isinstance(name, str):
            continue
        source = a.get("from")
        if isinstance(source, str):
            key = _tag_key(source)
            found, artifact = vars.artifact(key) if key else (False, None)
            if found and isinstance(artifact, dict):
                outputs.artifacts[name] = Artifact(artifact)
                continue
            if a.get("optional") is True:
                continue
            raise OutputError(f"unable to resolve output artifact '{name}' from {source}")
        outputs.artifacts[name] = Artifact(name=name)
    return outputs

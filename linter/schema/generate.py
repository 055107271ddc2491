"""Derive argolint's Argo schema from Hera's pydantic models, then apply the overlay.

Run `python -m argolint.schema.generate` (needs the `schema` extra: `pip install
argolint[schema]`) to rewrite `argo-schema.json` next to this file; `--check` compares
instead and exits 1 on a difference. Hera is a development-time dependency only:
argolint reads the generated JSON at run time and never imports Hera.

What the generator does to the models' JSON Schema, so that validation is strict and the
file stays small:
- one `$defs` table for the four kinds, pruned to what they reach, and `x-kinds` mapping
  each kind to its definition;
- optional fields lose pydantic's `anyOf: [X, {type: null}]` (the validator accepts null
  anywhere, as Go's decoder does) and alternatives of plain types become a type list;
- titles, descriptions and defaults are dropped (the descriptions go to
  `field-descriptions.json` beside it, for the language server's hover);
- every object with properties is closed (`additionalProperties: false`) unless the
  overlay lists it as open;
- `overlay.yaml` then adds what the models lack or mistype (see its comments).

The output is deterministic: sorted keys, fixed indentation, the Hera and Argo versions
recorded in it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_FILE = os.path.join(HERE, "argo-schema.json")
# The models' field descriptions, which the schema drops: the language server's hover on a key.
DESCRIPTIONS_NAME = "field-descriptions.json"
DESCRIPTION_WIDTH = 600  # longer descriptions are cut at a sentence end (Kubernetes' run long)
OVERLAY_FILE = os.path.join(HERE, "overlay.yaml")
KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")
DROPPED_KEYWORDS = ("title", "description", "default", "examples", "format")
REF_PREFIX = "#/$defs/"


class OverlayError(Exception):
    """The overlay no longer fits the models (a Hera upgrade added or removed a field)."""


def hera_versions() -> tuple[str, str]:
    """(Hera's version, the Argo version its models were generated from)."""
    import importlib.metadata

    import hera.workflows.models.io.argoproj.workflow.v1alpha1 as argo_models

    with open(argo_models.__file__, encoding="utf-8") as fh:
        header = fh.read(2000)
    match = re.search(r"argo-workflows-([0-9][0-9A-Za-z.\-]*)\.json", header)
    return importlib.metadata.version("hera"), match.group(1) if match else "unknown"


def model_schemas() -> dict[str, dict]:
    """Each kind's JSON Schema as pydantic produces it from Hera's model."""
    from hera.workflows import models

    return {kind: getattr(models, kind).model_json_schema(by_alias=True) for kind in KINDS}


def short_name(name: str) -> str:
    """pydantic disambiguates clashing class names with their module path
    (`hera__workflows__models__io__k8s__api__core__v1__HTTPHeader`); keep `v1.HTTPHeader`."""
    if "__" not in name:
        return name
    parts = name.split("__")
    return f"{parts[-2]}.{parts[-1]}"


def merged_definitions(schemas: dict[str, dict]) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for kind, schema in schemas.items():
        body = {k: v for k, v in schema.items() if k != "$defs"}
        for name, definition in list(schema.get("$defs", {}).items()) + [(kind, body)]:
            name = short_name(name)
            if name in defs and defs[name] != definition:
                raise OverlayError(f"definition {name} differs between kinds")
            defs[name] = definition
    return {name: _rename_refs(d) for name, d in defs.items()}


def _rename_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _rename_refs(v) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            out["$ref"] = REF_PREFIX + short_name(ref[len(REF_PREFIX):])
        return out
    if isinstance(node, list):
        return [_rename_refs(v) for v in node]
    return node


def simplify(node: Any) -> Any:
    """Drop documentation keywords and nullable wrappers; merge plain type alternatives."""
    if isinstance(node, list):
        return [simplify(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: v for k, v in node.items() if k not in DROPPED_KEYWORDS}
    alternatives = node.pop("anyOf", None)
    if alternatives is not None:
        alternatives = [simplify(a) for a in alternatives if a != {"type": "null"}]
        if len(alternatives) == 1:
            node = {**alternatives[0], **node}
        elif all(set(a) == {"type"} and isinstance(a["type"], str) for a in alternatives):
            node["type"] = [a["type"] for a in alternatives]
        else:
            node["anyOf"] = alternatives
    for key in ("properties", "$defs"):
        if key in node:
            node[key] = {k: simplify(v) for k, v in node[key].items()}
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            node[key] = simplify(node[key])
    return node


def _expand_refs(node: Any) -> Any:
    """Overlay shorthand: `$ref: Name` means `$ref: '#/$defs/Name'`."""
    if isinstance(node, dict):
        out = {k: _expand_refs(v) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            out["$ref"] = REF_PREFIX + ref
        return out
    if isinstance(node, list):
        return [_expand_refs(v) for v in node]
    return node


def load_overlay(path: str = OVERLAY_FILE) -> dict:
    from argolint.load.loader import LimitOptions, load_values

    with open(path, encoding="utf-8") as fh:
        values, problems = load_values(fh.read(), path, LimitOptions(yaml_1_2=True))
    if problems:
        raise ValueError(f"{path}:{problems[0].line}: {problems[0].message}")
    return _expand_refs(values[0] if values else {})


def apply_overlay(defs: dict, overlay: dict) -> dict:
    """Apply the overlay's sections in a fixed order; every target must exist (or, for
    additions, must not yet exist), so a Hera upgrade that fixes a gap is noticed."""
    for name, definition in (overlay.get("definitions") or {}).items():
        defs[name] = definition
    for name, fields in (overlay.get("add") or {}).items():
        props = _definition(defs, name).setdefault("properties", {})
        for field, schema in fields.items():
            if field in props:
                raise OverlayError(f"overlay adds {name}.{field}, but the models have it now: drop or move it")
            props[field] = schema
    for section in ("replace", "refine"):
        for name, fields in (overlay.get(section) or {}).items():
            props = _definition(defs, name).get("properties", {})
            for field, schema in fields.items():
                if field not in props:
                    raise OverlayError(f"overlay section '{section}' names {name}.{field}, which the models lack")
                props[field] = schema if section == "replace" else {**props[field], **schema}
    for name, source in (overlay.get("copies") or {}).items():
        defs[name] = json.loads(json.dumps(_definition(defs, source)))
    for name, required in (overlay.get("required") or {}).items():
        definition = _definition(defs, name)
        if required:
            definition["required"] = sorted(required)
        else:
            definition.pop("required", None)
    for name, fields in (overlay.get("removed") or {}).items():
        definition = _definition(defs, name)
        for field in fields:
            if field in definition.get("properties", {}):
                raise OverlayError(f"overlay says {name}.{field} was removed, but the models have it")
        definition["x-removed"] = dict(fields)
    open_defs = set(overlay.get("open") or ())
    for name in open_defs:
        _definition(defs, name)
    for name, definition in defs.items():
        if "properties" in definition and name not in open_defs:
            definition["additionalProperties"] = False
    return defs


def _definition(defs: dict, name: str) -> dict:
    if name not in defs:
        raise OverlayError(f"overlay names definition {name}, which the models lack")
    return defs[name]


def reachable(defs: dict, roots) -> dict:
    seen: set = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        if name not in defs:
            raise OverlayError(f"$ref to a definition that does not exist: {name}")
        seen.add(name)
        stack.extend(_refs(defs[name]))
    return {name: defs[name] for name in sorted(seen)}


def _refs(node: Any):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            yield ref[len(REF_PREFIX):]
        for v in node.values():
            yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def check_refs(node: Any, where: str = "") -> None:
    """The validator replaces each `{"$ref": ...}` by its definition, so a `$ref` must
    stand alone and name a definition that exists (checked against `reachable`)."""
    if isinstance(node, dict):
        if "$ref" in node and len(node) != 1:
            raise OverlayError(f"{where}: a $ref with sibling keywords {sorted(set(node) - {'$ref'})}")
        for key, value in node.items():
            check_refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            check_refs(value, f"{where}/{i}")


def build(schemas: dict[str, dict], overlay: dict, hera_version: str, argo_version: str) -> dict:
    defs = {name: simplify(d) for name, d in merged_definitions(schemas).items()}
    defs = apply_overlay(defs, overlay)
    check_refs(defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "x-generated-by": "python -m argolint.schema.generate (from Hera's models and overlay.yaml)",
        "x-hera-version": hera_version,
        "x-argo-version": argo_version,
        "x-overlay-argo-version": overlay.get("argo-version", argo_version),
        "x-kinds": {kind: kind for kind in KINDS},
        "$defs": reachable(defs, KINDS),
    }


def render(schema: dict) -> str:
    return json.dumps(schema, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _short_description(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_WIDTH:
        return text
    cut = text.rfind(". ", 0, DESCRIPTION_WIDTH)
    return text[: cut + 1] if cut > 0 else text[: DESCRIPTION_WIDTH - 1] + "…"


def descriptions(schemas: dict[str, dict], schema: dict) -> dict:
    """{definition: {field: description}} for the definitions of the built `schema`."""
    defs = merged_definitions(schemas)
    out: dict = {}
    for name in schema["$defs"]:
        fields = {field: _short_description(spec["description"])
                  for field, spec in (defs.get(name, {}).get("properties") or {}).items()
                  if isinstance(spec, dict) and spec.get("description")}
        if fields:
            out[name] = fields
    return out


def generate_both() -> tuple[str, str]:
    """The schema's text and the field descriptions' text."""
    hera_version, argo_version = hera_versions()
    schemas = model_schemas()
    schema = build(schemas, load_overlay(), hera_version, argo_version)
    return render(schema), json.dumps(descriptions(schemas, schema), indent=0, sort_keys=True,
                                      ensure_ascii=False) + "\n"


def generate() -> str:
    return generate_both()[0]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m argolint.schema.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--output", default=SCHEMA_FILE, help="where to write (default: the packaged schema)")
    parser.add_argument("--check", action="store_true", help="compare with the output file; exit 1 if it differs")
    args = parser.parse_args(argv)
    outputs = dict(zip((args.output, os.path.join(os.path.dirname(os.path.abspath(args.output)), DESCRIPTIONS_NAME)),
                       generate_both()))
    if args.check:
        for path, text in outputs.items():
            try:
                with open(path, encoding="utf-8") as fh:
                    current = fh.read()
            except OSError:
                current = None
            if current != text:
                print(f"{path} is out of date: run python -m argolint.schema.generate", file=sys.stderr)
                return 1
        return 0
    for path, text in outputs.items():
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"wrote {path} ({len(text) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

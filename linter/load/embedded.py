"""YAML inside YAML: a resource template's `manifest` is parsed too (for the RBAC checks),
through the same bounded loader; one it cannot load for its size, depth or aliases gets the
input-too-large diagnostic on the `manifest` value, as a file would at its own place."""

from __future__ import annotations

from argolint.diagnostics import Diagnostic, Severity, json_pointer

# Below these, no manifest can nest too deep or expand an alias far: not worth a parse.
_BRACKETS_WORTH_CHECKING = 200
_INDENT_WORTH_CHECKING = 400


def embedded_manifest_problems(document, limits) -> list:
    """input-too-large diagnostics for the resource manifests of an Argo document."""
    from argolint.load.loader import load_values

    spec = document.get(("spec",))
    spec_path = ("spec",)
    if isinstance(spec, dict) and isinstance(spec.get("workflowSpec"), dict):  # a CronWorkflow
        spec, spec_path = spec["workflowSpec"], ("spec", "workflowSpec")
    templates = spec.get("templates") if isinstance(spec, dict) else None
    found = []
    for index, template in enumerate(templates if isinstance(templates, list) else ()):
        resource = template.get("resource") if isinstance(template, dict) else None
        manifest = resource.get("manifest") if isinstance(resource, dict) else None
        if not isinstance(manifest, str) or not _worth_checking(manifest):
            continue
        _, problems = load_values(manifest, "<manifest>", limits)
        for problem in problems:
            if problem.rule == "input-too-large":
                path = spec_path + ("templates", index, "resource", "manifest")
                span = document.span_of(path)
                found.append(Diagnostic(
                    rule="input-too-large", severity=Severity.ERROR,
                    message="the manifest of this resource template cannot be read: "
                            + problem.message.removesuffix("; not linted"),
                    hint=problem.hint, file=document.file.path, line=span.line, column=span.column,
                    end_line=span.end_line, end_column=span.end_column, document=document.index,
                    kind=document.kind, name=document.name, path=json_pointer(path)))
                break
    return found


def _worth_checking(manifest: str) -> bool:
    if "*" in manifest or len(manifest) > 1 << 20:
        return True
    if manifest.count("[") + manifest.count("{") > _BRACKETS_WORTH_CHECKING:
        return True
    return " " * _INDENT_WORTH_CHECKING in manifest

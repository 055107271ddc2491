"""The places of a workflow that set a template's fields."""


def template_levels(spec) -> list:
    """(data, path, label) for the workflow's spec, its `templateDefaults` (when a mapping)
    and each of its templates, in that order: for the rules that judge a field Argo reads
    from any of them."""
    from argolint.analysis.templating.check import all_templates

    levels = [(spec.data, spec.path, "the workflow")]
    defaults = spec.data.get("templateDefaults")
    if isinstance(defaults, dict):
        levels.append((defaults, spec.path + ("templateDefaults",), "templateDefaults"))
    levels += [(t.data, t.path, f"template '{t.name}'") for t in all_templates(spec)]
    return levels

from argolint.diagnostics import Finding
from argolint.rules._pod_templates import templates_setting, blank, label
from argolint.rules.base import Rule


SOURCES = ("path", "jqFilter", "jsonPath", "parameter", "expression", "supplied")
# The source an output parameter of each template type may use, and how to say it.
SOURCE_BY_TYPE = {
    "container": (("path",), "`valueFrom.path` (a file the container writes)"),
    "script": (("path",), "`valueFrom.path` (a file the script writes)"),
    "containerSet": (("path",), "`valueFrom.path` (a file the containers write)"),
    "resource": (("jqFilter", "jsonPath"), "`valueFrom.jsonPath` or `valueFrom.jqFilter` (read from the object)"),
    "steps": (("parameter", "expression"), "`valueFrom.parameter` or `valueFrom.expression` (from a step's outputs)"),
    "dag": (("parameter", "expression"), "`valueFrom.parameter` or `valueFrom.expression` (from a task's outputs)"),
}


class InvalidOutput(Rule):
    """An output parameter with no source, two sources, or a source its template cannot give.

    ## What it does
    Checks each `outputs.parameters` entry of a template: it has `value` or `valueFrom`,
    not both; its `valueFrom` names exactly one of `path`, `jqFilter`, `jsonPath`,
    `parameter`, `expression`, `supplied` (`default` alone is not a source); and the
    source suits the template: `path` for container, script and containerSet templates,
    `jsonPath` or `jqFilter` for resource templates, `parameter` or `expression` for steps
    and DAG templates.

    ## Why is this bad?
    Argo rejects the workflow when it is submitted ("valueFrom type unspecified",
    "...path must be specified for Container templates"), so nothing runs.

    ## Example
    A steps template that reads its output the way a container does:
    ```yaml
    - name: main
      steps:
      - - {name: build, template: build}
      outputs:
        parameters:
        - name: version
          valueFrom:
            path: /tmp/version
    ```

    Use instead:
    ```yaml
      outputs:
        parameters:
        - name: version
          valueFrom:
            parameter: "{{steps.build.outputs.parameters.version}}"
    ```
    """

    id = "invalid-output"

    def check_document(self, ctx):
        for template in templates_setting(ctx, "outputs"):
            yield from self._template(ctx, template)

    def _template(self, ctx, template):
        template_type = template.type
        for parameter in template.output_parameters:
            data, path = parameter.data, parameter.path
            name = parameter.name
            what = f"output parameter '{name}' of {label(template)}" if name is not None else \
                f"an output parameter of {label(template)}"
            value_from = data.get("valueFrom")
            has_value = data.get("value") is not None
            if has_value and value_from is not None:
                yield Finding(path + ("valueFrom",), f"{what} has both `value` and `valueFrom`",
                              hint="keep one of them", at="key")
                continue
            if not has_value and value_from is None:
                yield Finding(path + ("name",) if name is not None else path, f"{what} has no `value` or `valueFrom`",
                              hint=_source_hint(template_type))
                continue
            if not isinstance(value_from, dict):
                continue
            sources = [s for s in SOURCES if (value_from.get(s) is not None if s == "supplied"
                                              else not blank(value_from.get(s)))]
            if not sources:
                yield Finding(path + ("valueFrom",), f"the valueFrom of {what} names no source"
                              + (" (`default` is only the fallback)" if "default" in value_from else ""),
                              hint=_source_hint(template_type), at="key")
            elif len(sources) > 1:
                yield Finding(path + ("valueFrom", sources[1]), f"the valueFrom of {what} names "
                              f"{len(sources)} sources ({', '.join(sources)}); it takes one", hint="keep one of them",
                              at="key")
            elif template_type in SOURCE_BY_TYPE and sources[0] not in SOURCE_BY_TYPE[template_type][0]:
                yield Finding(path + ("valueFrom", sources[0]), f"`valueFrom.{sources[0]}` does not work in a "
                              f"{template_type} template ({what})", hint=_source_hint(template_type), at="key")


def _source_hint(template_type):
    known = SOURCE_BY_TYPE.get(template_type)
    return f"a {template_type} template's output takes {known[1]}" if known else \
        "give `value:` or one `valueFrom` source (path, jsonPath, jqFilter, parameter, expression, supplied)"

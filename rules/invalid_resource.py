from argolint.diagnostics import Finding
from argolint.rules._pod_templates import templates_setting, as_dict, as_list, blank, label
from argolint.rules.base import Rule, did_you_mean, quoted_list


# Actions that need no manifest: `get` and `delete` may name the object through `flags`.
ACTIONS_WITHOUT_MANIFEST = ("get", "delete")
ACTIONS_WITH_MANIFEST = ("create", "apply", "replace", "patch")


class InvalidResource(Rule):
    """A resource template whose manifest is missing, doubled, unreadable or from an unknown artifact.

    ## What it does
    Checks a `resource` template: an action other than `get` and `delete` has a
    `manifest` or a `manifestFrom`; not both; `manifestFrom.artifact.name` is one of the
    template's input artifacts; and `manifest` is valid YAML. `{{...}}` tags in the
    manifest are read as plain words, as Argo's validator reads them as placeholders; a
    manifest with an unclosed `{{` is left to `expression-syntax`. (An unknown `action` is
    reported by `invalid-value`.)

    ## Why is this bad?
    Argo rejects the workflow when it is submitted ("templates.create.resource.manifest
    must be a valid yaml", "either ... manifest or ... manifestFrom must be specified"); a
    manifest that does not parse would fail `kubectl` at run time anyway.

    ## Example
    A manifest written as a folded scalar (`>`), which joins its lines into one:
    ```yaml
    resource:
      action: create
      manifest: >
        apiVersion: v1
        kind: ConfigMap
        metadata:
          generateName: report-
    ```

    Use instead (a literal block keeps the lines):
    ```yaml
    resource:
      action: create
      manifest: |
        apiVersion: v1
        kind: ConfigMap
        metadata:
          generateName: report-
    ```
    """

    id = "invalid-resource"

    def check_document(self, ctx):
        for template in templates_setting(ctx, "resource"):
            yield from self._template(ctx, template)

    def _template(self, ctx, template):
        resource = template.data.get("resource")
        if not isinstance(resource, dict):
            return
        path = template.path + ("resource",)
        action = resource.get("action")
        manifest = resource.get("manifest")
        has_manifest = not blank(manifest)
        has_from = resource.get("manifestFrom") is not None
        if action in ACTIONS_WITH_MANIFEST and not has_manifest and not has_from:
            yield Finding(path + ("action",), f"resource action '{action}' of {label(template)} has no manifest",
                          hint="add `manifest: |` with the object, or `manifestFrom: {artifact: {name: ...}}`")
        if has_manifest and has_from:
            yield Finding(path + ("manifestFrom",), f"{label(template)} has both `manifest` and `manifestFrom`",
                          hint="keep one of them", at="key")
        if has_from:
            yield from _manifest_from(template, path + ("manifestFrom",), resource["manifestFrom"])
        if isinstance(manifest, str) and has_manifest:
            yield from _manifest_yaml(template, path + ("manifest",), manifest)


def _manifest_from(template, path, manifest_from):
    name = as_dict(as_dict(manifest_from).get("artifact")).get("name")
    if not isinstance(name, str) or "{{" in name:
        return
    inputs = [as_dict(a).get("name") for a in as_list(as_dict(template.data.get("inputs")).get("artifacts"))]
    inputs = [n for n in inputs if isinstance(n, str)]
    if name not in inputs:
        yield Finding(path + ("artifact", "name"), f"manifestFrom artifact '{name}' is not an input artifact of "
                      f"{label(template)}",
                      hint=did_you_mean(name, inputs) or (f"its input artifacts are {quoted_list(inputs)}" if inputs
                                                          else "declare it under inputs.artifacts"))


def _manifest_yaml(template, path, manifest):
    from argolint.load.loader import LimitOptions, load_values
    from argolint.schema.formats import TAG

    text = TAG.sub(lambda m: "".join("\n" if c == "\n" else "x" for c in m.group()), manifest) \
        if "{{" in manifest else manifest
    if "{{" in text or _parses(text):
        return
    # only a manifest that does not parse pays for the loader's spans and messages
    _, problems = load_values(text, "manifest", LimitOptions(max_file_bytes=len(text) + 1))
    problem = next((d for d in problems if d.rule == "yaml-syntax"), None)
    if problem is None:
        return
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[:problem.line - 1]) + problem.column - 1
    offset = min(offset, max(len(manifest) - 1, 0))
    yield Finding(path, f"the manifest of {label(template)} is not valid YAML: "
                  f"{problem.message.removeprefix('YAML syntax error: ')}",
                  hint="fix the manifest's indentation or quoting; write it as a literal block (`manifest: |`)",
                  start=offset, end=offset + 1)


def _parses(text):
    """Whether the loader's YAML parser reads the text through (its events only: no data,
    no spans). False also when libyaml refuses what the loader then accepts with its pure
    parser; the caller asks the loader."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import StreamEndEvent
    from argolint.load.events import event_source

    try:
        next_event = event_source(text)
        while type(next_event()) is not StreamEndEvent:
            pass
    except (YAMLError, UnicodeError):
        return False
    return True

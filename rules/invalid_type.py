from argolint.rules.base import Rule


class InvalidType(Rule):
    """A value of the wrong type for its field.

    ## What it does
    Checks the type of every value against Argo's schema: a list where a list is expected,
    a mapping where an object is, an integer, a boolean. A string holding a `{{...}}` tag
    is accepted where Argo substitutes it before use (numbers, booleans); Kubernetes
    quantities and Argo's parameter values accept numbers; null is accepted anywhere (it
    means "unset"). The message names the expected and the found type.

    ## Why is this bad?
    Argo cannot decode the manifest: the submission fails with a Go decoding error such as
    "cannot unmarshal string into Go struct field Container.command of type []string".

    ## Example
    ```yaml
    container:
      image: alpine
      command: echo hi
    ```

    Use instead:
    ```yaml
    container:
      image: alpine
      command: [echo, hi]
    ```
    """

    id = "invalid-type"

    def check_document(self, ctx):
        from argolint.schema import schema_findings

        return [_with_quotes(ctx.document, f) for f in schema_findings(ctx)[self.id]]


def _with_quotes(document, finding):
    """A plain scalar YAML 1.1 reads as a boolean or a number (`n`, `no`, `on`, `012`, `1e3`)
    where a string is expected gets a safe fix: the same characters in double quotes, which
    is what its author wrote them for. In JSON `true` and `10` are no surprise, and anchored
    text is shared with other places: there the fix is a guess (unsafe)."""
    value = document.get(finding.path)
    info = document.nodes.get(tuple(finding.path))
    if not isinstance(value, (bool, int, float)) or info is None or info.style != "" or \
            not (finding.hint or "").startswith("quote it"):
        return finding
    raw = info.source.text[info.start:info.end]
    if not raw or '"' in raw or "\\" in raw:
        return finding
    from argolint.diagnostics import Edit

    quoted = f'"{raw}"'
    from argolint.load.text_edits import through_anchor

    safe = not document.file.path.endswith(".json") and not through_anchor(document, finding.path)
    return finding.replace(edits=(Edit(info.value, quoted, f"Quote it: {quoted}", safe=safe),))

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

        return schema_findings(ctx)[self.id]

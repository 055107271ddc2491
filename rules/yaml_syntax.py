from argolint.rules.base import LoaderRule


class YamlSyntax(LoaderRule):
    """YAML that cannot be parsed.

    ## What it does
    Reports the first syntax error of a YAML document at the parser's position. The other
    documents of the same file (separated by `---`) are still parsed and linted.

    ## Why is this bad?
    Kubernetes rejects the whole file; `kubectl` names only the first problem, and often
    the wrong line.

    ## Example
    ```yaml
    spec:
      entrypoint: main
      templates: [
    ```

    Use instead:
    ```yaml
    spec:
      entrypoint: main
      templates: []
    ```
    """

    id = "yaml-syntax"

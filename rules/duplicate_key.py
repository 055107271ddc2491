from argolint.rules.base import LoaderRule


class DuplicateKey(LoaderRule):
    """A mapping key given twice.

    ## What it does
    Reports the second occurrence of a key in one mapping. The document is still linted,
    with the later value, as Kubernetes would read it.

    ## Why is this bad?
    The first value is silently dropped. Usually one of the two was meant to be something
    else, or the two should have been merged.

    ## Example
    ```yaml
    metadata:
      annotations: {team: data}
      annotations: {owner: alice}
    ```

    Use instead:
    ```yaml
    metadata:
      annotations: {team: data, owner: alice}
    ```
    """

    id = "duplicate-key"

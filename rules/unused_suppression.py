from argolint.diagnostics import Severity
from argolint.rules.base import Rule


class UnusedSuppression(Rule):
    """A suppression comment or annotation that suppresses nothing.

    ## What it does
    Reports `# argolint: ignore[...]`, `# argolint: disable-file[...]` and
    `argolint.io/ignore` entries that matched no diagnostic, and those that name a rule
    id argolint does not have.

    ## Why is this bad?
    A stale suppression hides the next real problem of that rule on that line, and a
    misspelled rule id suppresses nothing at all.

    ## Example
    ```yaml
    spec:  # argolint: ignore[missing-service-acount]
      entrypoint: main
    ```

    Use instead:
    ```yaml
    spec:  # argolint: ignore[missing-service-account]
      entrypoint: main
    ```
    """

    id = "unused-suppression"
    severity = Severity.WARNING
    reported_by = "suppressions"

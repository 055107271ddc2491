from argolint.diagnostics import Finding, Severity
from argolint.rules._levels import template_levels
from argolint.rules.base import Rule


class UnboundedRetry(Rule):
    """A `retryStrategy` without a `limit`, or with a `backoff` without `maxDuration`.

    ## What it does
    Checks the `retryStrategy` of every template, of `templateDefaults` and of the
    workflow's `spec`: it must set `limit`, and its `backoff`, when given, `maxDuration`. A
    best-practice rule (`--select best-practice`).

    ## Why is this bad?
    Without `limit` Argo retries a failing step forever: a step that can never succeed
    (a wrong image, a missing secret) keeps the workflow Running and creates pod after pod.
    A backoff without `maxDuration` grows without bound (`factor: 2` from 1 minute waits
    over 8 hours before the tenth retry).

    ## Example
    ```yaml
    retryStrategy:
      retryPolicy: Always
    ```

    Use instead:
    ```yaml
    retryStrategy:
      retryPolicy: Always
      limit: 3
      backoff:
        duration: 10s
        factor: 2
        maxDuration: 10m
    ```
    """

    id = "unbounded-retry"
    severity = Severity.WARNING
    category = "best-practice"

    def check_document(self, ctx):
        for data, path, label in template_levels(ctx.spec):
            strategy = data.get("retryStrategy")
            if not isinstance(strategy, dict):
                continue
            at = path + ("retryStrategy",)
            if strategy.get("limit") is None:
                yield Finding(at, f"the retryStrategy of {label} sets no `limit`: a step that keeps failing is "
                              "retried forever", hint="set `limit` (e.g. `limit: 3`)", at="key")
            backoff = strategy.get("backoff")
            if isinstance(backoff, dict) and backoff.get("maxDuration") is None:
                yield Finding(at + ("backoff",), f"the backoff of {label}'s retryStrategy sets no `maxDuration`: "
                              "its waits grow without bound", hint="set `backoff.maxDuration` (e.g. `10m`)", at="key")

from argolint.rules.base import Rule


class InvalidValue(Rule):
    """A value of the right type that Argo or Kubernetes does not accept.

    ## What it does
    Checks enumerations (`retryPolicy`, `concurrencyPolicy`, `imagePullPolicy`, resource
    `action`, `podGC.strategy`, toleration operators ...), Kubernetes names
    (`metadata.name` and `generateName`: DNS-1123 subdomains; at most 63 characters, 52 for
    a CronWorkflow), Argo's name patterns for templates, steps, tasks, parameters and
    artifacts, cron schedules (five fields or an @-macro, as Argo's cron parser accepts
    them; no seconds field), `timezone` (an IANA zone), durations (`suspend.duration`,
    `timeout`, `retryStrategy.backoff`, `memoize.maxAge`), Kubernetes quantities,
    pod-level resource names (`podResources` takes only cpu, memory and hugepages-*),
    `activeDeadlineSeconds` (whole seconds, 0 or more) and the values of a podGC label
    selector (In/NotIn need some, Exists/DoesNotExist take none). Values holding a `{{...}}` tag are
    left to the variable rules, except where Argo checks the value before substituting
    anything and so rejects any tag: `retryStrategy.retryPolicy` and DAG task names.
    Argument parameters (`spec.arguments`, steps, tasks) may take `valueFrom` only from
    `configMapKeyRef`, `supplied` or `event` (`path`, `parameter`, `expression` ... belong to
    outputs), may not have an empty `enum`, and a literal value must be in the `enum` given.

    ## Why is this bad?
    The workflow is rejected when it is submitted, or fails when the value is used: a
    schedule that never parses, a CronWorkflow whose name is too long for the Workflows it
    creates, a retry policy that is silently something else.

    ## Example
    ```yaml
    kind: CronWorkflow
    spec:
      schedules: ["0 */5 * * * *"]
      timezone: America/San_Fransisco
      concurrencyPolicy: forbid
    ```

    Use instead:
    ```yaml
    kind: CronWorkflow
    spec:
      schedules: ["*/5 * * * *"]
      timezone: America/Los_Angeles
      concurrencyPolicy: Forbid
    ```
    """

    id = "invalid-value"

    def check_document(self, ctx):
        from argolint.schema import schema_findings
        from argolint.analysis.templating.arguments import findings as argument_findings
        from argolint.rules._argument_values import findings as argument_value_findings

        yield from schema_findings(ctx)[self.id]
        # a literal argument outside the called template's parameter `enum`
        yield from argument_findings(ctx, self.id)
        # argument parameters: valueFrom sources, empty enums, a step's value outside its own enum
        yield from argument_value_findings(ctx)

import re

from argolint.diagnostics import Finding
from argolint.rules._pod_templates import templates_setting, as_dict, as_list, blank, label
from argolint.rules.base import Rule


# Prometheus' legacy metric name rule without the ':' (reserved for recording rules), as
# Argo checks names and label keys.
METRIC_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
METRIC_TYPES = ("gauge", "counter", "histogram")


class InvalidMetric(Rule):
    """A Prometheus metric with a bad name or label key, no help, or no value.

    ## What it does
    Checks each `metrics.prometheus` entry of a template and of the spec: the name and
    every label key are made of letters, digits and `_`, not starting with a digit; `help`
    is not empty; the `gauge`, `counter` or `histogram` has a `value`; and a `realtime`
    gauge does not read `resourcesDuration.*` (known only when the step ends). Names
    holding a `{{...}}` tag are left alone. Argo's validator checks template metrics; a
    bad metric of `spec.metrics` is checked too, since the controller then emits nothing
    for it (it records a metrics error on the workflow instead).

    ## Why is this bad?
    Argo rejects the workflow when it is submitted ("metric name 'build-duration' is
    invalid. Metric names must contain alphanumeric characters or '_'").

    ## Example
    Metric names written like Kubernetes names:
    ```yaml
    metrics:
      prometheus:
      - name: build-duration
        help: "Duration of the build step"
        labels: [{key: pipeline-name, value: "{{workflow.name}}"}]
        gauge: {realtime: true, value: "{{duration}}"}
    ```

    Use instead:
    ```yaml
    metrics:
      prometheus:
      - name: build_duration
        help: "Duration of the build step"
        labels: [{key: pipeline_name, value: "{{workflow.name}}"}]
        gauge: {realtime: true, value: "{{duration}}"}
    ```
    """

    id = "invalid-metric"

    def check_document(self, ctx):
        spec = ctx.spec
        if "metrics" in spec.data:
            yield from _metrics(spec.data["metrics"], spec.path + ("metrics",), "the workflow")
        for template in templates_setting(ctx, "metrics"):
            yield from self._template(ctx, template)

    def _template(self, ctx, template):
        yield from _metrics(template.data.get("metrics"), template.path + ("metrics",), label(template))


def _metrics(metrics, path, owner):
    for i, metric in enumerate(as_list(as_dict(metrics).get("prometheus"))):
        if isinstance(metric, dict):
            yield from _metric(metric, path + ("prometheus", i), owner)


def _metric(metric, path, owner):
    name = metric.get("name")
    what = f"metric '{name}' of {owner}" if isinstance(name, str) else f"a metric of {owner}"
    if isinstance(name, str) and "{{" not in name and not METRIC_NAME.fullmatch(name):
        yield Finding(path + ("name",), f"metric name '{name}' of {owner} is not a Prometheus metric name: "
                      "letters, digits and '_', not starting with a digit", hint=_suggest(name))
    for j, label_item in enumerate(as_list(metric.get("labels"))):
        key = as_dict(label_item).get("key")
        if isinstance(key, str) and "{{" not in key and not METRIC_NAME.fullmatch(key):
            yield Finding(path + ("labels", j, "key"), f"label key '{key}' of {what} is not a Prometheus label "
                          "name: letters, digits and '_', not starting with a digit", hint=_suggest(key))
    if "help" in metric and blank(metric.get("help")):
        yield Finding(path + ("help",), f"{what} has an empty `help`", hint="say what the metric measures")
    for metric_type in METRIC_TYPES:
        body = metric.get(metric_type)
        if not isinstance(body, dict):
            continue
        value = body.get("value")
        if "value" in body and blank(value):
            yield Finding(path + (metric_type, "value"), f"the {metric_type} of {what} has an empty `value`",
                          hint="give the value to record, e.g. \"{{duration}}\" or \"1\"")
        if (metric_type == "gauge" and body.get("realtime") is True and isinstance(value, str)
                and "resourcesDuration." in value):
            yield Finding(path + (metric_type, "value"), f"the realtime gauge {what} reads resourcesDuration, "
                          "which is known only when the step ends", hint="set `realtime: false`")


def _suggest(name):
    fixed = re.sub(r"[^a-zA-Z0-9_]", "_", name)
    if fixed[:1].isdigit():
        fixed = "_" + fixed
    return f"did you mean '{fixed}'?" if fixed and fixed != name else None

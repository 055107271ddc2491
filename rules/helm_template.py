from argolint.diagnostics import Severity
from argolint.rules.base import LoaderRule


class HelmTemplate(LoaderRule):
    """A Helm (Go) template instead of a manifest.

    ## What it does
    Reports once, at the first Go template action (`{{ .Values.x }}`, `{{- if ... }}`,
    `{{ include ... }}`), that the file is a Helm template and is not linted. Argo's own
    tags (`{{inputs.parameters.x}}`, `{{=expr}}`) never start like these, and Go templates
    that are text of the workflow (a `kubectl -o go-template='{{range .items}}...'` in a
    script) are not taken for Helm: an action counts when it stands outside any string,
    or reads Helm's own objects and functions (`.Values`, `.Release`, `include` ...)
    outside a block scalar.

    Only templates of Argo manifests (an `apiVersion: argoproj.io/...` line is visible)
    are reported, with a warning; the other templates of a chart (a ConfigMap, a
    Deployment) are not argolint's business and are skipped silently (`-v` lists them).

    ## Why is this bad?
    A Helm template is not YAML until it is rendered; linting it would give a page of
    syntax errors that say nothing about the workflow.

    ## Example
    ```yaml
    spec:
      serviceAccountName: {{ .Values.serviceAccount }}
    ```

    Use instead:
    Lint what Helm renders: `helm template . | argolint -`.
    """

    id = "helm-template"
    severity = Severity.WARNING

import re

from argolint.diagnostics import Finding, Severity
from argolint.rules.base import Rule

SECRET_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "token", "credential", "credentials",
                          "apikey"})
# "<qualifier> key": an API key, not an S3 object key or a map key
KEY_QUALIFIERS = frozenset({"api", "access", "secret", "private", "auth", "client", "encryption", "signing"})
# a name that names or points at a secret rather than holding one (`secretName`, `token-path`)
REFERENCE_WORDS = frozenset({"name", "ref", "path", "file", "id", "url", "endpoint", "mount", "dir", "type", "length",
                             "namespace", "key"})
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def looks_secret(name: str) -> bool:
    words = [w.lower() for w in _WORDS.findall(name)]
    if not words:
        return False
    if words[-1] == "key" and len(words) > 1 and words[-2] in KEY_QUALIFIERS:
        return True
    return words[-1] not in REFERENCE_WORDS and any(w in SECRET_WORDS for w in words)


class PlaintextSecret(Rule):
    """A secret-looking environment variable or parameter holding its value in the manifest.

    ## What it does
    Reports, by name (password, passwd, pwd, passphrase, secret, token, credential(s), and
    api/access/secret/private/auth/client/encryption/signing + key; a name ending in name,
    ref, path, file, id, url ... points at a secret and is not reported):
    `env` entries of a workflow pod's containers that set `value` instead of `valueFrom`,
    the workflow's argument parameters (their values are stored in the Workflow object and
    shown in the UI, whoever submits them), and template input parameters with a literal
    `value` or `default`. A best-practice rule (`--select best-practice`); checkov's
    `CKV_K8S_35`, kube-linter's `env-var-secret`.

    ## Why is this bad?
    The manifest is in version control, the Workflow object is readable by everyone who can
    list workflows, and parameters are printed in the UI and the logs: the secret is no
    longer secret. A Kubernetes Secret is readable only by who is granted it.

    ## Example
    ```yaml
    env:
    - name: DB_PASSWORD
      value: hunter2
    ```

    Use instead:
    ```yaml
    env:
    - name: DB_PASSWORD
      valueFrom:
        secretKeyRef:
          name: db
          key: password
    ```
    """

    id = "plaintext-secret"
    severity = Severity.WARNING
    category = "best-practice"

    def check_document(self, ctx):
        from argolint.analysis.pods import once, pods
        from argolint.analysis.templating.check import all_templates

        return once(self._findings(ctx.spec, pods(ctx), all_templates(ctx.spec)))

    def _findings(self, spec, pods, templates):
        for pod in pods:
            for container in pod.containers:
                env = container.data.get("env")
                for i, var in enumerate(env if isinstance(env, list) else []):
                    name = var.get("name") if isinstance(var, dict) else None
                    if isinstance(name, str) and looks_secret(name) and var.get("value") not in (None, ""):
                        yield Finding(container.path + ("env", i, "value"), f"environment variable '{name}' of "
                                      f"{container.label} looks like a secret but is set in plain text",
                                      hint="take it from a Secret: `valueFrom: {secretKeyRef: {name: ..., key: ...}}`",
                                      at="key")
        for param in spec.argument_parameters:
            if isinstance(param.name, str) and looks_secret(param.name):
                yield Finding(param.path + ("name",), f"workflow parameter '{param.name}' looks like a secret: its "
                              "value is stored in plain text in the Workflow and shown in the UI",
                              hint="read it from a Secret in the template (`env[].valueFrom.secretKeyRef`, or a "
                              "secret volume) instead of passing it as a parameter")
        for template in templates:
            for param in template.input_parameters:
                value = param.data.get("value", param.data.get("default"))
                if isinstance(param.name, str) and looks_secret(param.name) and isinstance(value, (str, int)) \
                        and str(value) and "{{" not in str(value):
                    key = "value" if "value" in param.data else "default"
                    yield Finding(param.path + (key,), f"input parameter '{param.name}' of template "
                                  f"'{template.name}' looks like a secret but has a plain-text {key}",
                                  hint="read it from a Secret in the template (`env[].valueFrom.secretKeyRef`)",
                                  at="key")

"""The security rules beyond their fixtures: what the Baseline profile leaves to Restricted,
the effective pod (templateDefaults, inline templates, podSpecPatch), and what template
injection counts as a shell and as outside input."""

from __future__ import annotations

from helpers import lint_text, short

from argolint.config import Config

BASELINE = Config.model_validate({"select": ["security"]})
RESTRICTED = Config.model_validate({"select": ["security"], "security": {"profile": "restricted"}})

PLAIN = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: plain-
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine:3.20
"""


def test_baseline_reports_nothing_on_a_plain_pod_and_restricted_asks_for_hardening(tmp_path):
    assert lint_text(tmp_path, PLAIN, config=BASELINE) == []
    # line 8 `- name: main` (the template), line 9 `container:`
    assert short(lint_text(tmp_path, PLAIN, config=RESTRICTED)) == [
        "8:11: run-as-root", "8:11: seccomp-profile", "9:5: added-capabilities", "9:5: privilege-escalation"]


HARDENED = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hardened-
spec:
  entrypoint: main
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  templateDefaults:
    container:
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
  templates:
  - name: main
    steps:
    - - name: inline
        inline:
          container:
            image: alpine:3.20
            securityContext:
              runAsUser: 0
"""


def test_workflow_level_settings_and_template_defaults_reach_inline_templates(tmp_path):
    # only the inline template's own `runAsUser: 0` (line 23) is left
    found = lint_text(tmp_path, HARDENED, config=RESTRICTED)
    assert short(found) == ["23:15: run-as-root"]
    assert found[0].message == "the container of the inline template of 'inline' runs as root (`runAsUser: 0`)"


def injection(tmp_path, container: str, parameter: str = "- name: msg") -> list:
    text = f"""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: inject-
spec:
  entrypoint: main
  arguments:
    parameters:
    {parameter}
  templates:
  - name: main
    inputs:
      parameters:
      - name: msg
{container}"""
    return short(lint_text(tmp_path, text, config=BASELINE), "template-injection")


def test_shells_and_flags_that_run_a_command_line(tmp_path):
    # the command line: line 22 (after `-euo pipefail -c`), line 18
    assert injection(tmp_path, "    container:\n      image: bash:5.2\n      command: [/usr/local/bin/bash]\n"
                     "      args:\n      - -euo\n      - pipefail\n      - -c\n"
                     "      - echo '{{inputs.parameters.msg}}'\n") == ["22:15: template-injection"]
    assert injection(tmp_path, "    container:\n      image: alpine:3.20\n      command: [env, sh, -xc]\n"
                     "      args: [\"echo {{=inputs.parameters.msg}}\"]\n") == ["18:20: template-injection"]


def test_not_a_shell_command_line(tmp_path):
    # an argument of a program, the arguments after a shell's script ($0, $1), a python script
    assert injection(tmp_path, "    container:\n      image: alpine:3.20\n      command: [echo]\n"
                     "      args: [\"{{inputs.parameters.msg}}\"]\n") == []
    assert injection(tmp_path, "    container:\n      image: alpine:3.20\n"
                     "      command: [sh, -c, 'echo \"$1\"', sh, '{{inputs.parameters.msg}}']\n") == []
    assert injection(tmp_path, "    script:\n      image: python:3.12\n      command: [python]\n"
                     "      source: print('{{inputs.parameters.msg}}')\n") == []


def test_an_enum_on_the_workflow_argument_constrains_the_entrypoint_input(tmp_path):
    assert injection(tmp_path, "    container:\n      image: alpine:3.20\n      command: [sh, -c]\n"
                     "      args: [\"echo {{inputs.parameters.msg}}\"]\n",
                     "- name: msg\n      enum: [a, b]") == []


CAPABILITIES = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: caps-
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine:3.20
      securityContext:
        capabilities:
          add: [CHOWN, NET_BIND_SERVICE, CAP_SYS_ADMIN]
"""


def test_baseline_allows_the_runtime_default_capabilities(tmp_path):
    found = lint_text(tmp_path, CAPABILITIES, config=BASELINE)
    assert short(found) == ["13:11: added-capabilities"]
    assert found[0].message.startswith("the container of template 'main' adds the capabilities 'CAP_SYS_ADMIN'; "
                                       "the baseline profile allows adding only 'AUDIT_WRITE', 'CHOWN'")
    restricted = [d.message for d in lint_text(tmp_path, CAPABILITIES, config=RESTRICTED) if d.line == 13]
    assert restricted == ["the container of template 'main' adds the capabilities 'CAP_SYS_ADMIN', 'CHOWN'; "
                          "the restricted profile allows adding only 'NET_BIND_SERVICE'"]


def test_every_covered_row_of_the_parity_table_names_existing_fixtures():
    import os
    import re

    from conftest import FIXTURES, ROOT

    rows = 0
    with open(os.path.join(ROOT, "docs", "security-rules.md"), encoding="utf-8") as fh:
        for line in fh:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 3 or " / " not in cells[-1] or not cells[-1][:1].islower():
                continue
            rule = re.findall(r"`([a-z-]+)`", cells[-2])[0]
            names = re.findall(r"(?:pass|fail)-[a-z0-9-]+", cells[-1])
            assert any(n.startswith("fail-") for n in names) and any(n.startswith("pass-") for n in names), line
            for name in names:
                assert os.path.exists(os.path.join(FIXTURES, "rules", rule, name + ".yaml")), (rule, name)
            rows += 1
    assert rows >= 25

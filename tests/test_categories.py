"""Rule categories: correctness rules run by default; security and best-practice rules are
opted into by category or id, wherever a rule id is accepted (--select, --extend-select,
--ignore, select / extend-select / ignore / severity / per-file-ignores), and the
`security.profile` key chooses the Pod Security Standards profile."""

from __future__ import annotations

import json

import pytest
from helpers import lint
from test_cli import write

from argolint.config import Config, ConfigError, with_overrides
from argolint.rules import RULES

# Line 5 `spec:` (missing-service-account), line 14 `image: busybox` (unpinned-image),
# line 16 `privileged: true` (privileged-container); nothing else of any category.
MANIFEST = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: build-
spec:
  entrypoint: main
  activeDeadlineSeconds: 600
  ttlStrategy: {secondsAfterCompletion: 600}
  podGC: {strategy: OnPodCompletion}
  templates:
  - name: main
    container:
      resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 100m, memory: 64Mi}}
      image: busybox
      securityContext:
        privileged: true
"""


@pytest.fixture
def wf(tmp_path):
    write(tmp_path, "wf.yaml", MANIFEST)
    return tmp_path / "wf.yaml"


def found(path, **config):
    return [(d.line, d.rule, d.severity.value) for d in lint(path, config=Config.model_validate(config))]


ACCOUNT = (5, "missing-service-account", "warning")
IMAGE = (14, "unpinned-image", "warning")
PRIVILEGED = (16, "privileged-container", "error")


def test_every_rule_has_a_known_category_and_only_correctness_rules_run_by_default(wf):
    assert {r.category for r in RULES} == {"correctness", "security", "best-practice"}
    assert found(wf) == [ACCOUNT]


def test_select_a_category_replaces_the_default_selection(wf):
    assert found(wf, select=["security"]) == [PRIVILEGED]
    assert found(wf, select=["best-practice", "security"]) == [IMAGE, PRIVILEGED]
    assert found(wf, select=["ALL"]) == [ACCOUNT, IMAGE, PRIVILEGED]


def test_extend_select_adds_to_the_default_selection(wf):
    assert found(wf, **{"extend-select": ["security"]}) == [ACCOUNT, PRIVILEGED]
    assert found(wf, **{"extend-select": ["unpinned-image"]}) == [ACCOUNT, IMAGE]


def test_ignore_severity_and_per_file_ignores_take_categories(wf):
    assert found(wf, select=["ALL"], ignore=["best-practice"]) == [ACCOUNT, PRIVILEGED]
    assert found(wf, select=["ALL"], severity={"security": "warning", "best-practice": "off"}) == [
        ACCOUNT, (16, "privileged-container", "warning")]
    # a rule's own severity wins over its category's
    assert found(wf, select=["ALL"], severity={"best-practice": "error", "unpinned-image": "info"}) == [
        ACCOUNT, (14, "unpinned-image", "info"), PRIVILEGED]
    config = Config.model_validate({"select": ["ALL"], "per-file-ignores": {"wf.yaml": ["correctness", "security"]}})
    config.root = str(wf.parent)
    assert [d.rule for d in lint(wf, config=config)] == ["unpinned-image"]


def test_a_suppression_silences_a_security_rule(tmp_path):
    write(tmp_path, "wf.yaml", MANIFEST.replace("privileged: true", "privileged: true  # argolint: ignore[privileged-container]"))
    assert found(tmp_path / "wf.yaml", select=["security"]) == []


def test_command_line_overrides_take_categories():
    config = with_overrides(Config(), extend_select=["security"], ignore=["host-port"])
    assert config.enabled("privileged-container") and config.enabled("unknown-template")
    assert not config.enabled("host-port") and not config.enabled("unpinned-image")
    with pytest.raises(ConfigError, match="--extend-select: unknown rule id 'securty'; did you mean 'security'"):
        with_overrides(Config(), extend_select=["securty"], flag_prefix="--")


def test_cli_select_and_extend_select(cli, wf):
    code, out, err = cli("--format=json", "--extend-select", "security", "wf.yaml", cwd=wf.parent)
    assert code == 1, err
    assert [d["rule"] for d in json.loads(out)["diagnostics"]] == ["missing-service-account", "privileged-container"]
    code, out, _ = cli("--format=json", "--select", "best-practice", "wf.yaml", cwd=wf.parent)
    assert code == 0
    assert [d["rule"] for d in json.loads(out)["diagnostics"]] == ["unpinned-image"]


def test_security_profile_key(cli, wf):
    write(wf.parent, ".argolint.yaml", "security:\n  profile: strict\n")
    code, out, err = cli("wf.yaml", cwd=wf.parent)
    assert (code, out) == (2, "")
    assert "'security.profile': Input should be 'baseline' or 'restricted'" in err

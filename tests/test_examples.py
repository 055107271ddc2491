"""The bundled examples show what argolint finds: the clean ones lint clean, and each
mistake is reported where it is made (other rules may add more)."""

from __future__ import annotations

import os

from conftest import ROOT
from helpers import lint

EXAMPLES = os.path.join(ROOT, "examples")

MISTAKES = {
    ("release-pipeline.yaml", 20, 19, "unknown-template"),  # template: pubilsh
    ("release-pipeline.yaml", 21, 30, "dangling-dependency"),  # dependencies: [test, lint]
    ("release-pipeline.yaml", 29, 7, "unknown-field"),  # comand:
    ("nightly-report.yaml", 9, 3, "missing-service-account"),  # workflowSpec without serviceAccountName
    ("nightly-report.yaml", 16, 17, "duplicate-name"),  # a second step named fetch
    ("nightly-report.yaml", 21, 23, "unknown-output"),  # fetch declares no output 'count'
    ("cleanup.yaml", 11, 11, "template-type"),  # `script:` left empty
}


def test_examples():
    found = {(os.path.relpath(d.file, EXAMPLES), d.line, d.column, d.rule) for d in lint(EXAMPLES)}
    assert MISTAKES <= found, MISTAKES - found
    assert not {f for f in found if f[0] in ("hello-world.yaml", "rbac.yaml")}
